/**
 * Alerts, child by child (issue 6 §6): the by-name list a kader or TPK acts on, each alert with
 * its reason in words and the expected action (Bahasa Indonesia first, English second), its
 * status and who followed it up; and the counts per desa and posyandu the dashboards show.
 *
 * The by-name list holds personal data. It is returned to the caller only; nothing here logs a
 * name, and audit rows carry ids and statuses only.
 */
import { sql } from 'kysely';
import { AppError } from '../common/app-error.js';
import { defineMessages, type Bilingual, type Lang } from '../common/i18n.js';
import { writeAudit, type Actor } from '../db/audit.js';
import { bilingual, num } from './analytics-format.js';
import { ALERT_KINDS, analyticsDb, type AlertKind, type AlertStatus, type AnyDb } from './analytics.tables.js';

const M = defineMessages({
  'analytics.alert.T': { id: 'Berat badan tidak naik (T) pada penimbangan {date}', en: 'Weight did not go up (T) at the weighing of {date}' },
  'analytics.alert.T.action': {
    id: 'Konseling gizi dan pemberian makan oleh kader; timbang ulang bulan depan',
    en: 'Nutrition and feeding counselling by the kader; weigh again next month',
  },
  'analytics.alert.2T': { id: 'Berat badan tidak naik dua kali berturut-turut (2T), terakhir {date}', en: 'Weight did not go up twice in a row (2T), last on {date}' },
  'analytics.alert.2T.action': { id: 'Rujuk ke puskesmas', en: 'Refer to the puskesmas' },
  'analytics.alert.BGM': { id: 'Berat badan di bawah garis merah (BB/U {z}) pada {date}', en: 'Weight below the red line (WAZ {z}) on {date}' },
  'analytics.alert.BGM.action': {
    id: 'Rujuk ke puskesmas; PMT balita dan kunjungan rumah TPK',
    en: 'Refer to the puskesmas; supplementary food and a TPK home visit',
  },
  'analytics.alert.newly_stunted': {
    id: 'Baru menjadi pendek/stunting: TB/U {z} pada {date}, sebelumnya {prev} pada {prevDate}',
    en: 'Newly stunted: HAZ {z} on {date}, previously {prev} on {prevDate}',
  },
  'analytics.alert.newly_stunted.action': {
    id: 'Ukur ulang panjang/tinggi dengan alat standar; bila benar, rujuk ke puskesmas dan kunjungan rumah TPK',
    en: 'Re-measure length/height with a standard board; if confirmed, refer to the puskesmas and a TPK home visit',
  },
  'analytics.alert.haz_falling': {
    id: 'TB/U turun {drop} dalam {days} hari (dari {prev} ke {z})',
    en: 'HAZ fell by {drop} in {days} days (from {prev} to {z})',
  },
  'analytics.alert.haz_falling.action': {
    id: 'Ukur ulang dengan alat standar; bila benar, rujuk ke puskesmas dan kunjungan rumah TPK',
    en: 'Re-measure with a standard board; if confirmed, refer to the puskesmas and a TPK home visit',
  },
  'analytics.alert.wasted': { id: 'Gizi kurang: BB/PB–BB/TB {z} pada {date}', en: 'Wasted: WHZ {z} on {date}' },
  'analytics.alert.wasted.action': {
    id: 'PMT balita gizi kurang dari puskesmas; timbang dan ukur setiap bulan',
    en: 'Supplementary food for moderate wasting from the puskesmas; weigh and measure every month',
  },
  'analytics.alert.severely_wasted': { id: 'Gizi buruk: BB/PB–BB/TB {z}{oedema} pada {date}', en: 'Severely wasted: WHZ {z}{oedema} on {date}' },
  'analytics.alert.severely_wasted.action': {
    id: 'Rujuk segera ke puskesmas untuk tata laksana gizi buruk',
    en: 'Refer to the puskesmas at once for treatment of severe wasting',
  },
  'analytics.alert.not_weighed': {
    id: 'Tidak ditimbang {months} bulan terakhir (penimbangan terakhir: {last})',
    en: 'Not weighed in the last {months} months (last weighing: {last})',
  },
  'analytics.alert.not_weighed.action': {
    id: 'Kunjungan rumah kader/TPK; ajak ke posyandu atau timbang di rumah; perbarui register bila pindah',
    en: 'Home visit by the kader/TPK; bring the child to the posyandu or weigh at home; update the register if the family moved',
  },
  'analytics.alert.kek_no_pmt': {
    id: 'Ibu hamil KEK (LiLA {lila} cm) belum mendapat PMT',
    en: 'Pregnant woman with KEK (MUAC {lila} cm) has not received supplementary food',
  },
  'analytics.alert.kek_no_pmt.action': {
    id: 'Berikan PMT ibu hamil KEK dari puskesmas; kunjungan rumah TPK',
    en: 'Give supplementary food for KEK from the puskesmas; TPK home visit',
  },
  'analytics.alert.oedema': { id: ', edema', en: ', oedema' },
  'analytics.alert.never': { id: 'belum pernah', en: 'never' },
  'analytics.alert.notFound': { id: 'Peringatan {id} tidak ada', en: 'Alert {id} does not exist' },
  'analytics.alert.needsBy': {
    id: 'Tindak lanjut perlu nama petugas yang menindaklanjuti',
    en: 'A follow-up needs the name of the worker who followed up',
  },
});

