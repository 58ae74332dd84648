/**
 * The synthetic Kobar district, streamed. `generateDemoBatches` walks the plan village by
 * village, posyandu by posyandu, family by family, and yields table batches whenever a buffer
 * fills, so memory stays bounded whatever the number of children. Every random draw comes from a
 * stream named by the seed and the thing drawn (a family, a child, a village), so the same seed
 * gives the same bytes.
 */
import { Rng } from './prng.js';
import { lmsInverse, type DemoGrowthReference } from './demo-growth.js';
import { civilFromDays, daysFromCivil, isoDate, monthLabel, monthOf, monthOfDay } from './demo-dates.js';
import { childName, MAN_NAMES, PARTNER_PROFILES, spellingVariant, WOMAN_NAMES, GIRL_NAMES, SECOND_NAMES } from './demo-names.js';
import {
  hazShape,
  HAZ_CHILD_SD,
  HAZ_DECLINE,
  HAZ_DECLINE_SD,
  LENGTH_ERROR_SD,
  meetingDate,
  planDemo,
  type DemoPlan,
  type DesaPlan,
  type PosyanduPlan,
} from './demo-plan.js';
import {
  DEMO_COLUMNS,
  DEMO_TABLES,
  type DemoBatch,
  type DemoCell,
  type DemoFault,
  type DemoFaultKind,
  type DemoOptions,
  type DemoTable,
} from './demo.types.js';

const DAYS_PER_MONTH = 30.4375;
const round1 = (x: number): number => Math.round(x * 10) / 10;
const round2 = (x: number): number => Math.round(x * 100) / 100;
const clamp = (x: number, lo: number, hi: number): number => (x < lo ? lo : x > hi ? hi : x);

/** Row buffers per table; drained in table order so parents always precede the rows citing them. */
class Sink {
  private buffers = new Map<DemoTable, DemoCell[][]>();
  full = false;
  constructor(private readonly batchSize: number) {
    for (const t of DEMO_TABLES) this.buffers.set(t, []);
  }

  add(table: DemoTable, row: DemoCell[]): void {
    const buf = this.buffers.get(table) as DemoCell[][];
    buf.push(row);
    if (buf.length >= this.batchSize) this.full = true;
  }

  *drain(): Generator<DemoBatch> {
    for (const table of DEMO_TABLES) {
      const rows = this.buffers.get(table) as DemoCell[][];
      if (rows.length === 0) continue;
      this.buffers.set(table, []);
      yield { table, columns: DEMO_COLUMNS[table], rows };
    }
    this.full = false;
  }
}

/** Synthetic 16-digit NIK/KK numbers: kecamatan code, date (day + 40 for women), serial from 9001. */
class NumberIssuer {
  private counters = new Map<string, number>();
  issue(kecamatanCode: string, day: number, female: boolean): string {
    const [y, m, d] = civilFromDays(day);
    const key = `${kecamatanCode.replace(/\./g, '')}${String(d + (female ? 40 : 0)).padStart(2, '0')}${String(m).padStart(2, '0')}${String(y % 100).padStart(2, '0')}`;
    const n = this.counters.get(key) ?? 0;
    this.counters.set(key, n + 1);
    return `${key}${String(((9000 + n) % 9999) + 1).padStart(4, '0')}`;
  }
}

interface FaultCounters {
  children: Set<number>;
  measurements: number;
}

interface Ctx {
  plan: DemoPlan;
  ref: DemoGrowthReference;
  sink: Sink;
  numbers: NumberIssuer;
  ids: { family: number; child: number; person: number; measurement: number; service: number };
  faultCount: Map<number, FaultCounters>;
  faultChildren: DemoCell[][];
  /** Deliveries per desa per semester label (for the unwanted-pregnancy figure). */
  deliveries: Map<string, number>;
  facilityNames: Map<string, string>;
}

const WATER_IMPROVED = ['ledeng/PAM', 'sumur bor', 'sumur terlindung', 'air kemasan/isi ulang', 'mata air terlindung', 'air hujan'];
const WATER_UNIMPROVED = ['sumur tak terlindung', 'mata air tak terlindung', 'sungai/danau', 'air permukaan lainnya'];
const LATRINE_IMPROVED = ['jamban sendiri dengan tangki septik', 'jamban bersama dengan tangki septik'];
const LATRINE_UNIMPROVED = ['jamban tanpa tangki septik', 'jamban cemplung/di atas sungai', 'tidak ada (BABS)'];

function semesterOf(day: number): string {
  const [y, m] = civilFromDays(day);
  return `${y}-S${m <= 6 ? 1 : 2}`;
}

