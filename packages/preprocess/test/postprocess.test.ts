import { describe, expect, it } from 'vitest';
import { ErrorCode } from '@ortbench/core';
import { softmax, topK } from '../src/index';

describe('softmax', () => {
  it('matches hand-computed probabilities', () => {
    const p = softmax([1, 2, 3]);
    const e = [Math.exp(1), Math.exp(2), Math.exp(3)];
    const z = e[0]! + e[1]! + e[2]!;
    expect(Array.from(p)).toEqual([e[0]! / z, e[1]! / z, e[2]! / z].map(Math.fround));
  });

  it('stays finite for logits that would overflow exp()', () => {
    const p = softmax([1000, 1000, 990]);
    expect(Array.from(p).every(Number.isFinite)).toBe(true);
    expect(p[0]).toBeCloseTo(p[1]!, 7);
    expect(p[0]! + p[1]! + p[2]!).toBeCloseTo(1, 6);
    expect(Array.from(softmax([-1e4, -1e4]))).toEqual([0.5, 0.5]);
  });
});

describe('topK', () => {
  it('ranks the best scores first, ties by lower index, skipping NaN', () => {
    expect(topK([0.1, 0.5, NaN, 0.5, 0.3], 3)).toEqual([
      { index: 1, score: 0.5 },
      { index: 3, score: 0.5 },
      { index: 4, score: 0.3 },
    ]);
    expect(topK([2, 1], 5)).toEqual([
      { index: 0, score: 2 },
      { index: 1, score: 1 },
    ]);
  });

  it('rejects k that is not a positive integer', () => {
    expect(() => topK([1], 0)).toThrow(expect.objectContaining({ code: ErrorCode.INVALID_ARGUMENT }));
  });
});
