import { closeSync, createWriteStream, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateRawSync, crc32 } from 'node:zlib';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../common/app-error.js';
import { importEppgbmFile } from './eppgbm-import.service.js';
import { loadRegionRecords, RegionMatcher } from './region-matcher.js';
import { mulberry32 } from '../common/random.js';

const FIXTURES = fileURLToPath(new URL('./fixtures/', import.meta.url));
const matcher = new RegionMatcher(loadRegionRecords(), '62.01');
let dir: string;
let xlsxBytes: Buffer;
let bombs: Buffer[];


/** A ZIP archive from parts; `lie` makes the central directory understate a part's size. */
function zip(parts: { name: string; data: Buffer; lie?: number }[]): Buffer {
  const locals: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const p of parts) {
    const comp = deflateRawSync(p.data, { level: 9 });
    const name = Buffer.from(p.name);
    const size = p.lie ?? p.data.length;
    const lh = Buffer.alloc(30);
    lh.writeUInt32LE(0x04034b50, 0);
    lh.writeUInt16LE(20, 4);
    lh.writeUInt16LE(8, 8);
    lh.writeUInt32LE(crc32(p.data), 14);
    lh.writeUInt32LE(comp.length, 18);
    lh.writeUInt32LE(size, 22);
    lh.writeUInt16LE(name.length, 26);
    locals.push(lh, name, comp);
    const ch = Buffer.alloc(46);
    ch.writeUInt32LE(0x02014b50, 0);
    ch.writeUInt16LE(20, 4);
    ch.writeUInt16LE(20, 6);
    ch.writeUInt16LE(8, 10);
    ch.writeUInt32LE(crc32(p.data), 16);
    ch.writeUInt32LE(comp.length, 20);
    ch.writeUInt32LE(size, 24);
    ch.writeUInt16LE(name.length, 28);
    ch.writeUInt32LE(offset, 42);
    central.push(ch, name);
    offset += 30 + name.length + comp.length;
  }
  const cd = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(parts.length, 8);
  end.writeUInt16LE(parts.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}

function bombXlsx(sheet: Buffer, lie?: number): Buffer {
  return zip([
    { name: '[Content_Types].xml', data: Buffer.from('<Types/>') },
    { name: 'xl/workbook.xml', data: Buffer.from('<workbook><sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>') },
    { name: 'xl/_rels/workbook.xml.rels', data: Buffer.from('<Relationships><Relationship Id="rId1" Target="worksheets/sheet1.xml"/></Relationships>') },
    { name: 'xl/worksheets/sheet1.xml', data: sheet, lie },
  ]);
}

type Outcome = 'report' | 'file-error';

