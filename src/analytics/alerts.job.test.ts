import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addPosyandu, DESA_A, KOBAR } from '../test-support/fixtures.js';
import { createTestDatabase, type TestDatabase } from '../test-support/test-db.js';
import { readDefaultAnalyticsConfig } from './analytics-config.schema.js';
import { addChild, addMeasurement, addPerson, addService } from './analytics-test-data.js';
import { refreshAlerts } from './alerts.job.js';
import { alertCounts, followUpAlert, listAlerts } from './alerts.service.js';
import { analyticsDb } from './analytics.tables.js';

const config = readDefaultAnalyticsConfig().alerts;
const JUNE = '2025-06-01';
let t: TestDatabase;
let posyandu: number;
const ids: Record<string, number> = {};

/** A child registered long before June, weighed in June with these values (one measurement per call). */
async function child(label: string, ...visits: Omit<Parameters<typeof addMeasurement>[1], 'childId'>[]): Promise<number> {
  const id = await addChild(t.db, { desaCode: DESA_A, posyanduId: posyandu, birthDate: '2024-01-15', name: `Anak ${label}` });
  for (const v of visits) await addMeasurement(t.db, { childId: id, ...v });
  ids[label] = id;
  return id;
}

const PERSONS = new Set(['kek', 'kekPmt', 'notKek', 'delivered']);

async function kindsOf(label: string): Promise<string[]> {
  const rows = await analyticsDb(t.db).selectFrom('child_alert').select('kind').where('month', '=', JUNE)
    .where(PERSONS.has(label) ? 'person_id' : 'child_id', '=', ids[label]).orderBy('kind').execute();
  return rows.map((r) => r.kind);
}

beforeAll(async () => {
  t = await createTestDatabase();
  posyandu = await addPosyandu(t.db, DESA_A, 'Posyandu Melati');
  // newly stunted at the cut-off: previous −1.99 / −2.00 (not stunted), now −2.01; previous −2.01 was already stunted.
  await child('newly199', { measuredOn: '2025-05-10', zlen: -1.99 }, { measuredOn: '2025-06-10', zlen: -2.01 });
  await child('newly200', { measuredOn: '2025-05-10', zlen: -2.0 }, { measuredOn: '2025-06-10', zlen: -2.01 });
  await child('already', { measuredOn: '2025-05-10', zlen: -2.01 }, { measuredOn: '2025-06-10', zlen: -2.5 });
  // HAZ falling: exactly 0.50 in 90 days; 0.49; 0.60 but 93 days earlier; a flagged earlier value does not count.
  await child('fall050', { measuredOn: '2025-03-12', zlen: 0 }, { measuredOn: '2025-06-10', zlen: -0.5 });
  await child('fall049', { measuredOn: '2025-03-12', zlen: 0 }, { measuredOn: '2025-06-10', zlen: -0.49 });
  await child('fall93d', { measuredOn: '2025-03-09', zlen: 0.1 }, { measuredOn: '2025-06-10', zlen: -0.5 });
  await child('fallFlag', { measuredOn: '2025-05-01', zlen: 3, flen: 1 }, { measuredOn: '2025-06-10', zlen: -0.5 });
  // BGM at the red line, wasting at its edges, oedema.
  await child('waz300', { measuredOn: '2025-06-10', zwei: -3.0 });
  await child('waz301', { measuredOn: '2025-06-10', zwei: -3.01 });
  await child('whz200', { measuredOn: '2025-06-10', zwfl: -2.0 });
  await child('whz201', { measuredOn: '2025-06-10', zwfl: -2.01 });
  await child('whz300', { measuredOn: '2025-06-10', zwfl: -3.0 });
  await child('whz301', { measuredOn: '2025-06-10', zwfl: -3.01 });
  await child('oedema', { measuredOn: '2025-06-10', zwfl: 0.5, oedema: true });
  // T, 2T; only the latest measurement of the month counts.
  await child('T', { measuredOn: '2025-06-10', weightGain: 'T' });
  await child('2T', { measuredOn: '2025-06-10', weightGain: 'T', twoT: true });
  await child('Tthen N', { measuredOn: '2025-06-03', weightGain: 'T' }, { measuredOn: '2025-06-20', weightGain: 'N' });
  // Not weighed for 2 months: last weighing in April; weighed 31 May; registered in May; June visit without weight.
  await child('april', { measuredOn: '2025-04-20' });
  await child('may31', { measuredOn: '2025-05-31' });
  ids.newReg = await addChild(t.db, { desaCode: DESA_A, posyanduId: posyandu, birthDate: '2025-05-01', registeredOn: '2025-05-15' });
  await child('noWeight', { measuredOn: '2025-06-10', weightKg: null, zlen: -1 });
  ids.exited = await addChild(t.db, { desaCode: DESA_A, posyanduId: posyandu, birthDate: '2024-01-01', exitedOn: '2025-05-20' });
  // Ibu hamil KEK without PMT; with PMT in June; not KEK; pregnancy ended in May.
  ids.kek = await addPerson(t.db, { desaCode: DESA_A, registeredOn: '2025-02-01', hpht: '2025-01-01', expectedDelivery: '2025-10-08', kek: true, lilaCm: 22.1 });
  ids.kekPmt = await addPerson(t.db, { desaCode: DESA_A, registeredOn: '2025-02-01', hpht: '2025-01-01', expectedDelivery: '2025-10-08', kek: true, lilaCm: 22.9 });
  await addService(t.db, { desaCode: DESA_A, code: 'PMT_BUMIL_KEK', servedOn: '2025-06-20', personId: ids.kekPmt });
  ids.notKek = await addPerson(t.db, { desaCode: DESA_A, registeredOn: '2025-02-01', hpht: '2025-01-01', expectedDelivery: '2025-10-08', kek: false, lilaCm: 25 });
  ids.delivered = await addPerson(t.db, { desaCode: DESA_A, registeredOn: '2024-09-01', hpht: '2024-08-13', expectedDelivery: '2025-05-20', kek: true, lilaCm: 22 });
  await refreshAlerts(t.db, KOBAR, JUNE, config);
});