interface Detail {
  measuredOn?: string;
  weightKg?: number;
  zwei?: number;
  zwfl?: number;
  zlen?: number;
  oedema?: boolean;
  previousZlen?: number;
  previousOn?: string;
  drop?: number;
  days?: number;
  months?: number;
  lastWeighedOn?: string | null;
  lilaCm?: number | null;
}

/** 27/11/2025, as Indonesians write dates. */
function dmy(iso: string | null | undefined): string | null {
  return iso ? `${iso.slice(8, 10)}/${iso.slice(5, 7)}/${iso.slice(0, 4)}` : null;
}

/** The reason of an alert in words, from its kind and stored numbers. */
export function alertReason(kind: AlertKind, detail: Detail): Bilingual {
  const z = (v: number | undefined, lang: Lang) => num(v === undefined ? null : Number(v), 2, lang);
  return bilingual(M[`analytics.alert.${kind}`], (lang) => ({
    date: dmy(detail.measuredOn) ?? '–',
    z: z(detail.zwei ?? detail.zwfl ?? detail.zlen, lang),
    prev: z(detail.previousZlen, lang),
    prevDate: dmy(detail.previousOn) ?? '–',
    drop: z(detail.drop, lang),
    days: detail.days ?? '–',
    months: detail.months ?? '–',
    last: dmy(detail.lastWeighedOn) ?? bilingual(M['analytics.alert.never'], () => ({}))[lang],
    lila: num(detail.lilaCm ?? null, 1, lang),
    oedema: detail.oedema ? bilingual(M['analytics.alert.oedema'], () => ({}))[lang] : '',
  }));
}

/** The expected action of an alert kind (rujuk ke puskesmas, kunjungan rumah TPK, PMT …). */
export function alertAction(kind: AlertKind): Bilingual {
  return bilingual(M[`analytics.alert.${kind}.action`], () => ({}));
}

/** One alert of the by-name list. CONFIDENTIAL: holds names. */
export interface AlertListItem {
  id: number;
  kind: AlertKind;
  month: string;
  status: AlertStatus;
  desaCode: string;
  posyanduId: number | null;
  posyanduName: string | null;
  subject: 'child' | 'ibu_hamil';
  subjectId: number;
  name: string;
  motherName: string | null;
  sex: 1 | 2 | null;
  ageMonths: number | null;
  reason: Bilingual;
  action: Bilingual;
  followedUpBy: string | null;
  followedUpAt: Date | null;
  followUpNote: string | null;
}

export interface AlertFilter {
  kabupatenCode: string;
  desaCode?: string;
  posyanduId?: number;
  month?: string;
  status?: AlertStatus;
  kinds?: readonly AlertKind[];
}

const KIND_ORDER = new Map(ALERT_KINDS.map((k, i) => [k, i]));
const URGENCY: AlertKind[] = ['severely_wasted', '2T', 'BGM', 'kek_no_pmt', 'newly_stunted', 'haz_falling', 'wasted', 'T', 'not_weighed'];
const URGENCY_RANK = new Map(URGENCY.map((k, i) => [k, i]));

/**
 * The by-name alert list (CONFIDENTIAL), most urgent kinds first, then posyandu and name.
 * Age is given in completed months at the alert month's start, not the birth date.
 */
export async function listAlerts(db: AnyDb, f: AlertFilter): Promise<AlertListItem[]> {
  const a = analyticsDb(db);
  let q = a
    .selectFrom('child_alert as a')
    .leftJoin('child as c', 'c.id', 'a.child_id')
    .leftJoin('person as p', 'p.id', 'a.person_id')
    .leftJoin('facility as f', 'f.id', 'a.posyandu_id')
    .select([
      'a.id', 'a.kind', 'a.month', 'a.status', 'a.desa_code', 'a.posyandu_id', 'f.name as posyandu_name', 'a.child_id', 'a.person_id',
      'c.name as child_name', 'c.mother_name', 'c.sex', 'p.name as person_name', 'a.detail', 'a.followed_up_by', 'a.followed_up_at', 'a.follow_up_note',
      sql<number | null>`CASE WHEN c.birth_date IS NOT NULL THEN (extract(year FROM age(a.month, c.birth_date)) * 12 + extract(month FROM age(a.month, c.birth_date)))::int END`.as('age_months'),
    ])
    .where('a.kabupaten_code', '=', f.kabupatenCode);
  if (f.desaCode) q = q.where('a.desa_code', '=', f.desaCode);
  if (f.posyanduId !== undefined) q = q.where('a.posyandu_id', '=', f.posyanduId);
  if (f.month) q = q.where('a.month', '=', `${f.month.slice(0, 7)}-01`);
  if (f.status) q = q.where('a.status', '=', f.status);
  if (f.kinds && f.kinds.length > 0) q = q.where('a.kind', 'in', [...f.kinds]);
  const rows = await q.execute();
  const items: AlertListItem[] = rows.map((r) => ({
    id: r.id,
    kind: r.kind,
    month: r.month,
    status: r.status,
    desaCode: r.desa_code,
    posyanduId: r.posyandu_id,
    posyanduName: r.posyandu_name,
    subject: r.child_id !== null ? 'child' : 'ibu_hamil',
    subjectId: (r.child_id ?? r.person_id) as number,
    name: (r.child_name ?? r.person_name) as string,
    motherName: r.mother_name,
    sex: r.sex,
    ageMonths: r.age_months,
    reason: alertReason(r.kind, r.detail as Detail),
    action: alertAction(r.kind),
    followedUpBy: r.followed_up_by,
    followedUpAt: r.followed_up_at,
    followUpNote: r.follow_up_note,
  }));
  return items.sort((x, y) =>
    (URGENCY_RANK.get(x.kind) as number) - (URGENCY_RANK.get(y.kind) as number) ||
    (x.posyanduName ?? '').localeCompare(y.posyanduName ?? '') ||
    x.name.localeCompare(y.name) || x.id - y.id);
}

