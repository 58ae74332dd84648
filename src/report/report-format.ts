/** Number, date and text formatting for the reports: Indonesian conventions first (27 Nov 2025, 12,3). */
import type { Lang } from '../common/i18n.js';

const MONTHS = {
  id: ['Jan', 'Feb', 'Mar', 'Apr', 'Mei', 'Jun', 'Jul', 'Agu', 'Sep', 'Okt', 'Nov', 'Des'],
  en: ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'],
} as const;

/** A number with `digits` decimals and thousands separators as the language writes them. */
export function fmtNumber(x: number | null | undefined, digits: number, lang: Lang): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return '–';
  const s = x.toFixed(digits);
  const [int, dec] = s.split('.');
  const sign = int.startsWith('-') ? '-' : '';
  const grouped = int.replace('-', '').replace(/\B(?=(\d{3})+(?!\d))/g, lang === 'id' ? '.' : ',');
  return sign + grouped + (dec ? (lang === 'id' ? ',' : '.') + dec : '');
}

/** A value in its unit: "82,4 %" for percentages, "1.234" for counts. */
export function fmtValue(x: number | null | undefined, unit: string, lang: Lang): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return '–';
  return unit === 'percent' ? `${fmtNumber(x, 1, lang)} %` : fmtNumber(x, 0, lang);
}

/** 27 Nov 2025 (dates as Indonesians write them; English month names in English). */
export function fmtDate(iso: string | null | undefined, lang: Lang): string {
  if (!iso) return '–';
  const [y, m, d] = iso.slice(0, 10).split('-').map(Number);
  return `${d} ${MONTHS[lang][m - 1]} ${y}`;
}

/** Jan 2025 from '2025-01'. */
export function fmtMonth(ym: string, lang: Lang): string {
  const [y, m] = ym.split('-').map(Number);
  return `${MONTHS[lang][m - 1]} ${y}`;
}

// The PDF's standard fonts encode WinAnsi only; these characters are written the way a typist would.
const REPLACE: Record<string, string> = { '≥': '>=', '≤': '<=', '→': '->', '←': '<-', '×': 'x', '÷': '/', '≈': '~', '−': '-', '…': '...', 'Σ': 'Sum ' };

/** Text the PDF's standard fonts can show (WinAnsi), with close stand-ins for the rest. */
export function pdfSafe(s: string): string {
  let out = '';
  for (const ch of s) {
    const code = ch.codePointAt(0) as number;
    if (REPLACE[ch] !== undefined) out += REPLACE[ch];
    else if (code < 0x100 || '–—‘’“”•€'.includes(ch)) out += ch;
    else out += ch.normalize('NFD').replace(/[^\x20-\x7e]/g, '') || '?';
  }
  return out;
}
