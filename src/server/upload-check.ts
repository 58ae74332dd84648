import { inflateRawSync } from 'node:zlib';
import { AppError } from '../common/app-error.js';
import { SERVER_MESSAGES as M } from './messages.js';

/**
 * Checks that an uploaded file is what its name says before any importer sees it: the extension
 * must be one the route accepts, and the bytes must match it (a PNG renamed .csv, or a program
 * renamed .xlsx, is refused). An .xlsx is a ZIP: its central directory is read, every entry is
 * inflated with an output cap, and the unpacked total is capped, so a zip bomb never reaches exceljs.
 */

/** Limits of the ZIP check; the defaults fit a district's e-PPGBM workbooks with room to spare. */
export interface ZipLimits {
  /** Most bytes all entries may unpack to. */
  maxUncompressedBytes: number;
  /** Most entries. */
  maxEntries: number;
}

export const DEFAULT_ZIP_LIMITS: ZipLimits = { maxUncompressedBytes: 256 * 1024 * 1024, maxEntries: 10_000 };

/** "12,5 MB"-style size for messages. */
export function formatBytes(n: number): string {
  if (n >= 1024 * 1024) return `${(n / (1024 * 1024)).toFixed(1)} MB`;
  if (n >= 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${n} B`;
}

/** The lower-case extension with its dot ('.xlsx'), or '' when the name has none. */
export function extensionOf(fileName: string): string {
  const base = fileName.replace(/^.*[\\/]/, '');
  const dot = base.lastIndexOf('.');
  return dot <= 0 ? '' : base.slice(dot).toLowerCase();
}

function contentError(file: string, reason: string): AppError {
  return new AppError('upload_content_mismatch', M['server.uploadContent'], { file, reason }, { status: 415 });
}

/**
 * True when the first bytes look like text (UTF-8 or a single-byte code page): no NUL bytes and
 * almost no other control characters. Binary formats (images, programs, ZIP) all contain NULs early.
 */
export function looksLikeText(bytes: Buffer): boolean {
  const n = Math.min(bytes.length, 64 * 1024);
  let control = 0;
  for (let i = 0; i < n; i++) {
    const b = bytes[i];
    if (b === 0) return false;
    if (b < 32 && b !== 9 && b !== 10 && b !== 13 && b !== 12) control++;
  }
  return control <= n / 100;
}

const ZIP_LOCAL = 0x04034b50;
const ZIP_CENTRAL = 0x02014b50;
const ZIP_END = 0x06054b50;

interface ZipEntry {
  name: string;
  method: number;
  compressedSize: number;
  uncompressedSize: number;
  localOffset: number;
}

/** The entries of a ZIP's central directory; throws a 415 AppError on anything malformed. */
export function readZipDirectory(bytes: Buffer, file: string, limits: ZipLimits = DEFAULT_ZIP_LIMITS): ZipEntry[] {
  if (bytes.length < 22 || bytes.readUInt32LE(0) !== ZIP_LOCAL) throw contentError(file, 'not a ZIP/XLSX');
  // The end-of-central-directory record sits in the last 22 + 65535 (comment) bytes.
  let end = -1;
  for (let i = bytes.length - 22; i >= Math.max(0, bytes.length - 22 - 65535); i--) {
    if (bytes.readUInt32LE(i) === ZIP_END) {
      end = i;
      break;
    }
  }
  if (end < 0) throw contentError(file, 'ZIP directory missing');
  const count = bytes.readUInt16LE(end + 10);
  const size = bytes.readUInt32LE(end + 12);
  const offset = bytes.readUInt32LE(end + 16);
  if (count === 0xffff || size === 0xffffffff || offset === 0xffffffff) throw contentError(file, 'ZIP64 is not accepted');
  if (count > limits.maxEntries) throw contentError(file, `more than ${limits.maxEntries} ZIP entries`);
  if (offset + size > end) throw contentError(file, 'ZIP directory out of range');
  const entries: ZipEntry[] = [];
  let p = offset;
  for (let k = 0; k < count; k++) {
    if (p + 46 > end || bytes.readUInt32LE(p) !== ZIP_CENTRAL) throw contentError(file, 'ZIP directory damaged');
    const flags = bytes.readUInt16LE(p + 8);
    const method = bytes.readUInt16LE(p + 10);
    const compressedSize = bytes.readUInt32LE(p + 20);
    const uncompressedSize = bytes.readUInt32LE(p + 24);
    const nameLen = bytes.readUInt16LE(p + 28);
    const extraLen = bytes.readUInt16LE(p + 30);
    const commentLen = bytes.readUInt16LE(p + 32);
    const localOffset = bytes.readUInt32LE(p + 42);
    if (flags & 1) throw contentError(file, 'encrypted ZIP entry');
    if (compressedSize === 0xffffffff || uncompressedSize === 0xffffffff || localOffset === 0xffffffff) {
      throw contentError(file, 'ZIP64 is not accepted');
    }
    const name = bytes.toString('utf8', p + 46, p + 46 + nameLen);
    entries.push({ name, method, compressedSize, uncompressedSize, localOffset });
    p += 46 + nameLen + extraLen + commentLen;
  }
  return entries;
}

/**
 * Verifies an .xlsx: a ZIP with `[Content_Types].xml` whose entries unpack to no more than the
 * sizes they declare, and together to no more than `limits.maxUncompressedBytes`.
 */
export function checkXlsx(bytes: Buffer, file: string, limits: ZipLimits = DEFAULT_ZIP_LIMITS): void {
  const entries = readZipDirectory(bytes, file, limits);
  if (!entries.some((e) => e.name === '[Content_Types].xml')) throw contentError(file, 'no [Content_Types].xml: not an Office file');
  let declared = 0;
  for (const e of entries) declared += e.uncompressedSize;
  const bomb = (size: number) => new AppError('upload_zip_bomb', M['server.uploadZipBomb'], {
    file, size: formatBytes(size), limit: formatBytes(limits.maxUncompressedBytes),
  }, { status: 413 });
  if (declared > limits.maxUncompressedBytes) throw bomb(declared);
  // The declared sizes may lie: inflate every entry with its declared size as a hard output cap.
  let actual = 0;
  for (const e of entries) {
    const lp = e.localOffset;
    if (lp + 30 > bytes.length || bytes.readUInt32LE(lp) !== ZIP_LOCAL) throw contentError(file, 'ZIP entry damaged');
    const start = lp + 30 + bytes.readUInt16LE(lp + 26) + bytes.readUInt16LE(lp + 28);
    if (start + e.compressedSize > bytes.length) throw contentError(file, 'ZIP entry truncated');
    const data = bytes.subarray(start, start + e.compressedSize);
    let out: number;
    if (e.method === 0) out = data.length;
    else if (e.method === 8) {
      try {
        out = e.uncompressedSize === 0 && data.length <= 2 ? 0 : inflateRawSync(data, { maxOutputLength: Math.max(1, e.uncompressedSize) }).length;
      } catch {
        throw bomb(declared + 1);
      }
    } else throw contentError(file, `ZIP method ${e.method}`);
    if (out !== e.uncompressedSize) throw contentError(file, 'ZIP entry size mismatch');
    actual += out;
    if (actual > limits.maxUncompressedBytes) throw bomb(actual);
  }
}

/**
 * Throws a 415 AppError unless the extension is accepted and the bytes match it:
 * .csv/.tsv/.txt text; .xlsx a checked Office ZIP; .xls the HTML table e-PPGBM exports under that
 * name (real binary BIFF workbooks are refused: save them as .xlsx); .json text starting with { or [.
 */
export function checkUpload(fileName: string, bytes: Buffer, extensions: readonly string[], limits: ZipLimits = DEFAULT_ZIP_LIMITS): void {
  const ext = extensionOf(fileName);
  const allowed = extensions.map((e) => (e.startsWith('.') ? e : `.${e}`).toLowerCase());
  if (!allowed.includes(ext)) {
    throw new AppError('upload_extension', M['server.uploadExtension'], { ext: ext || '-', allowed: allowed.join(', ') }, { status: 415 });
  }
  if (bytes.length === 0) throw contentError(fileName, 'empty file');
  switch (ext) {
    case '.xlsx':
      checkXlsx(bytes, fileName, limits);
      return;
    case '.xls': {
      if (bytes.length >= 4 && bytes.readUInt32BE(0) === 0xd0cf11e0) throw contentError(fileName, 'binary Excel 97 workbook; save it as .xlsx');
      if (!looksLikeText(bytes)) throw contentError(fileName, 'not the HTML table e-PPGBM exports');
      const head = bytes.toString('latin1', 0, Math.min(bytes.length, 64 * 1024)).toLowerCase();
      if (!head.includes('<table') && !head.includes('<html')) throw contentError(fileName, 'not the HTML table e-PPGBM exports');
      return;
    }
    case '.json': {
      if (!looksLikeText(bytes)) throw contentError(fileName, 'not text');
      const first = bytes.toString('utf8', 0, Math.min(bytes.length, 1024)).replace(/^\uFEFF/, '').trimStart()[0];
      if (first !== '{' && first !== '[') throw contentError(fileName, 'not JSON');
      return;
    }
    default:
      if (!looksLikeText(bytes)) throw contentError(fileName, 'not a text file');
  }
}
