import { describe, expect, it } from 'vitest';
import { loadKbmTable } from '../reference/who-tables.js';
import { mulberry32 as mulberry } from '../common/random.js';
import { judgeStoredSeries, WeightGainTracker, type StoredWeighing } from './weight-gain-tracker.js';

const DAY = 86_400_000;
const iso = (ms: number) => new Date(ms).toISOString().slice(0, 10);

describe('WeightGainTracker (streaming judgement of bulk loads)', () => {
  const kbm = loadKbmTable();

  it('agrees with the growth module series judgement on 3,000 random children', () => {
    const rnd = mulberry(42);
    let compared = 0;
    const seen = { N: 0, T: 0, O: 0, B: 0, twoT: 0, none: 0 };
    for (let c = 0; c < 3000; c++) {
      // Birth days up to the 31st exercise the completed-months rule at month ends.
      const birthMs = Date.UTC(2021, Math.floor(rnd() * 36), 1 + Math.floor(rnd() * 31));
      const birth = iso(birthMs);
      const series: StoredWeighing[] = [];
      let ms = birthMs + Math.floor(rnd() * 20) * DAY;
      let weight = 3 + rnd();
      const visits = 1 + Math.floor(rnd() * 30);
      for (let v = 0; v < visits; v++) {
        const step = rnd();
        // Same month again, next month, or a gap of several months.
        ms += (step < 0.15 ? Math.floor(rnd() * 6) : step < 0.85 ? 25 + Math.floor(rnd() * 12) : 60 + Math.floor(rnd() * 90)) * DAY;
        weight += (rnd() - 0.35) * 0.8;
        series.push({ birthDate: birth, measuredOn: iso(ms), weightKg: rnd() < 0.07 ? null : Math.max(0.5, +weight.toFixed(rnd() < 0.5 ? 1 : 2)) });
      }
      const expected = judgeStoredSeries(series, kbm);
      const tracker = new WeightGainTracker(kbm);
      const got = series.map((s) => tracker.push(c, s));
      expect(got).toEqual(expected);
      for (const e of expected) {
        if (e.code) seen[e.code]++;
        else seen.none++;
        if (e.twoT) seen.twoT++;
      }
      compared += series.length;
    }
    expect(compared).toBeGreaterThan(30_000);
    for (const k of Object.keys(seen) as (keyof typeof seen)[]) expect(seen[k]).toBeGreaterThan(100);
  });

  it('reports a weighing older than the last one pushed, so the loader re-judges that child', () => {
    const tracker = new WeightGainTracker(kbm);
    expect(tracker.push(1, { birthDate: '2024-01-01', measuredOn: '2024-03-01', weightKg: 5 })).toEqual({ code: 'B', twoT: false });
    expect(tracker.push(1, { birthDate: '2024-01-01', measuredOn: '2024-02-01', weightKg: 4.5 })).toBeNull();
    expect(tracker.push(2, { birthDate: '2024-01-01', measuredOn: '2024-02-01', weightKg: 4.5 })).toEqual({ code: 'B', twoT: false });
  });
});
