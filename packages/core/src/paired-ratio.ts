import { SeededRandom } from './seeded-random';
import { quantileSorted, signAutocorrelation } from './statistics';

/**
 * The ratio of two configurations measured in pairs (one run of each in the same round), as
 * Chromium Pinpoint's pairwise mode judges it: per pair the log of B's time over A's, the
 * Hodges–Lehmann estimate of their centre, and the Wilcoxon signed-rank 95 % interval — both
 * turned back into ratios. Pairing cancels what the machine did to both runs of a round (a CPU
 * that changes speed, a neighbour's burst), which two independent medians cannot.
 */
export interface PairedRatio {
  /** B's time over A's (per item when their batches differ): 0.5 is twice as fast. */
  ratio: number;
  lower: number;
  upper: number;
  /** The interval's confidence level (0.95). */
  level: number;
  pairs: number;
  /**
   * Pairs left out because their log ratio lies beyond {@link STRADDLE_LIMIT} robust standard
   * deviations of the median's, and beyond 25 %: the machine changed speed between the pair's two runs (a 1.8×
   * switch makes one pair read 1.8× either way), which says nothing about the configurations.
   */
  excluded: number;
  /**
   * The ratio when A ran first in its round over the ratio when B ran first: about 1 when the
   * run after a switch is no slower than the run after itself (absent below 6 pairs of either order).
   */
  orderEffect?: number;
}

/** One pair: the two runs' times (ns, or per item) and whether A ran first. */
export interface RunPair {
  a: number;
  b: number;
  aFirst: boolean;
}

/** Pairs below which no Wilcoxon interval reaches 95 % (with 5 pairs the widest one covers 93.75 %). */
export const MIN_PAIRS_FOR_INTERVAL = 6;

/** Walsh averages beyond which a seeded sample of them stands in for all (quantiles to about ±0.1 %). */
const MAX_WALSH = 1_000_000;

/**
 * The paired ratio of B to A. Fewer than {@link MIN_PAIRS_FOR_INTERVAL} pairs give an infinite
 * interval (no claim), never a narrow one.
 */
export function pairedRatio(pairs: readonly RunPair[], level = 0.95): PairedRatio {
  const all = pairs.map((p) => ({ log: Math.log(p.b / p.a), aFirst: p.aFirst })).filter((p) => Number.isFinite(p.log));
  const kept = withoutStraddles(all);
  const logs = kept.map((p) => p.log);
  // When the ratio itself drifts with the machine's state (fp32 and int8 do not slow alike under a
  // neighbour's memory traffic), consecutive pairs agree more than independent ones would: the
  // interval is widened by that autocorrelation, so it covers the drift instead of one state's ratio.
  const centre = hodgesLehmann(logs);
  const { estimate, lower, upper } = signedRankInterval(logs, level, signAutocorrelation(logs, centre));
  const result: PairedRatio = { ratio: Math.exp(estimate), lower: Math.exp(lower), upper: Math.exp(upper), level, pairs: logs.length, excluded: all.length - kept.length };
  const ab = kept.filter((p) => p.aFirst).map((p) => p.log);
  const ba = kept.filter((p) => !p.aFirst).map((p) => p.log);
  if (ab.length >= MIN_PAIRS_FOR_INTERVAL && ba.length >= MIN_PAIRS_FOR_INTERVAL) {
    result.orderEffect = Math.exp(hodgesLehmann(ab) - hodgesLehmann(ba));
  }
  return result;
}

/** Robust standard deviations (1.4826 × MAD) beyond which a pair's log ratio is taken for a speed change within the pair. */
export const STRADDLE_LIMIT = 5;

/**
 * The pairs whose log ratio lies within {@link STRADDLE_LIMIT} robust SDs (and at least 25 %) of the median's —
 * symmetric about the centre, so the estimate of a symmetric spread is not biased. Below 20
 * pairs, or with no spread at all, every pair is kept.
 */
function withoutStraddles<T extends { log: number }>(pairs: readonly T[]): T[] {
  if (pairs.length < 20) return [...pairs];
  const sorted = Float64Array.from(pairs, (p) => p.log).sort();
  const median = quantileSorted(sorted, 0.5);
  const deviations = Float64Array.from(sorted, (v) => Math.abs(v - median)).sort();
  const spread = 1.4826 * quantileSorted(deviations, 0.5);
  if (!(spread > 0)) return [...pairs];
  // Never closer than 25 %: a speed change is that large (1.8×); a real machine's ordinary tail is not left out.
  const limit = Math.max(STRADDLE_LIMIT * spread, Math.log(1.25));
  return pairs.filter((p) => Math.abs(p.log - median) <= limit);
}

/** The relative half-width of a paired ratio's interval (the larger side, in log terms): its precision. */
export function pairedPrecision(ratio: Pick<PairedRatio, 'ratio' | 'lower' | 'upper'>): number {
  if (!(ratio.lower > 0) || !Number.isFinite(ratio.upper)) return Number.POSITIVE_INFINITY;
  return Math.max(ratio.ratio / ratio.lower, ratio.upper / ratio.ratio) - 1;
}

/** The Hodges–Lehmann estimate of a sample's centre: the median of its Walsh averages. */
export function hodgesLehmann(values: readonly number[]): number {
  return signedRankInterval(values, 0.95).estimate;
}

