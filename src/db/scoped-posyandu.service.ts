/**
 * The posyandu day, scoped: the by-name list of a posyandu's children, saving, correcting and
 * deleting a measurement, the growth preview, registering a child and the child profile. Every
 * function takes the caller's AccessScope and checks it against the rows it touches (desa in
 * scope, a kader only its posyandu, personal data only to roles that may see it); reads of
 * personal data are audited, and writes bump the kabupaten's dashboard generation.
 */
import { sql, type Kysely } from 'kysely';
import { assertPersonalData, assertPosyandu, assertRegion, type AccessScope } from '../auth/access.js';
import { alertAction, alertReason } from '../analytics/alerts.service.js';
import { bumpDashboardGeneration } from '../analytics/dashboard-cache.js';
import { AppError } from '../common/app-error.js';
import { defineMessages, tBoth, type Bilingual } from '../common/i18n.js';
import { bmiForAgeStatus, lengthForAgeStatus, weightForAgeStatus, weightForLengthStatus } from '../growth/permenkes.js';
import type { GrowthResult } from '../growth/types.js';
import { completedMonths, judgeWeightGainSeries, type WeightGainCode } from '../growth/weight-gain.js';
import { ChildRepo, type ChildWrite } from './child.repo.js';
import { dayNumber, type WritePathDeps } from './growth-columns.js';
import { MeasurementRepo, readSeries, type MeasurementPatch, type MeasurementWrite } from './measurement.repo.js';
import type { NikHasher } from './nik.js';
import { actorOf, auditPersonalRead } from './personal-read-audit.js';
import type { Database, Measurement } from './schema.js';

const M = defineMessages({
  'posyandu.notFound': { id: '{entity} {id} tidak ditemukan', en: '{entity} {id} not found' },
  'posyandu.wrongDesa': { id: 'Posyandu {posyandu} tidak berada di desa {desa}', en: 'Posyandu {posyandu} is not in desa {desa}' },
  'posyandu.needsInput': { id: 'Isi anak yang terdaftar, atau jenis kelamin dan tanggal lahir', en: 'Give a registered child, or sex and birth date' },
  'posyandu.warn.flag': {
    id: '{index} {z} di luar batas masuk akal WHO; periksa berat/panjang dan tanggal lahir sebelum menyimpan',
    en: '{index} {z} is outside WHO\'s plausible range; check weight/length and birth date before saving',
  },
  'posyandu.warn.weightJump': {
    id: 'Berat berubah {change} % sejak penimbangan {date}; periksa timbangan dan angka yang ditulis',
    en: 'Weight changed {change} % since the weighing of {date}; check the scale and the number written',
  },
  'posyandu.warn.shorter': {
    id: 'Panjang/tinggi {now} cm lebih kecil dari {before} cm pada {date}; ukur ulang',
    en: 'Length/height {now} cm is less than {before} cm on {date}; measure again',
  },
  'posyandu.warn.position': {
    id: 'Posisi pengukuran tidak diisi: anak di bawah 2 tahun diukur telentang (L), di atasnya berdiri (H)',
    en: 'Measuring position missing: children under 2 are measured lying (L), older ones standing (H)',
  },
  'posyandu.wg.none': { id: 'tidak ada berat badan, N/T tidak dinilai', en: 'no weight, N/T not judged' },
});

export interface GrowthWarning {
  code: string;
  field: string;
  message: Bilingual;
}

export interface WeightGainView {
  code: WeightGainCode | null;
  twoT: boolean;
  reason: Bilingual;
  previous: { measuredOn: string; weightKg: number | null } | null;
}

interface ChildRow {
  id: number;
  kabupaten_code: string;
  desa_code: string;
  posyandu_id: number | null;
  birth_date: string;
  sex: 1 | 2;
}

const INDEX_NAMES: Record<string, string> = { wei: 'BB/U (WAZ)', len: 'PB/U–TB/U (HAZ)', wfl: 'BB/PB–BB/TB (WHZ)', bmi: 'IMT/U (BAZ)' };

