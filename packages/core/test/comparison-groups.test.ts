import { describe, expect, it } from 'vitest';
import { baselinePairs, expandMatrix } from '../src/index';
import { comparisonGroups } from '../src/comparison-groups';

const sweep = (runners: string[], variants: string[], batches = [1]) => expandMatrix({ runners, batchSizes: batches, options: { variant: variants } });
const entries = (configurations: ReturnType<typeof sweep>) => configurations.map((configuration, index) => ({ configuration, index }));
/** The pairs whose two sides share a group. */
function kept(groups: { configuration: { id: string } }[][], pairs: ReturnType<typeof baselinePairs>, axis: string) {
  const groupOf = new Map(groups.flatMap((group, g) => group.map((e) => [e.configuration.id, g] as const)));
  const mine = pairs.filter((p) => p.axis === axis);
  return { kept: mine.filter((p) => groupOf.get(p.id) === groupOf.get(p.baseline)).length, of: mine.length };
}

describe('groups under a memory limit keep each configuration with its baseline', () => {
  it('three runners × four variants, five sessions at a time: every variant with the fp32 of its runner (consecutive slices of the sweep lose some)', () => {
    const configurations = sweep(['node-cpu', 'web-wasm', 'browser'], ['fp32', 'fp16', 'q8', 'q4']);
    const pairs = baselinePairs(configurations);
    const groups = comparisonGroups(entries(configurations), pairs, 5);
    expect(groups.every((g) => g.length <= 5)).toBe(true);
    expect(groups.flat().map((e) => e.index).sort((a, b) => a - b)).toEqual(configurations.map((_, i) => i)); // each once
    expect(kept(groups, pairs, 'opt.variant')).toEqual({ kept: 9, of: 9 });
    // Consecutive slices of five, as before, keep only the variants that happen to share a slice with their fp32.
    const slices = [0, 5, 10].map((first) => entries(configurations).slice(first, first + 5));
    expect(kept(slices, pairs, 'opt.variant').kept).toBeLessThan(9);
  });

  it('everything fits: one group in the sweep order; one at a time: each alone', () => {
    const configurations = sweep(['node-cpu'], ['fp32', 'q8'], [1, 4]);
    const pairs = baselinePairs(configurations);
    expect(comparisonGroups(entries(configurations), pairs, 10)).toEqual([entries(configurations)]);
    expect(comparisonGroups(entries(configurations), pairs, 1).map((g) => g.length)).toEqual([1, 1, 1, 1]);
  });

  it('small connected sets are packed together; a star larger than a group is cut, never measured twice', () => {
    const configurations = sweep(['node-cpu', 'web-wasm'], ['fp32', 'fp16', 'q8', 'q4', 'q4f16']);
    const pairs = baselinePairs(configurations);
    const groups = comparisonGroups(entries(configurations), pairs, 3);
    expect(groups.flat()).toHaveLength(10);
    expect(new Set(groups.flat().map((e) => e.configuration.id)).size).toBe(10);
    expect(groups.every((g) => g.length <= 3)).toBe(true);
    expect(kept(groups, pairs, 'opt.variant').kept).toBeGreaterThanOrEqual(4); // two per runner's first cut
    // Unconnected configurations (no comparisons) are packed up to the limit.
    expect(comparisonGroups(entries(configurations), [], 4).map((g) => g.length)).toEqual([4, 4, 2]);
  });
});
