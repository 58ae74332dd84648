import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { createInflateRaw } from 'node:zlib';
import { READ_LIMITS } from './limits.js';
import { fileError } from './table.js';

/** One member of a ZIP archive as its central directory lists it. */
export interface ZipEntry {
  name: string;
  method: number;
  compressedSize: number;
  uncompressedSize: number;
  localHeaderOffset: number;
}

type ZipLimits = Pick<
  typeof READ_LIMITS,
  'maxUncompressedBytes' | 'maxCompressionRatio' | 'ratioFloorBytes' | 'maxZipEntries'
>;

/**
 * A ZIP archive read by random access through its central directory (an .xlsx is one). Every
 * member is inflated through a counter: a member that inflates past its declared size, past the
 * compression-ratio bound or past the archive's total budget is stopped there (zip bomb).
 */
export class ZipArchive {
  private inflatedTotal = 0;

  private constructor(
    readonly path: string,
    readonly file: string,
    readonly entries: Map<string, ZipEntry>,
    private readonly limits: ZipLimits,
  ) {}

  /** Reads the central directory; throws a clear file error when it is missing or damaged. */
  static async open(path: string, file: string, limits: ZipLimits = READ_LIMITS): Promise<ZipArchive> {
    const fh = await open(path, 'r');
    try {
      const size = (await fh.stat()).size;
      const tailLen = Math.min(size, 65_557);
      const tail = Buffer.alloc(tailLen);
      await fh.read(tail, 0, tailLen, size - tailLen);
      let eocd = -1;
      for (let i = tailLen - 22; i >= 0; i--) {
        if (tail.readUInt32LE(i) === 0x06054b50) {
          eocd = i;
          break;
        }
      }
      if (eocd < 0) throw fileError('ingest.file.corruptXlsx', { file, detail: 'no ZIP central directory (truncated?)' });
      let count = tail.readUInt16LE(eocd + 10);
      let cdSize = tail.readUInt32LE(eocd + 12);
      let cdOffset = tail.readUInt32LE(eocd + 16);
      if (count === 0xffff || cdSize === 0xffffffff || cdOffset === 0xffffffff) {
        const locPos = size - tailLen + eocd - 20;
        const loc = Buffer.alloc(20);
        if (locPos >= 0) await fh.read(loc, 0, 20, locPos);
        if (locPos < 0 || loc.readUInt32LE(0) !== 0x07064b50) {
          throw fileError('ingest.file.corruptXlsx', { file, detail: 'bad ZIP64 locator' });
        }
        const recPos = Number(loc.readBigUInt64LE(8));
        const rec = Buffer.alloc(56);
        await fh.read(rec, 0, 56, recPos);
        if (rec.readUInt32LE(0) !== 0x06064b50) throw fileError('ingest.file.corruptXlsx', { file, detail: 'bad ZIP64 record' });
        count = Number(rec.readBigUInt64LE(32));
        cdSize = Number(rec.readBigUInt64LE(40));
        cdOffset = Number(rec.readBigUInt64LE(48));
      }
      if (count > limits.maxZipEntries) {
        throw fileError('ingest.file.zipBomb', { file, detail: `${count} entries` });
      }
      if (cdOffset + cdSize > size || cdSize > 64 * 1024 * 1024) {
        throw fileError('ingest.file.corruptXlsx', { file, detail: 'central directory outside the file (truncated?)' });
      }
      const cd = Buffer.alloc(cdSize);
      await fh.read(cd, 0, cdSize, cdOffset);
      const entries = new Map<string, ZipEntry>();
      let p = 0;
      let declaredTotal = 0;
      for (let k = 0; k < count; k++) {
        if (p + 46 > cd.length || cd.readUInt32LE(p) !== 0x02014b50) {
          throw fileError('ingest.file.corruptXlsx', { file, detail: 'damaged central directory' });
        }
        const method = cd.readUInt16LE(p + 10);
        let compressedSize = cd.readUInt32LE(p + 20);
        let uncompressedSize = cd.readUInt32LE(p + 24);
        const nameLen = cd.readUInt16LE(p + 28);
        const extraLen = cd.readUInt16LE(p + 30);
        const commentLen = cd.readUInt16LE(p + 32);
        let localHeaderOffset = cd.readUInt32LE(p + 42);
        if (p + 46 + nameLen + extraLen > cd.length) {
          throw fileError('ingest.file.corruptXlsx', { file, detail: 'damaged central directory' });
        }
        const name = cd.toString('utf8', p + 46, p + 46 + nameLen);
        let e = p + 46 + nameLen;
        const extraEnd = e + extraLen;
        while (e + 4 <= extraEnd) {
          const id = cd.readUInt16LE(e);
          const len = cd.readUInt16LE(e + 2);
          if (id === 0x0001) {
            let q = e + 4;
            if (uncompressedSize === 0xffffffff && q + 8 <= e + 4 + len) {
              uncompressedSize = Number(cd.readBigUInt64LE(q));
              q += 8;
            }
            if (compressedSize === 0xffffffff && q + 8 <= e + 4 + len) {
              compressedSize = Number(cd.readBigUInt64LE(q));
              q += 8;
            }
            if (localHeaderOffset === 0xffffffff && q + 8 <= e + 4 + len) localHeaderOffset = Number(cd.readBigUInt64LE(q));
          }
          e += 4 + len;
        }
        declaredTotal += uncompressedSize;
        entries.set(name, { name, method, compressedSize, uncompressedSize, localHeaderOffset });
        p += 46 + nameLen + extraLen + commentLen;
      }
      if (declaredTotal > limits.maxUncompressedBytes) {
        throw fileError('ingest.file.zipBomb', { file, detail: `${Math.round(declaredTotal / 1024 ** 2)} MB declared` });
      }
      return new ZipArchive(path, file, entries, limits);
    } finally {
      await fh.close();
    }
  }