/** The child, after checking that the caller may see it (desa in scope; a kader: its posyandu). */
async function childInScope(db: Kysely<Database>, scope: AccessScope, childId: number): Promise<ChildRow> {
  const c = await db.selectFrom('child').select(['id', 'kabupaten_code', 'desa_code', 'posyandu_id', 'birth_date', 'sex'])
    .where('id', '=', childId).executeTakeFirst();
  if (!c) throw new AppError('not_found', M['posyandu.notFound'], { entity: 'child', id: childId }, { status: 404 });
  assertRegion(scope, c.desa_code);
  assertPosyandu(scope, c.posyandu_id);
  return c;
}

/** The measurement and its child, after the same check (a kader: the measurement's or the child's posyandu). */
async function measurementInScope(db: Kysely<Database>, scope: AccessScope, id: number): Promise<Measurement> {
  const m = await db.selectFrom('measurement').selectAll().where('id', '=', id).executeTakeFirst();
  if (!m) throw new AppError('not_found', M['posyandu.notFound'], { entity: 'measurement', id }, { status: 404 });
  assertRegion(scope, m.desa_code);
  if (scope.role === 'kader' && m.posyandu_id !== scope.posyanduId) {
    const c = await childInScope(db, scope, m.child_id);
    assertPosyandu(scope, c.posyandu_id);
  }
  return m;
}

/** Warnings a form shows before saving: implausible z-scores, engine issues, jumps since the last visit. */
export function growthWarnings(
  result: Pick<GrowthResult, 'issues' | 'zwei' | 'fwei' | 'zlen' | 'flen' | 'zwfl' | 'fwfl' | 'zbmi' | 'fbmi' | 'ageDays'>,
  input: { weightKg?: number | null; lenheiCm?: number | null; position?: 'L' | 'H' | null; measuredOn: string },
  previous: { measured_on: string; weight_kg: number | null; lenhei_cm: number | null } | null,
): GrowthWarning[] {
  const out: GrowthWarning[] = result.issues.map((i) => ({ code: i.code, field: i.field, message: { id: i.id, en: i.en } }));
  for (const k of ['wei', 'len', 'wfl', 'bmi'] as const) {
    const z = result[`z${k}`];
    if (result[`f${k}`] === 1 && z !== null) {
      out.push({ code: 'implausible_z', field: `z${k}`, message: tBoth(M['posyandu.warn.flag'], { index: INDEX_NAMES[k], z: z.toFixed(2) }) });
    }
  }
  if (input.lenheiCm != null && !input.position) out.push({ code: 'position_missing', field: 'position', message: tBoth(M['posyandu.warn.position']) });
  if (previous && previous.measured_on < input.measuredOn) {
    const days = dayNumber(input.measuredOn) - dayNumber(previous.measured_on);
    const date = `${previous.measured_on.slice(8, 10)}/${previous.measured_on.slice(5, 7)}/${previous.measured_on.slice(0, 4)}`;
    if (input.weightKg != null && previous.weight_kg !== null && days <= 92) {
      const change = (100 * (input.weightKg - previous.weight_kg)) / previous.weight_kg;
      if (Math.abs(change) >= 20) out.push({ code: 'weight_jump', field: 'weightKg', message: tBoth(M['posyandu.warn.weightJump'], { change: change.toFixed(0), date }) });
    }
    if (input.lenheiCm != null && previous.lenhei_cm !== null && input.lenheiCm < previous.lenhei_cm - 1.5) {
      out.push({ code: 'length_decreased', field: 'lenheiCm', message: tBoth(M['posyandu.warn.shorter'], { now: input.lenheiCm, before: previous.lenhei_cm, date }) });
    }
  }
  return out;
}

/** The N/T/O/B judgement (with 2T) of a weighing on `measuredOn` against the child's other weighings. */
function weightGainOf(
  series: readonly { id: number | null; measured_on: string; weight_kg: number | null }[],
  birthDate: string,
  current: { id: number | null; measuredOn: string; weightKg: number | null | undefined },
  deps: WritePathDeps,
): WeightGainView {
  const others = series.filter((s) => s.id === null || s.id !== current.id).filter((s) => s.weight_kg !== null && s.measured_on !== current.measuredOn);
  const previous = [...others].filter((s) => s.measured_on < current.measuredOn).sort((a, b) => b.measured_on.localeCompare(a.measured_on))[0] ?? null;
  if (current.weightKg == null) {
    return { code: null, twoT: false, reason: tBoth(M['posyandu.wg.none']), previous: previous ? { measuredOn: previous.measured_on, weightKg: previous.weight_kg } : null };
  }
  const visits = [...others.filter((s) => s.measured_on < current.measuredOn), { id: current.id, measured_on: current.measuredOn, weight_kg: current.weightKg }]
    .map((s) => ({ date: s.measured_on, weightKg: s.weight_kg as number, ageMonths: completedMonths(birthDate, s.measured_on) }));
  const judged = judgeWeightGainSeries(visits, deps.kbm);
  const j = judged[judged.length - 1];
  return { code: j.code, twoT: j.twoT, reason: j.reason, previous: previous ? { measuredOn: previous.measured_on, weightKg: previous.weight_kg } : null };
}


