import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDemoInputs } from '../../demo/demo-inputs.js';
import { loadDemo } from '../../demo/demo.loader.js';
import { databaseUrlOf, runCli } from '../../test-support/run-cli.js';
import { createTestDatabase, type TestDatabase } from '../../test-support/test-db.js';

describe('tumbuh start', () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase();
    await loadDemo(t, { ...loadDemoInputs(), children: 600, months: 2, seed: 9 });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('prints the district summary from the rollups, marked synthetic, without personal data', async () => {
    const { code, out, err } = await runCli(['start'], { DATABASE_URL: databaseUrlOf(t.config), TUMBUH_LANG: 'id' });
    expect(code).toBe(0);
    expect(out).toContain('Ringkasan Kabupaten Kotawaringin Barat, bulan 2025-10');
    expect(out).toContain('DATA SINTETIS');
    expect(out).toContain('Cakupan D/S');
    for (const kec of ['Kumai', 'Arut Selatan', 'Kotawaringin Lama', 'Arut Utara', 'Pangkalan Lada', 'Pangkalan Banteng']) {
      expect(out).toContain(kec);
    }
    // Already loaded: no second demo load.
    expect(err).not.toContain('memuat kabupaten demo');
    // No child's name reaches the terminal.
    const names = await t.db.selectFrom('child').select(['name']).limit(50).execute();
    for (const n of names) expect(out).not.toContain(n.name);
  });
});
