/**
 * A writer of PostgreSQL COPY text (tab-separated, `\N` for NULL) straight into one Buffer per
 * batch: no per-field strings, so a million-row load makes almost no garbage. Values must not
 * contain tab, newline or backslash (codes, ISO dates, numbers); callers pass only such values.
 */
export class CopyTextWriter {
  private buf: Buffer;
  private pos = 0;

  constructor(initialBytes = 1 << 20) {
    this.buf = Buffer.allocUnsafe(initialBytes);
  }

  /** Bytes written since the last {@link take}. */
  get length(): number {
    return this.pos;
  }

  private room(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    const next = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.pos + n));
    this.buf.copy(next, 0, 0, this.pos);
    this.buf = next;
  }

  /** An ASCII string without tab, newline or backslash. */
  str(s: string): this {
    const n = s.length;
    this.room(n + 1);
    const b = this.buf;
    let p = this.pos;
    for (let i = 0; i < n; i++) b[p++] = s.charCodeAt(i);
    b[p++] = 9;
    this.pos = p;
    return this;
  }

  /** NULL. */
  nul(): this {
    this.room(3);
    const b = this.buf;
    b[this.pos] = 92; // \
    b[this.pos + 1] = 78; // N
    b[this.pos + 2] = 9;
    this.pos += 3;
    return this;
  }

  /** A safe integer. */
  int(v: number): this {
    this.room(22);
    this.digits(v);
    this.buf[this.pos++] = 9;
    return this;
  }

  /** A boolean as t/f. */
  bool(v: boolean): this {
    this.room(2);
    this.buf[this.pos++] = v ? 116 : 102;
    this.buf[this.pos++] = 9;
    return this;
  }

  /**
   * A finite number. Values with at most two decimals (measurements, rounded z-scores) are written
   * from their integer number of hundredths — several times faster than number-to-string and the
   * same digits; anything else goes through String(v), so the text is always the exact value.
   */
  num(v: number): this {
    const h = Math.round(v * 100);
    if (!(Math.abs(h) < 1e15) || h / 100 !== v) return this.str(String(v));
    this.room(24);
    let a = h;
    if (a < 0) {
      this.buf[this.pos++] = 45; // -
      a = -a;
    }
    const whole = Math.floor(a / 100);
    const frac = a - whole * 100;
    this.digits(whole);
    if (frac !== 0) {
      const b = this.buf;
      b[this.pos++] = 46; // .
      b[this.pos++] = 48 + ((frac / 10) | 0);
      if (frac % 10 !== 0) b[this.pos++] = 48 + (frac % 10);
    }
    this.buf[this.pos++] = 9;
    return this;
  }

  /** A number or NULL. */
  numOrNull(v: number | null | undefined): this {
    return v === null || v === undefined ? this.nul() : this.num(v);
  }

  /** A string or NULL. */
  strOrNull(v: string | null | undefined): this {
    return v === null || v === undefined ? this.nul() : this.str(v);
  }

  /** Ends the row (replaces the last field's tab with a newline). */
  endRow(): void {
    this.buf[this.pos - 1] = 10;
  }

  /** The bytes written so far, as a new Buffer the caller owns; the writer starts empty. */
  take(): Buffer {
    const out = Buffer.from(this.buf.subarray(0, this.pos));
    this.pos = 0;
    return out;
  }

  private digits(v: number): void {
    const b = this.buf;
    if (v < 0) {
      b[this.pos++] = 45;
      v = -v;
    }
    if (v < 10) {
      b[this.pos++] = 48 + v;
      return;
    }
    const start = this.pos;
    while (v > 0) {
      const q = Math.floor(v / 10);
      b[this.pos++] = 48 + (v - q * 10);
      v = q;
    }
    b.subarray(start, this.pos).reverse();
  }
}