/** A stored measurement as the API returns it. */
export function measurementView(m: Measurement) {
  const status = (code: string | null, table: 'wfa' | 'lfa' | 'wfl' | 'bfa') => (code === null ? null : statusLabel(code, table));
  return {
    id: m.id, childId: m.child_id, measuredOn: m.measured_on, desaCode: m.desa_code, posyanduId: m.posyandu_id,
    weightKg: m.weight_kg, lenheiCm: m.lenhei_cm, position: m.position, oedema: m.oedema, muacCm: m.muac_cm, headCm: m.head_cm,
    ageDays: m.age_days, ageMonths: m.age_days === null ? null : Math.round((m.age_days / 30.4375) * 100) / 100,
    zwei: m.zwei, fwei: m.fwei, zlen: m.zlen, flen: m.flen, zwfl: m.zwfl, fwfl: m.fwfl, zbmi: m.zbmi, fbmi: m.fbmi, zac: m.zac, fac: m.fac, zhc: m.zhc, fhc: m.fhc,
    status: {
      weightForAge: status(m.status_wfa, 'wfa'), lengthForAge: status(m.status_lfa, 'lfa'),
      weightForLength: status(m.status_wfl, 'wfl'), bmiForAge: status(m.status_bfa, 'bfa'),
    },
    weightGain: m.weight_gain, twoT: m.two_t, source: m.source,
  };
}

const STATUS_PROBES: Record<'wfa' | 'lfa' | 'wfl' | 'bfa', (z: number) => { code: string; id: string; en: string } | null> = {
  wfa: (z) => weightForAgeStatus(z), lfa: (z) => lengthForAgeStatus(z), wfl: (z) => weightForLengthStatus(z), bfa: (z) => bmiForAgeStatus(z),
};
const labelCache = new Map<string, { code: string; id: string; en: string }>();

/** The Permenkes label of a stored status code (found by probing the classifier over the z range once). */
function statusLabel(code: string, table: 'wfa' | 'lfa' | 'wfl' | 'bfa'): { code: string; id: string; en: string } {
  const key = `${table}|${code}`;
  let hit = labelCache.get(key);
  if (!hit) {
    for (let z = -6; z <= 6; z += 0.25) {
      const s = STATUS_PROBES[table](z);
      if (s) labelCache.set(`${table}|${s.code}`, { code: s.code, id: s.id, en: s.en });
    }
    hit = labelCache.get(key) ?? { code, id: code, en: code };
  }
  return hit;
}

/** The by-name list of a posyandu's children under five on `date`, each with its last measurement up to that day. Audited. */
export async function posyanduChildren(db: Kysely<Database>, scope: AccessScope, posyanduId: number, date: string) {
  assertPersonalData(scope);
  const p = await db.selectFrom('facility').select(['id', 'name', 'desa_code', 'kabupaten_code']).where('id', '=', posyanduId).where('kind', '=', 'posyandu').executeTakeFirst();
  if (!p) throw new AppError('not_found', M['posyandu.notFound'], { entity: 'posyandu', id: posyanduId }, { status: 404 });
  assertRegion(scope, p.desa_code);
  assertPosyandu(scope, p.id);
  const children = await sql<{ id: number; name: string; sex: 1 | 2; birth_date: string; mother_name: string | null; nik_last4: string | null }>`
    SELECT id, name, sex, birth_date, mother_name, nik_last4 FROM child
    WHERE kabupaten_code = ${p.kabupaten_code} AND posyandu_id = ${posyanduId} AND merged_into IS NULL
      AND birth_date <= ${date}::date AND birth_date > (${date}::date - interval '60 months')
      AND (exited_on IS NULL OR exited_on >= ${date}::date)
    ORDER BY name, id`.execute(db);
  const ids = children.rows.map((c) => c.id);
  const last = ids.length === 0 ? [] : await db.selectFrom('measurement').selectAll()
    .distinctOn('child_id').where('kabupaten_code', '=', p.kabupaten_code).where('child_id', 'in', ids).where('measured_on', '<=', date)
    .orderBy('child_id').orderBy('measured_on', 'desc').orderBy('id', 'desc').execute();
  const byChild = new Map(last.map((m) => [m.child_id, m]));
  await auditPersonalRead(db, scope, { entity: 'child', ids, purpose: 'posyandu_day', kabupatenCode: p.kabupaten_code });
  return {
    posyandu: { id: p.id, name: p.name, desaCode: p.desa_code },
    date,
    children: children.rows.map((c) => {
      const m = byChild.get(c.id) ?? null;
      return {
        id: c.id, name: c.name, sex: c.sex, birthDate: c.birth_date, ageMonths: completedMonths(c.birth_date, date),
        motherName: c.mother_name, nikLast4: c.nik_last4, last: m ? measurementView(m) : null, measuredOnDate: m?.measured_on === date,
      };
    }),
  };
}

