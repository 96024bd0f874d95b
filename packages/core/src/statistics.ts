/**
 * Pure statistics over latency samples. Functions named `…Sorted` expect ascending input
 * and do not check it; {@link computeStatistics} sorts a copy itself.
 */

/**
 * The q-quantile (0 ≤ q ≤ 1) by linear interpolation between closest ranks — the
 * default of numpy.quantile and R's type 7.
 */
export function quantileSorted(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length;
  if (n === 0) throw new RangeError('quantile of an empty sample');
  if (!(q >= 0 && q <= 1)) throw new RangeError(`quantile ${q} is outside [0, 1]`);
  const position = (n - 1) * q;
  const lower = Math.floor(position);
  const upper = Math.ceil(position);
  const low = sorted[lower] as number;
  const high = sorted[upper] as number;
  return low + (high - low) * (position - lower);
}

/** Mean and sample variance (n − 1 denominator; 0 for a single sample), by Welford's update. */
export function meanAndVariance(samples: ArrayLike<number>): { mean: number; variance: number } {
  let mean = 0;
  let m2 = 0;
  for (let i = 0; i < samples.length; i++) {
    const x = samples[i] as number;
    const delta = x - mean;
    mean += delta / (i + 1);
    m2 += delta * (x - mean);
  }
  const n = samples.length;
  if (n === 0) throw new RangeError('mean of an empty sample');
  return { mean, variance: n > 1 ? m2 / (n - 1) : 0 };
}

/** Median absolute deviation from the median (unscaled). */
export function medianAbsoluteDeviation(sorted: ArrayLike<number>): number {
  const median = quantileSorted(sorted, 0.5);
  const deviations = Float64Array.from({ length: sorted.length }, (_, i) => Math.abs((sorted[i] as number) - median));
  deviations.sort();
  return quantileSorted(deviations, 0.5);
}

/** A distribution-free confidence interval for the median, with the coverage it really has. */
export interface MedianInterval {
  lower: number;
  upper: number;
  /** Probability that the interval holds the true median; below the level asked for when n < 6. */
  coverage: number;
}

/**
 * Confidence interval of the median from order statistics: [x₍ⱼ₎, x₍ₙ₋ⱼ₊₁₎] with the largest j
 * whose binomial coverage 1 − 2·P(Bin(n, ½) < j) still reaches `level`. Exact for any n, so
 * small samples get honest (wide) intervals; with n ≤ 5 no pair reaches 95 % and the
 * full range is returned with its true coverage.
 */
export function medianConfidenceIntervalSorted(sorted: ArrayLike<number>, level = 0.95, autocorrelation = 0): MedianInterval {
  const n = sorted.length;
  if (n === 0) throw new RangeError('confidence interval of an empty sample');
  const { rank, coverage } = medianCiRank(n, level);
  const widened = rank === 0 ? 1 : widenRank(n, rank, autocorrelation);
  // x₍ⱼ₎ and x₍ₙ₋ⱼ₊₁₎ in 1-based ranks. A widened interval reports its own coverage: that of its
  // ranks under the autocorrelation it was widened for (the count below the median has a variance
  // n/4 · (1 + ρ) / (1 − ρ)), not the narrower interval's.
  const r = Math.min(Math.max(autocorrelation, 0), 0.95);
  const reported = widened === rank || rank === 0 ? coverage : 1 - 2 * normalTail(((n + 1) / 2 - widened) / Math.sqrt((n / 4) * ((1 + r) / (1 - r))));
  return { lower: sorted[widened - 1] as number, upper: sorted[n - widened] as number, coverage: reported };
}

