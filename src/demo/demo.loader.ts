/**
 * Loads the synthetic district into PostgreSQL in one transaction, replacing an earlier demo:
 * every table through COPY, measurements with their z-scores, flags, Permenkes statuses and
 * N/T/O/B codes computed on the way (the write path's GrowthBatch and WeightGainTracker), the
 * rollups recomputed at the end, the fault list kept in app_setting `demo`.
 *
 * Measurements go through the pieces of src/db's bulk path (GrowthBatch + CopyTextWriter for the
 * computed columns, WeightGainTracker for N/T/O/B) rather than loadMeasurements itself: the
 * generator interleaves measurement batches with the other tables of one transaction, and the
 * demo recomputes every registration key (S) anyway, which covers the measured keys too.
 */
import { Kysely, PostgresDialect, sql, type PostgresPool } from 'kysely';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { AppError } from '../common/app-error.js';
import { defineMessages } from '../common/i18n.js';
import { writeAudit } from '../db/audit.js';
import { CopyTextWriter } from '../db/copy-text.js';
import { defaultWritePathDeps, GROWTH_COLUMN_NAMES, GrowthBatch, type WritePathDeps } from '../db/growth-columns.js';
import { nikLast4, type NikHasher } from '../db/nik.js';
import { ensurePartitionsInTransaction } from '../db/partitions.js';
import { monthOf, recomputeRollups, registrationMonths, RollupKeys } from '../db/rollup.js';
import type { Database } from '../db/schema.js';
import { WeightGainTracker } from '../db/weight-gain-tracker.js';
import { generateDemo } from './demo.generator.js';
import { DEMO_EXTRA_INTERVENTIONS } from './demo-interventions.js';
import { planDemo, type DemoPlan } from './demo-plan.js';
import { DEMO_COLUMNS, DEMO_TABLES, type DemoBatch, type DemoCell, type DemoOptions, type DemoTable } from './demo.types.js';

const M = defineMessages({
  'demo.regionsMissing': {
    id: 'Data wilayah {kabupaten} belum dimuat ke basis data ({missing} desa/kelurahan tidak ada). Jalankan migrasi dan muat data referensi dahulu.',
    en: 'Regions of {kabupaten} are not loaded in the database ({missing} desa/kelurahan missing). Migrate and load the reference data first.',
  },
  'demo.indicatorsMissing': {
    id: 'Katalog indikator belum dimuat ke basis data (tidak ada: {ids}).',
    en: 'The indicator catalogue is not loaded in the database (missing: {ids}).',
  },
});

/** The part of an open database ({@link DatabaseHandle} of src/db/connection.ts) the loader uses. */
export interface DemoLoadTarget {
  /** Raw pool: the load runs on one client, for COPY and one transaction. */
  pool: pg.Pool;
  /** The installation's NIK hasher: the demo's synthetic NIK are stored like real ones (hash + last 4). */
  nik: NikHasher;
}

/** What {@link loadDemo} needs besides the generator's options. */
export interface DemoLoadOptions extends DemoOptions {
  /** Growth engine and KBM table (default: read from data/). */
  deps?: WritePathDeps;
  /** Called after each loaded batch (progress display). */
  onBatch?: (table: DemoTable, rows: number) => void;
}

/** One planted fault as stored: with the database id of its posyandu. */
export interface LoadedDemoFault {
  faultId: number;
  kind: string;
  posyanduCode: string;
  posyanduId: number;
  desaCode: string;
  firstMonth: string;
  lastMonth: string;
  affectedChildren: number;
  affectedMeasurements: number;
  detail: string;
}

export interface DemoLoadResult {
  rows: Record<DemoTable, number>;
  /** Rows of an earlier demo deleted first, per table. */
  replaced: Record<string, number>;
  faults: LoadedDemoFault[];
  seconds: number;
  /** Seconds per phase: deleting the earlier demo, generating + COPY, rollups, settings + ANALYZE, commit. */
  phases: { replace: number; load: number; rollups: number; analyze: number; commit: number };
}

/** The value stored in app_setting under this key describes the loaded demo (synthetic, seed, faults). */
export const DEMO_SETTING_KEY = 'demo';

/** A Kysely instance running every query on one client (so it shares the client's transaction). */
function kyselyOn(client: pg.ClientBase): Kysely<Database> {
  const pool = {
    connect: async () => ({ query: client.query.bind(client), release: () => undefined }),
    end: async () => undefined,
  } as unknown as PostgresPool;
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
}

type Cell = DemoCell | Buffer;

