import { InvalidArgumentError } from './errors';
import type { Statistics } from './statistics';
import { medianConfidenceIntervalSorted, minimumSamplesForQuantile, quantileSorted, relativeCiHalfWidth, signAutocorrelation, supportsPercentile, TAIL_PERCENTILES } from './statistics';

/**
 * When a timed phase ends. With a `ciTarget`, once the minimums are met it runs until the 95 %
 * CI of the median is within ± that fraction of the median; without one (0) it stops at the
 * minimums. Either cap ends it regardless, and a cap reached first is reported as such.
 */
export interface StopRule {
  minIterations: number;
  minDurationMs: number;
  maxIterations: number;
  maxDurationMs: number;
  /** Relative half-width of the median's 95 % CI to reach, e.g. 0.02 for ±2 %; 0 for none (a fixed count or time). */
  ciTarget: number;
}

/**
 * Defaults for the steady state: at least 10 runs and 1 s, then until the median is known to
 * ±2 %, for at most 8 s (the CLI's --max-duration default: the library and the CLI agree) — so
 * four ResNet-50 configurations stay well under a minute.
 */
export const DEFAULT_STOP_RULE: StopRule = {
  minIterations: 10,
  minDurationMs: 1_000,
  maxIterations: 1_000_000,
  maxDurationMs: 8_000,
  ciTarget: 0.02,
};

/** Defaults for warm-up (after the separately timed first run). */
export const DEFAULT_WARMUP_RULE: StopRule = {
  minIterations: 5,
  minDurationMs: 0,
  maxIterations: 1_000,
  maxDurationMs: 10_000,
  ciTarget: 0,
};

/** A stop rule that runs exactly `iterations` runs (the seeds' `timeit` habit): no target, no time cap. */
export function fixedIterations(iterations: number): StopRule {
  return { minIterations: iterations, maxIterations: iterations, minDurationMs: 0, maxDurationMs: Number.POSITIVE_INFINITY, ciTarget: 0 };
}

/** A stop rule that runs for exactly `durationMs`, however many runs that is. */
export function fixedDuration(durationMs: number): StopRule {
  return { minIterations: 1, maxIterations: Number.POSITIVE_INFINITY, minDurationMs: durationMs, maxDurationMs: durationMs, ciTarget: 0 };
}

/** Why a steady state ended. */
export type StopReason = 'target' | 'fixed' | 'cap' | 'interrupted';

/** Merges `given` over `defaults` and checks it; `label` names the rule in errors. */
export function resolveStopRule(defaults: StopRule, given: Partial<StopRule> | undefined, label: string, minIterationsFloor: number): StopRule {
  const rule = { ...defaults, ...given };
  for (const [key, value] of Object.entries(rule)) {
    const capped = key === 'maxIterations' || key === 'maxDurationMs';
    if (typeof value !== 'number' || Number.isNaN(value) || value < 0 || (!capped && !Number.isFinite(value))) {
      throw new InvalidArgumentError(`${label}.${key} must be a non-negative number, got ${value}`);
    }
  }
  if (rule.minIterations < minIterationsFloor) {
    throw new InvalidArgumentError(`${label}.minIterations must be at least ${minIterationsFloor}, got ${rule.minIterations}`);
  }
  if (rule.maxIterations < Math.max(rule.minIterations, minIterationsFloor)) {
    throw new InvalidArgumentError(`${label}.maxIterations (${rule.maxIterations}) is below its minIterations (${rule.minIterations})`);
  }
  if (minIterationsFloor > 0 && rule.maxDurationMs <= 0) {
    throw new InvalidArgumentError(`${label}.maxDurationMs must be positive, got ${rule.maxDurationMs}`);
  }
  if (rule.ciTarget >= 1) throw new InvalidArgumentError(`${label}.ciTarget is a fraction (0.02 for ±2 %), got ${rule.ciTarget}`);
  return rule;
}

/**
 * Runs below which no interval between order statistics covers the median with 95 %
 * confidence (five runs' full range covers it 93.75 % of the time; one run's, never): a
 * precision target cannot be met with fewer, and the figures say so.
 */
export const MIN_RUNS_FOR_MEDIAN_CI = 6;

