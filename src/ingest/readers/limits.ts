/**
 * Bounds that keep every reader's memory and time finite whatever the file holds. A file that
 * crosses one gets a clear file-level error instead of exhausting the machine.
 */
export const READ_LIMITS = {
  /** Longest cell kept (characters); Excel itself stops at 32,767. */
  maxCellChars: 65_536,
  /** Widest row accepted. */
  maxColumns: 1_000,
  /** Longest CSV record (characters), which also catches a quote that is never closed. */
  maxRecordChars: 1_048_576,
  /** XLSX: total bytes after decompression, over all parts read. */
  maxUncompressedBytes: 3 * 1024 ** 3,
  /** XLSX: shared-strings part after decompression (it is held in memory). */
  maxSharedStringsBytes: 256 * 1024 ** 2,
  /** XLSX: a part inflating beyond this ratio (once past `ratioFloorBytes`) is a zip bomb. */
  maxCompressionRatio: 500,
  ratioFloorBytes: 16 * 1024 ** 2,
  /** XLSX: entries in the archive. */
  maxZipEntries: 10_000,
  /** Bytes looked at to decide what a file is. */
  sniffBytes: 64 * 1024,
} as const;

export type ReadLimits = { -readonly [K in keyof typeof READ_LIMITS]: number };
