import { beforeAll, describe, expect, it } from 'vitest';
import { createBatchInput, createGrowthEngine } from '../growth/engine.js';
import { readWhoTables } from '../reference/who-tables.js';
import { readInterventions } from '../reference/indicators.js';
import { generateDemoBatches } from './demo.generator.js';
import { loadDemoInputs } from './demo-inputs.js';
import { planDemo, type DemoPlan } from './demo-plan.js';
import { parseIsoDate } from './demo-dates.js';
import { DEMO_COLUMNS, DEMO_TABLES, type DemoCell, type DemoOptions, type DemoTable } from './demo.types.js';

type Row = Record<string, DemoCell>;

const inputs = loadDemoInputs();
const options: DemoOptions = { ...inputs, children: 12_000, seed: 6201, batchSize: 5000 };
let plan: DemoPlan;
const tables = {} as Record<DemoTable, Row[]>;
let maxBatch = 0;
let childSplitAcrossBatches = 0;

beforeAll(() => {
  plan = planDemo(options);
  for (const t of DEMO_TABLES) tables[t] = [];
  const seenChildBatch = new Map<number, number>();
  let batchNo = 0;
  for (const batch of generateDemoBatches(options)) {
    batchNo++;
    expect(batch.columns).toEqual(DEMO_COLUMNS[batch.table]);
    maxBatch = Math.max(maxBatch, batch.rows.length);
    for (const cells of batch.rows) {
      expect(cells.length).toBe(batch.columns.length);
      const row: Row = {};
      batch.columns.forEach((c, i) => (row[c] = cells[i]));
      tables[batch.table].push(row);
      if (batch.table === 'measurement') {
        const id = row.child_id as number;
        const prev = seenChildBatch.get(id);
        if (prev !== undefined && prev !== batchNo) childSplitAcrossBatches++;
        seenChildBatch.set(id, batchNo);
      }
    }
  }
});

const day = (v: DemoCell): number => parseIsoDate(v as string);
const byKey = <T>(rows: T[], key: (r: T) => string | number): Map<string | number, T[]> => {
  const m = new Map<string | number, T[]>();
  for (const r of rows) {
    const k = key(r);
    const list = m.get(k);
    if (list) list.push(r);
    else m.set(k, [r]);
  }
  return m;
};
const quantile = (xs: number[], q: number): number => {
  const s = xs.slice().sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))];
};
const faultPosyandu = (kind: string): string[] => plan.faults.filter((f) => f.kind === kind).map((f) => f.posyanduId);
const monthOf = (v: DemoCell): string => (v as string).slice(0, 7);

