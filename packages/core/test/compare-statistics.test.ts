import { describe, expect, it } from 'vitest';
import { bootstrapRatioOfMedians, mannWhitneyU, normalTail, SeededRandom } from '../src/index';

describe('Mann-Whitney U', () => {
  it('matches a hand computation with ties', () => {
    // a = 1 2 2 5, b = 2 3 4: pooled ranks 1, (2,3,4)→3, 5, 6, 7; rank sum of a = 1 + 3 + 3 + 7 = 14
    const { u } = mannWhitneyU([1, 2, 2, 5], [2, 3, 4]);
    expect(u).toBe(14 - (4 * 5) / 2);
  });

  it('gives the normal tail and a two-sided p-value', () => {
    expect(normalTail(0)).toBeCloseTo(0.5, 7);
    expect(normalTail(1.959964)).toBeCloseTo(0.025, 6);
    expect(normalTail(-1)).toBeCloseTo(0.841345, 6);
    const random = new SeededRandom(3);
    const a = Array.from({ length: 200 }, () => 10 + random.next());
    const b = Array.from({ length: 200 }, () => 10 + random.next());
    expect(mannWhitneyU(a, b).p).toBeGreaterThan(0.05); // same distribution
    expect(mannWhitneyU(a, b.map((x) => x + 0.3)).p).toBeLessThan(1e-6); // shifted
  });

  it('handles identical samples without dividing by zero', () => {
    expect(mannWhitneyU([5, 5, 5], [5, 5])).toEqual({ u: 3, z: 0, p: 1 });
  });
});

describe('bootstrap ratio of medians', () => {
  it('covers the true ratio and excludes 1 for a 10 % slowdown', () => {
    const random = new SeededRandom(9);
    const a = Array.from({ length: 300 }, () => 20 * (1 + 0.05 * random.next()));
    const b = Array.from({ length: 300 }, () => 22 * (1 + 0.05 * random.next()));
    const interval = bootstrapRatioOfMedians(a, b);
    expect(interval.estimate).toBeCloseTo(1.1, 2);
    expect(interval.lower).toBeGreaterThan(1.05);
    expect(interval.upper).toBeLessThan(1.15);
    expect(bootstrapRatioOfMedians(a, b)).toEqual(interval); // seeded
  });
});
