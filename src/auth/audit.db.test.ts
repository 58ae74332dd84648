import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../common/app-error.js';
import { DESA_A, KOBAR } from '../test-support/fixtures.js';
import { createTestDatabase, type TestDatabase } from '../test-support/test-db.js';
import type { AccessScope } from './access.js';
import { auditPersonalRead, listAudit } from './audit.service.js';
import { GOOD_PASSWORD, SYSTEM } from './auth-test-world.js';
import { createUser } from './users.service.js';

let t: TestDatabase;
let admin: AccessScope;
let desa: AccessScope;

beforeAll(async () => {
  t = await createTestDatabase();
  const a = await createUser(t.db, SYSTEM, { username: 'admin.kobar', displayName: 'A', role: 'admin', password: GOOD_PASSWORD });
  const d = await createUser(t.db, SYSTEM, { username: 'desa.candi', displayName: 'D', role: 'desa', password: GOOD_PASSWORD, regionCodes: [DESA_A] });
  admin = { userId: a.id, username: a.username, role: 'admin', regionCodes: null, posyanduId: null, puskesmasId: null, sector: null, requestId: 'req-a' };
  desa = { userId: d.id, username: d.username, role: 'desa', regionCodes: [DESA_A], posyanduId: null, puskesmasId: null, sector: null, requestId: 'req-d' };
});
afterAll(async () => t?.close());

describe('audit', () => {
  it('records one row per read or export of personal data: who, what, which ids, why', async () => {
    await auditPersonalRead(t.db, desa, { entity: 'child', ids: [11, 12, 13], purpose: 'view', regionCode: DESA_A });
    await auditPersonalRead(t.db, desa, { entity: 'alert_list', count: 240, purpose: 'export', kabupatenCode: KOBAR });
    await auditPersonalRead(t.db, desa, { entity: 'child', ids: [11], purpose: 'view' });
    const rows = await t.db.selectFrom('audit_log').selectAll().where('action', 'like', 'personal.%').orderBy('id').execute();
    expect(rows).toHaveLength(3);
    expect(rows[0]).toMatchObject({ user_id: desa.userId, request_id: 'req-d', action: 'personal.read', entity: 'child', entity_id: null, kabupaten_code: KOBAR });
    expect(rows[0].details).toEqual({ purpose: 'view', role: 'desa', count: 3, ids: ['11', '12', '13'], idsTruncated: false, region: DESA_A });
    expect(rows[1]).toMatchObject({ action: 'personal.export', entity: 'alert_list', kabupaten_code: KOBAR, details: { count: 240, purpose: 'export' } });
    expect(rows[2].entity_id).toBe('11');
    await expect(auditPersonalRead(t.db, desa, { entity: '', purpose: 'view' })).rejects.toBeInstanceOf(AppError);
  });

  it('caps the listed ids at 1,000 and says so', async () => {
    const ids = Array.from({ length: 1500 }, (_, i) => i + 1);
    await auditPersonalRead(t.db, desa, { entity: 'measurement', ids, purpose: 'export' });
    const r = await t.db.selectFrom('audit_log').select('details').where('entity', '=', 'measurement').executeTakeFirstOrThrow();
    const d = r.details as { ids: string[]; count: number; idsTruncated: boolean };
    expect([d.ids.length, d.count, d.idsTruncated]).toEqual([1000, 1500, true]);
  });

  it('lists the log for administrators only, newest first, with filters and paging', async () => {
    await expect(listAudit(t.db, desa, { limit: 10, offset: 0 })).rejects.toMatchObject({ status: 403 });
    const all = await listAudit(t.db, admin, { limit: 100, offset: 0 });
    expect(all.total).toBe(all.entries.length);
    expect(all.entries.map((e) => e.id)).toEqual([...all.entries.map((e) => e.id)].sort((a, b) => b - a));
    const mine = await listAudit(t.db, admin, { userId: desa.userId as number, entity: 'child', limit: 100, offset: 0 });
    expect(mine.entries.map((e) => e.username)).toEqual(['desa.candi', 'desa.candi']);
    const exports = await listAudit(t.db, admin, { action: 'personal.export', limit: 1, offset: 1 });
    expect([exports.total, exports.entries.length, exports.entries[0].entity]).toEqual([2, 1, 'alert_list']);
    const creates = await listAudit(t.db, admin, { action: 'user.create', limit: 10, offset: 0 });
    expect(creates.entries.every((e) => e.userId === null && e.username === null)).toBe(true);
    const future = await listAudit(t.db, admin, { from: new Date(Date.now() + 3_600_000), limit: 10, offset: 0 });
    expect(future.total).toBe(0);
    const past = await listAudit(t.db, admin, { to: new Date(Date.now() + 3_600_000), kabupatenCode: KOBAR, limit: 500, offset: 0 });
    expect(past.entries.every((e) => e.kabupatenCode === KOBAR)).toBe(true);
    expect(past.total).toBeGreaterThan(0);
  });
});