/** The median's relative CI half-width of samples in measurement order (autocorrelation-aware); infinite below {@link MIN_RUNS_FOR_MEDIAN_CI} runs. */
export function medianPrecision(samples: readonly number[]): number {
  if (samples.length < MIN_RUNS_FOR_MEDIAN_CI) return Number.POSITIVE_INFINITY;
  const sorted = Float64Array.from(samples).sort();
  const median = quantileSorted(sorted, 0.5);
  const interval = medianConfidenceIntervalSorted(sorted, 0.95, signAutocorrelation(samples, median));
  return relativeCiHalfWidth({ median, medianCiLower: interval.lower, medianCiUpper: interval.upper });
}

/** How far to trust a configuration's figures, and why. */
export interface Stability {
  /** target: the CI target was met; fixed: a fixed count or time was asked for; cap: a cap came first; interrupted: stopped early. */
  stop: StopReason;
  /** The relative CI half-width asked for (absent without a target). */
  ciTarget?: number;
  /** The relative half-width of the median's 95 % CI that was reached. */
  ciHalfWidth: number;
  /** True when the median is less precise than asked (cap or interruption before the target). */
  unstable: boolean;
  /** Plain-language warnings: why unstable, wide spread, outliers, rounds that disagree. */
  notes: string[];
}

/** Judges a finished steady state: its stop reason, precision and notes a reader should see. */
export function assessStability(latency: Statistics, rule: StopRule, stop: StopReason, roundSpread?: number): Stability {
  const ciHalfWidth = relativeCiHalfWidth(latency);
  const unstable = stop === 'cap' || stop === 'interrupted';
  const notes: string[] = [];
  if (latency.count < MIN_RUNS_FOR_MEDIAN_CI) {
    notes.push(`${latency.count} run${latency.count === 1 ? '' : 's'}: too few for a 95 % confidence interval of the median (needs ${MIN_RUNS_FOR_MEDIAN_CI}); tables show the count instead of a ±`);
  }
  // Below the runs a 95 % interval needs, no ± is claimed anywhere: the note above says why.
  const ci = latency.count < MIN_RUNS_FOR_MEDIAN_CI ? 'no 95 % CI of the median' : `median's 95 % CI ±${percent(ciHalfWidth)}`;
  if (stop === 'cap') {
    notes.push(
      rule.ciTarget > 0
        ? `unstable: ${ci} after ${latency.count} runs, target ±${percent(rule.ciTarget)} not reached within the cap`
        : `unstable: the cap stopped it before its minimum (${latency.count} runs)`,
    );
  }
  if (stop === 'interrupted') notes.push(`unstable: interrupted after ${latency.count} runs (${ci})`);
  if (latency.cv > 20) notes.push(`wide spread: CV ${latency.cv.toFixed(0)} %`);
  const { lowSevere, lowMild, highMild, highSevere } = latency.outliers;
  const outliers = lowSevere + lowMild + highMild + highSevere;
  if (outliers > 0) {
    const parts = [
      [highSevere, 'high severe'],
      [highMild, 'high mild'],
      [lowMild, 'low mild'],
      [lowSevere, 'low severe'],
    ].filter(([count]) => (count as number) > 0);
    notes.push(`${outliers} outlier(s) among ${latency.count} runs: ${parts.map(([count, kind]) => `${count} ${kind}`).join(', ')}`);
  }
  const thin = (['p90', 'p95', 'p99', 'p999'] as const).filter((p) => !supportsPercentile(latency.count, p));
  if (thin.length > 0) {
    notes.push(`${thin.join(', ')} rest on too few runs (${latency.count}; ${thin.map((p) => `${p} needs ${minimumSamplesForQuantile(TAIL_PERCENTILES[p])}`).join(', ')})`);
  }
  if (roundSpread !== undefined && roundSpread > Math.max(0.05, 2 * rule.ciTarget)) {
    notes.push(`rounds disagree: their medians span ${percent(roundSpread)} of the median (the machine drifted)`);
  }
  const stability: Stability = { stop, ciHalfWidth, unstable, notes };
  if (rule.ciTarget > 0) stability.ciTarget = rule.ciTarget;
  return stability;
}

function percent(fraction: number): string {
  return Number.isFinite(fraction) ? `${(fraction * 100).toFixed(fraction < 0.1 ? 1 : 0)} %` : '∞';
}