/**
 * Widens a critical rank for positively autocorrelated values, as the median's interval is
 * widened (statistics.ts): its distance from the centre of the N Walsh averages grows by
 * √((1 + ρ) / (1 − ρ)).
 */
function widenCritical(k: number, total: number, rho: number): number {
  if (!(rho > 0)) return k;
  const r = Math.min(rho, 0.95);
  const distance = total / 2 - k;
  return Math.max(1, Math.floor(total / 2 - distance * Math.sqrt((1 + r) / (1 - r))));
}

/**
 * The Hodges–Lehmann estimate and the Wilcoxon signed-rank confidence interval of a sample's
 * centre: order statistics of the Walsh averages (x_i + x_j) / 2, i ≤ j, at the critical rank of
 * the signed-rank statistic (exact to 50 values, normal beyond), widened for values in measurement
 * order that are autocorrelated (`autocorrelation`, lag 1 of their signs about the centre). Beyond {@link MAX_WALSH} averages a seeded sample
 * of them is used.
 */
export function signedRankInterval(values: readonly number[], level = 0.95, autocorrelation = 0): { estimate: number; lower: number; upper: number } {
  const n = values.length;
  if (n === 0) return { estimate: Number.NaN, lower: Number.NEGATIVE_INFINITY, upper: Number.POSITIVE_INFINITY };
  const walsh = walshAverages(values);
  const total = (n * (n + 1)) / 2;
  const at = (rank: number) => walsh[Math.min(walsh.length - 1, Math.max(0, Math.round(((rank - 0.5) / total) * walsh.length - 0.5)))] as number;
  const estimate = walsh.length % 2 === 1 ? (walsh[(walsh.length - 1) / 2] as number) : ((walsh[walsh.length / 2 - 1] as number) + (walsh[walsh.length / 2] as number)) / 2;
  if (n < MIN_PAIRS_FOR_INTERVAL) return { estimate, lower: Number.NEGATIVE_INFINITY, upper: Number.POSITIVE_INFINITY };
  const k = widenCritical(criticalRank(n, level), total, autocorrelation);
  return { estimate, lower: at(k), upper: at(total - k + 1) };
}

/**
 * The largest k with P(T ≤ k − 1) ≤ α/2 for the signed-rank statistic T of n values: the
 * interval is [W_(k), W_(N − k + 1)]. Exact (T's distribution by counting) up to 50 values,
 * the normal approximation beyond.
 */
function criticalRank(n: number, level: number): number {
  const alpha = (1 - level) / 2;
  if (n <= 50) {
    const total = (n * (n + 1)) / 2;
    // counts[t]: subsets of {1..n} whose sum is t.
    let counts = new Float64Array(total + 1);
    counts[0] = 1;
    for (let rank = 1; rank <= n; rank++) {
      const next = Float64Array.from(counts);
      for (let t = rank; t <= total; t++) next[t]! += counts[t - rank]!;
      counts = next;
    }
    const all = 2 ** n;
    let cumulative = 0;
    let k = 0;
    while (k <= total && (cumulative + counts[k]!) / all <= alpha) cumulative += counts[k++]!;
    return Math.max(1, k);
  }
  const sd = Math.sqrt((n * (n + 1) * (2 * n + 1)) / 24);
  return Math.max(1, Math.floor((n * (n + 1)) / 4 - normalQuantile(1 - alpha) * sd) + 1);
}

function walshAverages(values: readonly number[]): Float64Array {
  const n = values.length;
  const total = (n * (n + 1)) / 2;
  if (total <= MAX_WALSH) {
    const all = new Float64Array(total);
    let k = 0;
    for (let i = 0; i < n; i++) for (let j = i; j < n; j++) all[k++] = ((values[i] as number) + (values[j] as number)) / 2;
    return all.sort();
  }
  // A uniform sample of the (i ≤ j) pairs: draw i, j independently and order them; the
  // diagonal (i = j) is drawn with probability 1/n² instead of 2/n², negligible at this size.
  const random = new SeededRandom(`walsh:${n}`);
  const sample = new Float64Array(MAX_WALSH);
  for (let k = 0; k < MAX_WALSH; k++) {
    const i = random.integer(0, n);
    const j = random.integer(0, n);
    sample[k] = ((values[i] as number) + (values[j] as number)) / 2;
  }
  return sample.sort();
}

/** The standard normal quantile (Acklam's rational approximation, |error| < 1.2e-9). */
export function normalQuantile(p: number): number {
  if (!(p > 0 && p < 1)) throw new RangeError(`normal quantile needs 0 < p < 1, got ${p}`);
  const a = [-39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716, 2.506628277459239];
  const b = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
  const c = [-0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const low = 0.02425;
  const poly = (coefficients: number[], x: number) => coefficients.reduce((sum, coefficient) => sum * x + coefficient, 0);
  if (p < low) {
    const q = Math.sqrt(-2 * Math.log(p));
    return poly(c, q) / (poly(d, q) * q + 1);
  }
  if (p > 1 - low) return -normalQuantile(1 - p);
  const q = p - 0.5;
  const r = q * q;
  return (poly(a, r) * q) / (poly(b, r) * r + 1);
}
