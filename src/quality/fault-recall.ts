/**
 * How well the stored validity scores find the faults planted in the demo district (`tumbuh
 * demo`): recall of faulty posyandu, false alarms among clean posyandu, the rank of each faulty
 * posyandu among the least valid, and the same per posyandu-month. Pure.
 *
 * Definitions (also in docs/QUALITY.md):
 * - a posyandu-month is **flagged** when its score is below `flagBelow` (95: at least one
 *   problem worth 5 points; unscored months — fewer than 10 children — are never flagged);
 * - a posyandu is **flagged** when it has at least `persistent` (2) flagged months within some
 *   `window` (3) consecutive months: a problem that lasts, not one noisy month;
 * - **recall** = faulty posyandu flagged with a flagged month inside the fault's months / faulty
 *   posyandu; **false-alarm rate** = clean posyandu flagged / clean posyandu with a score;
 * - **persistent score** of a posyandu = the lowest, over its windows of `window` consecutive
 *   months, of the window's `persistent`-th lowest score; posyandu are **ranked** by it, least
 *   valid first (rank 1);
 * - month level: recall = flagged posyandu-months inside fault windows / scored fault
 *   posyandu-months; false alarms = flagged clean posyandu-months / scored clean posyandu-months.
 */

/** One stored posyandu-month score. */
export interface PosyanduMonthScore {
  posyanduId: number;
  /** yyyy-mm */
  month: string;
  score: number | null;
}

/** One planted fault. */
export interface PlantedFault {
  posyanduId: number;
  kind: string;
  /** yyyy-mm, inclusive */
  firstMonth: string;
  lastMonth: string;
}

export interface RecallOptions {
  flagBelow: number;
  persistent: number;
  window: number;
}

export const DEFAULT_RECALL_OPTIONS: RecallOptions = { flagBelow: 95, persistent: 2, window: 3 };

/** The result for one faulty posyandu. */
export interface FaultFinding {
  posyanduId: number;
  kind: string;
  found: boolean;
  rank: number;
  persistentScore: number | null;
  flaggedMonthsInFault: number;
  scoredMonthsInFault: number;
}

export interface RecallReport {
  definition: string;
  options: RecallOptions;
  posyandu: { faulty: number; found: number; recall: number; clean: number; falseAlarms: number; falseAlarmRate: number; faultyInLowestFivePercent: number };
  months: { faulty: number; flagged: number; recall: number; clean: number; falseAlarms: number; falseAlarmRate: number };
  findings: FaultFinding[];
}

function monthIndex(m: string): number {
  return Number(m.slice(0, 4)) * 12 + Number(m.slice(5, 7)) - 1;
}

/**
 * Recall and false-alarm rate of the validity scores against the planted faults, with each faulty
 * posyandu's rank (definitions in the module comment).
 */
export function faultRecall(scores: readonly PosyanduMonthScore[], faults: readonly PlantedFault[], options: Partial<RecallOptions> = {}): RecallReport {
  const opt = { ...DEFAULT_RECALL_OPTIONS, ...options };
  const byPosyandu = new Map<number, Map<number, number>>();
  for (const s of scores) {
    if (s.score === null) continue;
    let m = byPosyandu.get(s.posyanduId);
    if (!m) byPosyandu.set(s.posyanduId, (m = new Map()));
    m.set(monthIndex(s.month), s.score);
  }
  const faultsOf = new Map<number, PlantedFault[]>();
  for (const f of faults) faultsOf.set(f.posyanduId, [...(faultsOf.get(f.posyanduId) ?? []), f]);

  const persistentScore = new Map<number, number>();
  const flaggedPosyandu = new Set<number>();
  for (const [p, months] of byPosyandu) {
    const idx = [...months.keys()].sort((a, b) => a - b);
    let worst = Infinity;
    for (const start of idx) {
      const inWindow: number[] = [];
      for (let k = start; k < start + opt.window; k++) if (months.has(k)) inWindow.push(months.get(k) as number);
      if (inWindow.length < opt.persistent) continue;
      inWindow.sort((a, b) => a - b);
      worst = Math.min(worst, inWindow[opt.persistent - 1]);
    }
    if (Number.isFinite(worst)) {
      persistentScore.set(p, worst);
      if (worst < opt.flagBelow) flaggedPosyandu.add(p);
    }
  }
  const ranked = [...persistentScore.entries()].sort((a, b) => a[1] - b[1] || a[0] - b[0]);
  const rankOf = new Map(ranked.map(([p], i) => [p, i + 1]));

  let faultyMonths = 0;
  let faultyFlagged = 0;
  let cleanMonths = 0;
  let cleanFlagged = 0;
  for (const [p, months] of byPosyandu) {
    const fs = faultsOf.get(p);
    for (const [m, score] of months) {
      const inFault = fs?.some((f) => m >= monthIndex(f.firstMonth) && m <= monthIndex(f.lastMonth));
      if (fs && !inFault) continue; // a faulty posyandu's months outside its fault are neither
      if (inFault) {
        faultyMonths++;
        if (score < opt.flagBelow) faultyFlagged++;
      } else {
        cleanMonths++;
        if (score < opt.flagBelow) cleanFlagged++;
      }
    }
  }

  const findings: FaultFinding[] = faults.map((f) => {
    const months = byPosyandu.get(f.posyanduId) ?? new Map<number, number>();
    let flagged = 0;
    let scored = 0;
    for (const [m, score] of months) {
      if (m < monthIndex(f.firstMonth) || m > monthIndex(f.lastMonth)) continue;
      scored++;
      if (score < opt.flagBelow) flagged++;
    }
    return {
      posyanduId: f.posyanduId,
      kind: f.kind,
      found: flaggedPosyandu.has(f.posyanduId) && flagged > 0,
      rank: rankOf.get(f.posyanduId) ?? ranked.length + 1,
      persistentScore: persistentScore.get(f.posyanduId) ?? null,
      flaggedMonthsInFault: flagged,
      scoredMonthsInFault: scored,
    };
  });
  const faulty = new Set(faults.map((f) => f.posyanduId));
  const found = new Set(findings.filter((x) => x.found).map((x) => x.posyanduId));
  const clean = [...persistentScore.keys()].filter((p) => !faulty.has(p));
  const falseAlarms = clean.filter((p) => flaggedPosyandu.has(p)).length;
  const lowest = Math.max(1, Math.ceil(0.05 * ranked.length));
  const ratio = (a: number, b: number) => (b === 0 ? 0 : a / b);
  return {
    definition:
      `posyandu-month flagged: score < ${opt.flagBelow}; posyandu flagged: >= ${opt.persistent} flagged months within ${opt.window} consecutive months; ` +
      'recall = faulty posyandu flagged (with a flagged month inside the fault) / faulty posyandu; false-alarm rate = clean posyandu flagged / clean posyandu scored; ' +
      `rank by persistent score (the ${opt.persistent}. lowest score of the worst ${opt.window}-month window), 1 = least valid`,
    options: opt,
    posyandu: {
      faulty: faulty.size,
      found: found.size,
      recall: ratio(found.size, faulty.size),
      clean: clean.length,
      falseAlarms,
      falseAlarmRate: ratio(falseAlarms, clean.length),
      faultyInLowestFivePercent: findings.filter((x) => x.rank <= lowest).length,
    },
    months: {
      faulty: faultyMonths,
      flagged: faultyFlagged,
      recall: ratio(faultyFlagged, faultyMonths),
      clean: cleanMonths,
      falseAlarms: cleanFlagged,
      falseAlarmRate: ratio(cleanFlagged, cleanMonths),
    },
    findings,
  };
}