const NEEDS_QUOTES = /[",\n\r]/;

function copyText(rows: readonly Cell[][]): string {
  let out = '';
  for (const row of rows) {
    for (let i = 0; i < row.length; i++) {
      if (i > 0) out += ',';
      const v = row[i];
      if (v === null) continue;
      if (typeof v === 'string') out += v === '' ? '""' : NEEDS_QUOTES.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
      else if (typeof v === 'boolean') out += v ? 't' : 'f';
      else if (typeof v === 'number') out += String(v);
      else out += `\\x${v.toString('hex')}`;
    }
    out += '\n';
  }
  return out;
}

/**
 * COPY runs one batch behind the generator: while PostgreSQL ingests batch k, Node generates and
 * computes batch k+1 (two cores busy instead of one). At most one COPY is in flight; its failure
 * surfaces at the next call or at {@link Copier.flush}.
 */
class Copier {
  private pending: Promise<void> | null = null;
  constructor(private readonly client: pg.ClientBase) {}

  async copy(table: string, columns: readonly string[], rows: readonly Cell[][]): Promise<void> {
    if (rows.length === 0) return;
    const text = copyText(rows);
    await this.flush();
    const stream = this.client.query(copyFrom(`COPY ${table} (${columns.join(', ')}) FROM STDIN (FORMAT csv)`));
    const done = new Promise<void>((resolve, reject) => {
      stream.on('error', reject);
      stream.on('finish', () => resolve());
    });
    done.catch(() => undefined);
    this.pending = done;
    stream.end(text);
  }

  /** COPY of rows already encoded as COPY text (tab-separated, \\N for NULL). */
  async copyText(table: string, columns: readonly string[], text: Buffer): Promise<void> {
    if (text.length === 0) return;
    await this.flush();
    const stream = this.client.query(copyFrom(`COPY ${table} (${columns.join(', ')}) FROM STDIN`));
    const done = new Promise<void>((resolve, reject) => {
      stream.on('error', reject);
      stream.on('finish', () => resolve());
    });
    done.catch(() => undefined);
    this.pending = done;
    stream.end(text);
  }

  async flush(): Promise<void> {
    const p = this.pending;
    this.pending = null;
    if (p) await p;
  }
}

const ID_TABLES = ['facility', 'family', 'child', 'person', 'measurement', 'service', 'partner'] as const;
type IdTable = (typeof ID_TABLES)[number];

/**
 * Loads the synthetic district (see {@link generateDemo}) into the database of `target`, in
 * one transaction: an earlier demo (rows marked synthetic / source 'demo') is deleted first, the
 * tables written by COPY, the rollups recomputed, the fault list written to app_setting `demo`
 * and one audit_log row added. Requires the regions and the indicator catalogue to be loaded.
 * @see docs/DEMO.md
 */
export async function loadDemo(target: DemoLoadTarget, options: DemoLoadOptions): Promise<DemoLoadResult> {
  const client = await target.pool.connect();
  try {
    return await loadOnClient(client, target.nik, [options], null);
  } finally {
    client.release();
  }
}

/**
 * Loads a whole province's synthetic districts (see demo-province.ts) in one transaction, as
 * {@link loadDemo} loads one: an earlier demo is replaced, each district is generated and copied
 * in turn with its own ids, partners shared by name, the rollups recomputed once at the end.
 * @see docs/SCALING.md "Multi-district operation and the province demo"
 */
export async function loadProvinceDemo(target: DemoLoadTarget, provinceCode: string, districts: readonly DemoLoadOptions[]): Promise<DemoLoadResult> {
  if (districts.length === 0) throw new RangeError('no districts to load');
  const client = await target.pool.connect();
  try {
    return await loadOnClient(client, target.nik, districts, provinceCode);
  } finally {
    client.release();
  }
}

/** What the districts of one load share: the transaction's client, COPY pipeline, keys, and what was written. */
interface LoadShared {
  client: pg.ClientBase;
  db: Kysely<Database>;
  copier: Copier;
  growth: GrowthBatch;
  deps: WritePathDeps;
  nikHasher: NikHasher;
  keys: RollupKeys;
  indicators: Set<string>;
  partnerByName: Map<string, number>;
  rows: Record<DemoTable, number>;
  maxId: Record<IdTable, number>;
  faults: LoadedDemoFault[];
  faultChildren: Record<string, unknown>[];
}

async function loadOnClient(client: pg.ClientBase, nikHasher: NikHasher, districts: readonly DemoLoadOptions[], provinceCode: string | null): Promise<DemoLoadResult> {
  const started = performance.now();
  const plans = districts.map((d) => planDemo(d));
  const deps = districts[0].deps ?? defaultWritePathDeps();
  const db = kyselyOn(client);
  const kabs = plans.map((p) => p.kabupatenCode);
  await client.query('BEGIN');
  try {
    for (const plan of plans) await checkReference(db, plan.desa.map((d) => d.code), plan.kabupatenCode);
    await sql`LOCK TABLE facility, family, child, person, measurement, service, partner, partner_commitment, indicator_value IN EXCLUSIVE MODE`.execute(db);
    // Every month of the data gets its partition before the COPY (none waits in DEFAULT).
    const first = Math.min(...plans.map((p) => p.firstMonth));
    const last = Math.max(...plans.map((p) => p.lastMonth));
    await ensurePartitionsInTransaction(db, { from: `${isoMonth(first)}-01`, to: `${isoMonth(last)}-01` });

    const keys = new RollupKeys();
    const oldUnits = await sql<{ desa_code: string; month: string }>`SELECT desa_code, month FROM rollup_desa_month WHERE kabupaten_code = ANY(${kabs}::text[])`.execute(db);
    for (const r of oldUnits.rows) keys.addDesa(r.desa_code, r.month);
    const replaced = await deleteEarlierDemo(client);
    // The two big tables are empty when only a demo was there: load them the pg_restore way.
    const bigEmpty = (await client.query(`SELECT NOT EXISTS (SELECT 1 FROM measurement) AND NOT EXISTS (SELECT 1 FROM service) AS e`)).rows[0].e === true;
    const deferred = bigEmpty ? await deferChecks(client, ['measurement', 'service']) : null;
    const tReplaced = performance.now();

    const indicators = new Set((await db.selectFrom('indicator').select('id').execute()).map((r) => r.id));
    await db
      .insertInto('intervention')
      .values(DEMO_EXTRA_INTERVENTIONS.map((i) => ({ ...i, indicator_id: i.indicator_id && indicators.has(i.indicator_id) ? i.indicator_id : null })))
      .onConflict((oc) => oc.column('code').doNothing())
      .execute();

    const shared: LoadShared = {
      client, db, copier: new Copier(client), growth: new GrowthBatch(deps.engine, Math.max(...plans.map((p) => p.batchSize)) + 4096),
      deps, nikHasher, keys, indicators, partnerByName: new Map(),
      rows: Object.fromEntries(DEMO_TABLES.map((t) => [t, 0])) as Record<DemoTable, number>,
      maxId: Object.fromEntries(ID_TABLES.map((t) => [t, 0])) as Record<IdTable, number>,
      faults: [], faultChildren: [],
    };
    const perDistrict: { kabupatenCode: string; seed: number; children: number; rows: Record<DemoTable, number> }[] = [];
    for (let i = 0; i < plans.length; i++) {
      const rows = await loadDistrict(shared, plans[i], districts[i]);
      perDistrict.push({ kabupatenCode: plans[i].kabupatenCode, seed: plans[i].seed, children: plans[i].children, rows });
    }
    await shared.copier.flush();
    if (deferred) await deferred.restore();
    for (const t of ID_TABLES) {
      if (shared.maxId[t] > 0) await client.query(`SELECT setval(pg_get_serial_sequence('${t}', 'id'), $1)`, [shared.maxId[t]]);
    }
    const tLoaded = performance.now();
    await recomputeRollups(db, keys);
    const tRollups = performance.now();

    const plan = plans[0];
    const rows = shared.rows;
    const base = {
      synthetic: true,
      note: 'DATA SINTETIS / SYNTHETIC DATA — generated by `tumbuh demo`; not real people',
      seed: plan.seed,
      children: plans.reduce((s, p) => s + p.children, 0),
      months: plan.months,
      firstMonth: isoMonth(first),
      lastMonth: isoMonth(last),
      rows,
    };
    const setting = provinceCode === null
      ? { ...base, faults: shared.faults, faultChildren: shared.faultChildren }
      : { ...base, province: provinceCode, districts: perDistrict, faults: shared.faults, faultChildren: shared.faultChildren };
    await db
      .insertInto('app_setting')
      .values({ key: DEMO_SETTING_KEY, value: JSON.stringify(setting) })
      .onConflict((oc) => oc.column('key').doUpdateSet({ value: JSON.stringify(setting), updated_at: new Date() }))
      .execute();
    await writeAudit(db, { userId: null }, {
      action: 'demo.load',
      entity: 'demo',
      entityId: null,
      kabupatenCode: provinceCode === null ? plan.kabupatenCode : null,
      details: provinceCode === null
        ? { synthetic: true, seed: plan.seed, children: plan.children, months: plan.months, rows, replaced }
        : { synthetic: true, province: provinceCode, districts: kabs, seed: plan.seed, children: base.children, months: plan.months, rows, replaced },
    });
    // Fresh planner statistics: without them the first dashboard queries after a load plan for
    // empty tables and take minutes (autovacuum's ANALYZE comes much later).
    await client.query('ANALYZE facility, family, child, person, measurement, service, indicator_value, partner, partner_commitment, rollup_desa_month, rollup_posyandu_month');
    const tAnalyzed = performance.now();
    await client.query('COMMIT');
    const end = performance.now();
    return {
      rows,
      replaced,
      faults: shared.faults,
      seconds: (end - started) / 1000,
      phases: {
        replace: (tReplaced - started) / 1000,
        load: (tLoaded - tReplaced) / 1000,
        rollups: (tRollups - tLoaded) / 1000,
        analyze: (tAnalyzed - tRollups) / 1000,
        commit: (end - tAnalyzed) / 1000,
      },
    };
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  }
}

/** Generates one district and copies it; ids continue after what the table holds. Returns its row counts. */
async function loadDistrict(s: LoadShared, plan: DemoPlan, options: DemoLoadOptions): Promise<Record<DemoTable, number>> {
  const { client, copier, growth, deps, keys, indicators } = s;
  const kab = plan.kabupatenCode;
  const base = {} as Record<IdTable, number>;
  for (const t of ID_TABLES) {
    const r = await client.query<{ base: string }>(
      `SELECT greatest(coalesce((SELECT max(id) FROM ${t}), 0),
              coalesce(pg_sequence_last_value(pg_get_serial_sequence('${t}', 'id')), 0), $1::bigint) AS base`,
      [s.maxId[t]],
    );
    base[t] = Number(r.rows[0].base);
  }
  const maxId = s.maxId;
  const bump = (t: IdTable, id: number): number => {
    const v = base[t] + id;
    if (v > maxId[t]) maxId[t] = v;
    return v;
  };

  // Rollups cover the months of data only: S without any D before the window would read as
  // months with zero coverage.
  const windowFirst = `${isoMonth(plan.firstMonth)}-01`;
  const windowLast = `${isoMonth(plan.lastMonth)}-01`;
  const facilityIds = new Map<string, number>();
  let facilityCount = 0;
  const partnerIds = new Map<string, number>();
  const faults: DemoCell[][] = [];
  const faultChildren: DemoCell[][] = [];
  const rows = Object.fromEntries(DEMO_TABLES.map((t) => [t, 0])) as Record<DemoTable, number>;
  const hash = (nik: DemoCell): [Buffer | null, string | null] => {
    const h = s.nikHasher.hash(nik as string | null);
    return h ? [h, nikLast4(nik as string)] : [null, null];
  };
  const fac = (code: DemoCell): number | null => (code === null ? null : (facilityIds.get(code as string) as number));

  for await (const batch of generateDemo(options)) {
    const c = colIndex(batch.table);
    const get = (row: DemoCell[], name: string): DemoCell => row[c[name]];
    switch (batch.table) {
      case 'facility': {
        const out: Cell[][] = [];
        const catchment: Cell[][] = [];
        for (const r of batch.rows) {
          const id = bump('facility', ++facilityCount);
          facilityIds.set(get(r, 'facility_id') as string, id);
          out.push([id, get(r, 'kind'), get(r, 'facility_id'), get(r, 'name'), kab, get(r, 'desa_code'), fac(get(r, 'puskesmas_id')), true]);
          if (get(r, 'kind') === 'puskesmas') {
            for (const d of plan.desa) if (d.kecamatanCode === get(r, 'kecamatan_code')) catchment.push([id, d.code]);
          }
        }
        await copier.copy('facility', ['id', 'kind', 'code', 'name', 'kabupaten_code', 'desa_code', 'puskesmas_id', 'is_synthetic'], out);
        await copier.copy('facility_catchment', ['facility_id', 'desa_code'], catchment);
        break;
      }
      case 'partner': {
        // Partners are one list for the installation (unique by name): a later district reuses them.
        const out: Cell[][] = [];
        for (const r of batch.rows) {
          const known = s.partnerByName.get(get(r, 'name') as string);
          if (known !== undefined) {
            partnerIds.set(get(r, 'partner_id') as string, known);
            continue;
          }
          const id = bump('partner', out.length + 1);
          partnerIds.set(get(r, 'partner_id') as string, id);
          s.partnerByName.set(get(r, 'name') as string, id);
          out.push([id, get(r, 'name'), get(r, 'kind'), true]);
        }
        await copier.copy('partner', ['id', 'name', 'kind', 'is_synthetic'], out);
        break;
      }
      case 'family': {
        const out = batch.rows.map((r) => [
          bump('family', get(r, 'family_id') as number), kab, get(r, 'desa_code'), hash(get(r, 'kk_number'))[0], get(r, 'head_name'),
          get(r, 'has_pus'), get(r, 'has_pregnant'), get(r, 'has_baduta'), get(r, 'has_balita'), !get(r, 'water_improved'),
          !get(r, 'sanitation_improved'), get(r, 'wife_too_young'), get(r, 'wife_too_old'), get(r, 'birth_spacing_too_close'),
          get(r, 'too_many_children'), get(r, 'poor'), get(r, 'assessed_on'), get(r, 'tpk_accompanied'), true,
        ]);
        await copier.copy('family', [
          'id', 'kabupaten_code', 'desa_code', 'kk_hash', 'head_name', 'has_pus', 'has_pregnant', 'has_baduta', 'has_balita',
          'unsafe_water', 'poor_sanitation', 'wife_too_young', 'wife_too_old', 'birth_spacing_too_close', 'too_many_children',
          'poor', 'assessed_on', 'tpk_accompanied', 'is_synthetic',
        ], out);
        break;
      }
      case 'child': {
        const out = batch.rows.map((r) => {
          const [h, last4] = hash(get(r, 'nik'));
          const posyanduId = fac(get(r, 'posyandu_id'));
          for (const m of registrationMonths({ birth_date: get(r, 'birth_date') as string, registered_on: get(r, 'registered_on') as string, exited_on: null })) {
            if (m >= windowFirst && m <= windowLast) keys.add(get(r, 'desa_code') as string, posyanduId, m);
          }
          return [
            bump('child', get(r, 'child_id') as number), kab, get(r, 'desa_code'), posyanduId, bump('family', get(r, 'family_id') as number),
            h, last4, get(r, 'name'), get(r, 'sex'), get(r, 'birth_date'), get(r, 'birth_weight_kg'), get(r, 'birth_length_cm'),
            get(r, 'mother_name'), `DEMO-${get(r, 'child_id')}`, get(r, 'registered_on'), true,
          ];
        });
        await copier.copy('child', [
          'id', 'kabupaten_code', 'desa_code', 'posyandu_id', 'family_id', 'nik_hash', 'nik_last4', 'name', 'sex', 'birth_date',
          'birth_weight_kg', 'birth_length_cm', 'mother_name', 'external_id', 'registered_on', 'is_synthetic',
        ], out);
        break;
      }
      case 'person': {
        const out = batch.rows.map((r) => {
          const [h, last4] = hash(get(r, 'nik'));
          const family = get(r, 'family_id');
          return [
            bump('person', get(r, 'person_id') as number), kab, get(r, 'desa_code'), get(r, 'type'), h, last4, get(r, 'name'), 2,
            get(r, 'birth_date'), family === null ? null : bump('family', family as number), fac(get(r, 'posyandu_id')),
            get(r, 'registered_on'), get(r, 'hpht'), get(r, 'expected_delivery'), get(r, 'gravida'), get(r, 'delivery_date'),
            get(r, 'marriage_planned_on'), get(r, 'elsimil_result'), get(r, 'school'), get(r, 'lila_cm'), get(r, 'kek'),
            get(r, 'hb_g_dl'), get(r, 'anaemia'), true,
          ];
        });
        await copier.copy('person', [
          'id', 'kabupaten_code', 'desa_code', 'type', 'nik_hash', 'nik_last4', 'name', 'sex', 'birth_date', 'family_id',
          'posyandu_id', 'registered_on', 'hpht', 'expected_delivery', 'gravida', 'delivery_date', 'marriage_planned_on',
          'elsimil_result', 'school', 'lila_cm', 'kek', 'hb_g_dl', 'anaemia', 'is_synthetic',
        ], out);
        break;
      }
      case 'measurement':
        await copyMeasurements(copier, batch, c, growth, deps, kab, bump, fac, keys);
        break;
      case 'service': {
        const ref = (t: IdTable, v: DemoCell) => (v === null ? null : bump(t, v as number));
        const out = batch.rows.map((r) => [
          bump('service', get(r, 'service_id') as number), kab, get(r, 'desa_code'), get(r, 'intervention_code'), get(r, 'served_on'),
          ref('child', get(r, 'child_id')), ref('person', get(r, 'person_id')), ref('family', get(r, 'family_id')), get(r, 'provider'),
          fac(get(r, 'provider_facility_id')), get(r, 'quantity'), get(r, 'unit'), 'demo',
        ]);
        await copier.copy('service', [
          'id', 'kabupaten_code', 'desa_code', 'intervention_code', 'served_on', 'child_id', 'person_id', 'family_id', 'provider',
          'provider_facility_id', 'quantity', 'unit', 'source',
        ], out);
        break;
      }
      case 'indicator_value': {
        const out = batch.rows.filter((r) => indicators.has(get(r, 'indicator_id') as string)).map((r) => [
          get(r, 'indicator_id'), kab, get(r, 'region_code'), get(r, 'period_type'), get(r, 'period_start'), get(r, 'period_end'),
          get(r, 'numerator'), get(r, 'denominator'), get(r, 'value'), `${get(r, 'source')} (data sintetis)`, true,
        ]);
        const missing = [...new Set(batch.rows.map((r) => get(r, 'indicator_id') as string).filter((id) => !indicators.has(id)))];
        if (missing.length > 0) throw new AppError('demo_reference_missing', M['demo.indicatorsMissing'], { ids: missing.join(', ') }, { status: 500 });
        await copier.copy('indicator_value', [
          'indicator_id', 'kabupaten_code', 'region_code', 'period_type', 'period_start', 'period_end', 'numerator', 'denominator',
          'value', 'source', 'is_synthetic',
        ], out);
        break;
      }
      case 'partner_commitment': {
        const out = batch.rows.map((r) => [
          partnerIds.get(get(r, 'partner_id') as string) as number, kab, get(r, 'region_code'), get(r, 'intervention_code'),
          get(r, 'description'), get(r, 'amount_idr'), get(r, 'period_start'), get(r, 'period_end'), get(r, 'status'), true,
        ]);
        await copier.copy('partner_commitment', [
          'partner_id', 'kabupaten_code', 'region_code', 'intervention_code', 'description', 'amount_idr', 'period_start',
          'period_end', 'status', 'is_synthetic',
        ], out);
        break;
      }
      case 'demo_fault':
        faults.push(...batch.rows);
        break;
      case 'demo_fault_child':
        faultChildren.push(...batch.rows);
        break;
    }
    rows[batch.table] += batch.rows.length;
    options.onBatch?.(batch.table, batch.rows.length);
  }


  const offset = s.faults.length;
  const fc = colIndex('demo_fault');
  s.faults.push(...faults.map((r) => ({
    faultId: offset + (r[fc.fault_id] as number),
    kind: r[fc.fault_kind] as string,
    posyanduCode: r[fc.posyandu_id] as string,
    posyanduId: facilityIds.get(r[fc.posyandu_id] as string) as number,
    desaCode: r[fc.desa_code] as string,
    firstMonth: r[fc.first_month] as string,
    lastMonth: r[fc.last_month] as string,
    affectedChildren: r[fc.affected_children] as number,
    affectedMeasurements: r[fc.affected_measurements] as number,
    detail: r[fc.detail] as string,
  })));
  const cc = colIndex('demo_fault_child');
  s.faultChildren.push(...faultChildren.map((r) => ({
    faultId: offset + (r[cc.fault_id] as number),
    kind: r[cc.fault_kind],
    childId: bump('child', r[cc.child_id] as number),
    originalChildId: r[cc.original_child_id] === null ? null : bump('child', r[cc.original_child_id] as number),
    firstMonth: r[cc.first_month],
  })));
  for (const t of DEMO_TABLES) s.rows[t] += rows[t];
  return rows;
}

function isoMonth(index: number): string {
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;
}

function colIndex(table: DemoTable): Record<string, number> {
  return Object.fromEntries(DEMO_COLUMNS[table].map((c, i) => [c, i]));
}

async function checkReference(db: Kysely<Database>, desaCodes: string[], kab: string): Promise<void> {
  const found = await db.selectFrom('region').select('code').where('code', 'in', desaCodes).execute();
  if (found.length !== desaCodes.length) {
    throw new AppError('demo_reference_missing', M['demo.regionsMissing'], { kabupaten: kab, missing: desaCodes.length - found.length }, { status: 500 });
  }
}

const DEMO_ROWS: [string, string][] = [
  ['service', "source = 'demo'"],
  ['measurement', "source = 'demo'"],
  ['person', 'is_synthetic'],
  ['child', 'is_synthetic'],
  ['family', 'is_synthetic'],
  ['partner_commitment', 'is_synthetic'],
  ['partner', 'is_synthetic'],
  ['indicator_value', 'is_synthetic'],
  ['facility', 'is_synthetic'],
];

interface ForeignKey {
  table: string;
  refTable: string;
  columns: string[];
  cascade: boolean;
  notNull: boolean;
}

/** Every foreign key of the schema: referencing table and columns, referenced table, delete rule. */
async function foreignKeys(client: pg.ClientBase): Promise<ForeignKey[]> {
  const r = await client.query<{ tbl: string; ref: string; cols: string[]; cascade: boolean; not_null: boolean }>(`
    SELECT c.conrelid::regclass::text AS tbl, c.confrelid::regclass::text AS ref,
           array_agg(a.attname::text ORDER BY k.ord) AS cols, c.confdeltype = 'c' AS cascade, bool_and(a.attnotnull) AS not_null
    FROM pg_constraint c
    CROSS JOIN LATERAL unnest(c.conkey) WITH ORDINALITY AS k(attnum, ord)
    JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum
    WHERE c.contype = 'f' AND c.connamespace = 'public'::regnamespace
    GROUP BY c.oid, c.conrelid, c.confrelid, c.confdeltype`);
  return r.rows.map((x) => ({ table: x.tbl, refTable: x.ref, columns: x.cols, cascade: x.cascade, notNull: x.not_null }));
}

/**
 * Deletes the rows of an earlier demo and returns the counts. When the big tables hold nothing
 * but demo rows (the usual case on a laptop) they are truncated, with every table that refers
 * to them and is empty or entirely owned by them (ON DELETE CASCADE on NOT NULL columns): the
 * same result as deleting, instantly. Otherwise rows are deleted one table at a time, real
 * records stay, and foreign keys lacking an index get a temporary one for the duration, so that
 * each deleted parent is checked by index instead of a scan of the referencing table.
 */
async function deleteEarlierDemo(client: pg.ClientBase): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  const real: Record<string, number> = {};
  const small = ['partner_commitment', 'partner', 'indicator_value'];
  for (const [table, where] of DEMO_ROWS) {
    const r = await client.query<{ demo: string; real: string }>(
      `SELECT count(*) FILTER (WHERE ${where}) AS demo, count(*) FILTER (WHERE NOT (${where})) AS real FROM ${table}`,
    );
    out[table] = Number(r.rows[0].demo);
    real[table] = Number(r.rows[0].real);
  }
  if (Object.values(out).every((n) => n === 0)) return out;
  const fks = await foreignKeys(client);
  const deleteSmall = async () => {
    for (const t of small) await client.query(`DELETE FROM ${t} WHERE is_synthetic`);
  };

  const truncate = new Set(['service', 'measurement', 'person', 'child', 'family', 'facility']);
  let canTruncate = [...truncate].every((t) => real[t] === 0);
  if (canTruncate) {
    for (let grew = true; grew && canTruncate; ) {
      grew = false;
      for (const fk of fks) {
        if (!truncate.has(fk.refTable) || truncate.has(fk.table) || small.includes(fk.table)) continue;
        const owned = fks.some((f) => f.table === fk.table && truncate.has(f.refTable) && f.cascade && f.notNull);
        const empty = (await client.query(`SELECT NOT EXISTS (SELECT 1 FROM ${fk.table}) AS empty`)).rows[0].empty as boolean;
        if (owned || empty) {
          truncate.add(fk.table);
          grew = true;
        } else canTruncate = false;
      }
    }
  }
  if (canTruncate) {
    await deleteSmall();
    await client.query(`TRUNCATE ${[...truncate].join(', ')}`);
    return out;
  }

  const indexed = await client.query<{ tbl: string; cols: string[] }>(`
    SELECT i.indrelid::regclass::text AS tbl,
           array_agg(a.attname::text ORDER BY k.ord) AS cols
    FROM pg_index i
    CROSS JOIN LATERAL unnest(i.indkey::int2[]) WITH ORDINALITY AS k(attnum, ord)
    JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
    GROUP BY i.indexrelid, i.indrelid`);
  const covered = (fk: ForeignKey) =>
    indexed.rows.some((ix) => ix.tbl === fk.table && fk.columns.every((c, n) => ix.cols[n] === c));
  const demoTables = new Set(DEMO_ROWS.map(([t]) => t));
  const temporary: string[] = [];
  for (const fk of fks) {
    if (!demoTables.has(fk.refTable) || covered(fk)) continue;
    const name = `tumbuh_demo_tmp_${temporary.length + 1}`;
    await client.query(`CREATE INDEX ${name} ON ${fk.table} (${fk.columns.join(', ')})`);
    temporary.push(name);
    indexed.rows.push({ tbl: fk.table, cols: fk.columns });
  }
  await deleteSmall();
  for (const [table, where] of DEMO_ROWS) {
    if (small.includes(table)) continue;
    if (table === 'facility') await client.query(`DELETE FROM facility WHERE ${where} AND kind = 'posyandu'`);
    await client.query(`DELETE FROM ${table} WHERE ${where}`);
  }
  for (const name of temporary) await client.query(`DROP INDEX ${name}`);
  return out;
}