/** The largest 1-based rank j with 1 − 2·P(Bin(n, ½) < j) ≥ level, or 0 (with the full range's coverage). */
function medianCiRank(n: number, level: number): { rank: number; coverage: number } {
  const tail = (1 - level) / 2;
  // Walk the binomial CDF from 0 in log space (0.5^n underflows beyond n ≈ 1074).
  const logHalfPowN = n * Math.log(0.5);
  let logPmf = logHalfPowN;
  let cdf = 0; // P(B ≤ j − 1) for the best j so far
  let j = 0;
  for (let k = 0; k < Math.ceil(n / 2); k++) {
    const next = cdf + Math.exp(logPmf); // P(B ≤ k)
    if (next > tail) break;
    cdf = next;
    j = k + 1;
    logPmf += Math.log((n - k) / (k + 1));
  }
  // Even the full range misses the level: it is reported with its real coverage.
  if (j === 0) return { rank: 0, coverage: 1 - 2 * Math.exp(logHalfPowN) };
  return { rank: j, coverage: 1 - 2 * cdf };
}

/**
 * Widens an order-statistic interval for positively autocorrelated samples: the variance of the
 * count below the median grows by (1 + ρ) / (1 − ρ) for an AR(1)-like series, so the interval's
 * distance in ranks from the centre grows by its square root.
 */
function widenRank(n: number, rank: number, rho: number): number {
  if (!(rho > 0)) return rank;
  const r = Math.min(rho, 0.95);
  const distance = (n + 1) / 2 - rank;
  return Math.max(1, Math.floor((n + 1) / 2 - distance * Math.sqrt((1 + r) / (1 - r))));
}

/**
 * Lag-1 autocorrelation of the above/below-median indicators of a series, in measurement order.
 * The median's confidence interval counts samples on each side of it, so this is the correlation
 * that decides how much information consecutive samples really carry (a burst of slow runs makes
 * it positive). 0 for fewer than 3 samples or a constant series.
 */
export function signAutocorrelation(series: ArrayLike<number>, median: number): number {
  const n = series.length;
  if (n < 3) return 0;
  const signs = Float64Array.from({ length: n }, (_, i) => ((series[i] as number) > median ? 1 : 0));
  const { mean, variance } = meanAndVariance(signs);
  if (variance === 0) return 0;
  let sum = 0;
  for (let i = 1; i < n; i++) sum += ((signs[i - 1] as number) - mean) * ((signs[i] as number) - mean);
  return sum / (n - 1) / variance;
}

/** Tukey's fences: counts beyond Q1 − k·IQR / Q3 + k·IQR, mild for k = 1.5, severe for k = 3. */
export interface Outliers {
  lowSevere: number;
  lowMild: number;
  highMild: number;
  highSevere: number;
}

/** Classifies samples by Tukey's fences (criterion.rs's habit); they stay in every statistic. */
export function tukeyOutliersSorted(sorted: ArrayLike<number>): Outliers {
  const q1 = quantileSorted(sorted, 0.25);
  const q3 = quantileSorted(sorted, 0.75);
  const iqr = q3 - q1;
  const counts: Outliers = { lowSevere: 0, lowMild: 0, highMild: 0, highSevere: 0 };
  for (let i = 0; i < sorted.length; i++) {
    const x = sorted[i] as number;
    if (x < q1 - 3 * iqr) counts.lowSevere++;
    else if (x < q1 - 1.5 * iqr) counts.lowMild++;
    else if (x > q3 + 3 * iqr) counts.highSevere++;
    else if (x > q3 + 1.5 * iqr) counts.highMild++;
  }
  return counts;
}

/**
 * Samples needed before the q-quantile is worth reporting: the smallest n for which at least
 * one sample lies above the true q-quantile with probability `confidence`, i.e. 1 − qⁿ ≥ c
 * (p90: 29, p95: 59, p99: 299, p99.9: 2995 at 95 %). Below it the sample maximum is not even a
 * one-sided bound for that percentile. This is the binomial rule behind LoadGen's minimum query
 * counts, without LoadGen's extra margin.
 */
export function minimumSamplesForQuantile(q: number, confidence = 0.95): number {
  if (!(q > 0 && q < 1)) throw new RangeError(`quantile ${q} is outside (0, 1)`);
  return Math.ceil(Math.log(1 - confidence) / Math.log(q) - 1e-9);
}

