import type { PairedRatio } from './paired-ratio';

/** What a paired A/B measurement says about B. */
export type AbVerdict = 'faster' | 'slower' | 'same' | 'unsure';

/** The rule a verdict is judged by. */
export interface VerdictRule {
  /** A change smaller than this fraction counts as no change (default 0.02: ±2 %). */
  threshold: number;
}

/**
 * The verdict on B against A from the 95 % interval of B's time over A's, after Pinpoint's
 * pairwise mode, with an equivalence band: `same` when the whole interval lies within ±threshold
 * of 1 (proven no larger change, whether or not it excludes 1); `slower` when the whole interval
 * lies above 1 and the estimate itself is a change of at least the threshold, `faster` likewise
 * below; else `unsure` (more pairs would decide). The estimate must reach the threshold because
 * two sessions of one file can differ by a per cent (where their memory landed): measured, an
 * A/A run called such a difference "faster" when the interval alone decided.
 */
export function abVerdict(ratio: Pick<PairedRatio, 'ratio' | 'lower' | 'upper'>, rule: VerdictRule = { threshold: 0.02 }): AbVerdict {
  const band = 1 + rule.threshold;
  if (ratio.lower >= 1 / band && ratio.upper <= band) return 'same';
  if (ratio.lower > 1 && ratio.ratio >= band) return 'slower';
  if (ratio.upper < 1 && ratio.ratio <= 1 / band) return 'faster';
  return 'unsure';
}

/**
 * A paired ratio in words, the one way every report says it: `1.92× faster (1.90–1.94)`,
 * `1.10× slower (1.08–1.12)`, or `same within ±0.8 %` when the interval covers 1.
 */
export function describeRatio(ratio: Pick<PairedRatio, 'ratio' | 'lower' | 'upper'>): string {
  if (ratio.lower <= 1 && ratio.upper >= 1) {
    const within = Math.max(1 - ratio.lower, ratio.upper - 1);
    return `same within ±${(within * 100).toFixed(within < 0.1 ? 1 : 0)} %`;
  }
  const fixed = (value: number) => value.toFixed(value < 10 ? 2 : 1);
  if (ratio.ratio < 1) return `${fixed(1 / ratio.ratio)}× faster (${fixed(1 / ratio.upper)}–${fixed(1 / ratio.lower)})`;
  return `${fixed(ratio.ratio)}× slower (${fixed(ratio.lower)}–${fixed(ratio.upper)})`;
}
