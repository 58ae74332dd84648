import { sql, type Kysely } from 'kysely';

// Indexes on foreign keys that had none (columns as in the keys): deleting a family or a facility
// (and the demo's replace) had to check every child, person and service row by a sequential
// scan, and the family and posyandu screens filter on these columns.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql.raw(`
CREATE INDEX child_family_idx ON child (kabupaten_code, family_id);
CREATE INDEX person_family_idx ON person (kabupaten_code, family_id);
CREATE INDEX person_posyandu_idx ON person (kabupaten_code, posyandu_id);
CREATE INDEX service_provider_facility_idx ON service (kabupaten_code, provider_facility_id);
`).execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql.raw(`
DROP INDEX IF EXISTS child_family_idx;
DROP INDEX IF EXISTS person_family_idx;
DROP INDEX IF EXISTS person_posyandu_idx;
DROP INDEX IF EXISTS service_provider_facility_idx;
`).execute(db);
}