/** Runs one file; a clear file error or a consistent report is fine, anything else fails. */
async function probe(path: string): Promise<Outcome> {
  try {
    const r = await importEppgbmFile(path, { matcher, engine: null, today: '2025-12-01' });
    expect(r.read).toBe(r.accepted + r.rejected);
    expect(r.rejects.length).toBeGreaterThanOrEqual(r.rejected);
    for (const x of r.rejects) {
      expect(x.row).toBeGreaterThanOrEqual(1);
      expect(typeof x.column).toBe('string');
      expect(x.reason.id.length).toBeGreaterThan(0);
      expect(x.reason.en.length).toBeGreaterThan(0);
    }
    return 'report';
  } catch (err) {
    if (!(err instanceof AppError) || err.code !== 'ingest.file') throw err;
    expect(err.messages.id.length).toBeGreaterThan(10);
    expect(err.messages.en.length).toBeGreaterThan(10);
    expect(err.messages.id).not.toBe(err.messages.en);
    return 'file-error';
  }
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tumbuh-fuzz-'));
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('Data');
  ws.addRow(['NIK', 'Nama', 'JK', 'Tgl Lahir', 'Desa/Kel', 'Tanggal Pengukuran', 'Berat', 'Tinggi']);
  for (let i = 0; i < 40; i++) ws.addRow([`62010112345600${String(i).padStart(2, '0')}`, `Anak ${i}`, i % 2 ? 'L' : 'P', '01/02/2024', 'Candi', '20/11/2025', 9 + i / 10, 75 + i / 5]);
  xlsxBytes = Buffer.from(await wb.xlsx.writeBuffer());
  const zeros = Buffer.alloc(24 * 1024 * 1024, 0x20);
  bombs = [bombXlsx(zeros), bombXlsx(zeros, 4096)];
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('fuzz: 1,000 corrupted variants of the fixtures', () => {
  it('always ends in a clear file-level error or a consistent report, never a crash', async () => {
    const texts = ['eppgbm-comma.csv', 'eppgbm-semicolon.csv', 'eppgbm-html.xls'].map((f) => readFileSync(join(FIXTURES, f)));
    const sources = [...texts, xlsxBytes];
    const counts: Record<string, number> = {};
    const path = join(dir, 'variant');
    for (let n = 0; n < 1000; n++) {
      const r = mulberry32(n + 1);
      const src = sources[n % sources.length];
      const kind = n % 10;
      let bytes: Buffer;
      switch (kind) {
        case 0: // truncated
          bytes = src.subarray(0, Math.floor(r() * src.length));
          break;
        case 1: {
          // wrong encoding: UTF-16 with or without BOM, or Latin-1
          const text = src.toString('utf8');
          bytes = r() < 0.33 ? Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]) : r() < 0.5 ? Buffer.from(text, 'utf16le') : Buffer.from(text.replace(/a/g, 'á'), 'latin1');
          break;
        }
        case 2: {
          // swapped columns: shuffle the fields of the header line (data stays put)
          const lines = src.toString('utf8').split('\n');
          const h = lines.findIndex((l) => /Berat|BERAT/.test(l));
          if (h >= 0) {
            const d = lines[h].includes(';') ? ';' : ',';
            const f = lines[h].split(d);
            for (let i = f.length - 1; i > 0; i--) {
              const j = Math.floor(r() * (i + 1));
              [f[i], f[j]] = [f[j], f[i]];
            }
            lines[h] = f.join(d);
          }
          bytes = Buffer.from(lines.join('\n'));
          break;
        }
        case 3: {
          // binary garbage, sometimes behind a ZIP or OLE2 signature
          const g = Buffer.alloc(64 + Math.floor(r() * 4096));
          for (let i = 0; i < g.length; i++) g[i] = Math.floor(r() * 256);
          const signature = r();
          if (signature < 0.3) g.write('PK\u0003\u0004', 0, 'latin1');
          else if (signature < 0.6) Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]).copy(g);
          bytes = g;
          break;
        }
        case 4: {
          // flipped bytes anywhere (damaged deflate streams for the xlsx)
          bytes = Buffer.from(src);
          for (let k = 0; k < 1 + r() * 20; k++) bytes[Math.floor(r() * bytes.length)] = Math.floor(r() * 256);
          break;
        }
        case 5: {
          // cell values replaced with junk
          const text = src.toString('utf8').replace(/[0-9]{1,2}\/[0-9]{2}\/[0-9]{4}|[0-9]+[.,][0-9]+/g, (m) =>
            r() < 0.3 ? ['', '-', '999.99', 'NaN', '31/02/2025', '1e400', '<b>x</b>', '"'][Math.floor(r() * 8)] : m,
          );
          bytes = Buffer.from(text);
          break;
        }
        case 6: // zip bomb: a sheet of zeros inflating at ~1000:1, honest or lying sizes
          bytes = bombs[r() < 0.5 ? 0 : 1];
          break;
        case 7: {
          // quotes never closed / stray quotes
          const text = src.toString('utf8');
          const at = Math.floor(r() * text.length);
          bytes = Buffer.from(text.slice(0, at) + '"' + text.slice(at));
          break;
        }
        case 8: // only a header, or empty
          bytes = r() < 0.5 ? Buffer.alloc(0) : Buffer.from(src.toString('utf8').split('\n').slice(0, 1).join('\n'));
          break;
        default: {
          // rows duplicated and columns dropped at random
          const lines = src.toString('utf8').split('\n');
          const out = lines.flatMap((l) => (r() < 0.2 ? [l, l] : r() < 0.1 ? [l.split(',').slice(0, 3).join(',')] : [l]));
          bytes = Buffer.from(out.join('\n'));
        }
      }
      writeFileSync(path, bytes);
      const outcome = await probe(path);
      counts[`${kind}:${outcome}`] = (counts[`${kind}:${outcome}`] ?? 0) + 1;
    }
    // every zip bomb is stopped, and the fuzzing reached both outcomes
    expect(counts['6:file-error']).toBe(100);
    expect(Object.keys(counts).some((k) => k.endsWith(':report'))).toBe(true);
  }, 240_000);

  it('stops a 100 MB single cell at the record limit without reading it into memory', async () => {
    const path = join(dir, 'huge-cell.csv');
    const out = createWriteStream(path);
    out.write('JK,Tgl Lahir,Tanggal Pengukuran,Berat,Desa/Kel\nL,01/01/2024,01/11/2025,10,"');
    const chunk = Buffer.alloc(1024 * 1024, 0x61);
    for (let i = 0; i < 100; i++) if (!out.write(chunk)) await once(out, 'drain');
    out.end('"\n');
    await once(out, 'finish');
    const before = process.memoryUsage().rss;
    const err = (await importEppgbmFile(path, { matcher, engine: null }).catch((e: unknown) => e)) as AppError;
    expect(err.code).toBe('ingest.file');
    expect(err.messages.en).toContain('exceeds');
    expect(process.memoryUsage().rss - before).toBeLessThan(200 * 1024 * 1024);
  }, 60_000);

  it('stops a 100 MB single cell in an HTML table and in an xlsx shared string', async () => {
    const html = join(dir, 'huge.html');
    const fd = openSync(html, 'w');
    writeSync(fd, '<table><tr><th>JK</th><th>Tgl Lahir</th><th>Tanggal Pengukuran</th><th>Berat</th><th>Desa/Kel</th></tr><tr><td>');
    const chunk = Buffer.alloc(1024 * 1024, 0x62);
    for (let i = 0; i < 100; i++) writeSync(fd, chunk);
    writeSync(fd, '</td></tr></table>');
    closeSync(fd);
    const e1 = (await importEppgbmFile(html, { matcher, engine: null }).catch((e: unknown) => e)) as AppError;
    expect(e1.messages.en).toContain('too long');

    const sheet = Buffer.from('<worksheet><sheetData><row r="1"><c t="inlineStr"><is><t>' + 'c'.repeat(200_000) + '</t></is></c></row></sheetData></worksheet>');
    const xlsx = join(dir, 'long-cell.xlsx');
    writeFileSync(xlsx, bombXlsx(sheet));
    const e2 = (await importEppgbmFile(xlsx, { matcher, engine: null }).catch((e: unknown) => e)) as AppError;
    expect(e2.messages.en).toContain('too long');
  }, 60_000);
});