/** Semesters that overlap the window: label, first and last day. */
function semesters(plan: DemoPlan): { label: string; start: number; end: number }[] {
  const out: { label: string; start: number; end: number }[] = [];
  const [y0] = civilFromDays(plan.windowStart);
  const [y1] = civilFromDays(plan.windowEnd);
  for (let y = y0; y <= y1; y++) {
    for (const s of [1, 2]) {
      const start = daysFromCivil(y, s === 1 ? 1 : 7, 1);
      const end = s === 1 ? daysFromCivil(y, 7, 1) - 1 : daysFromCivil(y + 1, 1, 1) - 1;
      if (end >= plan.windowStart && start <= plan.windowEnd) out.push({ label: `${y}-S${s}`, start, end });
    }
  }
  return out;
}

/** Quarters that overlap the window, clipped to it. */
function quarters(plan: DemoPlan): { start: number; end: number }[] {
  const out: { start: number; end: number }[] = [];
  for (let m = plan.firstMonth - ((plan.firstMonth % 12) % 3); m <= plan.lastMonth; m += 3) {
    const [y, mo] = monthOf(m);
    const [y2, mo2] = monthOf(m + 3);
    const start = Math.max(daysFromCivil(y, mo, 1), plan.windowStart);
    const end = Math.min(daysFromCivil(y2, mo2, 1) - 1, plan.windowEnd);
    if (start <= end) out.push({ start, end });
  }
  return out;
}

function faultOf(pos: PosyanduPlan, kind: DemoFaultKind): DemoFault | undefined {
  return pos.faults.find((f) => f.kind === kind);
}

function monthRange(f: DemoFault | undefined): [number, number] {
  if (!f) return [1, 0];
  const parse = (s: string): number => Number(s.slice(0, 4)) * 12 + Number(s.slice(5, 7)) - 1;
  return [parse(f.firstMonth), parse(f.lastMonth)];
}

function countFault(ctx: Ctx, f: DemoFault, childId: number | null, measurements: number): void {
  let c = ctx.faultCount.get(f.faultId);
  if (!c) {
    c = { children: new Set(), measurements: 0 };
    ctx.faultCount.set(f.faultId, c);
  }
  if (childId !== null) c.children.add(childId);
  c.measurements += measurements;
}

function addService(
  ctx: Ctx,
  d: DesaPlan,
  code: string,
  day: number,
  subject: { child?: number; person?: number; family?: number },
  provider: string,
  quantity: number | null = null,
  unit: string | null = null,
): boolean {
  if (day < ctx.plan.windowStart || day > ctx.plan.windowEnd) return false;
  const facility = provider.startsWith('PKM-') || provider.startsWith('PSY-') ? provider : null;
  const name = facility ? (ctx.facilityNames.get(facility) as string) : provider;
  ctx.sink.add('service', [
    ++ctx.ids.service, code, isoDate(day), subject.child ?? null, subject.person ?? null, subject.family ?? null,
    ctx.plan.kabupatenCode, d.code, name, facility, quantity, unit, true,
  ]);
  return true;
}

interface FamilyDraft {
  id: number;
  motherName: string;
  motherNik: string | null;
  motherBirth: number;
  /** HAZ shift of this family's children from water, sanitation and poverty (centred on the village). */
  hazEffect: number;
  krs: boolean;
  /** Children older than the balita window (for gravida). */
  older: number;
}