describe('synthetic Kobar district', () => {
  it('uses the real kecamatan and desa of the regions file, 2–6 posyandu per desa and a puskesmas per kecamatan', () => {
    const desa = inputs.regions.filter((r) => r.level === 'desa' || r.level === 'kelurahan');
    const posyandu = tables.facility.filter((f) => f.kind === 'posyandu');
    const puskesmas = tables.facility.filter((f) => f.kind === 'puskesmas');
    expect(new Set(posyandu.map((p) => p.desa_code))).toEqual(new Set(desa.map((d) => d.code)));
    for (const [, list] of byKey(posyandu, (p) => p.desa_code as string)) {
      expect(list.length).toBeGreaterThanOrEqual(2);
      expect(list.length).toBeLessThanOrEqual(6);
      expect(new Set(list.map((p) => p.name)).size).toBe(list.length);
    }
    expect(puskesmas.map((p) => p.kecamatan_code).sort()).toEqual(
      inputs.regions.filter((r) => r.level === 'kecamatan' && r.parentCode === '62.01').map((r) => r.code).sort(),
    );
    expect(puskesmas.map((p) => p.name)).toContain('Puskesmas Kumai');
  });

  it('streams bounded batches and keeps every child’s measurements in one batch', () => {
    expect(maxBatch).toBeLessThan(options.batchSize! + 2000);
    expect(childSplitAcrossBatches).toBe(0);
  });

  it('has about N balita in each month and 400–500k-scale visit rates (≈ 17 measurements per 24 balita-months)', () => {
    const lastMonth = tables.measurement.filter((m) => monthOf(m.measured_on) === '2025-10').length;
    // balita living in the last month ≈ N; measured ≈ N × attendance (0.55–0.85).
    expect(lastMonth).toBeGreaterThan(options.children! * 0.5);
    expect(lastMonth).toBeLessThan(options.children! * 0.9);
  });

  it('links every row to existing parents with matching birth date and sex, and marks everything synthetic', () => {
    const children = new Map(tables.child.map((c) => [c.child_id, c]));
    const families = new Set(tables.family.map((f) => f.family_id));
    const persons = new Set(tables.person.map((p) => p.person_id));
    const facilities = new Set(tables.facility.map((f) => f.facility_id));
    expect(children.size).toBe(tables.child.length);
    const bad: string[] = [];
    for (const c of tables.child) {
      if (!families.has(c.family_id) || !facilities.has(c.posyandu_id)) bad.push(`child ${c.child_id} parent`);
      if (day(c.registered_on) < day(c.birth_date)) bad.push(`child ${c.child_id} registered before birth`);
    }
    for (const m of tables.measurement) {
      const c = children.get(m.child_id);
      if (c?.birth_date !== m.birth_date || c?.sex !== m.sex) bad.push(`measurement ${m.measurement_id} identity`);
      if (!((m.weight_kg as number) > 1.5 && (m.weight_kg as number) < 30)) bad.push(`measurement ${m.measurement_id} weight`);
    }
    for (const s of tables.service) {
      const subjects = [s.child_id, s.person_id, s.family_id].filter((x) => x !== null);
      if (subjects.length !== 1) bad.push(`service ${s.service_id} subjects`);
      if (s.child_id !== null && !children.has(s.child_id)) bad.push(`service ${s.service_id} child`);
      if (s.person_id !== null && !persons.has(s.person_id)) bad.push(`service ${s.service_id} person`);
      if (s.family_id !== null && !families.has(s.family_id)) bad.push(`service ${s.service_id} family`);
      if (day(s.served_on) < plan.windowStart || day(s.served_on) > plan.windowEnd) bad.push(`service ${s.service_id} date`);
      if (s.provider_facility_id !== null && !facilities.has(s.provider_facility_id)) bad.push(`service ${s.service_id} facility`);
    }
    expect(bad.slice(0, 5)).toEqual([]);
    for (const t of DEMO_TABLES.filter((x) => !x.startsWith('demo_'))) {
      expect(tables[t].length).toBeGreaterThan(0);
      expect(tables[t].every((r) => r.is_synthetic === true)).toBe(true);
    }
  });

  it('measures children only at ages 0–59 months, in the position of their age (mostly)', () => {
    let wrong = 0;
    const positionFault = new Set(faultPosyandu('wrong_position'));
    let counted = 0;
    let outOfRange = 0;
    for (const m of tables.measurement) {
      const age = day(m.measured_on) - day(m.birth_date);
      if (age < 0 || age / 30.4375 >= 60) outOfRange++;
      if (positionFault.has(m.posyandu_id as string)) continue;
      counted++;
      if ((age < 731) !== (m.position === 'L')) wrong++;
    }
    expect(outOfRange).toBe(0);
    expect(wrong / counted).toBeGreaterThan(0.005);
    expect(wrong / counted).toBeLessThan(0.05);
  });

  it('weighs and measures to 0.1 (kg, cm)', () => {
    const tenth = (v: number) => String(v).split('.')[1] === undefined || String(v).split('.')[1].length === 1;
    let off = 0;
    for (const m of tables.measurement) {
      if (!tenth(m.weight_kg as number) || (m.lenhei_cm !== null && !tenth(m.lenhei_cm as number))) off++;
    }
    expect(off).toBe(0);
  });

  it('has monthly attendance between 50 and 90 %, varying by posyandu', () => {
    const dupPos = new Set(faultPosyandu('duplicate_child'));
    const meeting = new Map(tables.facility.map((f) => [f.facility_id, f.meeting_day as number]));
    const measured = new Map<string, Set<string>>();
    for (const m of tables.measurement) {
      const set = measured.get(m.posyandu_id as string) ?? new Set<string>();
      set.add(`${m.child_id}|${monthOf(m.measured_on)}`);
      measured.set(m.posyandu_id as string, set);
    }
    const eligible = new Map<string, number>();
    for (const c of tables.child) {
      const pos = c.posyandu_id as string;
      const birth = day(c.birth_date);
      for (let k = 0; k < plan.months; k++) {
        const mi = plan.firstMonth + k;
        const visit = parseIsoDate(`${Math.floor(mi / 12)}-${String((mi % 12) + 1).padStart(2, '0')}-01`) + (meeting.get(pos) as number) - 1;
        if (visit >= birth && (visit - birth) / 30.4375 < 60) eligible.set(pos, (eligible.get(pos) ?? 0) + 1);
      }
    }
    const rates: number[] = [];
    for (const [pos, n] of eligible) {
      if (dupPos.has(pos) || n < 300) continue;
      rates.push((measured.get(pos)?.size ?? 0) / n);
    }
    expect(rates.length).toBeGreaterThan(100);
    expect(Math.min(...rates)).toBeGreaterThanOrEqual(0.5);
    expect(Math.max(...rates)).toBeLessThanOrEqual(0.9);
    expect(quantile(rates, 0.9) - quantile(rates, 0.1)).toBeGreaterThan(0.15);
  });

  it('gives desa stunting prevalences spanning about 5–35 % (WHO z-scores by the growth engine)', () => {
    const engine = createGrowthEngine(readWhoTables());
    const rows = tables.measurement.filter((m) => m.lenhei_cm !== null);
    const input = createBatchInput(rows.length);
    rows.forEach((m, i) => {
      input.sex[i] = m.sex as number;
      input.age[i] = day(m.measured_on) - day(m.birth_date);
      input.weight[i] = m.weight_kg as number;
      input.lenhei[i] = m.lenhei_cm as number;
      input.measure[i] = m.position === 'L' ? 1 : 2;
    });
    const out = engine.computeBatch(input);
    const faulty = new Set(plan.faults.map((f) => f.posyanduId));
    const stunted = new Map<string, [number, number]>();
    rows.forEach((m, i) => {
      if (faulty.has(m.posyandu_id as string) || Number.isNaN(out.zlen[i]) || out.flen[i] === 1) return;
      const c = stunted.get(m.desa_code as string) ?? [0, 0];
      c[0] += out.zlen[i] < -2 ? 1 : 0;
      c[1]++;
      stunted.set(m.desa_code as string, c);
    });
    const prevalence = [...stunted.values()].map(([a, b]) => a / b);
    expect(prevalence.length).toBe(94);
    expect(quantile(prevalence, 0.05)).toBeLessThan(0.1);
    expect(quantile(prevalence, 0.95)).toBeGreaterThan(0.28);
    expect(Math.min(...prevalence)).toBeGreaterThan(0.01);
    expect(Math.max(...prevalence)).toBeLessThan(0.45);
    // The desa with the worst tendency really are the most stunted.
    const target = new Map(plan.desa.map((d) => [d.code, d.targetPrevalence]));
    const pairs = [...stunted.entries()].map(([code, [a, b]]) => [target.get(code) as number, a / b]);
    const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
    const mx = mean(pairs.map((p) => p[0]));
    const my = mean(pairs.map((p) => p[1]));
    const cov = mean(pairs.map((p) => (p[0] - mx) * (p[1] - my)));
    const corr = cov / Math.sqrt(mean(pairs.map((p) => (p[0] - mx) ** 2)) * mean(pairs.map((p) => (p[1] - my) ** 2)));
    expect(corr).toBeGreaterThan(0.8);
    // Wasting stays plausible for routine data.
    let wasted = 0;
    let n = 0;
    for (let i = 0; i < rows.length; i++) {
      if (Number.isNaN(out.zwfl[i]) || out.fwfl[i] === 1) continue;
      n++;
      if (out.zwfl[i] < -2) wasted++;
    }
    expect(wasted / n).toBeGreaterThan(0.03);
    expect(wasted / n).toBeLessThan(0.15);
  });

  it('plants digit preference: heights ending in .0/.5 far more often in the recorded posyandu', () => {
    const f = plan.faults.filter((x) => x.kind === 'digit_preference');
    expect(f.length).toBeGreaterThanOrEqual(1);
    const endsHalf = (v: number) => Math.round(v * 10) % 5 === 0;
    for (const fault of f) {
      const inFault = tables.measurement.filter(
        (m) => m.posyandu_id === fault.posyanduId && m.lenhei_cm !== null && monthOf(m.measured_on) >= fault.firstMonth,
      );
      expect(inFault.length).toBeGreaterThan(100);
      expect(inFault.filter((m) => endsHalf(m.lenhei_cm as number)).length / inFault.length).toBeGreaterThan(0.7);
    }
    const faulty = new Set(f.map((x) => x.posyanduId));
    const rest = tables.measurement.filter((m) => !faulty.has(m.posyandu_id as string) && m.lenhei_cm !== null);
    expect(rest.filter((m) => endsHalf(m.lenhei_cm as number)).length / rest.length).toBeLessThan(0.25);
  });

  it('plants age heaping: birth dates on the 1st/15th in the recorded posyandu', () => {
    const pos = faultPosyandu('age_heaping');
    const heaped = (c: Row) => [1, 15].includes(Number((c.birth_date as string).slice(8)));
    const inFault = tables.child.filter((c) => pos.includes(c.posyandu_id as string));
    const rest = tables.child.filter((c) => !pos.includes(c.posyandu_id as string));
    expect(inFault.filter(heaped).length / inFault.length).toBeGreaterThan(0.6);
    expect(rest.filter(heaped).length / rest.length).toBeLessThan(0.1);
  });

  /** Height and weight changes between a child's visits in consecutive months, by posyandu. */
  const consecutive = (filter: (m: Row) => boolean) => {
    const out: { prev: Row; cur: Row }[] = [];
    for (const [, list] of byKey(tables.measurement.filter(filter), (m) => m.child_id as number)) {
      list.sort((a, b) => day(a.measured_on) - day(b.measured_on));
      for (let i = 1; i < list.length; i++) {
        const gap = day(list[i].measured_on) - day(list[i - 1].measured_on);
        if (gap >= 25 && gap <= 35) out.push({ prev: list[i - 1], cur: list[i] });
      }
    }
    return out;
  };

  it('plants shrinking heights: the board reads 2 cm short from the recorded month', () => {
    const [fault] = plan.faults.filter((x) => x.kind === 'shrinking_height');
    const pairs = consecutive((m) => m.posyandu_id === fault.posyanduId && m.lenhei_cm !== null);
    const across = pairs.filter((p) => monthOf(p.prev.measured_on) < fault.firstMonth && monthOf(p.cur.measured_on) >= fault.firstMonth);
    expect(across.length).toBeGreaterThan(15);
    const drops = across.filter((p) => (p.cur.lenhei_cm as number) < (p.prev.lenhei_cm as number) - 1).length;
    expect(drops / across.length).toBeGreaterThan(0.5);
    const normal = consecutive((m) => m.posyandu_id !== fault.posyanduId && m.lenhei_cm !== null && (m.desa_code as string) < '62.01.03');
    const normalDrops = normal.filter((p) => (p.cur.lenhei_cm as number) < (p.prev.lenhei_cm as number) - 1).length;
    expect(normalDrops / normal.length).toBeLessThan(0.05);
  });

  it('plants copied weights: the same weight as last month in most visits of the recorded months', () => {
    const [fault] = plan.faults.filter((x) => x.kind === 'copied_weight');
    const inMonths = (m: Row) => monthOf(m.measured_on) > fault.firstMonth && monthOf(m.measured_on) <= fault.lastMonth;
    const pairs = consecutive((m) => m.posyandu_id === fault.posyanduId).filter((p) => inMonths(p.cur));
    expect(pairs.length).toBeGreaterThan(30);
    const same = (p: { prev: Row; cur: Row }) => p.prev.weight_kg === p.cur.weight_kg;
    expect(pairs.filter(same).length / pairs.length).toBeGreaterThan(0.6);
    const normal = consecutive((m) => m.posyandu_id !== fault.posyanduId && (m.desa_code as string) < '62.01.03');
    expect(normal.filter(same).length / normal.length).toBeLessThan(0.2);
  });

  it('plants duplicate registrations: same family, sex and birth date (±2 days), a spelling variant, no NIK', () => {
    const children = new Map(tables.child.map((c) => [c.child_id, c]));
    const dups = tables.demo_fault_child.filter((r) => r.fault_kind === 'duplicate_child');
    expect(dups.length).toBeGreaterThanOrEqual(3);
    for (const d of dups) {
      const dup = children.get(d.child_id) as Row;
      const orig = children.get(d.original_child_id) as Row;
      expect(dup.family_id).toBe(orig.family_id);
      expect(dup.sex).toBe(orig.sex);
      expect(dup.mother_name).toBe(orig.mother_name);
      expect(dup.name).not.toBe(orig.name);
      expect(dup.nik).toBeNull();
      expect(Math.abs(day(dup.birth_date) - day(orig.birth_date))).toBeLessThanOrEqual(2);
      expect(tables.measurement.some((m) => m.child_id === d.child_id)).toBe(true);
    }
  });

  it('plants wrong measuring position: children 9–23 months measured standing in the recorded posyandu', () => {
    const [fault] = plan.faults.filter((x) => x.kind === 'wrong_position');
    const young = (m: Row) => {
      const age = (day(m.measured_on) - day(m.birth_date)) / 30.4375;
      return age >= 9 && age < 24 && m.lenhei_cm !== null;
    };
    const inFault = tables.measurement.filter((m) => m.posyandu_id === fault.posyanduId && young(m));
    const rest = tables.measurement.filter((m) => m.posyandu_id !== fault.posyanduId && young(m));
    expect(inFault.filter((m) => m.position === 'H').length / inFault.length).toBeGreaterThan(0.7);
    expect(rest.filter((m) => m.position === 'H').length / rest.length).toBeLessThan(0.06);
  });

  it('records every planted fault with its posyandu, months and affected counts', () => {
    expect(tables.demo_fault.map((f) => f.posyandu_id)).toEqual(plan.faults.map((f) => f.posyanduId));
    expect(new Set(tables.demo_fault.map((f) => f.fault_kind))).toEqual(
      new Set(['digit_preference', 'age_heaping', 'shrinking_height', 'copied_weight', 'duplicate_child', 'wrong_position']),
    );
    for (const f of tables.demo_fault) {
      expect((f.affected_children as number) + (f.affected_measurements as number)).toBeGreaterThan(0);
      expect(f.first_month as string <= (f.last_month as string)).toBe(true);
    }
  });

  it('has ibu hamil (some KEK), ibu nifas, remaja putri, catin, KRS families and the intervention records', () => {
    const byType = byKey(tables.person, (p) => p.type as string);
    const bumil = byType.get('ibu_hamil') ?? [];
    const kek = bumil.filter((p) => p.kek === true);
    expect(kek.length / bumil.length).toBeGreaterThan(0.08);
    expect(kek.length / bumil.length).toBeLessThan(0.3);
    expect(kek.every((p) => (p.lila_cm as number) < 23.5)).toBe(true);
    expect((byType.get('ibu_nifas') ?? []).length).toBeGreaterThan(1000);
    expect((byType.get('remaja_putri') ?? []).length).toBeGreaterThan(5000);
    expect((byType.get('catin') ?? []).length).toBeGreaterThan(1000);
    const krs = tables.family.filter((f) => f.krs === true).length / tables.family.length;
    expect(krs).toBeGreaterThan(0.2);
    expect(krs).toBeLessThan(0.8);
    const codes = new Set(tables.service.map((s) => s.intervention_code));
    // Every catalogue intervention that is a service record (growth monitoring is the measurements).
    const catalogue = readInterventions().interventions.map((i) => i.code).filter((c) => c !== 'PEMANTAUAN_TUMBUH_KEMBANG');
    for (const c of catalogue) expect(codes.has(c), c).toBe(true);
    for (const c of ['TTD_BUMIL', 'PMT_BUMIL_KEK', 'TTD_REMATRI', 'ASI_EKSKLUSIF', 'MPASI', 'PMT_BALITA_GIZI_KURANG', 'IMUNISASI_DASAR_LENGKAP',
      'VITAMIN_A', 'KB_PASCAPERSALINAN', 'PEMERIKSAAN_CATIN', 'PENDAMPINGAN_KRS', 'PAUD', 'PKH', 'PBI_JKN',
      'SANITASI_LAYAK', 'AIR_MINUM_LAYAK', 'TATA_LAKSANA_GIZI_BURUK', 'BANSOS_PANGAN']) {
      expect(codes.has(c)).toBe(true);
    }
    const indicators = new Set(tables.indicator_value.map((v) => v.indicator_id));
    expect(indicators).toEqual(new Set(['SEN-02', 'SEN-04', 'SEN-05', 'SEN-06', 'SEN-08', 'SEN-09', 'SEN-10', 'SEN-11']));
    for (const v of tables.indicator_value) {
      if (v.denominator !== null) expect(v.numerator as number).toBeLessThanOrEqual(v.denominator as number);
    }
    expect(tables.partner.length).toBeGreaterThanOrEqual(4);
    expect(tables.partner_commitment.length).toBeGreaterThanOrEqual(8);
  });
});
