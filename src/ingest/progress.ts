/** A one-line progress indicator for terminals; silent when the stream is not a TTY. */
export interface Progress {
  update(rows: number, fraction: number | null): void;
  done(): void;
}

/**
 * Draws "label [#####-----] 42 % 123,456 baris/rows" on a TTY, at most ten times a second.
 * Pipes and files get nothing, so JSON output and logs stay clean.
 */
export function createProgress(stream: NodeJS.WritableStream & { isTTY?: boolean }, label: string): Progress | null {
  if (!stream.isTTY) return null;
  let last = 0;
  let drawn = false;
  const fmt = new Intl.NumberFormat('id-ID');
  return {
    update(rows, fraction) {
      const now = Date.now();
      if (now - last < 100) return;
      last = now;
      drawn = true;
      const width = 24;
      const bar =
        fraction === null
          ? ''
          : `[${'#'.repeat(Math.round(fraction * width)).padEnd(width, '-')}] ${String(Math.floor(fraction * 100)).padStart(3)} % `;
      stream.write(`\r${label} ${bar}${fmt.format(rows)} baris/rows`);
    },
    done() {
      if (drawn) stream.write('\r\x1b[K');
    },
  };
}
