import type { Lang } from './i18n/i18n.js';

const locale = (lang: Lang) => (lang === 'id' ? 'id-ID' : 'en-GB');

/** A number written the Indonesian way in the Indonesian UI (1.234,5), English way otherwise. */
export function formatNumber(lang: Lang, value: number | null | undefined, digits = 0): string {
  if (value === null || value === undefined || Number.isNaN(value)) return '–';
  return new Intl.NumberFormat(locale(lang), { minimumFractionDigits: digits, maximumFractionDigits: digits }).format(value);
}

/** A percentage from a 0–100 value, with one decimal by default (12,3 %). */
export function formatPercent(lang: Lang, value: number | null | undefined, digits = 1): string {
  if (value === null || value === undefined || Number.isNaN(value)) return '–';
  return `${formatNumber(lang, value, digits)} %`;
}

/** A z-score with two decimals and an explicit sign (−2,31). */
export function formatZ(lang: Lang, value: number | null | undefined): string {
  if (value === null || value === undefined || Number.isNaN(value)) return '–';
  const text = formatNumber(lang, Math.abs(value), 2);
  return value < 0 ? `−${text}` : `+${text}`;
}

function toDate(value: string | Date): Date | null {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value;
  const iso = /^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00Z` : value;
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? null : d;
}

/** A date as Indonesians write it: 27 Nov 2025. */
export function formatDate(lang: Lang, value: string | Date | null | undefined): string {
  if (!value) return '–';
  const d = toDate(value);
  if (!d) return String(value);
  return new Intl.DateTimeFormat(locale(lang), { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' }).format(d);
}

/** A date and time (27 Nov 2025 14.05) in the Asia/Jakarta zone. */
export function formatDateTime(lang: Lang, value: string | Date | null | undefined): string {
  if (!value) return '–';
  const d = toDate(value);
  if (!d) return String(value);
  return new Intl.DateTimeFormat(locale(lang), {
    day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', timeZone: 'Asia/Jakarta',
  }).format(d);
}

/** A month 'yyyy-mm' as "Nov 2025". */
export function formatMonth(lang: Lang, month: string | null | undefined): string {
  if (!month) return '–';
  const d = toDate(`${month.slice(0, 7)}-01`);
  if (!d) return month;
  return new Intl.DateTimeFormat(locale(lang), { month: 'short', year: 'numeric', timeZone: 'UTC' }).format(d);
}

/** Parses a decimal typed with a comma or a point ("10,5" → 10.5); NaN when it is not a number. */
export function parseLocaleDecimal(text: string): number {
  const s = text.trim().replace(/\s/g, '').replace(',', '.');
  if (s === '' || !/^-?\d+(\.\d+)?$/.test(s)) return NaN;
  return Number(s);
}

/** Today's date in Asia/Jakarta as yyyy-mm-dd. */
export function todayJakarta(now: Date = new Date()): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Jakarta', year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
}