afterAll(async () => t?.close());

describe('alert rules at their edges (month June 2025)', () => {
  it('newly stunted: previous HAZ ≥ −2 (−1.99 and exactly −2.00), not when already below', async () => {
    expect(await kindsOf('newly199')).toEqual(['newly_stunted']);
    expect(await kindsOf('newly200')).toEqual(['newly_stunted']);
    expect(await kindsOf('already')).toEqual([]);
  });

  it('HAZ falling: a drop of exactly 0.50 within 92 days alerts; 0.49, 93 days back, or a flagged value do not', async () => {
    expect(await kindsOf('fall050')).toEqual(['haz_falling']);
    expect(await kindsOf('fall049')).toEqual([]);
    expect(await kindsOf('fall93d')).toEqual([]);
    expect(await kindsOf('fallFlag')).toEqual([]);
  });

  it('BGM strictly below −3; wasting below −2; severe below −3 or with oedema', async () => {
    expect(await kindsOf('waz300')).toEqual([]);
    expect(await kindsOf('waz301')).toEqual(['BGM']);
    expect(await kindsOf('whz200')).toEqual([]);
    expect(await kindsOf('whz201')).toEqual(['wasted']);
    expect(await kindsOf('whz300')).toEqual(['wasted']);
    expect(await kindsOf('whz301')).toEqual(['severely_wasted']);
    expect(await kindsOf('oedema')).toEqual(['severely_wasted']);
  });

  it('T and 2T from the latest weighing of the month', async () => {
    expect(await kindsOf('T')).toEqual(['T']);
    expect(await kindsOf('2T')).toEqual(['2T']);
    expect(await kindsOf('Tthen N')).toEqual([]);
  });

  it('not weighed in May and June; not for a child weighed on 31 May, registered in May, or exited', async () => {
    expect(await kindsOf('april')).toEqual(['not_weighed']);
    expect(await kindsOf('noWeight')).toEqual(['not_weighed']);
    expect(await kindsOf('may31')).toEqual([]);
    expect(await kindsOf('newReg')).toEqual([]);
    expect(await kindsOf('exited')).toEqual([]);
  });

  it('ibu hamil KEK without PMT, and only her', async () => {
    expect(await kindsOf('kek')).toEqual(['kek_no_pmt']);
    expect(await kindsOf('kekPmt')).toEqual([]);
    expect(await kindsOf('notKek')).toEqual([]);
    expect(await kindsOf('delivered')).toEqual([]);
  });

  it('lists them by name with the reason and action in words, most urgent first', async () => {
    const list = await listAlerts(t.db, { kabupatenCode: KOBAR, desaCode: DESA_A, month: '2025-06' });
    expect(list.map((a) => a.kind).slice(0, 2)).toEqual(['severely_wasted', 'severely_wasted']);
    const fall = list.find((a) => a.subjectId === ids.fall050 && a.kind === 'haz_falling');
    expect(fall?.name).toBe('Anak fall050');
    expect(fall?.reason).toEqual({ id: 'TB/U turun 0,50 dalam 90 hari (dari 0,00 ke -0,50)', en: 'HAZ fell by 0.50 in 90 days (from 0.00 to -0.50)' });
    expect(fall?.ageMonths).toBe(16);
    const april = list.find((a) => a.subjectId === ids.april);
    expect(april?.reason.id).toBe('Tidak ditimbang 2 bulan terakhir (penimbangan terakhir: 20/04/2025)');
    expect(list.find((a) => a.kind === '2T')?.action).toEqual({ id: 'Rujuk ke puskesmas', en: 'Refer to the puskesmas' });
    const kek = list.find((a) => a.kind === 'kek_no_pmt');
    expect(kek?.subject).toBe('ibu_hamil');
    expect(kek?.reason.en).toBe('Pregnant woman with KEK (MUAC 22.1 cm) has not received supplementary food');
  });

  it('rolls up per desa and posyandu', async () => {
    const [desa] = await alertCounts(t.db, KOBAR, JUNE, 'desa');
    expect(desa.unit).toBe(DESA_A);
    expect(desa.byKind).toMatchObject({ newly_stunted: 2, haz_falling: 1, BGM: 1, wasted: 2, severely_wasted: 2, T: 1, '2T': 1, not_weighed: 2, kek_no_pmt: 1 });
    expect(desa.total).toBe(13);
    expect(desa.open).toBe(13);
    const perPosyandu = await alertCounts(t.db, KOBAR, JUNE, 'posyandu');
    expect(perPosyandu.map((c) => [c.unit, c.total])).toEqual([['-', 1], [String(posyandu), 12]]);
  });

  it('keeps follow-up status across a refresh, and drops an open alert whose data were corrected', async () => {
    const list = await listAlerts(t.db, { kabupatenCode: KOBAR, desaCode: DESA_A, month: '2025-06' });
    const bgm = list.find((a) => a.kind === 'BGM') as { id: number };
    const wasted = list.find((a) => a.kind === 'wasted' && a.subjectId === ids.whz201) as { id: number };
    await expect(followUpAlert(t.db, bgm.id, { status: 'followed_up' }, { userId: null })).rejects.toMatchObject({ code: 'follow_up_needs_by' });
    await followUpAlert(t.db, bgm.id, { status: 'followed_up', by: 'Bidan Desa', note: 'dirujuk' }, { userId: null });
    await analyticsDb(t.db).updateTable('measurement').set({ zwfl: -1.5 }).where('child_id', '=', ids.whz201).execute();
    await analyticsDb(t.db).updateTable('measurement').set({ zwei: -2.5 }).where('child_id', '=', ids.waz301).execute();
    const result = await refreshAlerts(t.db, KOBAR, JUNE, config);
    expect(result.removed).toBe(1);
    const after = await listAlerts(t.db, { kabupatenCode: KOBAR, desaCode: DESA_A, month: '2025-06' });
    expect(after.find((a) => a.id === wasted.id)).toBeUndefined();
    expect(after.find((a) => a.id === bgm.id)).toMatchObject({ status: 'followed_up', followedUpBy: 'Bidan Desa', followUpNote: 'dirujuk' });
    await followUpAlert(t.db, bgm.id, { status: 'closed' }, { userId: null });
    const closed = await listAlerts(t.db, { kabupatenCode: KOBAR, month: '2025-06', status: 'closed' });
    expect(closed.map((a) => a.id)).toEqual([bgm.id]);
    const audit = await t.db.selectFrom('audit_log').select(['entity', 'details']).where('entity', '=', 'child_alert').orderBy('id').execute();
    // Audited with the status only: neither the worker's name nor the note nor the child's name.
    expect(audit.map((a) => a.details)).toEqual([{ status: 'followed_up' }, { status: 'closed' }]);
  });
});
