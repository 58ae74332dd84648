import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Kysely } from 'kysely';
import { loadIndicatorCatalogue, readIndicatorCatalogue, readInterventions } from '../reference/indicators.js';
import { defaultRegionFiles, loadBoundaries, loadRegions, readRegionsCsv } from '../reference/regions.js';
import type { Database } from './schema.js';

export interface SeedFiles {
  regions: string;
  boundaries: string | null;
  catalogue?: string;
  interventions?: string;
}

/** Which reference files to load: TUMBUH_REGIONS_FILE / TUMBUH_BOUNDARIES_FILE or the shipped Kobar files. */
export function seedFilesFromEnv(env: Record<string, string | undefined>): SeedFiles {
  const d = defaultRegionFiles();
  const regions = env.TUMBUH_REGIONS_FILE?.trim() || d.regions;
  const boundaries = env.TUMBUH_BOUNDARIES_FILE !== undefined ? env.TUMBUH_BOUNDARIES_FILE.trim() || null : d.boundaries;
  return { regions, boundaries };
}

function digest(files: (string | null | undefined)[]): string {
  const h = createHash('sha256');
  for (const f of files) h.update(f ? `${f}\0` : '-\0').update(f ? readFileSync(f) : '');
  return h.digest('hex');
}

/**
 * Loads the reference data (regions, boundaries, indicator catalogue with targets, interventions)
 * in one transaction. Skipped when the same files were already loaded (their digest is kept in
 * app_setting), so every start is cheap and a changed file is picked up at the next start.
 */
export async function seedReferenceData(db: Kysely<Database>, files: SeedFiles): Promise<{ loaded: boolean }> {
  const catalogue = readIndicatorCatalogue(files.catalogue);
  const interventions = readInterventions(files.interventions);
  const sum = digest([files.regions, files.boundaries, files.catalogue, files.interventions]) +
    createHash('sha256').update(JSON.stringify([catalogue, interventions])).digest('hex').slice(0, 16);
  const current = await db.selectFrom('app_setting').select('value').where('key', '=', 'reference_digest').executeTakeFirst();
  if (current?.value === sum) return { loaded: false };
  const regions = readRegionsCsv(files.regions);
  await db.transaction().execute(async (trx) => {
    await loadRegions(trx, regions);
    if (files.boundaries) await loadBoundaries(trx, files.boundaries);
    await loadIndicatorCatalogue(trx, catalogue, interventions);
    await trx.insertInto('app_setting').values({ key: 'reference_digest', value: sum })
      .onConflict((oc) => oc.column('key').doUpdateSet({ value: sum, updated_at: new Date() })).execute();
  });
  return { loaded: true };
}
