import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { parseCsv } from '../../common/csv.js';
import { AppError } from '../../common/app-error.js';
import { main } from '../main.js';
import type { CliIO } from '../command.js';
import { prevalenceCommand } from './prevalence.command.js';

const FIXTURES = resolve(import.meta.dirname, '../../analytics/fixtures/prevalence-reference');
const work = mkdtempSync(join(tmpdir(), 'tumbuh-prevalence-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function io(): { io: CliIO; out: () => string; err: () => string } {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (c: Buffer) => (out += c.toString('utf8')));
  stderr.on('data', (c: Buffer) => (err += c.toString('utf8')));
  return { io: { stdout, stderr, env: {}, cwd: work }, out: () => out, err: () => err };
}

async function run(args: string[]) {
  const h = io();
  const code = await prevalenceCommand.run(args, h.io);
  return { code, out: h.out(), err: h.err() };
}

const near = (a: string, e: string) => (e === '' ? a === '' : Math.abs(Number(a) - Number(e)) <= 1e-6 * Math.abs(Number(e)) + 1e-9);

describe('tumbuh prevalence', () => {
  it('reproduces anthro’s table for the survey design; --by rows are "<column>: <value>"', async () => {
    const { code, out, err } = await run([
      join(FIXTURES, 'prev-design.csv'),
      '--by', 'region', '--cluster', 'cluster', '--strata', 'strata', '--weights', 'sw',
    ]);
    expect(code).toBe(0);
    expect(err).toContain('1826');
    const got = parseCsv(out).records;
    const expected = parseCsv(readFileSync(join(FIXTURES, 'prev-design-expected-by-region.csv'), 'utf8')).records;
    expect(got[0]).toEqual(expected[0]);
    const label = (g: string) => g.replace(/^Geographical region: /, 'region: ');
    const mine = new Map(got.slice(1).map((r) => [r[0], r]));
    expect(mine.size).toBe(expected.length - 1);
    let compared = 0;
    for (const row of expected.slice(1)) {
      const r = mine.get(label(row[0]));
      expect(r, row[0]).toBeDefined();
      for (let c = 1; c < row.length; c++) {
        if (!near(r![c], row[c])) throw new Error(`${row[0]} ${expected[0][c]}: ${r![c]} vs ${row[c]}`);
        compared++;
      }
    }
    expect(compared).toBe((expected.length - 1) * 134);
  });

  it('--format json gives one record per group × indicator × cut-off', async () => {
    const { code, out } = await run([join(FIXTURES, 'prev-small.csv'), '--gregion', 'region', '--format', 'json']);
    expect(code).toBe(0);
    const doc = JSON.parse(out) as { design: string; rowsUsed: number; records: Record<string, unknown>[] };
    expect(doc.design).toBe('simple');
    expect(doc.rowsUsed).toBe(150);
    expect(doc.records).toHaveLength(24 * 30);
    const expected = parseCsv(readFileSync(join(FIXTURES, 'prev-small-expected-by-region.csv'), 'utf8')).records;
    const h = expected[0];
    const all = expected.find((r) => r[0] === 'Geographical region: Kumai')!;
    const stunting = doc.records.find((r) => r.group === 'Geographical region: Kumai' && r.indicator === 'HA' && r.cutoff === -2)!;
    expect(stunting.prevalence).toBeCloseTo(Number(all[h.indexOf('HA_2_r')]), 7);
    expect(stunting.ci_high).toBeCloseTo(Number(all[h.indexOf('HA_2_ul')]), 7);
    expect(stunting.n).toBe(Number(all[h.indexOf('HAZ_unwpop')]));
    const empty = doc.records.find((r) => r.group === 'Age group: 00-05 mo' && r.indicator === 'WH' && r.cutoff === null)!;
    expect(empty).toMatchObject({ n: 0, mean_z: null });
  });

  it('reads ages in months and writes to a file', async () => {
    const days = readFileSync(join(FIXTURES, 'prev-small.csv'), 'utf8').split('\n');
    const header = days[0].split(',');
    const ageCol = header.indexOf('age');
    const months = [days[0], ...days.slice(1).filter(Boolean).map((l) => {
      const f = l.split(',');
      f[ageCol] = String(Number(f[ageCol]) / 30.4375);
      return f.join(',');
    })].join('\n');
    writeFileSync(join(work, 'months.csv'), months);
    const { code } = await run(['months.csv', '--age-unit', 'months', '-o', 'out.csv']);
    expect(code).toBe(0);
    const got = parseCsv(readFileSync(join(work, 'out.csv'), 'utf8')).records;
    expect(got[1][0]).toBe('All');
    expect(got[1][2]).toBe('145');
  });

  it('takes the age from tgl_lahir + tgl_ukur as tumbuh zscore does', async () => {
    writeFileSync(join(work, 'age.csv'), 'sex,age,weight,lenhei\n1,400,8.1,72\n2,1000,11,86.5\n1,90,5.2,58\n');
    writeFileSync(
      join(work, 'dates.csv'),
      'jk;tgl_lahir;tgl_ukur;bb;tb\n1;2023-05-27;2024-06-30;8,1;72\n2;2021-10-04;2024-06-30;11;86,5\n1;01/04/2024;30/06/2024;5,2;58\n',
    );
    const a = await run(['age.csv']);
    const d = await run(['dates.csv']);
    expect(d.code).toBe(0);
    expect(d.out).toBe(a.out);
    expect(parseCsv(a.out).records[1][2]).toBe('3');
  });

  it('exits 2 with a bilingual message on an unreadable or unusable file', async () => {
    for (const args of [['missing.csv'], ['x.csv', '--format', 'xml'], ['x.csv', '--age-unit', 'years']]) {
      const h = io();
      const code = await main(['prevalence', ...args], h.io);
      expect(code).toBe(2);
      expect(h.err()).toMatch(/\n.+/); // Indonesian line, then English line
    }
    writeFileSync(join(work, 'nosex.csv'), 'age,weight\n100,5\n');
    const h = io();
    expect(await main(['prevalence', 'nosex.csv'], h.io)).toBe(2);
    expect(h.err()).toContain('jenis kelamin');
    expect(h.err()).toContain('No sex column');
    await expect(run([join(FIXTURES, 'prev-small.csv'), '--by', 'nope'])).rejects.toBeInstanceOf(AppError);
  });
});