/** Alert counts of one unit: per kind, and per status. */
export interface AlertCounts {
  unit: string;
  desaCode: string;
  total: number;
  open: number;
  followedUp: number;
  closed: number;
  byKind: Record<AlertKind, number>;
}

const zeroKinds = (): Record<AlertKind, number> => Object.fromEntries(ALERT_KINDS.map((k) => [k, 0])) as Record<AlertKind, number>;

/**
 * Alerts of one month rolled up per desa or per posyandu (only units with alerts), ordered by
 * unit. Reads the alert table through its (kabupaten, month, status) index.
 */
export async function alertCounts(db: AnyDb, kabupatenCode: string, month: string, per: 'desa' | 'posyandu'): Promise<AlertCounts[]> {
  const unit = sql.raw(per === 'desa' ? 'desa_code' : "coalesce(posyandu_id::text, '-')");
  const r = await sql<{ unit: string; desa_code: string; kind: AlertKind; status: AlertStatus; n: number }>`
    SELECT ${unit} AS unit, min(desa_code) AS desa_code, kind, status, count(*)::int AS n
    FROM child_alert WHERE kabupaten_code = ${kabupatenCode} AND month = ${`${month.slice(0, 7)}-01`}::date
    GROUP BY 1, kind, status`.execute(analyticsDb(db));
  const out = new Map<string, AlertCounts>();
  for (const row of r.rows) {
    let c = out.get(row.unit);
    if (!c) out.set(row.unit, (c = { unit: row.unit, desaCode: row.desa_code, total: 0, open: 0, followedUp: 0, closed: 0, byKind: zeroKinds() }));
    c.total += row.n;
    c.byKind[row.kind] += row.n;
    if (row.status === 'open') c.open += row.n;
    else if (row.status === 'followed_up') c.followedUp += row.n;
    else c.closed += row.n;
  }
  return [...out.values()].sort((a, b) => a.unit.localeCompare(b.unit));
}

/** Sorts kinds in their fixed order (for stable output). */
export function sortKinds(kinds: Iterable<AlertKind>): AlertKind[] {
  return [...kinds].sort((a, b) => (KIND_ORDER.get(a) as number) - (KIND_ORDER.get(b) as number));
}

/**
 * Records a follow-up: status 'followed_up' or 'closed' with who followed up (required) and an
 * optional note; status 'open' reopens it and clears the closing time. Audited with the alert id
 * and the new status only.
 */
export async function followUpAlert(
  db: AnyDb,
  alertId: number,
  change: { status: AlertStatus; by?: string; note?: string | null },
  actor: Actor,
): Promise<void> {
  const a = analyticsDb(db);
  await a.transaction().execute(async (trx) => {
    const current = await trx.selectFrom('child_alert').select(['id', 'kabupaten_code', 'followed_up_by', 'followed_up_at']).where('id', '=', alertId).forUpdate().executeTakeFirst();
    if (!current) throw new AppError('not_found', M['analytics.alert.notFound'], { id: alertId }, { status: 404 });
    const by = change.by?.trim() || current.followed_up_by;
    if (change.status !== 'open' && !by) throw new AppError('follow_up_needs_by', M['analytics.alert.needsBy']);
    const now = new Date();
    await trx.updateTable('child_alert').set({
      status: change.status,
      followed_up_by: change.status === 'open' ? current.followed_up_by : by,
      followed_up_user_id: change.status === 'open' ? undefined : actor.userId,
      followed_up_at: change.status === 'open' ? current.followed_up_at : change.by ? now : (current.followed_up_at ?? now),
      follow_up_note: change.note === undefined ? undefined : change.note,
      closed_at: change.status === 'closed' ? now : null,
    }).where('id', '=', alertId).execute();
    await writeAudit(trx as never, actor, { action: 'follow_up', entity: 'child_alert', entityId: alertId, kabupatenCode: current.kabupaten_code, details: { status: change.status } });
  });
}
