import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Kysely, Transaction } from 'kysely';
import { z } from 'zod';
import type { Database } from '../db/schema.js';
import { packageRoot } from './who-tables.js';

const targetSchema = z.object({
  year: z.number().int().min(2000).max(2100).describe('Target year'),
  level: z.enum(['nasional', 'provinsi', 'kabupaten', 'kecamatan', 'desa']).describe('Level the target applies to'),
  region_code: z.string().optional().describe('Kemendagri code for provincial/district targets'),
  value: z.number().min(0).describe('Target value in the indicator unit'),
  source: z.string().min(1).describe('Key of the source document in `sources`'),
  verified: z.boolean().describe('false where the domain brief marks the figure [unverified]'),
  note: z.string().optional(),
});

const indicatorSchema = z.object({
  id: z.string().regex(/^[A-Z]{2,4}-\d{2,3}$/),
  kind: z.enum(['spesifik', 'sensitif', 'outcome', 'lainnya']),
  unit: z.enum(['percent', 'persons', 'families', 'count']),
  direction: z.enum(['higher_better', 'lower_better']),
  name_id: z.string().min(1),
  name_en: z.string().min(1),
  target_group: z.string().min(1),
  numerator: z.string().min(1),
  denominator: z.string().nullable(),
  national_owner: z.string().min(1),
  district_opd: z.string().min(1),
  note: z.string().optional(),
  targets: z.array(targetSchema),
});

/** Schema of data/indicators/catalogue.json. */
export const catalogueSchema = z
  .object({
    version: z.literal(1),
    description: z.string(),
    sources: z.record(z.string().regex(/^[a-z0-9-]+$/), z.object({ title: z.string().min(1), url: z.string().url().optional() })),
    indicators: z.array(indicatorSchema).min(1),
  })
  .superRefine((c, ctx) => {
    const ids = new Set<string>();
    c.indicators.forEach((ind, i) => {
      if (ids.has(ind.id)) ctx.addIssue({ code: 'custom', path: ['indicators', i, 'id'], message: `duplicate id ${ind.id}` });
      ids.add(ind.id);
      if (ind.unit === 'percent' && ind.denominator === null) {
        ctx.addIssue({ code: 'custom', path: ['indicators', i, 'denominator'], message: 'a percentage needs a denominator' });
      }
      ind.targets.forEach((t, j) => {
        if (!(t.source in c.sources)) ctx.addIssue({ code: 'custom', path: ['indicators', i, 'targets', j, 'source'], message: `unknown source ${t.source}` });
        if ((t.level === 'nasional') === (t.region_code !== undefined)) {
          ctx.addIssue({ code: 'custom', path: ['indicators', i, 'targets', j, 'region_code'], message: 'region_code is required for non-national targets only' });
        }
      });
    });
  });

export type IndicatorCatalogue = z.infer<typeof catalogueSchema>;

/** Schema of data/indicators/interventions.json. */
export const interventionsSchema = z.object({
  description: z.string(),
  interventions: z.array(
    z.object({
      code: z.string().regex(/^[A-Z0-9_]{2,40}$/),
      kind: z.enum(['spesifik', 'sensitif']),
      recipient: z.enum(['child', 'person', 'family']),
      indicator_id: z.string().nullable(),
      name_id: z.string().min(1),
      name_en: z.string().min(1),
    }),
  ),
});

export type InterventionList = z.infer<typeof interventionsSchema>;

/** The indicator catalogue (default data/indicators/catalogue.json), validated. */
export function readIndicatorCatalogue(file = join(packageRoot(), 'data', 'indicators', 'catalogue.json')): IndicatorCatalogue {
  return catalogueSchema.parse(JSON.parse(readFileSync(file, 'utf8')));
}

/** The intervention list (default data/indicators/interventions.json), validated. */
export function readInterventions(file = join(packageRoot(), 'data', 'indicators', 'interventions.json')): InterventionList {
  return interventionsSchema.parse(JSON.parse(readFileSync(file, 'utf8')));
}

type Db = Kysely<Database> | Transaction<Database>;

/**
 * Synchronises the catalogue into indicator / target_source / target / intervention: catalogue
 * rows are upserted, catalogue targets no longer in the file are removed, and rows a district
 * entered itself (origin 'district') are never touched. Targets whose region is not stored are
 * skipped (a province-level target of another province). Returns the counts written.
 */
export async function loadIndicatorCatalogue(db: Db, catalogue: IndicatorCatalogue, interventions: InterventionList): Promise<{ indicators: number; targets: number; interventions: number }> {
  for (const [key, s] of Object.entries(catalogue.sources)) {
    await db.insertInto('target_source').values({ key, title: s.title, url: s.url ?? null })
      .onConflict((oc) => oc.column('key').doUpdateSet({ title: s.title, url: s.url ?? null })).execute();
  }
  const regions = new Set((await db.selectFrom('region').select('code').execute()).map((r) => r.code));
  let targets = 0;
  for (const ind of catalogue.indicators) {
    const { targets: list, note, ...fields } = ind;
    const row = { ...fields, note: note ?? null, origin: 'catalogue' as const };
    await db.insertInto('indicator').values(row).onConflict((oc) => oc.column('id').doUpdateSet(row)).execute();
    await db.deleteFrom('target').where('indicator_id', '=', ind.id).where('origin', '=', 'catalogue').execute();
    for (const t of list) {
      if (t.region_code !== undefined && !regions.has(t.region_code)) continue;
      await db.insertInto('target').values({
        indicator_id: ind.id, year: t.year, level: t.level, region_code: t.region_code ?? null, value: t.value,
        source_key: t.source, verified: t.verified, note: t.note ?? null, origin: 'catalogue',
      }).execute();
      targets++;
    }
  }
  for (const iv of interventions.interventions) {
    await db.insertInto('intervention').values(iv).onConflict((oc) => oc.column('code').doUpdateSet(iv)).execute();
  }
  return { indicators: catalogue.indicators.length, targets, interventions: interventions.interventions.length };
}
