import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mulberry32 as mulberry } from '../common/random.js';
import { addPosyandu, DESA_A, DESA_B } from '../test-support/fixtures.js';
import { createTestDatabase, testServerKinds, type TestDatabase } from '../test-support/test-db.js';
import { ChildRepo } from './child.repo.js';
import { loadMeasurements } from './measurement.loader.js';
import { MeasurementRepo } from './measurement.repo.js';
import { rebuildAllRollups } from './rollup.js';
import type { Child, Measurement, RollupCounts } from './schema.js';

const DAY = 86_400_000;
const addDays = (iso: string, n: number) => new Date(Date.parse(`${iso}T00:00:00Z`) + n * DAY).toISOString().slice(0, 10);
const days = (a: string, b: string) => Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / DAY);
const monthStart = (iso: string) => `${iso.slice(0, 7)}-01`;
const nextMonth = (m: string) => {
  const y = Number(m.slice(0, 4));
  const mo = Number(m.slice(5, 7));
  return mo === 12 ? `${y + 1}-01-01` : `${y}-${String(mo + 1).padStart(2, '0')}-01`;
};

type Counts = Omit<RollupCounts, never>;
const ZERO: Counts = {
  registered: 0, measured: 0, weight_up: 0, weight_gain_denom: 0, two_t: 0, stunted: 0, severely_stunted: 0, stunting_denom: 0,
  wasted: 0, severely_wasted: 0, overweight: 0, wasting_denom: 0, underweight: 0, underweight_denom: 0, flagged: 0,
};

/** The rollups recomputed in TypeScript from raw rows, written from the definitions in docs/DATA-MODEL.md. */
function expectedRollups(children: Child[], measurements: Measurement[]) {
  const desa = new Map<string, Counts>();
  const posy = new Map<string, Counts>();
  const bump = (map: Map<string, Counts>, key: string) => {
    let c = map.get(key);
    if (!c) map.set(key, (c = { ...ZERO }));
    return c;
  };
  for (let m = '2019-01-01'; m < '2032-01-01'; m = nextMonth(m)) {
    const end = addDays(nextMonth(m), -1);
    for (const c of children) {
      const counted = c.birth_date <= end && days(c.birth_date, m) <= 1826 && c.registered_on <= end && (c.exited_on === null || c.exited_on >= m);
      if (!counted) continue;
      bump(desa, `${c.desa_code}|${m}`).registered++;
      if (c.posyandu_id !== null) bump(posy, `${c.posyandu_id}|${m}`).registered++;
    }
  }
  const latest = new Map<string, Measurement>();
  for (const m of measurements) {
    const key = `${m.child_id}|${monthStart(m.measured_on)}`;
    const cur = latest.get(key);
    if (!cur || m.measured_on > cur.measured_on || (m.measured_on === cur.measured_on && m.id > cur.id)) latest.set(key, m);
  }
  for (const m of latest.values()) {
    if (m.age_days > 1826) continue;
    const month = monthStart(m.measured_on);
    const targets = [bump(desa, `${m.desa_code}|${month}`)];
    if (m.posyandu_id !== null) targets.push(bump(posy, `${m.posyandu_id}|${month}`));
    for (const c of targets) {
      c.measured++;
      if (m.weight_gain === 'N') c.weight_up++;
      if (m.weight_gain === 'N' || m.weight_gain === 'T') c.weight_gain_denom++;
      if (m.two_t) c.two_t++;
      if (m.flen === 0) {
        c.stunting_denom++;
        if ((m.zlen as number) < -2) c.stunted++;
        if ((m.zlen as number) < -3) c.severely_stunted++;
      }
      if (m.fwfl === 0) {
        c.wasting_denom++;
        if ((m.zwfl as number) < -2) c.wasted++;
        if ((m.zwfl as number) < -3) c.severely_wasted++;
        if ((m.zwfl as number) > 2) c.overweight++;
      }
      if (m.fwei === 0) {
        c.underweight_denom++;
        if ((m.zwei as number) < -2) c.underweight++;
      }
      if (m.flen === 1 || m.fwei === 1 || m.fwfl === 1) c.flagged++;
    }
  }
  const flat = (map: Map<string, Counts>) => [...map.entries()].map(([k, c]) => `${k} ${JSON.stringify(c)}`).sort();
  return { desa: flat(desa), posyandu: flat(posy) };
}

