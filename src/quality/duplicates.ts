/**
 * Duplicate-candidate scoring: the same child registered twice (same NIK, or a similar name with
 * the same birth date and mother). Pure: identities in, scored candidate pairs out. Nothing here
 * merges or deletes; a puskesmas nutrition officer reviews the pairs.
 */

/** What identifies a child. Day numbers are whole days since 1970-01-01. Never logged. */
export interface ChildIdentity {
  id: string;
  /** Hash of the NIK (never the NIK itself). */
  nikHash?: string | null;
  name: string;
  birthDay?: number | null;
  motherName?: string | null;
  /** 1 male, 2 female, 0/undefined unknown. */
  sex?: number | null;
}

// Titles and markers that are not part of the name: bayi/by. (baby of), an. (anak), ny./nn./tn.,
// alm., hj./h. (haji), sdr., and the "binti/bin" patronymic link.
const NOISE_TOKENS = new Set(['by', 'bayi', 'bayi_ny', 'an', 'anak', 'ny', 'nyonya', 'nn', 'tn', 'alm', 'almh', 'hj', 'h', 'sdr', 'sdri', 'bin', 'binti', 'bte', 'bt']);

// Spelling variants of Indonesian names: Van Ophuijsen spelling (oe, dj, tj, nj, sj, ch) and the
// usual short forms of Muhammad.
const OLD_SPELLING: [RegExp, string][] = [
  [/oe/g, 'u'],
  [/dj/g, 'j'],
  [/tj/g, 'c'],
  [/nj/g, 'ny'],
  [/sj/g, 'sy'],
  [/ch/g, 'kh'],
  [/y$/g, 'i'],
];
const MUHAMMAD = new Set(['m', 'muh', 'moh', 'mhd', 'muhamad', 'muhammad', 'mohammad', 'mohamad', 'mochammad', 'mochamad', 'muchammad', 'muchamad', 'md']);

/**
 * A name reduced for comparison: lower case, accents and punctuation removed, titles dropped,
 * old spellings modernised, doubled letters collapsed, Muhammad's short forms unified.
 */
export function normaliseIndonesianName(name: string): string {
  const plain = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z\s]/g, ' ');
  const tokens: string[] = [];
  for (const raw of plain.split(/\s+/)) {
    if (raw === '' || NOISE_TOKENS.has(raw)) continue;
    if (MUHAMMAD.has(raw)) {
      tokens.push('muhamad');
      continue;
    }
    let t = raw;
    for (const [re, to] of OLD_SPELLING) t = t.replace(re, to);
    t = t.replace(/(.)\1+/g, '$1');
    tokens.push(t);
  }
  return tokens.join(' ');
}

/** Jaro–Winkler similarity (0–1) of two strings, prefix scale 0.1 over up to 4 characters. */
export function jaroWinkler(a: string, b: string): number {
  if (a === b) return a.length === 0 ? 1 : 1;
  const la = a.length;
  const lb = b.length;
  if (la === 0 || lb === 0) return 0;
  const window = Math.max(0, Math.floor(Math.max(la, lb) / 2) - 1);
  const matchA = new Uint8Array(la);
  const matchB = new Uint8Array(lb);
  let matches = 0;
  for (let i = 0; i < la; i++) {
    const from = Math.max(0, i - window);
    const to = Math.min(lb - 1, i + window);
    for (let j = from; j <= to; j++) {
      if (matchB[j] || a[i] !== b[j]) continue;
      matchA[i] = 1;
      matchB[j] = 1;
      matches++;
      break;
    }
  }
  if (matches === 0) return 0;
  let transpositions = 0;
  let k = 0;
  for (let i = 0; i < la; i++) {
    if (!matchA[i]) continue;
    while (!matchB[k]) k++;
    if (a[i] !== b[k]) transpositions++;
    k++;
  }
  const m = matches;
  const jaro = (m / la + m / lb + (m - transpositions / 2) / m) / 3;
  let prefix = 0;
  while (prefix < 4 && prefix < la && prefix < lb && a[prefix] === b[prefix]) prefix++;
  return jaro + prefix * 0.1 * (1 - jaro);
}

/**
 * Similarity of two person names (0–1): Jaro–Winkler on the normalised names, also with the
 * words sorted (names are written in either order) and on the first name alone when one record
 * has only it; the best of these.
 */
export function nameSimilarity(a: string, b: string): number {
  const na = normaliseIndonesianName(a);
  const nb = normaliseIndonesianName(b);
  if (na === '' || nb === '') return 0;
  let best = jaroWinkler(na, nb);
  const sa = na.split(' ').sort().join(' ');
  const sb = nb.split(' ').sort().join(' ');
  best = Math.max(best, jaroWinkler(sa, sb));
  const ta = na.split(' ');
  const tb = nb.split(' ');
  if (ta.length !== tb.length) {
    // "Siti" vs "Siti Aminah": the shorter name contained in the longer one, slightly discounted.
    const [short, long] = ta.length < tb.length ? [ta, tb] : [tb, ta];
    if (short.every((t) => long.some((u) => jaroWinkler(t, u) >= 0.92))) best = Math.max(best, 0.9);
  }
  return best;
}