/** Writes one family row and its family-level services; returns what its members need. */
function writeFamily(
  ctx: Ctx,
  d: DesaPlan,
  pos: PosyanduPlan,
  r: Rng,
  balitaBirths: number[],
  activeFrom: number,
  activeTo: number,
  motherBirth: number,
  pregnantAtEnd: boolean,
): FamilyDraft {
  const id = ++ctx.ids.family;
  const plan = ctx.plan;
  const rt = d.rates;
  const end = plan.windowEnd;
  const motherAgeEnd = (end - motherBirth) / 365.25;
  const motherAgeFirst = ((balitaBirths[0] ?? end) - motherBirth) / 365.25;
  const older = Math.max(0, Math.floor(((motherAgeFirst - 19) / 4) * r.float() * 1.6));
  const total = older + balitaBirths.length;
  const water = r.chance(rt.water);
  const sanitation = r.chance(rt.sanitation);
  const poor = r.chance(rt.poor);
  const pkh = poor && r.chance(0.6);
  const bpnt = poor && r.chance(0.7);
  const jkn = poor ? r.chance(0.88) : r.chance(0.12);
  const tooYoung = motherAgeEnd < 20;
  const tooOld = motherAgeEnd >= 35;
  let tooClose = false;
  for (let i = 1; i < balitaBirths.length; i++) if (balitaBirths[i] - balitaBirths[i - 1] < 730) tooClose = true;
  const tooMany = total > 3;
  const factors: string[] = [];
  if (!water) factors.push('air_minum_tidak_layak');
  if (!sanitation) factors.push('jamban_tidak_layak');
  if (tooYoung) factors.push('terlalu_muda');
  if (tooOld) factors.push('terlalu_tua');
  if (tooClose) factors.push('terlalu_dekat');
  if (tooMany) factors.push('terlalu_banyak');
  const krs = factors.length > 0;
  const motherName = r.pick(WOMAN_NAMES);
  const headName = r.pick(MAN_NAMES);
  const kk = ctx.numbers.issue(d.kecamatanCode, Math.min(end, activeFrom + 400), false);
  const motherNik = r.chance(0.97) ? ctx.numbers.issue(d.kecamatanCode, motherBirth, true) : null;

  const from = Math.max(activeFrom, plan.windowStart);
  const to = Math.min(activeTo, end);
  const tpk = `TPK ${d.name} ${r.int(1, 3)}`;
  let accompanied = false;
  // One recorded TPK visit and one food-aid payment per semester, PKH per quarter (its tahap).
  for (const s of semesters(plan)) {
    if (krs && s.end >= from && s.start <= to && r.chance(rt.tpkVisit)) {
      const lo = Math.max(s.start, from);
      const hi = Math.min(s.end, to);
      accompanied = addService(ctx, d, 'PENDAMPINGAN_KRS', r.int(lo, hi), { family: id }, tpk) || accompanied;
    }
    if (bpnt && r.chance(0.95)) addService(ctx, d, 'BANSOS_PANGAN', r.int(s.start, s.end), { family: id }, 'Dinas Sosial', 1, 'tahap');
  }
  for (const q of quarters(plan)) {
    if (pkh && r.chance(0.95)) addService(ctx, d, 'PKH', r.int(q.start, q.end), { family: id }, 'Dinas Sosial', 1, 'tahap');
  }
  if (to >= from && r.chance(0.6 * rt.understanding)) {
    addService(ctx, d, 'PENYULUHAN_STUNTING', r.int(from, to), { family: id }, krs ? tpk : pos.id);
  }
  if (jkn) addService(ctx, d, 'PBI_JKN', plan.windowStart + r.int(0, 59), { family: id }, 'Dinas Sosial');
  if (water && r.chance(0.05)) addService(ctx, d, 'AIR_MINUM_LAYAK', r.int(plan.windowStart, end), { family: id }, 'Dinas PUPR');
  if (sanitation && r.chance(0.06)) addService(ctx, d, 'SANITASI_LAYAK', r.int(plan.windowStart, end), { family: id }, 'Dinas Perkim');

  const ages = balitaBirths.map((b) => end - b).filter((a) => a >= 0);
  const assessed = Math.min(end, Math.max(from, plan.windowStart) + r.int(0, 90));
  ctx.sink.add('family', [
    id, plan.kabupatenCode, d.kecamatanCode, d.code, pos.id, kk, headName, motherName, motherNik, isoDate(motherBirth),
    total, motherAgeEnd >= 15 && motherAgeEnd < 50, pregnantAtEnd, ages.some((a) => a < 731),
    ages.some((a) => a < 1827), water ? r.pick(WATER_IMPROVED) : r.pick(WATER_UNIMPROVED), water,
    sanitation ? r.pick(LATRINE_IMPROVED) : r.pick(LATRINE_UNIMPROVED), sanitation, tooYoung, tooOld, tooClose,
    tooMany, poor, pkh, bpnt, jkn, krs, factors.join(';'), isoDate(assessed), accompanied, true,
  ]);

  const hazEffect =
    -0.15 * ((water ? 0 : 1) - (1 - rt.water)) - 0.15 * ((sanitation ? 0 : 1) - (1 - rt.sanitation)) - 0.2 * ((poor ? 1 : 0) - rt.poor);
  return { id, motherName, motherNik, motherBirth, hazEffect, krs, older };
}

/** A pregnancy (ibu hamil) ending on `delivery` (may lie after the window), with its services. */
function writePregnancy(ctx: Ctx, d: DesaPlan, pos: PosyanduPlan, r: Rng, fam: FamilyDraft, delivery: number, delivered: boolean, gravida: number): boolean {
  const id = ++ctx.ids.person;
  const hpht = delivery - r.int(266, 287);
  const registered = Math.min(hpht + r.int(49, 126), ctx.plan.windowEnd);
  const muac = round1(r.gauss(26.1 - 0.9 * d.tendency, 2.4));
  const hb = round1(r.gauss(11.7 - 0.4 * d.tendency, 1.2));
  const kek = muac < 23.5;
  ctx.sink.add('person', [
    id, 'ibu_hamil', fam.id, ctx.plan.kabupatenCode, d.kecamatanCode, d.code, pos.id, fam.motherNik, fam.motherName,
    isoDate(fam.motherBirth), isoDate(registered), isoDate(hpht), isoDate(hpht + 280), Math.min(gravida, 20), null, null,
    null, null, muac, kek, hb, hb < 11, true,
  ]);
  const pkm = d.puskesmasId;
  if (delivered) {
    const full = r.chance(d.rates.ironPregnancy);
    addService(ctx, d, 'TTD_BUMIL', delivery, { person: id }, pkm, full ? r.int(90, 120) : r.int(15, 89), 'tablet');
  }
  if (kek && r.chance(d.rates.pmtPregnancy)) {
    addService(ctx, d, 'PMT_BUMIL_KEK', Math.min(registered + r.int(0, 30), delivery), { person: id }, pkm, 120, 'hari');
  }
  return kek;
}