  /**
   * Streams one member's bytes, decompressed, stopping at `maxBytes` (and the archive limits).
   * Throws a file error for a bomb, a lie about sizes, or damaged data.
   */
  async *read(name: string, maxBytes: number = this.limits.maxUncompressedBytes): AsyncGenerator<Buffer> {
    const entry = this.entries.get(name);
    if (!entry) throw fileError('ingest.file.corruptXlsx', { file: this.file, detail: `missing part ${name}` });
    const fh = await open(this.path, 'r');
    let dataStart: number;
    try {
      const lh = Buffer.alloc(30);
      const { bytesRead } = await fh.read(lh, 0, 30, entry.localHeaderOffset);
      if (bytesRead < 30 || lh.readUInt32LE(0) !== 0x04034b50) {
        throw fileError('ingest.file.corruptXlsx', { file: this.file, detail: `bad local header for ${name}` });
      }
      dataStart = entry.localHeaderOffset + 30 + lh.readUInt16LE(26) + lh.readUInt16LE(28);
      const size = (await fh.stat()).size;
      if (dataStart + entry.compressedSize > size) {
        throw fileError('ingest.file.corruptXlsx', { file: this.file, detail: `${name} is cut short (truncated file)` });
      }
    } finally {
      await fh.close();
    }
    if (entry.method !== 0 && entry.method !== 8) {
      throw fileError('ingest.file.corruptXlsx', { file: this.file, detail: `unsupported compression ${entry.method}` });
    }
    const raw =
      entry.compressedSize === 0
        ? null
        : createReadStream(this.path, { start: dataStart, end: dataStart + entry.compressedSize - 1, highWaterMark: 256 * 1024 });
    if (raw === null) return;
    const source = entry.method === 8 ? raw.pipe(createInflateRaw({ chunkSize: 256 * 1024 })) : raw;
    let produced = 0;
    const cap = Math.min(maxBytes, entry.uncompressedSize);
    try {
      for await (const chunk of source as AsyncIterable<Buffer>) {
        produced += chunk.length;
        this.inflatedTotal += chunk.length;
        if (produced > cap || this.inflatedTotal > this.limits.maxUncompressedBytes) {
          const detail =
            produced > entry.uncompressedSize
              ? `${name} inflates beyond its declared ${entry.uncompressedSize} bytes`
              : `${name} > ${Math.round(cap / 1024 ** 2)} MB`;
          throw fileError('ingest.file.zipBomb', { file: this.file, detail });
        }
        if (produced > this.limits.ratioFloorBytes && produced > entry.compressedSize * this.limits.maxCompressionRatio) {
          throw fileError('ingest.file.zipBomb', { file: this.file, detail: `${name} ratio > ${this.limits.maxCompressionRatio}:1` });
        }
        yield chunk;
      }
    } catch (err) {
      if (err instanceof Error && err.name === 'AppError') throw err;
      throw fileError('ingest.file.corruptXlsx', { file: this.file, detail: `${name}: ${(err as Error).message}` }, err);
    } finally {
      raw.destroy();
      if (source !== raw) (source as NodeJS.ReadableStream & { destroy(): void }).destroy();
    }
  }

  /** A whole (small) member as UTF-8 text. */
  async text(name: string, maxBytes: number): Promise<string> {
    const parts: Buffer[] = [];
    for await (const chunk of this.read(name, maxBytes)) parts.push(chunk);
    return Buffer.concat(parts).toString('utf8');
  }
}
