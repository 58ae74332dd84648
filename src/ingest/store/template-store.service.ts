import { basename } from 'node:path';
import type pg from 'pg';
import { AppError } from '../../common/app-error.js';
import { tBoth } from '../../common/i18n.js';
import { translateDbError } from '../../db/db-errors.js';
import type { NikHasher } from '../../db/nik.js';
import { posyanduKey, type RowIssue } from '../eppgbm-row.js';
import { IM } from '../messages.js';
import type { RegionMatcher } from '../region-matcher.js';
import { importTemplateFile, type Period, type TemplateFileReport, type TemplateRecord, type TemplateValue } from '../templates/template-import.service.js';
import type { TemplateSpec } from '../templates/template-kinds.js';
import { fileDigest } from './eppgbm-store.service.js';

/** The outcome of storing one filled template. */
export interface TemplateStoreResult {
  report: TemplateFileReport;
  batchId: number | null;
  sameFileBatch: number | null;
  /** Rows that created a person, family or figure (or a service for one already stored). */
  inserted: number;
  /** Rows that changed a stored person, family or figure. */
  updated: number;
  /** Rows already stored exactly so. */
  unchanged: number;
  services: number;
}

const PERSON_TYPE: Record<string, string> = { 'ibu-hamil': 'ibu_hamil', 'ibu-nifas': 'ibu_nifas', 'remaja-putri': 'remaja_putri', catin: 'catin' };
const KRS: Record<string, string> = {
  punyaPus: 'has_pus', adaBumil: 'has_pregnant', adaBaduta: 'has_baduta', adaBalita: 'has_balita', airTidakLayak: 'unsafe_water',
  jambanTidakLayak: 'poor_sanitation', terlaluMuda: 'wife_too_young', terlaluTua: 'wife_too_old', terlaluDekat: 'birth_spacing_too_close',
  terlaluBanyak: 'too_many_children', miskin: 'poor',
};
const NOT_NULL_FLAGS = new Set(['has_pus', 'has_pregnant', 'has_baduta', 'has_balita']);

const iso = (v: TemplateValue | undefined): string | null => (v && typeof v === 'object' && 'iso' in v ? v.iso : null);
const str = (v: TemplateValue | undefined): string | null => (typeof v === 'string' && v !== '' ? v : null);
const num = (v: TemplateValue | undefined): number | null => (typeof v === 'number' ? v : null);
const bool = (v: TemplateValue | undefined): boolean | null => (typeof v === 'boolean' ? v : null);

type Client = pg.PoolClient;

/** Compares a stored row with the values an import would write (numbers and dates as text). */
function differs(stored: Record<string, unknown>, values: Record<string, unknown>): boolean {
  for (const [k, v] of Object.entries(values)) {
    const s = stored[k];
    if (Buffer.isBuffer(s) || Buffer.isBuffer(v)) {
      if (!(Buffer.isBuffer(s) && Buffer.isBuffer(v) && s.equals(v))) return true;
    } else if ((s === null || s === undefined ? null : String(s)) !== (v === null || v === undefined ? null : String(v))) return true;
  }
  return false;
}

/**
 * Writes one row set: inserts a new row (logged as created by the batch) or updates the matched
 * one when its values differ (previous version logged for undo). Returns the row id and what happened.
 */
async function upsert(
  client: Client, batchId: number, table: 'person' | 'family' | 'indicator_value', match: Record<string, unknown> | null,
  values: Record<string, unknown>,
): Promise<{ id: number; outcome: 'inserted' | 'updated' | 'unchanged' }> {
  if (match) {
    if (!differs(match, values)) return { id: match.id as number, outcome: 'unchanged' };
    await client.query(`INSERT INTO import_change (batch_id, entity, op, old) SELECT $1, $2, 'replace', to_jsonb(t) FROM ${table} t WHERE t.id = $3`, [batchId, table, match.id]);
    const cols = Object.keys(values);
    await client.query(`UPDATE ${table} SET ${cols.map((c, i) => `${c} = $${i + 2}`).join(', ')} WHERE id = $1`, [match.id, ...cols.map((c) => values[c])]);
    return { id: match.id as number, outcome: 'updated' };
  }
  const cols = Object.keys(values);
  const r = await client.query<{ id: number }>(
    `INSERT INTO ${table} (${cols.join(', ')}) VALUES (${cols.map((_, i) => `$${i + 1}`).join(', ')}) RETURNING id`,
    cols.map((c) => values[c]),
  );
  const id = r.rows[0].id;
  await client.query("INSERT INTO import_change (batch_id, entity, op, entity_id, last_id) VALUES ($1, $2, 'insert', $3, $3)", [batchId, table, id]);
  return { id, outcome: 'inserted' };
}

