import { sql, type Kysely } from 'kysely';
import { placeOnCitus } from '../citus.js';

// Issue 10: the keys Citus needs (docs/SCALING.md "Citus-ready schema", checked by
// src/db/schema-rules.ts). On a distributed table every primary key and unique index includes
// kabupaten_code, and foreign keys between distributed tables pair kabupaten_code with
// kabupaten_code, so each district's rows (and the rows they point to) live on one shard group.
// - facility, family, child, person: the primary key becomes (kabupaten_code, id), replacing the
//   (id) key plus the (kabupaten_code, id) unique constraint every foreign key already used.
// - child_alert, duplicate_candidate, child_merge: primary key (kabupaten_code, id); their unique
//   indexes gain kabupaten_code.
// - facility_catchment gets kabupaten_code (generated from its desa: a puskesmas serves villages
//   of its own district) and a co-located key to facility.
// - child_merge_item gets kabupaten_code, filled from its merge when the writer leaves it out.
// - child_merge.candidate_id points to duplicate_candidate by (kabupaten_code, id); deleting the
//   candidate sets only candidate_id to NULL.
// - with Citus installed (pg_extension), every table is then placed on the cluster (src/db/citus.ts).

/** Replaces `table`'s (id) primary key by (kabupaten_code, id), re-pointing foreign keys that used `uniqueName`. */
async function rekey(db: Kysely<unknown>, table: string, uniqueName: string | null): Promise<void> {
  const rel = sql.raw(`'public.${table}'::regclass`);
  const fks = await sql<{ tbl: string; name: string; def: string }>`
    SELECT conrelid::regclass::text AS tbl, conname::text AS name, pg_get_constraintdef(oid) AS def
    FROM pg_constraint WHERE contype = 'f' AND confrelid = ${rel} AND conparentid = 0 ORDER BY conname`.execute(db);
  for (const fk of fks.rows) await sql.raw(`ALTER TABLE ${fk.tbl} DROP CONSTRAINT ${fk.name}`).execute(db);
  if (uniqueName) await sql.raw(`ALTER TABLE ${table} DROP CONSTRAINT ${uniqueName}`).execute(db);
  await sql.raw(`ALTER TABLE ${table} DROP CONSTRAINT ${table}_pkey;
    ALTER TABLE ${table} ADD CONSTRAINT ${table}_pkey PRIMARY KEY (kabupaten_code, id)`).execute(db);
  for (const fk of fks.rows) await sql.raw(`ALTER TABLE ${fk.tbl} ADD CONSTRAINT ${fk.name} ${fk.def}`).execute(db);
}

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql.raw(`
ALTER TABLE facility_catchment DROP CONSTRAINT facility_catchment_facility_id_fkey;
ALTER TABLE child_merge DROP CONSTRAINT child_merge_candidate_id_fkey;
ALTER TABLE child_merge_item DROP CONSTRAINT child_merge_item_merge_id_fkey;
`).execute(db);
  await rekey(db, 'facility', 'facility_kab_id_key');
  await rekey(db, 'family', 'family_kab_id_key');
  await rekey(db, 'child', 'child_kab_id_key');
  await rekey(db, 'person', 'person_kab_id_key');
  await rekey(db, 'child_alert', null);
  await rekey(db, 'duplicate_candidate', null);
  await rekey(db, 'child_merge', null);
  await sql.raw(`
DROP INDEX child_alert_child_key;
DROP INDEX child_alert_person_key;
CREATE UNIQUE INDEX child_alert_child_key ON child_alert (kabupaten_code, kind, child_id, month) WHERE child_id IS NOT NULL;
CREATE UNIQUE INDEX child_alert_person_key ON child_alert (kabupaten_code, kind, person_id, month) WHERE person_id IS NOT NULL;

DROP INDEX child_merge_active_idx;
CREATE UNIQUE INDEX child_merge_active_idx ON child_merge (kabupaten_code, merged_id) WHERE undone_at IS NULL;
ALTER TABLE child_merge ADD CONSTRAINT child_merge_candidate_fk FOREIGN KEY (kabupaten_code, candidate_id)
  REFERENCES duplicate_candidate (kabupaten_code, id) ON DELETE SET NULL (candidate_id);
CREATE INDEX child_merge_candidate_idx ON child_merge (kabupaten_code, candidate_id) WHERE candidate_id IS NOT NULL;

ALTER TABLE facility_catchment ADD COLUMN kabupaten_code text NOT NULL GENERATED ALWAYS AS (left(desa_code, 5)) STORED;
ALTER TABLE facility_catchment DROP CONSTRAINT facility_catchment_pkey;
ALTER TABLE facility_catchment ADD CONSTRAINT facility_catchment_pkey PRIMARY KEY (kabupaten_code, facility_id, desa_code);
ALTER TABLE facility_catchment ADD CONSTRAINT facility_catchment_facility_fk FOREIGN KEY (kabupaten_code, facility_id)
  REFERENCES facility (kabupaten_code, id) ON DELETE CASCADE;

ALTER TABLE child_merge_item ADD COLUMN kabupaten_code text;
UPDATE child_merge_item i SET kabupaten_code = m.kabupaten_code FROM child_merge m WHERE m.id = i.merge_id;
ALTER TABLE child_merge_item ALTER COLUMN kabupaten_code SET NOT NULL;
ALTER TABLE child_merge_item DROP CONSTRAINT child_merge_item_pkey;
ALTER TABLE child_merge_item ADD CONSTRAINT child_merge_item_pkey PRIMARY KEY (kabupaten_code, merge_id, kind, item_id);
ALTER TABLE child_merge_item ADD CONSTRAINT child_merge_item_merge_fk FOREIGN KEY (kabupaten_code, merge_id)
  REFERENCES child_merge (kabupaten_code, id);
-- Writers that do not name the district yet get their merge's (the merge is always in the same
-- transaction or earlier). Under Citus the writer should pass kabupaten_code itself.
CREATE FUNCTION child_merge_item_kabupaten() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.kabupaten_code IS NULL THEN
    SELECT kabupaten_code INTO NEW.kabupaten_code FROM child_merge WHERE id = NEW.merge_id;
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER child_merge_item_kabupaten BEFORE INSERT ON child_merge_item
  FOR EACH ROW EXECUTE FUNCTION child_merge_item_kabupaten();

-- The province dashboard reads every district's desa rows of a few months (src/analytics/province.service.ts).
CREATE INDEX rollup_desa_month_month_idx ON rollup_desa_month (month, kabupaten_code);
`).execute(db);
  // Guarded by "is Citus installed": on plain PostgreSQL nothing happens. With Citus, every
  // table is placed (reference or distributed by kabupaten_code, co-located with facility).
  await placeOnCitus(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql.raw(`
DROP INDEX IF EXISTS rollup_desa_month_month_idx;
DROP TRIGGER IF EXISTS child_merge_item_kabupaten ON child_merge_item;
DROP FUNCTION IF EXISTS child_merge_item_kabupaten();
ALTER TABLE child_merge_item DROP CONSTRAINT child_merge_item_merge_fk;
ALTER TABLE child_merge_item DROP CONSTRAINT child_merge_item_pkey;
ALTER TABLE child_merge_item DROP COLUMN kabupaten_code;
ALTER TABLE child_merge_item ADD CONSTRAINT child_merge_item_pkey PRIMARY KEY (merge_id, kind, item_id);
ALTER TABLE facility_catchment DROP CONSTRAINT facility_catchment_facility_fk;
ALTER TABLE facility_catchment DROP CONSTRAINT facility_catchment_pkey;
ALTER TABLE facility_catchment DROP COLUMN kabupaten_code;
ALTER TABLE facility_catchment ADD CONSTRAINT facility_catchment_pkey PRIMARY KEY (facility_id, desa_code);
ALTER TABLE child_merge DROP CONSTRAINT child_merge_candidate_fk;
DROP INDEX child_merge_candidate_idx;
DROP INDEX child_merge_active_idx;
CREATE UNIQUE INDEX child_merge_active_idx ON child_merge (merged_id) WHERE undone_at IS NULL;
DROP INDEX child_alert_child_key;
DROP INDEX child_alert_person_key;
CREATE UNIQUE INDEX child_alert_child_key ON child_alert (kind, child_id, month) WHERE child_id IS NOT NULL;
CREATE UNIQUE INDEX child_alert_person_key ON child_alert (kind, person_id, month) WHERE person_id IS NOT NULL;
`).execute(db);
  for (const t of ['child_merge', 'duplicate_candidate', 'child_alert', 'person', 'child', 'family', 'facility']) {
    const fks = await sql<{ tbl: string; name: string; def: string }>`
      SELECT conrelid::regclass::text AS tbl, conname::text AS name, pg_get_constraintdef(oid) AS def
      FROM pg_constraint WHERE contype = 'f' AND confrelid = ${sql.raw(`'public.${t}'::regclass`)} AND conparentid = 0`.execute(db);
    for (const fk of fks.rows) await sql.raw(`ALTER TABLE ${fk.tbl} DROP CONSTRAINT ${fk.name}`).execute(db);
    await sql.raw(`ALTER TABLE ${t} DROP CONSTRAINT ${t}_pkey; ALTER TABLE ${t} ADD CONSTRAINT ${t}_pkey PRIMARY KEY (id)`).execute(db);
    if (['facility', 'family', 'child', 'person'].includes(t)) await sql.raw(`ALTER TABLE ${t} ADD CONSTRAINT ${t}_kab_id_key UNIQUE (kabupaten_code, id)`).execute(db);
    for (const fk of fks.rows) await sql.raw(`ALTER TABLE ${fk.tbl} ADD CONSTRAINT ${fk.name} ${fk.def}`).execute(db);
  }
  await sql.raw(`
ALTER TABLE facility_catchment ADD CONSTRAINT facility_catchment_facility_id_fkey FOREIGN KEY (facility_id) REFERENCES facility (id) ON DELETE CASCADE;
ALTER TABLE child_merge ADD CONSTRAINT child_merge_candidate_id_fkey FOREIGN KEY (candidate_id) REFERENCES duplicate_candidate (id) ON DELETE SET NULL;
ALTER TABLE child_merge_item ADD CONSTRAINT child_merge_item_merge_id_fkey FOREIGN KEY (merge_id) REFERENCES child_merge (id);
`).execute(db);
}
