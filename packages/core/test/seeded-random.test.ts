import { describe, expect, it } from 'vitest';
import { SeededRandom } from '../src/index';

describe('SeededRandom', () => {
  it('repeats exactly for the same seed and differs for another', () => {
    const a = new SeededRandom('model:conv1.weight').fillUniform(new Float32Array(8), -1, 1);
    expect(new SeededRandom('model:conv1.weight').fillUniform(new Float32Array(8), -1, 1)).toEqual(a);
    expect(new SeededRandom('model:conv2.weight').fillUniform(new Float32Array(8), -1, 1)).not.toEqual(a);
  });

  it('stays within its range with a uniform spread', () => {
    const values = new SeededRandom(7).fillUniform(new Float64Array(100_000), 2, 4);
    expect(Math.min(...values)).toBeGreaterThanOrEqual(2);
    expect(Math.max(...values)).toBeLessThan(4);
    const mean = values.reduce((s, v) => s + v, 0) / values.length;
    expect(mean).toBeCloseTo(3, 1);
  });

  it('draws integers in [low, high) covering every value', () => {
    const ids = new SeededRandom(1).fillIntegers(new Int32Array(50_000), 1, 8000);
    expect(Math.min(...ids)).toBe(1);
    expect(Math.max(...ids)).toBe(7999);
    const bytes = new SeededRandom(2).fillIntegers(new Uint8Array(10_000), 0, 256);
    expect(new Set(bytes).size).toBe(256);
    const random = new SeededRandom(3);
    const dice = Array.from({ length: 600 }, () => random.integer(1, 7));
    expect(new Set(dice)).toEqual(new Set([1, 2, 3, 4, 5, 6]));
  });
});