async function storedRollups(t: TestDatabase) {
  const pick = (r: RollupCounts): Counts => Object.fromEntries(Object.keys(ZERO).map((k) => [k, r[k as keyof Counts]])) as Counts;
  const desa = await t.db.selectFrom('rollup_desa_month').selectAll().execute();
  const posy = await t.db.selectFrom('rollup_posyandu_month').selectAll().execute();
  return {
    desa: desa.map((r) => `${r.desa_code}|${r.month} ${JSON.stringify(pick(r))}`).sort(),
    posyandu: posy.map((r) => `${r.posyandu_id}|${r.month} ${JSON.stringify(pick(r))}`).sort(),
  };
}

async function expectRollupsMatchRaw(t: TestDatabase) {
  const children = await t.db.selectFrom('child').selectAll().execute();
  const measurements = await t.db.selectFrom('measurement').selectAll().execute();
  const stored = await storedRollups(t);
  const expected = expectedRollups(children, measurements);
  expect(stored.desa).toEqual(expected.desa);
  expect(stored.posyandu).toEqual(expected.posyandu);
  return { children: children.length, measurements: measurements.length, keys: stored.desa.length };
}

describe.each(testServerKinds())('rollups on %s PostgreSQL', (kind) => {
  let t: TestDatabase;
  let posyandus: { id: number; desa: string }[];

  beforeAll(async () => {
    t = await createTestDatabase(kind);
    posyandus = [
      { id: await addPosyandu(t.db, DESA_A, 'Mawar'), desa: DESA_A },
      { id: await addPosyandu(t.db, DESA_A, 'Melati'), desa: DESA_A },
      { id: await addPosyandu(t.db, DESA_B, 'Anggrek'), desa: DESA_B },
    ];
  });
  afterAll(async () => t?.close());

  it('equal a recomputation from raw data after random inserts, updates and deletes', async () => {
    const rnd = mulberry(20251127);
    const children = new ChildRepo(t.db, t.deps, t.nik);
    const measurements = new MeasurementRepo(t.db, t.deps);
    const pickPosyandu = () => posyandus[Math.floor(rnd() * posyandus.length)];
    const childIds: number[] = [];
    const randomDate = (from: string, span: number) => addDays(from, Math.floor(rnd() * span));
    for (let i = 0; i < 8; i++) {
      const p = pickPosyandu();
      const birth = randomDate('2021-06-01', 1200);
      const c = await children.create({ desaCode: p.desa, posyanduId: p.id, name: `Anak ${i}`, sex: (1 + (i % 2)) as 1 | 2, birthDate: birth, registeredOn: addDays(birth, Math.floor(rnd() * 90)) });
      childIds.push(c.id);
    }
    let ops = 0;
    while (ops < 140) {
      const roll = rnd();
      const childId = childIds[Math.floor(rnd() * childIds.length)];
      const child = await children.get(childId);
      if (!child) continue;
      const existing = await measurements.listForChild(childId);
      const ageMonths = () => 1 + Math.floor(rnd() * 58);
      const measuredOn = () => addDays(child.birth_date, Math.floor(rnd() * 1800));
      const weightFor = (d: string) => +(3.2 + days(child.birth_date, d) * 0.0075 + (rnd() - 0.5) * 3).toFixed(1);
      const heightFor = (d: string) => +(50 + days(child.birth_date, d) * 0.032 + (rnd() - 0.5) * 14).toFixed(1);
      if (roll < 0.5 || existing.length === 0) {
        const d = measuredOn();
        const p = rnd() < 0.8 ? { id: child.posyandu_id, desa: child.desa_code } : pickPosyandu();
        await measurements.insert({
          childId, measuredOn: d, posyanduId: p.id, desaCode: p.desa, weightKg: rnd() < 0.95 ? Math.max(0.8, weightFor(d)) : null,
          lenheiCm: rnd() < 0.9 ? Math.min(150, Math.max(40, heightFor(d))) : null, position: rnd() < 0.5 ? 'L' : 'H',
        });
      } else if (roll < 0.7) {
        const m = existing[Math.floor(rnd() * existing.length)];
        const d = rnd() < 0.5 ? measuredOn() : m.measured_on;
        const p = rnd() < 0.3 ? pickPosyandu() : { id: m.posyandu_id, desa: m.desa_code };
        await measurements.update(m.id, { measuredOn: d, weightKg: Math.max(0.8, weightFor(d)), posyanduId: p.id, desaCode: p.desa });
      } else if (roll < 0.85) {
        await measurements.delete(existing[Math.floor(rnd() * existing.length)].id);
      } else if (roll < 0.97) {
        const p = pickPosyandu();
        const change = rnd();
        if (change < 0.4) await children.update(childId, { posyanduId: p.id, desaCode: p.desa });
        else if (change < 0.7) await children.update(childId, { exitedOn: rnd() < 0.5 ? null : addDays(child.birth_date, 400 + ageMonths() * 10), exitReason: null }).catch(() => undefined);
        else {
          // Shifting the birth date a few days keeps every measurement within 0–60 months.
          const last = existing.reduce((a, m) => (m.measured_on > a ? m.measured_on : a), child.birth_date);
          const shift = Math.floor(rnd() * 7) - 3;
          const nb = addDays(child.birth_date, shift);
          if (nb <= (existing.length ? existing.reduce((a, m) => (m.measured_on < a ? m.measured_on : a), last) : last) && days(nb, last) <= 1850) {
            await children.update(childId, { birthDate: nb, registeredOn: nb > child.registered_on ? nb : child.registered_on });
          }
        }
      } else {
        await children.delete(childId);
        childIds.splice(childIds.indexOf(childId), 1);
        const p = pickPosyandu();
        const c = await children.create({ desaCode: p.desa, posyanduId: p.id, name: 'Anak baru', sex: 2, birthDate: randomDate('2022-01-01', 900) });
        childIds.push(c.id);
      }
      ops++;
    }
    const summary = await expectRollupsMatchRaw(t);
    expect(summary.measurements).toBeGreaterThan(30);
    expect(summary.keys).toBeGreaterThan(50);
    const withStatus = await t.db.selectFrom('rollup_desa_month').select((eb) => eb.fn.sum<number>('measured').as('m')).executeTakeFirstOrThrow();
    expect(Number(withStatus.m)).toBeGreaterThan(0);
    // The one-at-a-time writes predict and correct codes from the series read once: every stored
    // code still equals the judgement of the child's full history.
    const { judgeStoredSeries } = await import('./weight-gain-tracker.js');
    let coded = 0;
    for (const id of childIds) {
      const series = await measurements.listForChild(id);
      const judged = judgeStoredSeries(series.map((s) => ({ birthDate: s.birth_date, measuredOn: s.measured_on, weightKg: s.weight_kg })), t.deps.kbm);
      expect(series.map((s) => [s.weight_gain, s.two_t])).toEqual(judged.map((j) => [j.code, j.twoT]));
      coded += series.filter((s) => s.weight_gain !== null).length;
    }
    expect(coded).toBeGreaterThan(10);
  });

  it('after a bulk load, and the bulk weight-gain codes equal the one-at-a-time judgement', async () => {
    const before = await t.db.selectFrom('measurement').select(['id', 'weight_gain', 'two_t']).execute();
    const kids = await t.db.selectFrom('child').selectAll().execute();
    const rnd = mulberry(7);
    const rows = [];
    for (const c of kids) {
      // Monthly visits in date order, plus one visit earlier than the child's stored ones (out of order).
      for (let k = 0; k < 10; k++) {
        const d = addDays(c.birth_date, 30 * (k + 20) + Math.floor(rnd() * 5));
        rows.push({ kabupatenCode: c.kabupaten_code, desaCode: c.desa_code, posyanduId: c.posyandu_id, childId: c.id, birthDate: c.birth_date, sex: c.sex,
          measuredOn: d, weightKg: +(8 + k * 0.25 + rnd() * 0.3).toFixed(2), lenheiCm: +(80 + k * 0.8).toFixed(1), position: 'H' as const });
      }
      rows.push({ kabupatenCode: c.kabupaten_code, desaCode: c.desa_code, posyanduId: c.posyandu_id, childId: c.id, birthDate: c.birth_date, sex: c.sex,
        measuredOn: addDays(c.birth_date, 20), weightKg: 3.9, lenheiCm: 53, position: 'L' as const });
    }
    const result = await loadMeasurements(t.pool, rows, { source: 'demo', deps: t.deps, batchSize: 16 });
    expect(result.rows).toBe(rows.length);
    expect(result.rejudgedChildren).toBe(kids.length);
    await expectRollupsMatchRaw(t);
    // Every stored code equals the growth module's series judgement of the child's full history.
    const { judgeStoredSeries } = await import('./weight-gain-tracker.js');
    for (const c of kids) {
      const series = await new MeasurementRepo(t.db, t.deps).listForChild(c.id);
      const judged = judgeStoredSeries(series.map((s) => ({ birthDate: s.birth_date, measuredOn: s.measured_on, weightKg: s.weight_kg })), t.deps.kbm);
      expect(series.map((s) => [s.weight_gain, s.two_t])).toEqual(judged.map((j) => [j.code, j.twoT]));
    }
    expect(before.length).toBeGreaterThan(0);
    // A full rebuild changes nothing, whether it recomputes key by key or in one bulk pass.
    const stored = await storedRollups(t);
    await rebuildAllRollups(t.db, 'keys');
    expect(await storedRollups(t)).toEqual(stored);
    await t.db.deleteFrom('rollup_desa_month').execute();
    await rebuildAllRollups(t.db, 'bulk');
    expect(await storedRollups(t)).toEqual(stored);
    await expectRollupsMatchRaw(t);
  });

  it('after a bulk load of new children, updated by the load\'s own delta, equal a recomputation', async () => {
    const rnd = mulberry(99);
    const children = new ChildRepo(t.db, t.deps, t.nik);
    const rows = [];
    for (let i = 0; i < 12; i++) {
      const p = posyandus[i % posyandus.length];
      const birth = addDays('2020-03-01', Math.floor(rnd() * 900));
      const c = await children.create({ desaCode: p.desa, posyanduId: p.id, name: `Anak delta ${i}`, sex: (1 + (i % 2)) as 1 | 2, birthDate: birth });
      for (let k = 0; k < 62; k += 1 + Math.floor(rnd() * 2)) {
        // Near-monthly visits reaching past 1826 days, some months twice (same day too), now and then at another posyandu.
        const d = addDays(birth, Math.min(1850, 10 + k * 30 + Math.floor(rnd() * 20)));
        const other = rnd() < 0.15 ? posyandus[(i + 1) % posyandus.length] : p;
        const row = { kabupatenCode: c.kabupaten_code, desaCode: other.desa, posyanduId: other.id, childId: c.id, birthDate: c.birth_date, sex: c.sex,
          measuredOn: d, weightKg: +(3.5 + k * 0.22 + (rnd() - 0.5) * 2).toFixed(2), lenheiCm: rnd() < 0.9 ? +(52 + k * 1.1 + (rnd() - 0.5) * 12).toFixed(1) : null,
          position: k < 24 ? 'L' as const : 'H' as const };
        rows.push(row);
        if (rnd() < 0.2) rows.push({ ...row, desaCode: p.desa, posyanduId: p.id, weightKg: +(row.weightKg + 0.3).toFixed(2), measuredOn: addDays(d, Math.floor(rnd() * 2)) });
      }
    }
    const result = await loadMeasurements(t.pool, rows, { source: 'demo', deps: t.deps, batchSize: 50 });
    expect(result.rows).toBe(rows.length);
    expect(result.rollupMethod).toBe('delta');
    await expectRollupsMatchRaw(t);
  });

  it('after a bulk load that rebuilds the indexes, with children old and new, equal a recomputation', async () => {
    const indexes = async () => (await t.pool.query<{ n: string }>(`SELECT indexrelid::regclass::text AS n FROM pg_index WHERE indrelid = 'measurement'::regclass ORDER BY 1`)).rows.map((r) => r.n);
    const before = await indexes();
    const old = await t.db.selectFrom('child').selectAll().orderBy('id').limit(3).execute();
    const fresh = await new ChildRepo(t.db, t.deps, t.nik).create({ desaCode: posyandus[0].desa, posyanduId: posyandus[0].id, name: 'Anak indeks', sex: 1, birthDate: '2023-02-10' });
    const rows = [...old, fresh].flatMap((c) => [0, 1, 2].map((k) => ({
      kabupatenCode: c.kabupaten_code, desaCode: c.desa_code, posyanduId: c.posyandu_id, childId: c.id, birthDate: c.birth_date, sex: c.sex,
      measuredOn: addDays(c.birth_date, 400 + k * 31), weightKg: 9 + k * 0.2, lenheiCm: 75 + k, position: 'L' as const })));
    const result = await loadMeasurements(t.pool, rows, { source: 'demo', deps: t.deps, rebuildIndexes: true });
    expect(result.rejudgedChildren).toBe(old.length);
    expect(result.rollupMethod).toBe('recompute');
    expect(await indexes()).toEqual(before);
    await expectRollupsMatchRaw(t);
  });

  it('after concurrent single saves, corrections and deletes in the same units and months, equal a recomputation', async () => {
    // A posyandu day: many children of the same desa and posyandu saved at once (rollup changes
    // under the advisory locks), next to a child registration (a recomputation of the same keys).
    const repo = new MeasurementRepo(t.db, t.deps);
    const children = new ChildRepo(t.db, t.deps, t.nik);
    const kids = [];
    for (let i = 0; i < 10; i++) {
      kids.push(await children.create({ desaCode: posyandus[0].desa, posyanduId: posyandus[0].id, name: `Anak hari ${i}`, sex: (1 + (i % 2)) as 1 | 2, birthDate: addDays('2024-01-05', i * 9) }));
    }
    const day = '2025-11-12';
    const first = await Promise.all(kids.map((k, i) => repo.insert({ childId: k.id, measuredOn: addDays(day, -35), weightKg: 8 + i * 0.1, lenheiCm: 72 + i * 0.3, position: 'L' })));
    await Promise.all([
      ...kids.map((k, i) => repo.insert({ childId: k.id, measuredOn: day, weightKg: 8.3 + i * 0.1, lenheiCm: 73 + i * 0.3, position: 'L' })),
      ...kids.slice(0, 4).map((k, i) => repo.insert({ childId: k.id, measuredOn: day, posyanduId: posyandus[1].id, weightKg: 8.4 + i * 0.1, lenheiCm: 73.5, position: 'L' })),
      ...first.slice(4, 7).map((m) => repo.update(m.id, { weightKg: m.weight_kg! + 0.5 })),
      ...first.slice(7).map((m) => repo.delete(m.id)),
      children.create({ desaCode: posyandus[0].desa, posyanduId: posyandus[0].id, name: 'Anak baru hari', sex: 1, birthDate: '2025-10-01' }),
    ]);
    await expectRollupsMatchRaw(t);
  });

  it('a resubmitted save found among the series read under the lock stores one row, and the answer carries that series', async () => {
    const repo = new MeasurementRepo(t.db, t.deps);
    const kid = await new ChildRepo(t.db, t.deps, t.nik).create({ desaCode: posyandus[2].desa, posyanduId: posyandus[2].id, name: 'Anak kirim ulang', sex: 2, birthDate: '2024-05-20' });
    const earlier = await repo.insert({ childId: kid.id, measuredOn: '2025-10-02', weightKg: 9.1, lenheiCm: 74, position: 'L' });
    const form = { childId: kid.id, measuredOn: '2025-11-03', weightKg: 9.4, lenheiCm: 75.2, position: 'L' as const };
    const same = (before: readonly Measurement[]) => before.find((m) => m.measured_on === form.measuredOn && m.weight_kg === form.weightKg && m.lenhei_cm === form.lenheiCm);
    const answers = await Promise.all([repo.insertWithSeries(form, undefined, same), repo.insertWithSeries(form, undefined, same)]);
    expect(answers.map((a) => a.replayed).sort()).toEqual([false, true]);
    expect(answers[0].row.id).toBe(answers[1].row.id);
    const first = answers.find((a) => !a.replayed)!;
    expect(first.before.map((m) => m.id)).toEqual([earlier.id]);
    expect(first.row.weight_gain).toBe((await repo.get(first.row.id))!.weight_gain);
    expect((await repo.listForChild(kid.id)).map((m) => m.measured_on)).toEqual(['2025-10-02', '2025-11-03']);
    await expectRollupsMatchRaw(t);
  });
});