/** The percentiles ortbench reports, with their quantile. */
export const TAIL_PERCENTILES = { p90: 0.9, p95: 0.95, p99: 0.99, p999: 0.999 } as const;

/** Whether `count` samples are enough to report a percentile (see {@link minimumSamplesForQuantile}). */
export function supportsPercentile(count: number, percentile: keyof typeof TAIL_PERCENTILES): boolean {
  return count >= minimumSamplesForQuantile(TAIL_PERCENTILES[percentile]);
}

/** Half-width of the median's CI relative to the median: the larger side, so ±2 % means both ends. */
export function relativeCiHalfWidth(statistics: Pick<Statistics, 'median' | 'medianCiLower' | 'medianCiUpper'>): number {
  const { median, medianCiLower, medianCiUpper } = statistics;
  if (!(median > 0)) return Number.POSITIVE_INFINITY;
  return Math.max(median - medianCiLower, medianCiUpper - median) / median;
}

/** Every statistic ortbench reports for one configuration, in the samples' unit. */
export interface Statistics {
  count: number;
  min: number;
  max: number;
  mean: number;
  /** Sample standard deviation (0 for one sample). */
  sd: number;
  /** Coefficient of variation, sd / mean, in percent. */
  cv: number;
  median: number;
  p90: number;
  p95: number;
  p99: number;
  p999: number;
  /** Median absolute deviation (unscaled). */
  mad: number;
  /** 95 % confidence interval of the median, widened for autocorrelated samples. */
  medianCiLower: number;
  medianCiUpper: number;
  /** The interval's true coverage (below 0.95 only for n ≤ 5). */
  medianCiCoverage: number;
  /** Lag-1 autocorrelation of the above/below-median indicators (0 when unknown or n < 3). */
  autocorrelation: number;
  /** Samples beyond Tukey's fences; they are kept in every statistic above. */
  outliers: Outliers;
}

/**
 * Computes {@link Statistics} over any non-empty sample; the input is not modified. Give the
 * samples in measurement order: the interval of the median accounts for their autocorrelation.
 */
export function computeStatistics(samples: ArrayLike<number>): Statistics {
  if (samples.length === 0) throw new RangeError('statistics of an empty sample');
  const sorted = Float64Array.from(samples).sort();
  const { mean, variance } = meanAndVariance(sorted);
  const sd = Math.sqrt(variance);
  const median = quantileSorted(sorted, 0.5);
  const autocorrelation = signAutocorrelation(samples, median);
  const interval = medianConfidenceIntervalSorted(sorted, 0.95, autocorrelation);
  return {
    count: sorted.length,
    min: sorted[0] as number,
    max: sorted[sorted.length - 1] as number,
    mean,
    sd,
    cv: mean === 0 ? 0 : (sd / mean) * 100,
    median,
    p90: quantileSorted(sorted, 0.9),
    p95: quantileSorted(sorted, 0.95),
    p99: quantileSorted(sorted, 0.99),
    p999: quantileSorted(sorted, 0.999),
    mad: medianAbsoluteDeviation(sorted),
    medianCiLower: interval.lower,
    medianCiUpper: interval.upper,
    medianCiCoverage: interval.coverage,
    autocorrelation,
    outliers: tukeyOutliersSorted(sorted),
  };
}

/** P(Z > z) for a standard normal, via the complementary error function (|error| < 1.2e-7). */
export function normalTail(z: number): number {
  return 0.5 * erfc(z / Math.SQRT2);
}

function erfc(x: number): number {
  // Numerical Recipes' erfcc: Chebyshev fit, fractional error below 1.2e-7 everywhere.
  const t = 1 / (1 + 0.5 * Math.abs(x));
  const y =
    t *
    Math.exp(
      -x * x -
        1.26551223 +
        t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return x >= 0 ? y : 2 - y;
}