function writeNifas(ctx: Ctx, d: DesaPlan, pos: PosyanduPlan, r: Rng, fam: FamilyDraft, delivery: number): void {
  const id = ++ctx.ids.person;
  ctx.sink.add('person', [
    id, 'ibu_nifas', fam.id, ctx.plan.kabupatenCode, d.kecamatanCode, d.code, pos.id, fam.motherNik, fam.motherName,
    isoDate(fam.motherBirth), isoDate(delivery), null, null, null, isoDate(delivery), null, null, null, null, null, null,
    null, true,
  ]);
  if (r.chance(d.rates.postpartumFp)) addService(ctx, d, 'KB_PASCAPERSALINAN', delivery + r.int(1, 42), { person: id }, d.puskesmasId);
  const sem = `${d.code}|${semesterOf(delivery)}`;
  ctx.deliveries.set(sem, (ctx.deliveries.get(sem) ?? 0) + 1);
}

/** One child: registration, monthly visits with growth drawn from the WHO standards, services, faults. */
function writeChild(ctx: Ctx, d: DesaPlan, pos: PosyanduPlan, fam: FamilyDraft, r: Rng, birth: number, kekMother: boolean): void {
  const { plan, ref, sink } = ctx;
  const sex: 1 | 2 = r.chance(0.512) ? 1 : 2;
  const si = sex - 1;
  const heaping = faultOf(pos, 'age_heaping');
  let recordedBirth = birth;
  const childId = ++ctx.ids.child;
  if (heaping && r.chance(0.75)) {
    const [y, m, day] = civilFromDays(birth);
    recordedBirth = daysFromCivil(y, m, day < 8 ? 1 : day < 23 ? 15 : 1);
    if (day >= 23) recordedBirth = daysFromCivil(m === 12 ? y + 1 : y, m === 12 ? 1 : m + 1, 1);
    if (recordedBirth !== birth) {
      countFault(ctx, heaping, childId, 0);
      ctx.faultChildren.push([heaping.faultId, heaping.kind, pos.id, childId, null, null]);
    }
  }
  const name = childName(r, sex);
  const nik = r.chance(0.93) ? ctx.numbers.issue(d.kecamatanCode, recordedBirth, sex === 2) : null;
  const firstMonthMeeting = meetingDate(pos, monthOfDay(birth));
  const registered = Math.max(
    recordedBirth,
    Math.min(firstMonthMeeting >= birth ? firstMonthMeeting : meetingDate(pos, monthOfDay(birth) + 1), plan.windowEnd),
  );

  const hazBase = d.hazMean + r.gauss(0, HAZ_CHILD_SD) + fam.hazEffect - (kekMother ? 0.3 : 0) + 0.05;
  const decline = r.gauss(HAZ_DECLINE, HAZ_DECLINE_SD);
  const whzBase = d.whzMean + r.gauss(0, 0.8);
  const birthLength = round1(lmsInverse(ref.lengthHeightForAge[si], 0, hazBase + decline * hazShape(0)));
  const birthWeight = round2(lmsInverse(ref.weightForAge[si], 0, 0.6 * (hazBase + decline * hazShape(0)) + 0.3 * r.normal()));
  sink.add('child', [
    childId, fam.id, plan.kabupatenCode, d.kecamatanCode, d.code, pos.id, nik, name, sex, isoDate(recordedBirth),
    birthWeight, birthLength, fam.motherName, isoDate(registered), true,
  ]);

  const propensity = clamp(pos.attendance + r.gauss(0, 0.08), 0.15, 0.98);
  const digit = faultOf(pos, 'digit_preference');
  const [digitFrom, digitTo] = monthRange(digit);
  const shrink = faultOf(pos, 'shrinking_height');
  const [shrinkFrom, shrinkTo] = monthRange(shrink);
  const copied = faultOf(pos, 'copied_weight');
  const [copiedFrom, copiedTo] = monthRange(copied);
  const position = faultOf(pos, 'wrong_position');
  const [positionFrom, positionTo] = monthRange(position);
  const duplicate = faultOf(pos, 'duplicate_child');
  const [dupFrom] = monthRange(duplicate);
  const willDuplicate = duplicate !== undefined && r.chance(0.12);
  let dupId: number | null = null;
  let dupBirth = recordedBirth;

  let hazAr = r.gauss(0, 0.08);
  let whzAr = r.gauss(0, 0.45);
  let lastWeight: number | null = null;
  let lastVisitMonth = -1;
  let visits = 0;

  const measureOnce = (
    id: number, visit: number, ageDays: number, month: number, trueLength: number, whz: number, bpb: boolean, copyAllowed: boolean,
  ): number => {
    const aM = ageDays / DAYS_PER_MONTH;
    const lying = ageDays < 731;
    let standingWrong = lying ? (aM >= 9 ? 0.03 : 0.003) : 0.03;
    const positionFault = position !== undefined && month >= positionFrom && month <= positionTo && lying && aM >= 9;
    if (positionFault) standingWrong = 0.85;
    const wrong = r.chance(standingWrong);
    const measure = lying !== wrong ? 'L' : 'H';
    let lenhei: number | null = null;
    let faulty = false;
    if (bpb || !r.chance(0.06)) {
      let x = trueLength + (wrong ? (lying ? -0.7 : 0.7) : 0) + r.gauss(0, LENGTH_ERROR_SD);
      if (shrink && month >= shrinkFrom && month <= shrinkTo) {
        x -= 2;
        faulty = true;
      }
      if (digit && month >= digitFrom && month <= digitTo && r.chance(0.8)) {
        lenhei = Math.round(x * 2) / 2;
        faulty = true;
      } else lenhei = round1(x);
      if (positionFault && wrong) faulty = true;
    }
    const trueWeight = lying
      ? lmsInverse(ref.weightForLength[si], trueLength, whz)
      : lmsInverse(ref.weightForHeight[si], trueLength, whz);
    let weight = round1(trueWeight + r.gauss(0, 0.05));
    if (copied && copyAllowed && month >= copiedFrom && month <= copiedTo && lastWeight !== null && lastVisitMonth === month - 1 && r.chance(0.75)) {
      weight = lastWeight;
      countFault(ctx, copied, id, 1);
    }
    const muac = aM >= 6 && r.chance(0.35)
      ? round1(lmsInverse(ref.armCircumferenceForAge[si], Math.max(ageDays, 91), 0.75 * whz + 0.66 * r.normal()))
      : null;
    sink.add('measurement', [
      ++ctx.ids.measurement, id, plan.kabupatenCode, d.code, pos.id, isoDate(id === childId ? recordedBirth : dupBirth), sex,
      isoDate(visit), weight, lenhei, measure, false, muac, true,
    ]);
    if (faulty) {
      const f = shrink && month >= shrinkFrom && month <= shrinkTo ? shrink : digit && month >= digitFrom && month <= digitTo ? digit : position;
      if (f) countFault(ctx, f, id, 1);
    }
    return weight;
  };

  for (let month = plan.firstMonth; month <= plan.lastMonth; month++) {
    const visit = meetingDate(pos, month);
    const ageDays = visit - birth;
    const recordedAge = visit - recordedBirth;
    if (ageDays < 0 || recordedAge < 0) continue;
    if (ageDays / DAYS_PER_MONTH >= 60 || recordedAge / DAYS_PER_MONTH >= 60) break;
    if (dupId !== null && (visit - dupBirth) / DAYS_PER_MONTH >= 60) break;
    hazAr = 0.9 * hazAr + r.gauss(0, 0.035);
    whzAr = 0.7 * whzAr + r.gauss(0, 0.32);
    const mo = monthOf(month)[1];
    const bpb = mo === 2 || mo === 8;
    if (!r.chance(propensity + (bpb ? 0.05 : 0))) continue;
    const aM = ageDays / DAYS_PER_MONTH;
    const haz = hazBase + decline * hazShape(aM) + hazAr;
    const trueLength = lmsInverse(ref.lengthHeightForAge[si], ageDays, haz);
    const whz = whzBase + whzAr;

    if (willDuplicate && dupId === null && visits >= 1 && month >= dupFrom && r.chance(0.4) && duplicate) {
      dupId = ++ctx.ids.child;
      dupBirth = Math.min(visit, r.chance(0.7) ? recordedBirth : recordedBirth + r.pick([-2, -1, 1, 2]));
      sink.add('child', [
        dupId, fam.id, plan.kabupatenCode, d.kecamatanCode, d.code, pos.id, null, spellingVariant(r, name), sex,
        isoDate(dupBirth), null, null, fam.motherName, isoDate(visit), true,
      ]);
      ctx.faultChildren.push([duplicate.faultId, duplicate.kind, pos.id, dupId, childId, monthLabel(month)]);
      countFault(ctx, duplicate, dupId, 0);
    }
    let weight: number;
    if (dupId !== null && duplicate) {
      weight = measureOnce(dupId, visit, ageDays, month, trueLength, whz, bpb, true);
      countFault(ctx, duplicate, dupId, 1);
      if (r.chance(0.3)) {
        measureOnce(childId, visit, ageDays, month, trueLength, whz, bpb, false);
        countFault(ctx, duplicate, childId, 1);
      }
    } else weight = measureOnce(childId, visit, ageDays, month, trueLength, whz, bpb, true);
    lastWeight = weight;
    lastVisitMonth = month;
    visits++;
    const current = dupId ?? childId;
    if (bpb && aM >= 6 && r.chance(0.93)) addService(ctx, d, 'VITAMIN_A', visit, { child: current }, pos.id, 1, 'kapsul');
    if (whz < -2 && r.chance(0.85 - 0.2 * d.tendency)) {
      addService(ctx, d, 'PMT_BALITA_GIZI_KURANG', visit + r.int(2, 20), { child: current }, d.puskesmasId, 90, 'hari');
      whzAr += 0.4;
    }
    if (whz < -3 && r.chance(0.85)) addService(ctx, d, 'TATA_LAKSANA_GIZI_BURUK', visit + r.int(1, 10), { child: current }, d.puskesmasId);
  }

  const rt = d.rates;
  if (r.chance(rt.immunisation)) addService(ctx, d, 'IMUNISASI_DASAR_LENGKAP', birth + r.int(270, 365), { child: childId }, d.puskesmasId);
  if (r.chance(rt.exclusiveBreastfeeding)) addService(ctx, d, 'ASI_EKSKLUSIF', birth + 183, { child: childId }, pos.id);
  if (r.chance(rt.complementaryFeeding)) addService(ctx, d, 'MPASI', birth + 183 + r.int(0, 20), { child: childId }, pos.id);
  const [by, bm] = civilFromDays(birth + 1096);
  const paudDay = daysFromCivil(bm <= 7 ? by : by + 1, 7, 15);
  if (paudDay - birth < 1826 && r.chance(rt.paud)) addService(ctx, d, 'PAUD', paudDay, { child: childId }, `PAUD ${d.name}`);
}

