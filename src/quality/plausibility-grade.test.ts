import { describe, expect, it } from 'vitest';
import { ENA_GRADE_CONFIG, gradePlausibility, type GradeInputs } from './plausibility-grade.js';

const good: GradeInputs = {
  whzFlagRate: 1,
  sexRatioP: 0.6,
  ageRatioP: 0.4,
  dpsWeight: 5,
  dpsHeight: 6,
  dpsMuac: 7,
  sdWhz: 1.02,
  skewWhz: -0.1,
  kurtWhz: 0.15,
  poissonWhzP: 0.3,
};

describe('overall plausibility grade (DATA-QUALITY.md §7)', () => {
  it('is 0 points and Excellent for good data, every component visible', () => {
    const g = gradePlausibility(good);
    expect(g.score).toBe(0);
    expect(g.class).toBe('Excellent');
    expect(g.assessed).toBe(10);
    expect(g.components.map((c) => c.name)).toEqual([
      'flaggedData',
      'sexRatio',
      'ageRatio',
      'dpsWeight',
      'dpsHeight',
      'dpsMuac',
      'sdWhz',
      'skewWhz',
      'kurtWhz',
      'poissonWhz',
    ]);
  });

  it('adds ENA’s points per class', () => {
    const g = gradePlausibility({ ...good, whzFlagRate: 6, dpsHeight: 25, sdWhz: 1.25, ageRatioP: 0.07, kurtWhz: -0.45 });
    const byName = Object.fromEntries(g.components.map((c) => [c.name, c]));
    expect(byName.flaggedData).toMatchObject({ class: 'Acceptable', penalty: 10 });
    expect(byName.dpsHeight).toMatchObject({ class: 'Problematic', penalty: 10 });
    expect(byName.sdWhz).toMatchObject({ class: 'Problematic', penalty: 20 });
    expect(byName.ageRatio).toMatchObject({ class: 'Good', penalty: 2 });
    expect(byName.kurtWhz).toMatchObject({ class: 'Acceptable', penalty: 3 });
    expect(g.score).toBe(45);
    expect(g.class).toBe('Problematic');
  });

  it('uses the band edges of ENA (2.5 % flags is still excellent, SD 0.85 good)', () => {
    const g = gradePlausibility({ ...good, whzFlagRate: 2.5, sdWhz: 0.86, sexRatioP: 0.001 });
    const byName = Object.fromEntries(g.components.map((c) => [c.name, c]));
    expect(byName.flaggedData.class).toBe('Excellent');
    expect(byName.sdWhz.class).toBe('Good');
    expect(byName.sexRatio.class).toBe('Problematic');
    expect(g.score).toBe(15);
    expect(g.class).toBe('Acceptable');
  });

  it('shows checks that could not be made as not assessed, with no points', () => {
    const g = gradePlausibility({ ...good, dpsMuac: NaN, poissonWhzP: NaN });
    expect(g.assessed).toBe(8);
    const muac = g.components.find((c) => c.name === 'dpsMuac');
    expect(muac).toMatchObject({ class: null, penalty: 0 });
  });

  it('follows a district’s own configuration', () => {
    const strict = { ...ENA_GRADE_CONFIG, dpsPoints: [0, 5, 10, 30] as const };
    const g = gradePlausibility({ ...good, dpsWeight: 21 }, strict);
    expect(g.score).toBe(30);
  });
});
