/**
 * Writes numbers the way R's `as.character()` (R ≥ 4.3) writes doubles, which is how nipnTK's
 * reference output was written: the shortest digits that read back to the same double, in fixed
 * notation unless scientific is strictly shorter, with a two-digit exponent (3.3e-05, 1e+05).
 * Missing values (NaN) are written "NA", infinities "Inf" / "-Inf".
 */
export function formatRNumber(x: number): string {
  if (Number.isNaN(x)) return 'NA';
  if (x === Infinity) return 'Inf';
  if (x === -Infinity) return '-Inf';
  if (x === 0) return '0';
  const sci = x.toExponential(); // shortest round-trip mantissa, e.g. "-3.3272e-5"
  const ePos = sci.indexOf('e');
  const mantissa = sci.slice(0, ePos);
  const exp = Number(sci.slice(ePos + 1));
  const negative = mantissa.startsWith('-');
  const digits = mantissa.replace('-', '').replace('.', '');
  const sign = negative ? '-' : '';
  const expText = `${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  const sciText = `${mantissa}e${expText}`;
  let fixed: string;
  if (exp >= digits.length - 1) fixed = sign + digits + '0'.repeat(exp - digits.length + 1);
  else if (exp >= 0) fixed = `${sign}${digits.slice(0, exp + 1)}.${digits.slice(exp + 1)}`;
  else fixed = `${sign}0.${'0'.repeat(-exp - 1)}${digits}`;
  return fixed.length <= sciText.length ? fixed : sciText;
}