export type MeasurementInput = Omit<MeasurementWrite, 'source' | 'importBatchId' | 'desaCode' | 'posyanduId'>;

const sameInputs = (m: Measurement, i: MeasurementInput) =>
  m.weight_kg === (i.weightKg ?? null) && m.lenhei_cm === (i.lenheiCm ?? null) && m.position === (i.position ?? null) &&
  m.oedema === (i.oedema ?? false) && m.muac_cm === (i.muacCm ?? null) && m.head_cm === (i.headCm ?? null);

/**
 * Saves one measurement of a child in scope (z-scores, statuses, N/T, rollups and audit in one
 * transaction, by MeasurementRepo) and returns it with the N/T reason and the warnings. An
 * identical measurement of the same child and day already stored (an offline entry synced twice)
 * is returned as it is, flagged `replayed`.
 */
export async function saveMeasurement(db: Kysely<Database>, deps: WritePathDeps, scope: AccessScope, input: MeasurementInput) {
  const child = await childInScope(db, scope, input.childId);
  // The child's series is read once, under its lock, by the repo: the replay check happens there,
  // so two identical submissions arriving together store one row.
  const saved = await new MeasurementRepo(db, deps).insertWithSeries({ ...input, source: 'form' }, actorOf(scope),
    (series) => series.find((m) => m.measured_on === input.measuredOn && sameInputs(m, input)));
  const stored = saved.row;
  const replay = saved.replayed ? stored : undefined;
  if (!replay) bumpDashboardGeneration(child.kabupaten_code);
  const before = saved.before.filter((m) => m.id !== stored.id);
  const previous = [...before].filter((m) => m.measured_on < stored.measured_on).pop() ?? null;
  const result = { issues: [], zwei: stored.zwei, fwei: stored.fwei, zlen: stored.zlen, flen: stored.flen, zwfl: stored.zwfl, fwfl: stored.fwfl, zbmi: stored.zbmi, fbmi: stored.fbmi, ageDays: stored.age_days };
  return {
    measurement: measurementView(stored),
    weightGain: weightGainOf(before, child.birth_date, { id: stored.id, measuredOn: stored.measured_on, weightKg: stored.weight_kg }, deps),
    warnings: growthWarnings(result, input, previous),
    replayed: replay !== undefined,
  };
}

/** Corrects a measurement in scope; computed columns, later N/T codes and rollups follow. */
export async function correctMeasurement(db: Kysely<Database>, deps: WritePathDeps, scope: AccessScope, id: number, patch: MeasurementPatch) {
  const old = await measurementInScope(db, scope, id);
  const { desaCode: _d, posyanduId: _p, ...inputs } = patch;
  const stored = await new MeasurementRepo(db, deps).update(id, inputs, actorOf(scope));
  bumpDashboardGeneration(old.kabupaten_code);
  const child = await childInScope(db, scope, stored.child_id);
  const series = await readSeries(db, stored.child_id, child.birth_date);
  const previous = series.filter((m) => m.id !== id && m.measured_on < stored.measured_on).pop() ?? null;
  const result = { issues: [], zwei: stored.zwei, fwei: stored.fwei, zlen: stored.zlen, flen: stored.flen, zwfl: stored.zwfl, fwfl: stored.fwfl, zbmi: stored.zbmi, fbmi: stored.fbmi, ageDays: stored.age_days };
  return {
    measurement: measurementView(stored),
    weightGain: weightGainOf(series, child.birth_date, { id, measuredOn: stored.measured_on, weightKg: stored.weight_kg }, deps),
    warnings: growthWarnings(result, { weightKg: stored.weight_kg, lenheiCm: stored.lenhei_cm, position: stored.position, measuredOn: stored.measured_on }, previous),
    replayed: false,
  };
}

