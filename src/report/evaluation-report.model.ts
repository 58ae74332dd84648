/**
 * What an evaluation report shows, gathered once for both the PDF and the XLSX: the round, its
 * figures (the frozen snapshot of a final round), barriers, follow-up actions (this round's and the
 * previous round's with indicator movement), roles with gaps, notes, and the desa boundaries.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { carriedActions, listActions, listBarriers, roundRoles, type Barrier, type CarriedAction, type FollowUpAction, type RolesResult } from '../evaluation/follow-up.service.js';
import { getRound, roundFigures, roundNotes, type EvaluationFigures, type Round } from '../evaluation/round.service.js';

export interface Boundary {
  code: string;
  /** Polygons as rings of [lng, lat]. */
  polygons: [number, number][][][];
}

export interface EvaluationReportModel {
  round: Round;
  figures: EvaluationFigures;
  barriers: Barrier[];
  actions: FollowUpAction[];
  carried: CarriedAction[];
  roles: RolesResult;
  notes: { kind: 'fgd' | 'opportunity'; groupName: string | null; note: string }[];
  boundaries: Boundary[];
  synthetic: boolean;
  /** The day statuses (overdue) are judged on. */
  today: string;
  partners: Map<number, string>;
}

function polygonsOf(geometry: unknown): [number, number][][][] {
  const g = geometry as { type: string; coordinates: unknown };
  if (g.type === 'Polygon') return [g.coordinates as [number, number][][]];
  if (g.type === 'MultiPolygon') return g.coordinates as [number, number][][][];
  return [];
}

/** Gathers the report of round `id`, judging action statuses on `today`. */
export async function buildEvaluationReportModel(db: Kysely<Database>, id: number, today: string): Promise<EvaluationReportModel> {
  const round = await getRound(db, id);
  const figures = await roundFigures(db, round, today);
  const [barriers, actions, carried, roles, notes] = [
    await listBarriers(db, id),
    await listActions(db, [id], today),
    await carriedActions(db, round, figures, today),
    await roundRoles(db, round, figures, today),
    await roundNotes(db, id),
  ];
  const b = await db.selectFrom('region_boundary').innerJoin('region', 'region.code', 'region_boundary.region_code')
    .select(['region_boundary.region_code', 'region_boundary.geometry'])
    .where('region.parent_code', 'like', `${round.kabupatenCode}.%`).where('region.level', 'in', ['desa', 'kelurahan']).execute();
  const demo = await db.selectFrom('app_setting').select('value').where('key', '=', 'demo').executeTakeFirst();
  const partners = new Map((await db.selectFrom('partner').select(['id', 'name']).execute()).map((p) => [p.id, p.name]));
  return {
    round, figures, barriers, actions, carried, roles, notes, today, partners,
    boundaries: b.map((x) => ({ code: x.region_code, polygons: polygonsOf(typeof x.geometry === 'string' ? JSON.parse(x.geometry) : x.geometry) })),
    synthetic: demo !== undefined,
  };
}