/** What {@link deferChecks} took away and puts back. */
interface Deferred {
  restore(): Promise<void>;
}

/**
 * For a load into EMPTY tables (pg_restore's method): drops the secondary indexes and foreign
 * keys of `tables` (definitions read from the catalogue), and `restore` re-creates them after
 * the COPY — one index build and one validating join per key instead of a trigger and an index
 * insert per row. Everything runs in the load's transaction, so a failure restores the schema;
 * the re-added keys validate every loaded row. Primary keys, unique and CHECK constraints stay.
 */
async function deferChecks(client: pg.ClientBase, tables: readonly string[]): Promise<Deferred> {
  const indexes = await client.query<{ name: string; def: string }>(`
    SELECT i.indexrelid::regclass::text AS name, pg_get_indexdef(i.indexrelid) AS def
    FROM pg_index i
    WHERE i.indrelid = ANY($1::regclass[]) AND NOT i.indisprimary AND NOT i.indisunique
      AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)`, [tables]);
  const keys = await client.query<{ tbl: string; name: string; def: string }>(`
    SELECT conrelid::regclass::text AS tbl, conname AS name, pg_get_constraintdef(oid) AS def
    FROM pg_constraint WHERE contype = 'f' AND conrelid = ANY($1::regclass[])`, [tables]);
  for (const k of keys.rows) await client.query(`ALTER TABLE ${k.tbl} DROP CONSTRAINT ${quoteIdent(k.name)}`);
  for (const i of indexes.rows) await client.query(`DROP INDEX ${i.name}`);
  return {
    async restore() {
      // A partitioned table's index definition reads "ON ONLY parent": built that way it would
      // cover no partition.
      for (const i of indexes.rows) await client.query(i.def.replace(' ON ONLY ', ' ON '));
      for (const k of keys.rows) await client.query(`ALTER TABLE ${k.tbl} ADD CONSTRAINT ${quoteIdent(k.name)} ${k.def}`);
    },
  };
}