/** Deletes a measurement in scope (rollups and N/T codes follow; audited). */
export async function deleteMeasurement(db: Kysely<Database>, deps: WritePathDeps, scope: AccessScope, id: number): Promise<void> {
  const old = await measurementInScope(db, scope, id);
  await new MeasurementRepo(db, deps).delete(id, actorOf(scope));
  bumpDashboardGeneration(old.kabupaten_code);
}

/**
 * What a measurement would give, without saving: z-scores, Permenkes statuses, N/T with its
 * reason and warnings. For a registered child (read in scope) or for sex + birth date.
 */
export async function previewGrowth(
  db: Kysely<Database>,
  deps: WritePathDeps,
  scope: AccessScope,
  input: Omit<MeasurementInput, 'childId'> & { childId?: number; sex?: 1 | 2; birthDate?: string },
) {
  let sex = input.sex;
  let birthDate = input.birthDate;
  let series: { id: number | null; measured_on: string; weight_kg: number | null; lenhei_cm: number | null }[] = [];
  if (input.childId !== undefined) {
    const child = await childInScope(db, scope, input.childId);
    sex = child.sex;
    birthDate = child.birth_date;
    series = await readSeries(db, child.id, child.birth_date);
  }
  if (sex === undefined || birthDate === undefined) throw new AppError('bad_request', M['posyandu.needsInput']);
  const r = deps.engine.computeOne({
    sex, birthDate, measureDate: input.measuredOn, weight: input.weightKg ?? null, lenhei: input.lenheiCm ?? null,
    measure: input.position ?? null, oedema: input.oedema ?? false, armc: input.muacCm ?? null, headc: input.headCm ?? null,
  });
  const previous = series.filter((m) => m.measured_on < input.measuredOn).pop() ?? null;
  return {
    ageDays: r.ageDays, ageMonths: r.ageMonths,
    zwei: r.zwei, fwei: r.fwei, zlen: r.zlen, flen: r.flen, zwfl: r.zwfl, fwfl: r.fwfl, zbmi: r.zbmi, fbmi: r.fbmi, zac: r.zac, fac: r.fac, zhc: r.zhc, fhc: r.fhc,
    status: r.status,
    weightGain: weightGainOf(series, birthDate, { id: null, measuredOn: input.measuredOn, weightKg: input.weightKg }, deps),
    warnings: growthWarnings(r, input, previous),
  };
}

/** Registers a child in a desa in scope (a kader: at its own posyandu); returns its summary. */
export async function registerChild(db: Kysely<Database>, deps: WritePathDeps, nik: NikHasher, scope: AccessScope, input: Omit<ChildWrite, 'isSynthetic' | 'registeredOn' | 'exitedOn' | 'exitReason' | 'externalId'>) {
  assertPersonalData(scope);
  assertRegion(scope, input.desaCode);
  const posyanduId = input.posyanduId ?? (scope.role === 'kader' ? scope.posyanduId : null);
  assertPosyandu(scope, posyanduId);
  if (posyanduId !== null) {
    const p = await db.selectFrom('facility').select(['desa_code']).where('id', '=', posyanduId).where('kind', '=', 'posyandu').executeTakeFirst();
    if (!p) throw new AppError('not_found', M['posyandu.notFound'], { entity: 'posyandu', id: posyanduId }, { status: 404 });
    if (p.desa_code !== input.desaCode) throw new AppError('bad_request', M['posyandu.wrongDesa'], { posyandu: posyanduId, desa: input.desaCode });
  }
  if (input.familyId != null) {
    const f = await db.selectFrom('family').select('desa_code').where('id', '=', input.familyId).executeTakeFirst();
    if (!f) throw new AppError('not_found', M['posyandu.notFound'], { entity: 'family', id: input.familyId }, { status: 404 });
    assertRegion(scope, f.desa_code);
  }
  const row = await new ChildRepo(db, deps, nik).create({ ...input, posyanduId }, actorOf(scope));
  bumpDashboardGeneration(row.kabupaten_code);
  return childSummary(db, row.id);
}