/** Similarity of two birth dates (0–1): exact 1; day and month swapped or 1 day off 0.8; same month 0.4. */
export function birthDateSimilarity(a: number | null | undefined, b: number | null | undefined): number {
  if (a === null || a === undefined || b === null || b === undefined || !Number.isFinite(a) || !Number.isFinite(b)) return 0;
  if (a === b) return 1;
  if (Math.abs(a - b) <= 1) return 0.8;
  const da = new Date(a * 86_400_000);
  const db = new Date(b * 86_400_000);
  const ya = da.getUTCFullYear();
  const yb = db.getUTCFullYear();
  if (ya === yb && da.getUTCDate() === db.getUTCMonth() + 1 && da.getUTCMonth() + 1 === db.getUTCDate()) return 0.8;
  if (ya === yb && da.getUTCMonth() === db.getUTCMonth()) return 0.4;
  return 0;
}

/** How sure a candidate pair is. */
export type DuplicateLevel = 'same_nik' | 'likely' | 'possible';

/** A scored candidate pair, with the reasons a reviewer sees. */
export interface DuplicateCandidate {
  a: string;
  b: string;
  score: number;
  level: DuplicateLevel;
  reasons: string[];
}

/** Thresholds and weights of the duplicate score. */
export interface DuplicateOptions {
  likely: number;
  possible: number;
  weights: { name: number; birth: number; mother: number };
}

export const DEFAULT_DUPLICATE_OPTIONS: DuplicateOptions = {
  likely: 0.9,
  possible: 0.8,
  weights: { name: 0.5, birth: 0.3, mother: 0.2 },
};

/**
 * Score (0–1) that two records are the same child: 1 for the same NIK; otherwise a weighted sum
 * of name, birth-date and mother's-name similarity (weight of a missing mother's name moves to
 * the others), halved when the sexes differ, and capped at 0.5 when both have different NIKs or
 * when the names differ clearly while birth date and mother match (twins).
 */
export function scoreDuplicate(
  a: ChildIdentity,
  b: ChildIdentity,
  options: DuplicateOptions = DEFAULT_DUPLICATE_OPTIONS,
): { score: number; reasons: string[] } {
  if (a.nikHash && b.nikHash && a.nikHash === b.nikHash) return { score: 1, reasons: ['same_nik'] };
  const reasons: string[] = [];
  const name = nameSimilarity(a.name, b.name);
  const birth = birthDateSimilarity(a.birthDay, b.birthDay);
  const hasMother = Boolean(a.motherName && b.motherName);
  const mother = hasMother ? nameSimilarity(a.motherName as string, b.motherName as string) : 0;
  const w = options.weights;
  let score = hasMother
    ? w.name * name + w.birth * birth + w.mother * mother
    : (w.name * name + w.birth * birth) / (w.name + w.birth);
  if (name >= 0.9) reasons.push('similar_name');
  if (birth === 1) reasons.push('same_birth_date');
  else if (birth >= 0.8) reasons.push('near_birth_date');
  if (hasMother && mother >= 0.9) reasons.push('similar_mother');
  if (a.sex && b.sex && a.sex !== b.sex) {
    score *= 0.5;
    reasons.push('different_sex');
  }
  if (a.nikHash && b.nikHash) {
    score = Math.min(score, 0.5);
    reasons.push('different_nik');
  }
  if (birth === 1 && hasMother && mother >= 0.9 && name < 0.85) {
    score = Math.min(score, 0.5);
    reasons.push('possible_twins');
  }
  return { score: Math.round(score * 1000) / 1000, reasons };
}

/**
 * Candidate duplicate pairs among many records, best first. Pairs are only formed inside blocks
 * (same NIK hash; same birth date; same birth year + first letters of the normalised name;
 * same birth month + first letters of the mother's name), so the work grows with the block
 * sizes, not with n².
 */
export function findDuplicateCandidates(
  records: readonly ChildIdentity[],
  options: DuplicateOptions = DEFAULT_DUPLICATE_OPTIONS,
): DuplicateCandidate[] {
  const blocks = new Map<string, number[]>();
  const add = (key: string, i: number) => {
    const list = blocks.get(key);
    if (list) list.push(i);
    else blocks.set(key, [i]);
  };
  records.forEach((r, i) => {
    if (r.nikHash) add(`nik:${r.nikHash}`, i);
    const hasBirth = r.birthDay !== null && r.birthDay !== undefined && Number.isFinite(r.birthDay);
    const d = hasBirth ? new Date((r.birthDay as number) * 86_400_000) : null;
    if (d) add(`bd:${r.birthDay}`, i);
    const n = normaliseIndonesianName(r.name).replace(/ /g, '');
    if (d && n.length >= 2) add(`ny:${d.getUTCFullYear()}:${n.slice(0, 2)}`, i);
    const mother = r.motherName ? normaliseIndonesianName(r.motherName).replace(/ /g, '') : '';
    if (d && mother.length >= 2) add(`mm:${d.getUTCFullYear()}-${d.getUTCMonth()}:${mother.slice(0, 2)}`, i);
  });
  const seen = new Set<string>();
  const out: DuplicateCandidate[] = [];
  for (const members of blocks.values()) {
    for (let x = 0; x < members.length; x++) {
      for (let y = x + 1; y < members.length; y++) {
        const i = Math.min(members[x], members[y]);
        const j = Math.max(members[x], members[y]);
        const key = `${i}:${j}`;
        if (seen.has(key)) continue;
        seen.add(key);
        const { score, reasons } = scoreDuplicate(records[i], records[j], options);
        const level: DuplicateLevel | null = reasons[0] === 'same_nik' ? 'same_nik' : score >= options.likely ? 'likely' : score >= options.possible ? 'possible' : null;
        if (level) out.push({ a: records[i].id, b: records[j].id, score, level, reasons });
      }
    }
  }
  return out.sort((p, q) => q.score - p.score || p.a.localeCompare(q.a) || p.b.localeCompare(q.b));
}
