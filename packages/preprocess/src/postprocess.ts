import { InvalidArgumentError } from '@ortbench/core';

/**
 * Softmax that cannot overflow: the row maximum is subtracted before exponentiating,
 * and sums are accumulated in float64.
 */
export function softmax(logits: ArrayLike<number>): Float32Array {
  const n = logits.length;
  const result = new Float32Array(n);
  if (n === 0) return result;
  let max = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < n; i++) max = Math.max(max, logits[i] as number);
  let sum = 0;
  const exps = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    exps[i] = Math.exp((logits[i] as number) - max);
    sum += exps[i] as number;
  }
  for (let i = 0; i < n; i++) result[i] = (exps[i] as number) / sum;
  return result;
}

/** One ranked class. */
export interface Ranked {
  index: number;
  score: number;
}

/** The `k` highest scores, best first; equal scores keep the lower index first. NaN never ranks. */
export function topK(scores: ArrayLike<number>, k: number): Ranked[] {
  if (!Number.isInteger(k) || k < 1) throw new InvalidArgumentError(`top-k needs a positive integer k, got ${k}`);
  const best: Ranked[] = [];
  for (let index = 0; index < scores.length; index++) {
    const score = scores[index] as number;
    if (Number.isNaN(score)) continue;
    if (best.length === k && score <= (best[k - 1] as Ranked).score) continue;
    let position = best.length;
    while (position > 0 && (best[position - 1] as Ranked).score < score) position--;
    best.splice(position, 0, { index, score });
    if (best.length > k) best.pop();
  }
  return best;
}