/** All families, children, mothers and ongoing pregnancies of one posyandu. */
function* writePosyandu(ctx: Ctx, d: DesaPlan, pos: PosyanduPlan): Generator<DemoBatch> {
  const plan = ctx.plan;
  const span = plan.windowEnd - plan.spanStart + 1;
  let remaining = pos.births;
  let familyIndex = 0;
  while (remaining > 0) {
    const r = new Rng(plan.seed, 'family', pos.id, familyIndex++);
    const want = Math.min(remaining, r.chance(0.72) ? 1 : r.chance(0.86) ? 2 : 3);
    const births = [plan.spanStart + r.int(0, span - 1)];
    while (births.length < want) {
      const gap = Math.round(r.uniform(14, 50) * DAYS_PER_MONTH);
      const later = births[births.length - 1] + gap;
      const earlier = births[0] - gap;
      if (later <= plan.windowEnd) births.push(later);
      else if (earlier >= plan.spanStart) births.unshift(earlier);
      else break;
    }
    remaining -= births.length;
    const motherAge = clamp(r.gauss(27, 5.5), 16, 44);
    const motherBirth = births[0] - Math.round(motherAge * 365.25) - r.int(0, 200);
    const fam = writeFamily(ctx, d, pos, r, births, births[0] - 280, births[births.length - 1] + 1826, motherBirth, false);
    for (let j = 0; j < births.length; j++) {
      const cr = new Rng(plan.seed, 'child', pos.id, familyIndex, j);
      let kek = false;
      if (births[j] >= plan.windowStart) {
        kek = writePregnancy(ctx, d, pos, cr, fam, births[j], true, fam.older + j + 1);
        writeNifas(ctx, d, pos, cr, fam, births[j]);
      }
      writeChild(ctx, d, pos, fam, cr, births[j], kek);
    }
    if (ctx.sink.full) yield* ctx.sink.drain();
  }

  // Pregnancies still running at the end of the window, registered but not delivered: young
  // couples starting a family (the "keluarga sasaran" with a pregnant PUS).
  const perDay = pos.births / span;
  const ongoing = Math.round(perDay * 154);
  for (let k = 0; k < ongoing; k++) {
    const r = new Rng(plan.seed, 'pregnancy', pos.id, k);
    const due = plan.windowEnd + r.int(1, 154);
    const motherBirth = due - Math.round(clamp(r.gauss(25, 5), 16, 42) * 365.25);
    const fam = writeFamily(ctx, d, pos, r, [], due - 280, plan.windowEnd, motherBirth, true);
    writePregnancy(ctx, d, pos, r, fam, due, false, fam.older + 1);
    if (ctx.sink.full) yield* ctx.sink.drain();
  }
}

