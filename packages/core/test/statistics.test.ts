import { describe, expect, it } from 'vitest';
import {
  computeStatistics,
  meanAndVariance,
  medianAbsoluteDeviation,
  medianConfidenceIntervalSorted,
  quantileSorted,
} from '../src/index';
import { minimumSamplesForQuantile, supportsPercentile, tukeyOutliersSorted } from '../src/index';

const oneToTen = [7, 3, 10, 1, 5, 2, 9, 4, 8, 6]; // unsorted on purpose

describe('computeStatistics against hand-computed values', () => {
  const stats = computeStatistics(oneToTen);

  it('gives order statistics with linear interpolation (numpy default)', () => {
    expect(stats.min).toBe(1);
    expect(stats.max).toBe(10);
    expect(stats.median).toBe(5.5);
    expect(stats.p90).toBeCloseTo(9.1, 12); // position 8.1 → 9 + 0.1·(10 − 9)
    expect(stats.p95).toBeCloseTo(9.55, 12);
    expect(stats.p99).toBeCloseTo(9.91, 12);
    expect(stats.p999).toBeCloseTo(9.991, 12);
  });

  it('gives mean, sample sd, CV and MAD', () => {
    expect(stats.mean).toBe(5.5);
    expect(stats.sd).toBeCloseTo(Math.sqrt(82.5 / 9), 12); // Σ(x − 5.5)² = 82.5
    expect(stats.cv).toBeCloseTo((Math.sqrt(82.5 / 9) / 5.5) * 100, 10);
    expect(stats.mad).toBe(2.5); // |x − 5.5| sorted: .5 .5 1.5 1.5 2.5 2.5 3.5 …
  });

  it('gives the distribution-free 95 % interval of the median: [x₂, x₉] for n = 10', () => {
    expect([stats.medianCiLower, stats.medianCiUpper]).toEqual([2, 9]);
    expect(stats.medianCiCoverage).toBeCloseTo(1 - 22 / 1024, 12); // 1 − 2·P(Bin(10,½) ≤ 1)
  });

  it('does not modify its input', () => {
    const input = [3, 1, 2];
    computeStatistics(input);
    expect(input).toEqual([3, 1, 2]);
  });
});

describe('small samples', () => {
  it('handles a single sample without NaN', () => {
    const stats = computeStatistics([4.2]);
    expect(stats).toMatchObject({ count: 1, min: 4.2, max: 4.2, median: 4.2, p99: 4.2, sd: 0, cv: 0, mad: 0 });
    expect(stats.medianCiCoverage).toBe(0);
  });

  it('reports the true, lower coverage when n ≤ 5 cannot reach 95 %', () => {
    const interval = medianConfidenceIntervalSorted([1, 2, 3, 4, 5]);
    expect(interval).toEqual({ lower: 1, upper: 5, coverage: 1 - 2 / 32 });
  });

  it('reaches 95 % from n = 6 with the full range', () => {
    const interval = medianConfidenceIntervalSorted([1, 2, 3, 4, 5, 6]);
    expect(interval).toEqual({ lower: 1, upper: 6, coverage: 1 - 2 / 64 });
  });

  it('rejects empty samples and quantiles outside [0, 1]', () => {
    expect(() => computeStatistics([])).toThrow(RangeError);
    expect(() => quantileSorted([1, 2], 1.5)).toThrow(RangeError);
  });
});

describe('numerical behaviour', () => {
  it("keeps Welford's variance exact around a large offset", () => {
    const { mean, variance } = meanAndVariance([4, 7, 13, 16].map((x) => 1e9 + x));
    expect(mean).toBe(1e9 + 10);
    expect(variance).toBe(30);
  });

  it('matches an exact BigInt binomial computation of the interval ranks for large n', () => {
    for (const n of [37, 200, 1001, 5000]) {
      const sorted = Float64Array.from({ length: n }, (_, i) => i + 1); // value = rank
      const interval = medianConfidenceIntervalSorted(sorted);
      const rank = exactLowerRank(n);
      expect(interval.lower, `n=${n}`).toBe(rank);
      expect(interval.upper, `n=${n}`).toBe(n - rank + 1);
      expect(interval.coverage).toBeGreaterThanOrEqual(0.95);
    }
  });

  it('computes the MAD of an unsorted-looking spread', () => {
    expect(medianAbsoluteDeviation([1, 1, 2, 2, 4, 6, 9])).toBe(1); // median 2, |dev| → 1 1 0 0 2 4 7
  });
});

/** Largest r with P(Bin(n,½) ≤ r − 1) ≤ 0.025, in exact integer arithmetic. */
function exactLowerRank(n: number): number {
  const total = 1n << BigInt(n);
  let coefficient = 1n; // C(n, k)
  let cumulative = 0n;
  let rank = 0;
  for (let k = 0; k < n; k++) {
    cumulative += coefficient;
    if (cumulative * 1000n > total * 25n) break; // P(B ≤ k) > 0.025
    rank = k + 1;
    coefficient = (coefficient * BigInt(n - k)) / BigInt(k + 1);
  }
  return rank;
}

describe('tail and outlier rules', () => {
  it('needs enough samples before a percentile means more than the maximum', () => {
    expect([0.9, 0.95, 0.99, 0.999].map((q) => minimumSamplesForQuantile(q))).toEqual([29, 59, 299, 2995]);
    expect(supportsPercentile(298, 'p99')).toBe(false);
    expect(supportsPercentile(299, 'p99')).toBe(true);
    expect(supportsPercentile(10, 'p90')).toBe(false);
  });

  it("counts Tukey's mild and severe outliers on both sides and keeps them in the statistics", () => {
    const samples = [...Array.from({ length: 20 }, (_, i) => 10 + (i % 5) * 0.1), 11.2, 14, 5];
    const stats = computeStatistics(samples);
    // Q1 10.1, Q3 10.3, IQR 0.2: 11.2 and 14 are above 10.9 (severe), 5 below 9.5 (severe).
    expect(stats.outliers).toEqual({ lowSevere: 1, lowMild: 0, highMild: 0, highSevere: 2 });
    expect(stats.max).toBe(14);
    expect(tukeyOutliersSorted([1, 2, 3, 4, 7.5])).toEqual({ lowSevere: 0, lowMild: 0, highMild: 1, highSevere: 0 });
  });
});