/**
 * Imports a filled template (target groups with their services, families with KRS factors, TPK
 * visits, sector figures) as one batch in one transaction, like the e-PPGBM import: the same
 * file again changes nothing; a person is matched by NIK hash, else name + birth date + desa; a
 * family by KK hash, else head + desa + RT/RW; a figure by indicator × desa × period × source;
 * a matched row is updated only when its values differ; services are not repeated.
 * `tumbuh import undo` reverses it.
 */
export async function storeTemplateFile(
  ctx: { pool: pg.Pool; nik: NikHasher },
  spec: TemplateSpec,
  path: string,
  options: { matcher: RegionMatcher; importedBy: string; userId?: number | null; today?: string; displayName?: string },
): Promise<TemplateStoreResult> {
  const file = options.displayName ?? basename(path);
  const kab = options.matcher.kabupatenCode;
  const { sha256, bytes } = await fileDigest(path);
  const same = await ctx.pool.query<{ id: number }>(
    "SELECT id FROM import_batch WHERE file_sha256 = $1 AND kind = $2 AND status = 'done' AND kabupaten_code = $3 ORDER BY id DESC LIMIT 1",
    [sha256, spec.kind, kab],
  );
  if (same.rowCount) {
    const report = await importTemplateFile(spec, path, { matcher: options.matcher, today: options.today, displayName: file });
    return { report, batchId: null, sameFileBatch: same.rows[0].id, inserted: 0, updated: 0, unchanged: report.accepted, services: 0 };
  }
  const client = await ctx.pool.connect();
  try {
    await client.query('BEGIN');
    await client.query("SELECT pg_advisory_xact_lock(7412, hashtext('import|' || $1::text))", [kab]);
    const batchId = (await client.query<{ id: number }>(
      `INSERT INTO import_batch (kabupaten_code, kind, file_name, file_sha256, file_bytes, user_id, imported_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
      [kab, spec.kind, file, sha256, bytes, options.userId ?? null, options.importedBy],
    )).rows[0].id;
    const counts = { inserted: 0, updated: 0, unchanged: 0, services: 0 };
    const extraRejects: RowIssue[] = [];
    const indicators = new Set((await client.query<{ id: string }>('SELECT id FROM indicator')).rows.map((r) => r.id));
    const interventions = new Set((await client.query<{ code: string }>('SELECT code FROM intervention')).rows.map((r) => r.code));
    const facilities = new Map<string, number>();
    const posyanduId = async (desa: string, name: string | null): Promise<number | null> => {
      if (!name) return null;
      const key = `${desa}|${posyanduKey(name)}`;
      let id = facilities.get(key);
      if (id !== undefined) return id;
      const found = (await client.query<{ id: number; name: string }>("SELECT id, name FROM facility WHERE desa_code = $1 AND kind = 'posyandu'", [desa])).rows
        .find((f) => posyanduKey(f.name) === posyanduKey(name));
      if (found) id = found.id;
      else {
        id = (await client.query<{ id: number }>("INSERT INTO facility (kind, name, kabupaten_code, desa_code) VALUES ('posyandu', $1, $2, $3) RETURNING id", [name, kab, desa])).rows[0].id;
        await client.query("INSERT INTO import_change (batch_id, entity, op, entity_id, last_id) VALUES ($1, 'facility', 'insert', $2, $2)", [batchId, id]);
      }
      facilities.set(key, id);
      return id;
    };
    const addService = async (values: Record<string, unknown>, recipient: 'person_id' | 'family_id', id: number): Promise<void> => {
      const exists = await client.query(
        `SELECT 1 FROM service WHERE kabupaten_code = $1 AND ${recipient} = $2 AND intervention_code = $3 AND served_on = $4 AND provider = $5`,
        [kab, id, values.intervention_code, values.served_on, values.provider],
      );
      if (exists.rowCount) return;
      const cols = Object.keys(values);
      await client.query(
        `INSERT INTO service (kabupaten_code, ${recipient}, source, import_batch_id, ${cols.join(', ')})
         VALUES ($1, $2, 'import', $3, ${cols.map((_, i) => `$${i + 4}`).join(', ')})`,
        [kab, id, batchId, ...cols.map((c) => values[c])],
      );
      counts.services++;
    };
    const rejectRow = (rec: TemplateRecord, column: string, value: string, key: string, params: Record<string, unknown>): void => {
      extraRejects.push({ row: rec.row, column, value, reason: tBoth(key, params) });
    };
    const count = (o: 'inserted' | 'updated' | 'unchanged'): void => { counts[o]++; };

    const sink = async (records: readonly TemplateRecord[]): Promise<void> => {
      for (const rec of records) {
        const v = rec.values;
        if (spec.kind in PERSON_TYPE) {
          const type = PERSON_TYPE[spec.kind];
          const code = str(v.layanan);
          if (code && !interventions.has(code)) {
            rejectRow(rec, 'Kode Layanan', code, IM['ingest.store.unknownCode'], { code });
            continue;
          }
          const nik = str(v.nik);
          const nikHash = ctx.nik.hash(nik);
          const name = String(v.nama);
          const values: Record<string, unknown> = {
            kabupaten_code: kab, desa_code: rec.desaCode, type, nik_hash: nikHash, nik_last4: nikHash && nik ? nik.slice(12) : null, name,
            sex: type === 'catin' ? (v.jk === 'L' ? 1 : 2) : 2, birth_date: iso(v.tglLahir), posyandu_id: await posyanduId(rec.desaCode, str(v.posyandu)),
            registered_on: iso(v.tglDaftar),
          };
          if (type === 'ibu_hamil') Object.assign(values, { hpht: iso(v.hpht), expected_delivery: iso(v.hpl), gravida: num(v.gravida), lila_cm: num(v.lila), kek: bool(v.kek), hb_g_dl: num(v.hb) });
          if (type === 'ibu_nifas') Object.assign(values, { delivery_date: iso(v.tglPersalinan) });
          if (type === 'remaja_putri') Object.assign(values, { school: str(v.sekolah), hb_g_dl: num(v.hb), anaemia: bool(v.anemia) });
          if (type === 'catin') Object.assign(values, { marriage_planned_on: iso(v.rencanaNikah), elsimil_result: str(v.elsimil)?.toLowerCase() ?? null, lila_cm: num(v.lila), hb_g_dl: num(v.hb) });
          const match = (nikHash
            ? (await client.query('SELECT * FROM person WHERE kabupaten_code = $1 AND type = $2 AND nik_hash = $3 LIMIT 1', [kab, type, nikHash])).rows[0]
            : undefined) ?? (await client.query(
            `SELECT * FROM person WHERE kabupaten_code = $1 AND type = $2 AND lower(name) = lower($3) AND birth_date IS NOT DISTINCT FROM $4::date AND desa_code = $5
             AND (nik_hash IS NULL OR $6::bytea IS NULL) LIMIT 1`,
            [kab, type, name, iso(v.tglLahir), rec.desaCode, nikHash],
          )).rows[0];
          if (match && !nikHash) delete values.nik_hash;
          if (match && !nikHash) delete values.nik_last4;
          const { id, outcome } = await upsert(client, batchId, 'person', match ?? null, values);
          count(outcome);
          if (code) {
            await addService({
              desa_code: rec.desaCode, intervention_code: code, served_on: iso(v.tglLayanan) ?? iso(v.tglDaftar), provider: str(v.pemberi) ?? options.importedBy,
              quantity: num(v.jumlah),
            }, 'person_id', id);
          }
        } else if (spec.kind === 'keluarga' || spec.kind === 'kunjungan-tpk') {
          const kk = str(v.noKk);
          const kkHash = ctx.nik.hash(kk);
          const head = String(v.kepala);
          const match = (kkHash
            ? (await client.query('SELECT * FROM family WHERE kabupaten_code = $1 AND kk_hash = $2 LIMIT 1', [kab, kkHash])).rows[0]
            : undefined) ?? (await client.query(
            `SELECT * FROM family WHERE kabupaten_code = $1 AND lower(head_name) = lower($2) AND desa_code = $3
             AND (rt IS NOT DISTINCT FROM $4 OR $4 IS NULL) AND (rw IS NOT DISTINCT FROM $5 OR $5 IS NULL) LIMIT 1`,
            [kab, head, rec.desaCode, str(v.rt), str(v.rw)],
          )).rows[0];
          const values: Record<string, unknown> = { kabupaten_code: kab, desa_code: rec.desaCode, head_name: head };
          if (kkHash) values.kk_hash = kkHash;
          if (spec.kind === 'keluarga') {
            Object.assign(values, { rt: str(v.rt), rw: str(v.rw), address: str(v.alamat), assessed_on: iso(v.tglPendataan) });
            for (const [key, column] of Object.entries(KRS)) {
              const b = bool(v[key]);
              values[column] = NOT_NULL_FLAGS.has(column) ? b ?? false : b;
            }
          } else values.tpk_accompanied = true;
          if (match && spec.kind === 'kunjungan-tpk') {
            // A visit only marks the family accompanied; its other details come from the family data.
            for (const k of Object.keys(values)) if (k !== 'tpk_accompanied') delete values[k];
          }
          const { id, outcome } = await upsert(client, batchId, 'family', match ?? null, values);
          count(outcome);
          if (spec.kind === 'kunjungan-tpk') {
            await addService({
              desa_code: rec.desaCode, intervention_code: 'PENDAMPINGAN_KRS', served_on: iso(v.tglKunjungan), provider: String(v.petugas),
              note: `${String(v.sasaran)}; ${String(v.kegiatan)}`,
            }, 'family_id', id);
          }
        } else if (spec.kind === 'sektor') {
          const indicator = String(v.indikator);
          if (!indicators.has(indicator)) {
            rejectRow(rec, 'Kode Indikator', indicator, IM['ingest.store.unknownCode'], { code: indicator });
            continue;
          }
          const p = v.periode as Period;
          const source = String(v.sumber);
          const match = (await client.query(
            'SELECT * FROM indicator_value WHERE indicator_id = $1 AND region_code = $2 AND period_start = $3 AND period_end = $4 AND source = $5',
            [indicator, rec.desaCode, p.start, p.end, source],
          )).rows[0];
          const { outcome } = await upsert(client, batchId, 'indicator_value', match ?? null, {
            indicator_id: indicator, kabupaten_code: kab, region_code: rec.desaCode, period_type: p.type, period_start: p.start, period_end: p.end,
            numerator: num(v.pembilang), denominator: num(v.penyebut), value: num(v.nilai), source, evidence: str(v.bukti), entered_by: options.userId ?? null,
          });
          count(outcome);
        }
      }
    };
    const report = await importTemplateFile(spec, path, { matcher: options.matcher, today: options.today, displayName: file, sink });
    if (extraRejects.length > 0) {
      const rows = new Set(extraRejects.map((r) => r.row));
      report.accepted -= rows.size;
      report.rejected += rows.size;
      report.rejects = [...report.rejects, ...extraRejects].sort((a, b) => a.row - b.row);
    }
    const perRow = new Map<number, number>();
    for (const r of report.rejects) {
      const n = (perRow.get(r.row) ?? 0) + 1;
      perRow.set(r.row, n);
      await client.query(
        'INSERT INTO import_row_error (batch_id, line, field, code, message_id, message_en, raw) VALUES ($1, $2, $3, $4, $5, $6, $7)',
        [batchId, r.row, r.column, `reject.${n}`, r.reason.id, r.reason.en, JSON.stringify({ column: r.column, value: r.value })],
      );
    }
    await client.query(
      `UPDATE import_batch SET status = 'done', finished_at = now(), rows_total = $2, rows_loaded = $3, rows_rejected = $4,
         rows_inserted = $5, rows_updated = $6, rows_unchanged = $7, summary = $8 WHERE id = $1`,
      [batchId, report.read, report.accepted, report.rejected, counts.inserted, counts.updated, counts.unchanged, JSON.stringify({ services: counts.services })],
    );
    await client.query(
      "INSERT INTO audit_log (user_id, action, entity, entity_id, kabupaten_code, details) VALUES ($1, 'import', 'import_batch', $2, $3, $4)",
      [options.userId ?? null, String(batchId), kab, JSON.stringify({ kind: spec.kind, read: report.read, ...counts, rejected: report.rejected })],
    );
    await client.query('COMMIT');
    return { report, batchId, sameFileBatch: null, ...counts };
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err instanceof AppError ? err : translateDbError(err);
  } finally {
    client.release();
  }
}