/** Remaja putri and catin of one desa, and its sector figures per semester. */
function writeDesaGroups(ctx: Ctx, d: DesaPlan): void {
  const plan = ctx.plan;
  const r = new Rng(plan.seed, 'desa-groups', d.code);
  const rt = d.rates;
  const sems = semesters(plan);
  const rematri = Math.round(d.balita * 0.68);
  for (let i = 0; i < rematri; i++) {
    const id = ++ctx.ids.person;
    const birth = plan.windowEnd - r.int(Math.round(12 * 365.25), Math.round(19 * 365.25) - 1);
    const hb = round1(r.gauss(12.5 - 0.5 * d.tendency, 1.3));
    const nik = ctx.numbers.issue(d.kecamatanCode, birth, true);
    const name = `${r.pick(GIRL_NAMES)} ${r.pick(SECOND_NAMES)}`;
    const age = (plan.windowEnd - birth) / 365.25;
    const school = age < 15 ? r.pick(['SMP', 'MTs']) : r.pick(['SMA', 'SMK', 'MA']);
    ctx.sink.add('person', [
      id, 'remaja_putri', null, plan.kabupatenCode, d.kecamatanCode, d.code, null, nik, name, isoDate(birth),
      isoDate(plan.windowStart), null, null, null, null, null, null, `${school} ${d.name}`, null, null, hb, hb < 12, true,
    ]);
    const regular = r.chance(rt.ironAdolescent);
    for (const s of sems) {
      if (regular && r.chance(0.95)) addService(ctx, d, 'TTD_REMATRI', Math.min(s.end, plan.windowEnd) - r.int(0, 20), { person: id }, 'UKS sekolah', r.int(20, 26), 'tablet');
      else if (!regular && r.chance(0.3)) addService(ctx, d, 'TTD_REMATRI', Math.min(s.end, plan.windowEnd) - r.int(0, 20), { person: id }, 'UKS sekolah', r.int(2, 12), 'tablet');
      if (s.label.endsWith('S1') && r.chance(0.7)) addService(ctx, d, 'SKRINING_ANEMIA_REMATRI', Math.max(s.start, plan.windowStart) + r.int(0, 60), { person: id }, d.puskesmasId, hb, 'g/dL');
    }
  }

  const windowDays = plan.windowEnd - plan.windowStart + 1;
  const catin = Math.round((d.balita * 0.2 * plan.months) / 24);
  for (let i = 0; i < catin; i++) {
    const id = ++ctx.ids.person;
    const registered = plan.windowStart + r.int(0, windowDays - 1);
    const wedding = registered + (r.chance(0.75) ? r.int(90, 150) : r.int(14, 89));
    const age = clamp(r.gauss(23, 3.5), 17, 35);
    const birth = registered - Math.round(age * 365.25);
    const muac = round1(r.gauss(25.6 - 0.6 * d.tendency, 2.5));
    const hb = round1(r.gauss(12.4 - 0.4 * d.tendency, 1.3));
    const checked = r.chance(rt.catinCheck);
    const risk = checked ? (muac < 23.5 || hb < 12 || age < 20 ? 'berisiko' : 'ideal') : null;
    ctx.sink.add('person', [
      id, 'catin', null, plan.kabupatenCode, d.kecamatanCode, d.code, null, ctx.numbers.issue(d.kecamatanCode, birth, true),
      r.pick(WOMAN_NAMES), isoDate(birth), isoDate(registered), null, null, null, null, isoDate(wedding), risk, null,
      checked ? muac : null, checked ? muac < 23.5 : null, checked ? hb : null, checked ? hb < 12 : null, true,
    ]);
    if (checked) addService(ctx, d, 'PEMERIKSAAN_CATIN', Math.min(registered + r.int(0, 30), plan.windowEnd), { person: id }, d.puskesmasId);
  }

  const households = Math.max(20, Math.round((d.balita * 11.8) / 3.7));
  let odf = false;
  sems.forEach((s, k) => {
    const add = (indicator: string, num: number, den: number | null, source: string): void => {
      if (den === 0) return;
      const value = den === null ? num : round2((100 * num) / den);
      ctx.sink.add('indicator_value', [
        indicator, plan.kabupatenCode, d.code, 'semester', isoDate(s.start), isoDate(s.end), num, den, value, source, true,
      ]);
    };
    const water = clamp(rt.water + 0.01 * k + r.gauss(0, 0.01), 0, 1);
    const sanitation = clamp(rt.sanitation + 0.012 * k + r.gauss(0, 0.01), 0, 1);
    add('SEN-04', Math.round(households * water), households, 'Dinas PUPR / Dinas Perkim');
    add('SEN-05', Math.round(households * sanitation), households, 'Dinas PUPR / Dinas Perkim');
    odf = odf || (sanitation >= 0.85 && r.chance(0.6));
    add('SEN-11', odf ? 1 : 0, 1, 'Dinas Kesehatan (kesling)');
    add('SEN-06', Math.round(households * 3.7 * clamp(rt.poor * 1.6 + 0.05, 0, 1)), null, 'Dinas Sosial');
    add('SEN-08', Math.round(households * rt.poor * 0.6), null, 'Dinas Sosial');
    add('SEN-10', Math.round(households * rt.poor * 0.7), null, 'Dinas Sosial');
    let understood = 0;
    for (let j = 0; j < 30; j++) if (r.chance(rt.understanding)) understood++;
    add('SEN-09', understood, 30, 'Dinas Kominfo, Statistik dan Persandian');
    const pregnancies = ctx.deliveries.get(`${d.code}|${s.label}`) ?? 0;
    let unwanted = 0;
    for (let j = 0; j < pregnancies; j++) if (r.chance(rt.unwantedPregnancy)) unwanted++;
    add('SEN-02', unwanted, pregnancies, 'DP3APPKB');
  });
}

