import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { parseCsv } from '../../common/csv.js';
import { ZSCORE_OUTPUT_COLUMNS } from '../../growth/zscore-csv.js';
import { main } from '../main.js';
import type { CliIO } from '../command.js';

const dir = mkdtempSync(join(tmpdir(), 'tumbuh-zscore-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function sink(): Writable & { text: () => string } {
  const chunks: Buffer[] = [];
  const w = new Writable({
    write(chunk, _enc, cb) {
      chunks.push(Buffer.from(chunk));
      cb();
    },
  });
  return Object.assign(w, { text: () => Buffer.concat(chunks).toString('utf8') });
}

async function run(args: string[], tty = false) {
  const stdout = sink();
  const stderr = Object.assign(sink(), { isTTY: tty });
  const io: CliIO = { stdout, stderr, env: {}, cwd: dir };
  const code = await main(['zscore', ...args], io);
  return { code, stdout: stdout.text(), stderr: stderr.text() };
}

function file(name: string, text: string): string {
  writeFileSync(join(dir, name), text);
  return name;
}

function table(text: string): Record<string, string>[] {
  const { records } = parseCsv(text);
  return records.slice(1).map((r) => Object.fromEntries(records[0].map((h, i) => [h, r[i]])));
}

// Reference rows: src/growth/fixtures/reference-cases.csv (WHO anthro outputs).
const fixture = table(readFileSync(new URL('../../growth/fixtures/reference-cases.csv', import.meta.url), 'utf8'));
const INPUTS = ['case_id', 'sex', 'age', 'weight', 'lenhei', 'measure', 'oedema', 'headc', 'armc', 'triskin', 'subskin'];
const ANTHRO = ['clenhei', 'cmeasure', 'c9mo_flag', 'csex', 'zlen', 'flen', 'zwei', 'fwei', 'zwfl', 'fwfl', 'zbmi', 'fbmi', 'zhc', 'fhc', 'zac', 'fac', 'zts', 'fts', 'zss', 'fss'];

describe('tumbuh zscore', () => {
  for (const unit of ['days', 'months'] as const) {
    it(`reproduces anthro on the reference cases given in ${unit}, columns in anthro's order`, async () => {
      const rows = fixture.filter((r) => r.age_unit === unit);
      const upper = INPUTS.map((c) => (c === 'sex' ? 'SEX' : c === 'lenhei' ? 'LenHei' : c)); // case-insensitive names
      const csv = [upper.join(','), ...rows.map((r) => INPUTS.map((c) => r[c]).join(','))].join('\n') + '\n';
      const res = await run([file(`ref-${unit}.csv`, csv), ...(unit === 'months' ? ['--age-unit', 'months'] : [])]);
      expect(res.code).toBe(0);
      const { records } = parseCsv(res.stdout);
      expect(records[0]).toEqual([...upper, ...ZSCORE_OUTPUT_COLUMNS]);
      const out = table(res.stdout);
      expect(out).toHaveLength(rows.length);
      out.forEach((o, i) => {
        for (const c of INPUTS) expect(o[c === 'sex' ? 'SEX' : c === 'lenhei' ? 'LenHei' : c]).toBe(rows[i][c]);
        for (const c of ANTHRO) {
          const e = rows[i][c];
          if (e === '' || Number.isNaN(Number(e))) expect(o[c]).toBe(e);
          else if (Number(o[c]) !== Number(e)) expect(`${c}=${o[c]}`).toBe(`${c}=${e}`); // === : R's -0 equals 0
        }
        expect(Math.abs(Number(o.cbmi || NaN) - Number(rows[i].cbmi || NaN)) <= 1e-12 * Number(rows[i].cbmi) || o.cbmi === rows[i].cbmi).toBe(true);
        expect(o.error).toBe('');
      });
      expect(res.stderr).toBe(`zscore: ${rows.length} baris, ${out.filter((o) => ANTHRO.some((c) => c.startsWith('z') && o[c] !== '')).length} dihitung, 0 baris dengan galat / zscore: ${rows.length} rows, ${out.filter((o) => ANTHRO.some((c) => c.startsWith('z') && o[c] !== '')).length} computed, 0 rows with errors\n`);
    });
  }

  it('reads Indonesian columns, semicolons, decimal commas and dates; writes statuses and reasons', async () => {
    const csv = [
      'Nama;JK;Tgl Lahir;Tgl Ukur;BB;TB;Cara Ukur;LiLA',
      'Siti;P;2023-01-15;2025-01-20;9,8;80,1;Berdiri;13,5',
      'Budi;L;15/03/2024;20/01/2025;abc;70;Telentang;',
      '"Ani; Putri";X;2024-02-30;2025-01-20;8;70;Telentang;',
      'Dodo;L;2024-03-15;2025-01-20;8;70;Duduk;12',
    ].join('\r\n');
    const res = await run([file('posyandu.csv', csv), '-o', 'hasil.csv']);
    expect(res.code).toBe(0);
    expect(res.stdout).toBe('');
    expect(res.stderr).toBe('zscore: 4 baris, 3 dihitung, 3 baris dengan galat / zscore: 4 rows, 3 computed, 3 rows with errors\n');
    const text = readFileSync(join(dir, 'hasil.csv'), 'utf8');
    expect(text.split('\n')[0]).toBe(['Nama', 'JK', 'Tgl Lahir', 'Tgl Ukur', 'BB', 'TB', 'Cara Ukur', 'LiLA', ...ZSCORE_OUTPUT_COLUMNS].join(';'));
    const [siti, budi, ani, dodo] = table(text);
    expect(siti).toMatchObject({ BB: '9,8', clenhei: '80.1', cmeasure: 'h', csex: '2', zlen: '-1.78', zwei: '-1.33', zwfl: '-0.51', zac: '-1.22' });
    expect(siti).toMatchObject({ status_bbu: 'Berat badan normal', status_tbu: 'Normal', status_bbtb: 'Gizi baik', status_imtu: 'Gizi baik', error: '' });
    expect(budi.zwei).toBe('');
    expect(budi.zlen).not.toBe('');
    expect(budi.error).toBe(
      'berat badan (kolom BB): bukan angka, hasil yang memakai nilai ini dikosongkan / weight (column BB): not a number, results using this value left empty',
    );
    expect(ani.Nama).toBe('Ani; Putri');
    expect(ani.zwei).toBe('');
    expect(ani.error).toMatch(/^tanggal lahir \(kolom Tgl Lahir\): tanggal tidak valid.*; jenis kelamin \(kolom JK\): kode tidak dikenal/);
    expect(dodo.zlen).toBe('');
    expect(dodo.zwei).not.toBe('');
    expect(dodo.error).toMatch(/cara ukur \(kolom Cara Ukur\): kode tidak dikenal/);
  });

  it('dates win over the age column; ages in months via --age-unit', async () => {
    const csv = 'sex,age,tgl_lahir,tgl_ukur,weight,lenhei\n1,24,2023-01-15,2025-01-15,12,86\n1,24,,,12,86\n';
    const res = await run([file('dates.csv', csv), '--age-unit', 'months']);
    const [fromDates, fromMonths] = table(res.stdout);
    expect(fromDates.zlen).toBe(fromMonths.zlen); // 731 days both ways
    const res2 = await run([file('dates2.csv', csv)]); // second row: 24 days
    expect(table(res2.stdout)[1].zlen).not.toBe(fromMonths.zlen);
  });

  it('keeps rows with too many fields, unmatched, with a reason', async () => {
    const res = await run([file('long.csv', 'sex,age,weight\n1,400,9\n1,400,9,extra\n')]);
    const lines = res.stdout.trim().split('\n');
    expect(lines).toHaveLength(3);
    const bad = table(res.stdout)[1];
    expect(bad.zwei).toBe('');
    expect(bad.error).toMatch(/^baris berisi 4 kolom, kepala berkas 3/);
    expect(res.stderr).toContain('2 baris, 1 dihitung, 1 baris dengan galat');
  });

  it('draws a progress bar only on a terminal', async () => {
    const name = file('tty.csv', 'sex,age,weight\n1,400,9\n');
    expect((await run([name], true)).stderr).toMatch(/\r\[#+\] 100% 1 baris \/ rows\n/);
    expect((await run([name], false)).stderr).not.toContain('[');
  });

  it('exit 2 with a bilingual message when the file cannot be read or has no usable columns', async () => {
    const missing = await run(['tidak-ada.csv']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toBe('Berkas tidak dapat dibaca: tidak-ada.csv (ENOENT)\nFile cannot be read: tidak-ada.csv (ENOENT)\n');
    expect((await run(['.'])).code).toBe(2);
    const cols = await run([file('cols.csv', 'nama,alamat\nSiti,Jl. Mawar\n')]);
    expect(cols.code).toBe(2);
    expect(cols.stderr).toMatch(/^Kolom tidak dikenali di cols\.csv.*\nNo recognisable columns in cols\.csv/);
    expect((await run([file('empty.csv', '')])).code).toBe(2);
    expect((await run([])).code).toBe(2);
    expect((await run(['x.csv', '--age-unit', 'weeks'])).code).toBe(2);
    expect((await run([file('same.csv', 'sex,weight\n1,9\n'), '-o', 'same.csv'])).code).toBe(2);
    expect(readFileSync(join(dir, 'same.csv'), 'utf8')).toBe('sex,weight\n1,9\n');
  });

  it('prints help with every output column', async () => {
    const res = await run(['--help']);
    expect(res.code).toBe(0);
    expect(res.stdout).toContain('tumbuh zscore IN.csv [-o OUT.csv] [--age-unit days|months]');
    expect(res.stdout).toContain(ZSCORE_OUTPUT_COLUMNS.join(', '));
  });
});