function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

const MEASUREMENT_COLUMNS = [
  'id', 'kabupaten_code', 'desa_code', 'posyandu_id', 'child_id', 'birth_date', 'sex', 'measured_on', 'weight_kg', 'lenhei_cm',
  'position', 'oedema', 'muac_cm', ...GROWTH_COLUMN_NAMES, 'weight_gain', 'two_t', 'source',
];

/** One measurement batch: growth columns by the write path's batch kernel, N/T/O/B per child in date order. */
async function copyMeasurements(
  copier: Copier,
  batch: DemoBatch,
  c: Record<string, number>,
  growth: GrowthBatch,
  deps: WritePathDeps,
  kab: string,
  bump: (t: IdTable, id: number) => number,
  fac: (code: DemoCell) => number | null,
  keys: RollupKeys,
): Promise<void> {
  const n = batch.rows.length;
  for (let i = 0; i < n; i++) {
    const r = batch.rows[i];
    growth.set(i, {
      sex: r[c.sex] as 1 | 2,
      birthDate: r[c.birth_date] as string,
      measuredOn: r[c.measured_on] as string,
      weightKg: r[c.weight_kg] as number | null,
      lenheiCm: r[c.lenhei_cm] as number | null,
      position: r[c.position] as 'L' | 'H' | null,
      oedema: r[c.oedema] === true,
      muacCm: r[c.muac_cm] as number | null,
      headCm: null,
    });
  }
  growth.compute(n);
  // A child's visits never straddle two batches (the generator flushes between families), so a
  // tracker per batch sees whole series and memory stays bounded at any district size.
  const tracker = new WeightGainTracker(deps.kbm);
  // The bulk path's encoder: the same growth columns as COPY text, written straight into a buffer.
  const w = new CopyTextWriter(n * 256);
  for (let i = 0; i < n; i++) {
    const r = batch.rows[i];
    const childId = bump('child', r[c.child_id] as number);
    const wg = tracker.push(childId, {
      birthDate: r[c.birth_date] as string,
      measuredOn: r[c.measured_on] as string,
      weightKg: r[c.weight_kg] as number | null,
    });
    const posyanduId = fac(r[c.posyandu_id]);
    keys.add(r[c.desa_code] as string, posyanduId, monthOf(r[c.measured_on] as string));
    w.int(bump('measurement', r[c.measurement_id] as number)).str(kab).str(r[c.desa_code] as string).numOrNull(posyanduId).int(childId)
      .str(r[c.birth_date] as string).int(r[c.sex] as number).str(r[c.measured_on] as string)
      .numOrNull(r[c.weight_kg] as number | null).numOrNull(r[c.lenhei_cm] as number | null).strOrNull(r[c.position] as string | null)
      .bool(r[c.oedema] === true).numOrNull(r[c.muac_cm] as number | null);
    growth.writeCopy(i, w);
    w.strOrNull(wg?.code).bool(wg?.twoT ?? false).str('demo').endRow();
  }
  await copier.copyText('measurement', MEASUREMENT_COLUMNS, w.take());
}