const COMMITMENTS = [
  { intervention: 'PMT_BALITA_GIZI_KURANG', description: 'PMT lokal untuk balita gizi kurang' },
  { intervention: 'SANITASI_LAYAK', description: 'Pembangunan jamban sehat keluarga berisiko stunting' },
  { intervention: 'AIR_MINUM_LAYAK', description: 'Sambungan air bersih dan penampungan air hujan' },
  { intervention: null, description: 'Alat antropometri standar untuk posyandu' },
  { intervention: null, description: 'Kelas ibu balita dan kampanye gizi' },
  { intervention: 'PMT_BUMIL_KEK', description: 'Makanan tambahan untuk ibu hamil KEK' },
] as const;

function writePartners(ctx: Ctx): void {
  const plan = ctx.plan;
  const r = new Rng(plan.seed, 'partners');
  const count = Math.min(PARTNER_PROFILES.length, 4 + r.int(0, 1));
  const worst = plan.desa.slice().sort((a, b) => b.tendency - a.tendency || (a.code < b.code ? -1 : 1));
  const priority = worst.slice(0, Math.max(1, Math.ceil(worst.length / 3)));
  const windowDays = plan.windowEnd - plan.windowStart + 1;
  let commitmentId = 0;
  for (let i = 0; i < count; i++) {
    const p = PARTNER_PROFILES[i];
    const partnerId = `MITRA-${String(i + 1).padStart(2, '0')}`;
    ctx.sink.add('partner', [partnerId, p.name, p.kind, p.sector, true]);
    const n = r.int(2, 3);
    for (let k = 0; k < n; k++) {
      const c = r.pick(COMMITMENTS);
      const desa = r.pick(priority);
      const region = r.chance(0.8) ? desa.code : desa.kecamatanCode;
      const amount = r.int(5, 60) * 10_000_000;
      const start = plan.windowStart + r.int(0, Math.floor(windowDays / 2));
      const end = start + r.int(180, 365);
      const status = end <= plan.windowEnd ? (r.chance(0.85) ? 'delivered' : 'in_progress') : start <= plan.windowEnd ? 'in_progress' : 'committed';
      ctx.sink.add('partner_commitment', [
        `${partnerId}-${++commitmentId}`, partnerId, plan.kabupatenCode, region, c.intervention,
        `${c.description} (${desa.name})`, amount, isoDate(start), isoDate(end), status, true,
      ]);
    }
  }
}

