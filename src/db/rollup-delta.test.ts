import { describe, expect, it } from 'vitest';
import { isoDate, isoDayNumber } from '../common/dates.js';
import { mulberry32 } from '../common/random.js';
import { RegistrationDelta } from './rollup-delta.js';

const monthStart = (iso: string): string => `${iso.slice(0, 7)}-01`;
const nextMonth = (m: string): string => {
  const y = Number(m.slice(0, 4));
  const mo = Number(m.slice(5, 7));
  return mo === 12 ? `${y + 1}-01-01` : `${y}-${String(mo + 1).padStart(2, '0')}-01`;
};

/** `registered` by the definition in rollup.ts, month by month (what the SQL's generate_series counts). */
function expected(children: { desa: string; posyandu: number | null; birth: string; registered: string; exited: string | null }[]) {
  const desa = new Map<string, number>();
  const posyandu = new Map<string, number>();
  for (const c of children) {
    const start = c.registered > c.birth ? c.registered : c.birth;
    let end = isoDate(isoDayNumber(c.birth) + 1826);
    if (c.exited !== null && c.exited < end) end = c.exited;
    for (let m = monthStart(start); m <= monthStart(end); m = nextMonth(m)) {
      desa.set(`${c.desa}|${m}`, (desa.get(`${c.desa}|${m}`) ?? 0) + 1);
      if (c.posyandu !== null) posyandu.set(`${c.posyandu}|${m}`, (posyandu.get(`${c.posyandu}|${m}`) ?? 0) + 1);
    }
  }
  return { desa, posyandu };
}

const sorted = (m: Map<string, number>): [string, number][] => [...m.entries()].sort((a, b) => (a[0] < b[0] ? -1 : 1));

describe('RegistrationDelta', () => {
  it('counts each new child in every month from registration to 1826 days or exit, as the SQL definition', () => {
    const rnd = mulberry32(7);
    const children = Array.from({ length: 3000 }, () => {
      const birthDay = isoDayNumber('2019-01-01') + Math.floor(rnd() * 2500);
      const registered = birthDay + (rnd() < 0.5 ? 0 : Math.floor(rnd() * 900));
      // Some exit before they are registered (they count nowhere), some after, most never.
      const r = rnd();
      const exited = r < 0.1 ? birthDay + Math.floor(rnd() * 2000) : null;
      return {
        desa: `62.01.0${1 + Math.floor(rnd() * 3)}.2001`,
        posyandu: rnd() < 0.2 ? null : 1 + Math.floor(rnd() * 7),
        birth: isoDate(birthDay),
        registered: isoDate(registered),
        exited: exited === null ? null : isoDate(exited),
      };
    });
    const delta = new RegistrationDelta();
    for (const c of children) delta.add(c.desa, c.posyandu, c.birth, c.registered, c.exited);
    const got = delta.counts();
    const want = expected(children);
    expect(sorted(got.desa)).toEqual(sorted(want.desa));
    expect(sorted(got.posyandu)).toEqual(sorted(want.posyandu));
    const counted = children.filter((c) => {
      const start = c.registered > c.birth ? c.registered : c.birth;
      const end = c.exited !== null && c.exited < isoDate(isoDayNumber(c.birth) + 1826) ? c.exited : isoDate(isoDayNumber(c.birth) + 1826);
      return monthStart(start) <= monthStart(end);
    });
    expect(delta.size).toBe(counted.length);
    expect(counted.length).toBeLessThan(children.length);
  });

  it('a child registered on its birth date counts in 61 or 62 months; one that left before registering counts nowhere', () => {
    const delta = new RegistrationDelta();
    delta.add('62.01.01.2001', 5, '2020-01-31', '2020-01-31');
    delta.add('62.01.01.2001', 5, '2021-03-01', '2021-05-01', '2021-04-01');
    const { desa, posyandu } = delta.counts();
    // 2020-01-31 + 1826 days = 2025-01-30: January 2020 … January 2025.
    expect(desa.size).toBe(61);
    expect(desa.get('62.01.01.2001|2020-01-01')).toBe(1);
    expect(desa.get('62.01.01.2001|2025-01-01')).toBe(1);
    expect(desa.has('62.01.01.2001|2025-02-01')).toBe(false);
    expect(posyandu.get('5|2022-06-01')).toBe(1);
    expect(delta.size).toBe(1);
  });
});