async function childSummary(db: Kysely<Database>, id: number) {
  const c = await db.selectFrom('child as c').innerJoin('region as r', 'r.code', 'c.desa_code').leftJoin('facility as f', 'f.id', 'c.posyandu_id')
    .select(['c.id', 'c.name', 'c.sex', 'c.birth_date', 'c.desa_code', 'r.name as desa_name', 'c.posyandu_id', 'f.name as posyandu_name', 'c.mother_name', 'c.nik_last4', 'c.registered_on', 'c.exited_on', 'c.kabupaten_code'])
    .where('c.id', '=', id).executeTakeFirstOrThrow();
  return {
    id: c.id, name: c.name, sex: c.sex, birthDate: c.birth_date, desaCode: c.desa_code, desaName: c.desa_name, posyanduId: c.posyandu_id,
    posyanduName: c.posyandu_name, motherName: c.mother_name, nikLast4: c.nik_last4, registeredOn: c.registered_on, exitedOn: c.exited_on,
    kabupatenCode: c.kabupaten_code,
  };
}

const RISK_FACTORS = ['unsafe_water', 'poor_sanitation', 'wife_too_young', 'wife_too_old', 'birth_spacing_too_close', 'too_many_children', 'poor'] as const;

/** A child's profile in scope: history with z-scores, alerts, services and family risk factors. Audited. */
export async function childProfile(db: Kysely<Database>, scope: AccessScope, childId: number, purpose = 'child_profile') {
  assertPersonalData(scope);
  await childInScope(db, scope, childId);
  const child = await childSummary(db, childId);
  const [measurements, alerts, services, family] = await Promise.all([
    db.selectFrom('measurement').selectAll().where('kabupaten_code', '=', child.kabupatenCode).where('child_id', '=', childId).orderBy('measured_on').orderBy('id').execute(),
    sql<{ id: number; kind: string; month: string; status: string; detail: unknown }>`
      SELECT id, kind, to_char(month, 'YYYY-MM') AS month, status, detail FROM child_alert WHERE child_id = ${childId} ORDER BY month DESC, id DESC LIMIT 50`.execute(db),
    sql<{ code: string; name_id: string; name_en: string; served_on: string; provider: string; quantity: number | null; unit: string | null }>`
      SELECT s.intervention_code AS code, i.name_id, i.name_en, s.served_on, s.provider, s.quantity, s.unit
      FROM service s JOIN intervention i ON i.code = s.intervention_code
      WHERE s.kabupaten_code = ${child.kabupatenCode} AND s.child_id = ${childId} ORDER BY s.served_on DESC LIMIT 200`.execute(db),
    sql<Record<string, unknown> & { id: number; at_risk: boolean; assessed_on: string | null; tpk_accompanied: boolean }>`
      SELECT f.* FROM family f JOIN child c ON c.family_id = f.id WHERE c.id = ${childId}`.execute(db),
  ]);
  await auditPersonalRead(db, scope, { entity: 'child', ids: [childId], purpose, kabupatenCode: child.kabupatenCode });
  const f = family.rows[0];
  const { kabupatenCode: _k, ...summary } = child;
  return {
    child: summary,
    measurements: measurements.map(measurementView),
    alerts: alerts.rows.map((a) => ({
      id: a.id, kind: a.kind, month: a.month, status: a.status,
      reason: alertReason(a.kind as never, (typeof a.detail === 'string' ? JSON.parse(a.detail) : a.detail) as never), action: alertAction(a.kind as never),
    })),
    services: services.rows.map((s) => ({ code: s.code, name: { id: s.name_id, en: s.name_en }, servedOn: s.served_on, provider: s.provider, quantity: s.quantity === null ? null : Number(s.quantity), unit: s.unit })),
    family: f ? { id: f.id, atRisk: f.at_risk, riskFactors: RISK_FACTORS.filter((k) => f[k] === true), assessedOn: f.assessed_on, tpkAccompanied: f.tpk_accompanied } : null,
  };
}
