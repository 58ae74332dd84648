/**
 * Number formatting for the analytics' words: Indonesian text writes decimals with a comma
 * (CONVENTIONS.md), English with a point.
 */
import { t, type Bilingual, type Lang } from '../common/i18n.js';

/** x with `digits` decimals, comma in Indonesian; '–' for null. */
export function num(x: number | null | undefined, digits: number, lang: Lang): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return '–';
  // Rounded to 12 significant digits first, so a computed 0.37499999999999994 shows as 0,38 like the hand-computed 0.375.
  const s = Number(x.toPrecision(12)).toFixed(digits);
  return lang === 'id' ? s.replace('.', ',') : s;
}

/** A proportion as a percentage with `digits` decimals (0.1234 → "12,3"). */
export function percent(x: number | null | undefined, digits: number, lang: Lang): string {
  return num(x === null || x === undefined ? x : 100 * x, digits, lang);
}

/** A message in both languages, its parameters formatted per language. */
export function bilingual(key: string, params: (lang: Lang) => Record<string, unknown>): Bilingual {
  return { id: t(key, params('id'), 'id'), en: t(key, params('en'), 'en') };
}
