import { sql, type Kysely } from 'kysely';

// Importers (issue 4, src/ingest): what makes an import one reversible, idempotent batch.
// - import_batch: who imported (text: --user or the OS user), inserted/updated/unchanged/duplicate
//   counts, undo time and who undid it; status 'undone'.
// - import_row: the current imported row per (child, measurement date) — the row key that makes a
//   re-import of the same rows change nothing and a corrected re-export update only what changed —
//   with e-PPGBM's own z-scores and status labels, so data quality can compare them with WHO's.
// - import_change: the undo log of a batch: rows it created (child, facility, person, family,
//   indicator_value) and the previous version of rows it replaced, as JSON. Services and
//   measurements a batch adds carry its import_batch_id.
// - eppgbm_disagreement (view): per imported measurement, e-PPGBM's z-score next to WHO's.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql.raw(`
ALTER TABLE import_batch
  ADD COLUMN imported_by text,
  ADD COLUMN rows_inserted integer NOT NULL DEFAULT 0 CHECK (rows_inserted >= 0),
  ADD COLUMN rows_updated integer NOT NULL DEFAULT 0 CHECK (rows_updated >= 0),
  ADD COLUMN rows_unchanged integer NOT NULL DEFAULT 0 CHECK (rows_unchanged >= 0),
  ADD COLUMN rows_duplicate integer NOT NULL DEFAULT 0 CHECK (rows_duplicate >= 0),
  ADD COLUMN summary jsonb NOT NULL DEFAULT '{}'::jsonb,
  ADD COLUMN undone_at timestamptz,
  ADD COLUMN undone_by text,
  DROP CONSTRAINT import_batch_status_check,
  ADD CONSTRAINT import_batch_status_check CHECK (status IN ('running', 'done', 'failed', 'undone')),
  ADD CONSTRAINT import_batch_undone CHECK ((status = 'undone') = (undone_at IS NOT NULL));

CREATE TABLE import_row (
  kabupaten_code text NOT NULL CHECK (kabupaten_code ~ '^[0-9]{2}\\.[0-9]{2}$'),
  child_id bigint NOT NULL,
  measured_on date NOT NULL,
  batch_id bigint NOT NULL REFERENCES import_batch (id),
  line integer NOT NULL CHECK (line >= 1),
  -- The measured values and places as imported; a re-export with a different content replaces the row.
  content text NOT NULL,
  eppgbm_zwei numeric(6, 2),
  eppgbm_zlen numeric(6, 2),
  eppgbm_zwfl numeric(6, 2),
  eppgbm_bbu text,
  eppgbm_tbu text,
  eppgbm_bbtb text,
  eppgbm_naik_bb text,
  PRIMARY KEY (kabupaten_code, child_id, measured_on)
);
CREATE INDEX import_row_batch_idx ON import_row (batch_id);

CREATE TABLE import_change (
  batch_id bigint NOT NULL REFERENCES import_batch (id) ON DELETE CASCADE,
  seq bigint GENERATED ALWAYS AS IDENTITY,
  entity text NOT NULL CHECK (entity IN ('child', 'facility', 'measurement', 'import_row', 'person', 'family', 'indicator_value')),
  op text NOT NULL CHECK (op IN ('insert', 'replace')),
  -- insert: the ids entity_id..last_id were created by the batch; replace: old = the previous row.
  entity_id bigint,
  last_id bigint,
  old jsonb,
  PRIMARY KEY (batch_id, seq),
  CHECK ((op = 'insert') = (entity_id IS NOT NULL AND last_id >= entity_id AND old IS NULL)),
  CHECK ((op = 'replace') = (old IS NOT NULL))
);

CREATE VIEW eppgbm_disagreement AS
SELECT r.kabupaten_code, r.batch_id, r.line, m.id AS measurement_id, m.child_id, m.desa_code, m.posyandu_id, m.measured_on,
  r.eppgbm_zwei, m.zwei AS who_zwei, r.eppgbm_zlen, m.zlen AS who_zlen, r.eppgbm_zwfl, m.zwfl AS who_zwfl,
  r.eppgbm_bbu, m.status_wfa AS who_status_wfa, r.eppgbm_tbu, m.status_lfa AS who_status_lfa,
  r.eppgbm_bbtb, m.status_wfl AS who_status_wfl,
  (r.eppgbm_zwei IS NOT NULL AND m.zwei IS NOT NULL AND abs(r.eppgbm_zwei - m.zwei) > 0.1) AS zwei_differs,
  (r.eppgbm_zlen IS NOT NULL AND m.zlen IS NOT NULL AND abs(r.eppgbm_zlen - m.zlen) > 0.1) AS zlen_differs,
  (r.eppgbm_zwfl IS NOT NULL AND m.zwfl IS NOT NULL AND abs(r.eppgbm_zwfl - m.zwfl) > 0.1) AS zwfl_differs
FROM import_row r
JOIN measurement m ON m.child_id = r.child_id AND m.measured_on = r.measured_on AND m.import_batch_id = r.batch_id
  AND m.kabupaten_code = r.kabupaten_code;
`).execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql.raw(`
DROP VIEW IF EXISTS eppgbm_disagreement;
DROP TABLE IF EXISTS import_change, import_row;
ALTER TABLE import_batch
  DROP CONSTRAINT IF EXISTS import_batch_undone,
  DROP CONSTRAINT import_batch_status_check,
  DROP COLUMN imported_by, DROP COLUMN rows_inserted, DROP COLUMN rows_updated, DROP COLUMN rows_unchanged,
  DROP COLUMN rows_duplicate, DROP COLUMN summary, DROP COLUMN undone_at, DROP COLUMN undone_by;
ALTER TABLE import_batch ADD CONSTRAINT import_batch_status_check CHECK (status IN ('running', 'done', 'failed'));
`).execute(db);
}
