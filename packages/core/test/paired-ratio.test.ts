import { describe, expect, it } from 'vitest';
import { abVerdict, baselinePairs, describeRatio, expandMatrix, hodgesLehmann, pairedRatio, signedRankInterval } from '../src/index';

describe('Hodges–Lehmann and the Wilcoxon signed-rank interval', () => {
  it('estimates the median of the Walsh averages', () => {
    // Walsh averages of [1, 2, 9]: 1, 1.5, 5, 2, 5.5, 9 → sorted 1, 1.5, 2, 5, 5.5, 9 → median 3.5.
    expect(hodgesLehmann([1, 2, 9])).toBeCloseTo(3.5);
    expect(hodgesLehmann([4, 4, 4, 4])).toBe(4);
  });

  it('makes no claim below six values: the interval is infinite', () => {
    const interval = signedRankInterval([1, 2, 3, 4, 5]);
    expect(interval.lower).toBe(Number.NEGATIVE_INFINITY);
    expect(interval.upper).toBe(Number.POSITIVE_INFINITY);
  });

  it('matches the exact table at n = 10 (critical value 8: the 9th smallest and largest Walsh averages)', () => {
    const values = [0.1, 0.4, 0.45, 0.8, 1.1, 1.3, 1.35, 1.9, 2.2, 3.0];
    const walsh: number[] = [];
    for (let i = 0; i < values.length; i++) for (let j = i; j < values.length; j++) walsh.push((values[i]! + values[j]!) / 2);
    walsh.sort((a, b) => a - b);
    const { lower, upper } = signedRankInterval(values);
    expect(lower).toBeCloseTo(walsh[8]!);
    expect(upper).toBeCloseTo(walsh[walsh.length - 9]!);
  });
});

describe('pairedRatio', () => {
  const pairs = (ratios: number[], aFirst = (i: number) => i % 2 === 0) => ratios.map((r, i) => ({ a: 10, b: 10 * r, aFirst: aFirst(i) }));

  it('is B over A, with an interval around it', () => {
    const result = pairedRatio(pairs(Array.from({ length: 40 }, (_, i) => 1.05 * (1 + ((i % 7) - 3) * 0.004))));
    expect(result.ratio).toBeCloseTo(1.05, 2);
    expect(result.lower).toBeLessThan(result.ratio);
    expect(result.upper).toBeGreaterThan(result.ratio);
    expect(result.pairs).toBe(40);
  });

  it('leaves out pairs that straddle a speed change, symmetric about the centre', () => {
    const ratios = Array.from({ length: 60 }, (_, i) => 1 + ((i % 5) - 2) * 0.01);
    ratios[10] = 1.8;
    ratios[20] = 1 / 1.8;
    ratios[30] = 1.8;
    const result = pairedRatio(pairs(ratios));
    expect(result.excluded).toBe(3);
    expect(result.ratio).toBeCloseTo(1, 2);
  });

  it('widens the interval when the ratio drifts with the machine (consecutive pairs agree), not when the same pairs come shuffled', () => {
    // The ratio is 0.95 for 40 rounds, then 1.00 for 40: two machine states, not 80 independent pairs.
    const drifting = Array.from({ length: 80 }, (_, i) => (i < 40 ? 0.95 : 1) * (1 + ((i * 7) % 5 - 2) * 0.002));
    const shuffled = drifting.map((r, i) => drifting[(i * 37) % 80]!);
    const width = (ratios: number[]) => {
      const result = pairedRatio(pairs(ratios));
      return result.upper / result.lower;
    };
    expect(width(drifting) - 1).toBeGreaterThan(1.5 * (width(shuffled) - 1));
  });

  it('measures the order effect: AB pairs against BA pairs', () => {
    // The run after a switch is 10 % slower: B suffers when A ran first, A when B did.
    const result = pairedRatio(Array.from({ length: 40 }, (_, i) => ({ a: i % 2 ? 11 : 10, b: i % 2 ? 10 : 11, aFirst: i % 2 === 0 })));
    expect(result.orderEffect).toBeCloseTo(1.21, 2);
    const balanced = pairedRatio(pairs(Array.from({ length: 40 }, () => 1)));
    expect(balanced.orderEffect).toBeCloseTo(1, 5);
  });
});

describe('the A/B verdict', () => {
  it('is same inside the ±threshold band, slower or faster when the interval excludes 1 and the estimate reaches the threshold, else unsure', () => {
    expect(abVerdict({ ratio: 1.003, lower: 0.995, upper: 1.012 })).toBe('same');
    expect(abVerdict({ ratio: 1.008, lower: 1.004, upper: 1.012 })).toBe('same'); // significant, but proven smaller than 2 %
    expect(abVerdict({ ratio: 1.04, lower: 1.03, upper: 1.05 })).toBe('slower');
    expect(abVerdict({ ratio: 1.025, lower: 1.01, upper: 1.04 })).toBe('slower');
    expect(abVerdict({ ratio: 0.92, lower: 0.9, upper: 0.95 })).toBe('faster');
    expect(abVerdict({ ratio: 1.0, lower: 0.97, upper: 1.04 })).toBe('unsure');
    expect(abVerdict({ ratio: 1.0, lower: 0.97, upper: 1.04 }, { threshold: 0.05 })).toBe('same');
    // Measured A/A (two sessions of one file): 0.9876 (0.9796–0.9920) — a per cent, not a change of 2 %.
    expect(abVerdict({ ratio: 0.9876, lower: 0.9796, upper: 0.992 })).toBe('unsure');
  });

  it('says it in words that agree with the numbers', () => {
    expect(describeRatio({ ratio: 0.5, lower: 0.49, upper: 0.51 })).toBe('2.00× faster (1.96–2.04)');
    expect(describeRatio({ ratio: 1.1, lower: 1.08, upper: 1.12 })).toBe('1.10× slower (1.08–1.12)');
    expect(describeRatio({ ratio: 1.002, lower: 0.995, upper: 1.008 })).toBe('same within ±0.8 %');
  });
});

describe('baselinePairs', () => {
  const configurations = expandMatrix({ runners: ['node-cpu', 'web-wasm'], batchSizes: [1, 4], options: { precision: ['fp32', 'int8'] } });

  it('pairs each configuration with the one that differs only on one axis, at its first value', () => {
    const pairs = baselinePairs(configurations);
    const of = (id: string) => pairs.filter((p) => p.id === id).map((p) => `${p.axis}=${p.baselineValue}`).sort();
    expect(of('runner=web-wasm batch=4 opt.precision="int8"')).toEqual(['batch=1', 'opt.precision=fp32', 'runner=node-cpu']);
    expect(of('runner=node-cpu batch=1 opt.precision="fp32"')).toEqual([]);
    expect(pairs.find((p) => p.id === 'runner=node-cpu batch=1 opt.precision="int8"')?.baseline).toBe('runner=node-cpu batch=1 opt.precision="fp32"');
  });

  it('takes a chosen baseline, and refuses an axis or value the sweep lacks', () => {
    const pairs = baselinePairs(configurations, { precision: 'int8' });
    expect(pairs.filter((p) => p.axis === 'opt.precision').every((p) => p.baselineValue === 'int8')).toBe(true);
    expect(() => baselinePairs(configurations, { precison: 'fp32' })).toThrow(/does not vary "precison" \(did you mean precision\?\)/);
    expect(() => baselinePairs(configurations, { precision: 'fp16' })).toThrow(/precision values are fp32, int8/);
  });
});
