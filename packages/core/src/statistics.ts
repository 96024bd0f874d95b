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
export function medianConfidenceIntervalSorted(sorted: ArrayLike<number>, level = 0.95): MedianInterval {
  const n = sorted.length;
  if (n === 0) throw new RangeError('confidence interval of an empty sample');
  const tail = (1 - level) / 2;
  // Walk the binomial CDF from 0 in log space (0.5^n underflows beyond n ≈ 1074).
  const logHalfPowN = n * Math.log(0.5);
  let logPmf = logHalfPowN;
  let cdf = 0; // P(B ≤ j − 1) for the best j so far
  let j = 0; // largest 1-based rank with P(B ≤ j − 1) ≤ tail
  for (let k = 0; k < Math.ceil(n / 2); k++) {
    const next = cdf + Math.exp(logPmf); // P(B ≤ k)
    if (next > tail) break;
    cdf = next;
    j = k + 1;
    logPmf += Math.log((n - k) / (k + 1));
  }
  if (j === 0) {
    // Even the full range misses the level: report it with its real coverage.
    return { lower: sorted[0] as number, upper: sorted[n - 1] as number, coverage: 1 - 2 * Math.exp(logHalfPowN) };
  }
  // x₍ⱼ₎ and x₍ₙ₋ⱼ₊₁₎ in 1-based ranks; cdf is P(B ≤ j − 1).
  return { lower: sorted[j - 1] as number, upper: sorted[n - j] as number, coverage: 1 - 2 * cdf };
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
  /** 95 % confidence interval of the median. */
  medianCiLower: number;
  medianCiUpper: number;
  /** The interval's true coverage (below 0.95 only for n ≤ 5). */
  medianCiCoverage: number;
}

/** Computes {@link Statistics} over any non-empty sample; the input is not modified. */
export function computeStatistics(samples: ArrayLike<number>): Statistics {
  if (samples.length === 0) throw new RangeError('statistics of an empty sample');
  const sorted = Float64Array.from(samples).sort();
  const { mean, variance } = meanAndVariance(sorted);
  const sd = Math.sqrt(variance);
  const interval = medianConfidenceIntervalSorted(sorted, 0.95);
  return {
    count: sorted.length,
    min: sorted[0] as number,
    max: sorted[sorted.length - 1] as number,
    mean,
    sd,
    cv: mean === 0 ? 0 : (sd / mean) * 100,
    median: quantileSorted(sorted, 0.5),
    p90: quantileSorted(sorted, 0.9),
    p95: quantileSorted(sorted, 0.95),
    p99: quantileSorted(sorted, 0.99),
    p999: quantileSorted(sorted, 0.999),
    mad: medianAbsoluteDeviation(sorted),
    medianCiLower: interval.lower,
    medianCiUpper: interval.upper,
    medianCiCoverage: interval.coverage,
  };
}