/**
 * The synthetic district as a stream of table batches (parents before children in every flush).
 * Deterministic for the options; bounded memory (about `batchSize` rows per table).
 * @see docs/DEMO.md
 */
export function* generateDemoBatches(options: DemoOptions): Generator<DemoBatch> {
  const plan = planDemo(options);
  const ctx: Ctx = {
    plan,
    ref: options.reference,
    sink: new Sink(plan.batchSize),
    numbers: new NumberIssuer(),
    ids: { family: 0, child: 0, person: 0, measurement: 0, service: 0 },
    faultCount: new Map(),
    faultChildren: [],
    deliveries: new Map(),
    facilityNames: new Map(),
  };
  for (const p of plan.puskesmas) ctx.facilityNames.set(p.id, p.name);
  for (const d of plan.desa) for (const pos of d.posyandu) ctx.facilityNames.set(pos.id, pos.name);
  const kab = plan.kabupatenCode;
  for (const p of plan.puskesmas) {
    ctx.sink.add('facility', [p.id, 'puskesmas', p.name, kab, p.kecamatanCode, p.desaCode, null, null, true]);
  }
  for (const d of plan.desa) {
    for (const pos of d.posyandu) {
      ctx.sink.add('facility', [pos.id, 'posyandu', pos.name, kab, d.kecamatanCode, d.code, d.puskesmasId, pos.meetingDay, true]);
    }
  }
  writePartners(ctx);
  for (const d of plan.desa) {
    for (const pos of d.posyandu) yield* writePosyandu(ctx, d, pos);
    writeDesaGroups(ctx, d);
    if (ctx.sink.full) yield* ctx.sink.drain();
  }
  for (const f of plan.faults) {
    const c = ctx.faultCount.get(f.faultId);
    ctx.sink.add('demo_fault', [
      f.faultId, f.posyanduId, f.desaCode, f.kind, f.firstMonth, f.lastMonth, c ? c.children.size : 0, c ? c.measurements : 0, f.detail,
    ]);
  }
  for (const row of ctx.faultChildren) ctx.sink.add('demo_fault_child', row);
  yield* ctx.sink.drain();
}

/** {@link generateDemoBatches} as an async iterable, for loaders that await between batches. */
export async function* generateDemo(options: DemoOptions): AsyncGenerator<DemoBatch> {
  for (const batch of generateDemoBatches(options)) yield batch;
}
