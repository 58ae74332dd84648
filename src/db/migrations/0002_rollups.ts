import { sql, type Kysely } from 'kysely';

// Small tables the dashboards read instead of scanning measurements (definitions: docs/DATA-MODEL.md
// "Rollups"; maintained by src/db/rollup.ts in the writing transaction).
const COUNTS = `
  registered integer NOT NULL DEFAULT 0 CHECK (registered >= 0),
  measured integer NOT NULL DEFAULT 0 CHECK (measured >= 0),
  weight_up integer NOT NULL DEFAULT 0 CHECK (weight_up >= 0),
  weight_gain_denom integer NOT NULL DEFAULT 0 CHECK (weight_gain_denom >= weight_up),
  two_t integer NOT NULL DEFAULT 0 CHECK (two_t >= 0),
  stunted integer NOT NULL DEFAULT 0 CHECK (stunted >= severely_stunted),
  severely_stunted integer NOT NULL DEFAULT 0 CHECK (severely_stunted >= 0),
  stunting_denom integer NOT NULL DEFAULT 0 CHECK (stunting_denom >= stunted),
  wasted integer NOT NULL DEFAULT 0 CHECK (wasted >= severely_wasted),
  severely_wasted integer NOT NULL DEFAULT 0 CHECK (severely_wasted >= 0),
  overweight integer NOT NULL DEFAULT 0 CHECK (overweight >= 0),
  wasting_denom integer NOT NULL DEFAULT 0 CHECK (wasting_denom >= wasted + overweight),
  underweight integer NOT NULL DEFAULT 0 CHECK (underweight >= 0),
  underweight_denom integer NOT NULL DEFAULT 0 CHECK (underweight_denom >= underweight),
  flagged integer NOT NULL DEFAULT 0 CHECK (flagged >= 0),
  CHECK (measured >= weight_gain_denom AND measured >= stunting_denom AND measured >= wasting_denom
    AND measured >= underweight_denom AND measured >= flagged)`;

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql.raw(`
CREATE TABLE rollup_desa_month (
  kabupaten_code text NOT NULL,
  desa_code text NOT NULL REFERENCES region (code),
  month date NOT NULL CHECK (extract(day FROM month) = 1),
  ${COUNTS},
  PRIMARY KEY (kabupaten_code, desa_code, month),
  CHECK (left(desa_code, 5) = kabupaten_code)
);

CREATE TABLE rollup_posyandu_month (
  kabupaten_code text NOT NULL,
  posyandu_id bigint NOT NULL,
  desa_code text NOT NULL REFERENCES region (code),
  month date NOT NULL CHECK (extract(day FROM month) = 1),
  ${COUNTS},
  PRIMARY KEY (kabupaten_code, posyandu_id, month),
  FOREIGN KEY (kabupaten_code, posyandu_id) REFERENCES facility (kabupaten_code, id) ON DELETE CASCADE,
  CHECK (left(desa_code, 5) = kabupaten_code)
);
CREATE INDEX rollup_posyandu_month_desa_idx ON rollup_posyandu_month (desa_code, month);
`).execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql.raw('DROP TABLE IF EXISTS rollup_posyandu_month, rollup_desa_month').execute(db);
}
