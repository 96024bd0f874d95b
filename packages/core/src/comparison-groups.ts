import type { BaselinePair } from './baselines';

/** Axes whose comparisons are kept together first when not every configuration fits: the question of a variant sweep is "how does each variant compare with fp32 on this runner". */
const FIRST_AXES = ['opt.variant', 'opt.precision'];

/**
 * Splits the configurations to measure into groups of at most `maxOpen` loaded at once, keeping
 * each configuration with the baselines it is compared with (a ratio needs both sides alternated
 * in one group). Configurations connected by comparisons that fit together form one group;
 * smaller such sets are packed together in order. A set too large for one group is split into
 * stars — a baseline and the configurations compared with it on one axis — preferring the
 * variant and precision axes, then the axis with the most pairs; a star too large is cut.
 * Comparisons between groups are lost (the results say so); the order within a group is the
 * sweep's.
 */
export function comparisonGroups<T extends { configuration: { id: string } }>(pending: readonly T[], comparisons: readonly BaselinePair[], maxOpen: number): T[][] {
  if (!Number.isFinite(maxOpen) || pending.length <= maxOpen) return pending.length ? [[...pending]] : [];
  if (maxOpen < 2) return pending.map((entry) => [entry]);
  const position = new Map(pending.map((entry, i) => [entry.configuration.id, i]));
  const pairs = comparisons.filter((p) => position.has(p.id) && position.has(p.baseline));
  const sets = connected(pending.length, pairs.map((p) => [position.get(p.id)!, position.get(p.baseline)!]));
  const chunks: number[][] = [];
  for (const set of sets) {
    if (set.length <= maxOpen) chunks.push(set);
    else chunks.push(...stars(set, pairs, position, maxOpen));
  }
  // Pack whole chunks, in the sweep's order, into groups of at most maxOpen.
  const groups: number[][] = [];
  for (const chunk of chunks.sort((a, b) => a[0]! - b[0]!)) {
    const fits = groups.find((group) => group.length + chunk.length <= maxOpen);
    if (fits) fits.push(...chunk);
    else groups.push([...chunk]);
  }
  return groups.map((group) => group.sort((a, b) => a - b).map((i) => pending[i]!));
}

/** The sets of positions joined by pairs, each sorted, in order of their first member. */
function connected(count: number, edges: readonly [number, number][]): number[][] {
  const parent = Array.from({ length: count }, (_, i) => i);
  const find = (i: number): number => (parent[i] === i ? i : (parent[i] = find(parent[i]!)));
  for (const [a, b] of edges) parent[find(a)] = find(b);
  const sets = new Map<number, number[]>();
  for (let i = 0; i < count; i++) {
    const root = find(i);
    if (!sets.has(root)) sets.set(root, []);
    sets.get(root)!.push(i);
  }
  return [...sets.values()];
}

/** A set too large for one group, as stars of one axis (a baseline and those compared with it), each at most maxOpen. */
function stars(set: readonly number[], pairs: readonly BaselinePair[], position: Map<string, number>, maxOpen: number): number[][] {
  const members = new Set(set);
  const mine = pairs.filter((p) => members.has(position.get(p.id)!));
  const axes = [...new Set(mine.map((p) => p.axis))];
  const count = (axis: string) => mine.filter((p) => p.axis === axis).length;
  const rank = (axis: string) => (FIRST_AXES.includes(axis) ? 0 : 1);
  axes.sort((a, b) => rank(a) - rank(b) || count(b) - count(a));
  const placed = new Set<number>();
  const chunks: number[][] = [];
  for (const axis of axes) {
    const byBaseline = new Map<number, number[]>();
    for (const p of mine.filter((q) => q.axis === axis)) {
      const baseline = position.get(p.baseline)!;
      if (!byBaseline.has(baseline)) byBaseline.set(baseline, []);
      byBaseline.get(baseline)!.push(position.get(p.id)!);
    }
    for (const [baseline, compared] of byBaseline) {
      // A baseline already placed in another star: its pairs here are lost; its members wait for another axis.
      if (placed.has(baseline)) continue;
      const star = [baseline, ...compared.filter((i) => !placed.has(i))];
      // A star larger than a group is cut: only the first cut keeps the baseline's pairs.
      for (let start = 0; start < star.length; start += maxOpen) chunks.push(star.slice(start, start + maxOpen));
      star.forEach((i) => placed.add(i));
    }
  }
  for (const i of set) if (!placed.has(i)) chunks.push([i]);
  return chunks;
}
