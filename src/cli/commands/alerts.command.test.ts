import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addChild, addMeasurement } from '../../analytics/analytics-test-data.js';
import { rebuildAllRollups } from '../../db/rollup.js';
import { addPosyandu, DESA_A } from '../../test-support/fixtures.js';
import { createTestDatabase, type TestDatabase } from '../../test-support/test-db.js';
import { databaseUrlOf, runCli } from '../../test-support/run-cli.js';

let t: TestDatabase;
let env: Record<string, string>;
const dir = mkdtempSync(join(tmpdir(), 'tumbuh-alerts-cli-'));

const cli = (args: string[]) => runCli(args, env, dir);

beforeAll(async () => {
  t = await createTestDatabase();
  env = { DATABASE_URL: databaseUrlOf(t.config), TUMBUH_NIK_KEY: 'alerts-cli-test-key-0123456789abcdef', TUMBUH_DATA_DIR: dir };
  const pos = await addPosyandu(t.db, DESA_A, 'Posyandu Mawar');
  const sari = await addChild(t.db, { desaCode: DESA_A, posyanduId: pos, birthDate: '2024-02-01', name: 'Sari Wulandari', sex: 2 });
  await addMeasurement(t.db, { childId: sari, measuredOn: '2025-06-10', zwfl: -3.2 });
  await t.db.transaction().execute((trx) => rebuildAllRollups(trx));
});

afterAll(async () => {
  await t?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('tumbuh alerts', () => {
  it('lists the desa\'s alerts by name, marked confidential, with reason and action in both languages', async () => {
    const r = await cli(['alerts', '--desa', DESA_A]);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out.split('\n')[0]).toContain('RAHASIA');
    expect(r.out).toContain('CONFIDENTIAL');
    expect(r.out).toContain('[severely_wasted]');
    expect(r.out).toContain('Posyandu Mawar — Sari Wulandari (P, 16 bln)');
    expect(r.out).toContain('Alasan: Gizi buruk: BB/PB–BB/TB -3,20 pada 10/06/2025');
    expect(r.out).toContain('Action: Refer to the puskesmas at once for treatment of severe wasting');
  });

  it('records a follow-up and shows who did it; JSON output carries the confidential marker', async () => {
    const json = JSON.parse((await cli(['alerts', '--desa', DESA_A, '--month', '2025-06', '--format', 'json'])).out);
    expect(json.confidential.en).toContain('CONFIDENTIAL');
    const id = json.alerts[0].id as number;
    expect((await cli(['alerts', '--follow-up', String(id), '--by', 'Bidan Rina', '--note', 'dirujuk ke puskesmas'])).code).toBe(0);
    const after = await cli(['alerts', '--desa', DESA_A, '--refresh']);
    expect(after.out).toContain(`#${id} followed_up`);
    expect(after.out).toContain('Ditindaklanjuti oleh Bidan Rina');
  });

  it('rejects wrong arguments with exit code 2', async () => {
    const r = await cli(['alerts', '--desa', '62.01']);
    expect(r.code).toBe(2);
    expect(r.err).toContain('Pemakaian: tumbuh alerts');
  });
});
