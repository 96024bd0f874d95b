import { SeededRandom } from '@ortbench/core';

/**
 * A float32 tensor of `count` values uniform in (−bound, bound). Each tensor has its own
 * stream, seeded from the model seed and its name, so adding a tensor never shifts another's.
 */
export function uniformWeights(seed: number, name: string, count: number, bound: number): Float32Array {
  return new SeededRandom(`${seed}:${name}`).fillUniform(new Float32Array(count), -bound, bound);
}
