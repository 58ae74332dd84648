import { describe, expect, it } from 'vitest';
import {
  birthDateSimilarity,
  findDuplicateCandidates,
  jaroWinkler,
  nameSimilarity,
  normaliseIndonesianName,
  scoreDuplicate,
  type ChildIdentity,
} from './duplicates.js';

const day = (iso: string) => Date.parse(`${iso}T00:00:00Z`) / 86_400_000;

describe('Jaro–Winkler', () => {
  it('matches the textbook values', () => {
    expect(jaroWinkler('martha', 'marhta')).toBeCloseTo(0.9611, 4);
    expect(jaroWinkler('dwayne', 'duane')).toBeCloseTo(0.84, 4);
    expect(jaroWinkler('dixon', 'dicksonx')).toBeCloseTo(0.8133, 4);
    expect(jaroWinkler('abc', 'abc')).toBe(1);
    expect(jaroWinkler('abc', 'xyz')).toBe(0);
    expect(jaroWinkler('', 'abc')).toBe(0);
  });
});

describe('Indonesian name normalisation', () => {
  it('drops titles, modernises old spelling and unifies Muhammad', () => {
    expect(normaliseIndonesianName('By. Ny. Siti')).toBe('siti');
    expect(normaliseIndonesianName('Moh. Soedjono')).toBe('muhamad sujono');
    expect(normaliseIndonesianName('MUHAMMAD  Rizky')).toBe('muhamad rizki');
    expect(normaliseIndonesianName('Djoko Tjandra')).toBe(normaliseIndonesianName('Joko Candra'));
    expect(normaliseIndonesianName('Njoman Sjarif')).toBe('nyoman syarif');
    expect(normaliseIndonesianName('Nurul Hikmah binti Ahmad')).toBe('nurul hikmah ahmad');
    expect(normaliseIndonesianName('Ánnisa')).toBe('anisa');
  });

  it('scores spelling variants of one name high and different names low', () => {
    expect(nameSimilarity('Muhammad Rizky Pratama', 'M. Rizki Pratama')).toBeGreaterThan(0.95);
    expect(nameSimilarity('Pratama Rizky', 'Rizky Pratama')).toBe(1);
    expect(nameSimilarity('Siti', 'Siti Aminah')).toBeGreaterThanOrEqual(0.9);
    expect(nameSimilarity('Dewi Lestari', 'Budi Santoso')).toBeLessThan(0.7);
  });
});

describe('birth date similarity', () => {
  it('rewards exact, one-day-off and day/month-swapped dates', () => {
    expect(birthDateSimilarity(day('2023-03-05'), day('2023-03-05'))).toBe(1);
    expect(birthDateSimilarity(day('2023-03-05'), day('2023-03-06'))).toBe(0.8);
    expect(birthDateSimilarity(day('2023-03-05'), day('2023-05-03'))).toBe(0.8);
    expect(birthDateSimilarity(day('2023-03-05'), day('2023-03-25'))).toBe(0.4);
    expect(birthDateSimilarity(day('2023-03-05'), day('2022-03-05'))).toBe(0);
    expect(birthDateSimilarity(null, day('2022-03-05'))).toBe(0);
  });
});

describe('duplicate score', () => {
  const base: ChildIdentity = { id: 'a', name: 'Muhammad Rizky', birthDay: day('2023-03-05'), motherName: 'Siti Aminah', sex: 1 };

  it('is 1 for the same NIK hash', () => {
    expect(scoreDuplicate({ ...base, nikHash: 'h1' }, { id: 'b', name: 'Other', nikHash: 'h1' })).toEqual({ score: 1, reasons: ['same_nik'] });
  });

  it('is high for a spelling variant with the same birth date and mother', () => {
    const r = scoreDuplicate(base, { id: 'b', name: 'M. Rizki', birthDay: day('2023-03-05'), motherName: 'Siti Aminah', sex: 1 });
    expect(r.score).toBeGreaterThan(0.9);
    expect(r.reasons).toEqual(expect.arrayContaining(['similar_name', 'same_birth_date', 'similar_mother']));
  });

  it('is capped for twins (same birth date and mother, clearly different names)', () => {
    const r = scoreDuplicate({ ...base, name: 'Hasan' }, { ...base, id: 'b', name: 'Husein' });
    expect(r.score).toBeLessThanOrEqual(0.5);
    expect(r.reasons).toContain('possible_twins');
  });

  it('is capped when both have different NIKs and halved for different sexes', () => {
    expect(scoreDuplicate({ ...base, nikHash: 'x' }, { ...base, id: 'b', nikHash: 'y' }).score).toBe(0.5);
    expect(scoreDuplicate(base, { ...base, id: 'b', sex: 2 }).score).toBe(0.5);
  });

  it('moves the mother’s weight to name and birth date when a mother is missing', () => {
    const r = scoreDuplicate({ ...base, motherName: null }, { ...base, id: 'b', motherName: null });
    expect(r.score).toBe(1);
  });
});

describe('finding candidates', () => {
  it('finds same-NIK and fuzzy pairs, ignores different children, ranks best first', () => {
    const recs: ChildIdentity[] = [
      { id: 'r1', name: 'Ahmad Fauzi', birthDay: day('2022-07-01'), motherName: 'Nur Aini', nikHash: 'n1' },
      { id: 'r2', name: 'Achmad Fauzy', birthDay: day('2022-07-01'), motherName: 'Noer Aini' },
      { id: 'r3', name: 'Putri Ayu', birthDay: day('2022-07-01'), motherName: 'Wati' },
      { id: 'r4', name: 'Zainal', birthDay: day('2021-01-09'), nikHash: 'n1' },
      { id: 'r5', name: 'Ahmad Fauzi', birthDay: day('2022-01-07'), motherName: 'Nur Aini' },
    ];
    const c = findDuplicateCandidates(recs);
    const pairs = c.map((p) => `${p.a}-${p.b}:${p.level}`);
    expect(pairs[0]).toBe('r1-r4:same_nik');
    expect(pairs).toContain('r1-r2:likely');
    expect(pairs).toContain('r1-r5:likely'); // day and month swapped
    expect(pairs.some((p) => p.includes('r3'))).toBe(false);
  });
});
