import type { OpenMeasurement } from './engine';
import { isOrtbenchError, ErrorCode } from './errors';
import type { PairedRatio, RunPair } from './paired-ratio';
import { MIN_PAIRS_FOR_INTERVAL, pairedPrecision, pairedRatio } from './paired-ratio';
import type { SeededRandom } from './seeded-random';

/** One open configuration in the alternation: its measurement must have `step()`. */
export interface AlternatedEntry {
  key: string;
  /** Items per run: pairs compare time per item, so batch 8 against batch 1 is per image. */
  itemsPerRun: number;
  measurement: OpenMeasurement;
  /** This entry's run of each round it took part in: time per item (ns) and its place in the round. */
  readonly byRound: Map<number, { perItemNs: number; position: number }>;
}

/** Two entries to compare: `key` (B) over `baseline` (A). */
export interface AlternatedComparison {
  key: string;
  baseline: string;
}

/** Options of {@link alternateRuns}. */
export interface AlternateOptions {
  signal?: AbortSignal;
  random: SeededRandom;
  comparisons: readonly AlternatedComparison[];
  /** Each comparison goes on until its ratio's 95 % CI is within ± this fraction (or a side's cap). 0: no paired target. */
  pairedTarget: number;
  /** An entry whose run threw (not an abort): it has left the alternation. */
  onFailure: (entry: AlternatedEntry, error: unknown) => Promise<void>;
  /** Called about every `everyRounds` rounds with the round and the entries still measuring. */
  onRound?: (round: number, active: number) => void;
}

/**
 * The measurement loop of a group of open configurations, run by run: each round every active
 * configuration takes one run, in an order that is reshuffled every cycle and rotated each round
 * (so over k rounds each of k configurations runs once in every place). A machine that changes
 * speed within a second then slows both runs of a round alike, and the per-round pairs cancel
 * it. A configuration leaves when its own stop rule is met and every comparison it is part of is
 * precise enough (or either side is capped). Returns whether an abort ended it.
 */
export async function alternateRuns(entries: readonly AlternatedEntry[], options: AlternateOptions): Promise<{ interrupted: boolean }> {
  const active = new Set(entries);
  const byKey = new Map(entries.map((e) => [e.key, e]));
  const comparisons = options.comparisons
    .filter((c) => byKey.has(c.key) && byKey.has(c.baseline))
    .map((c) => ({ b: byKey.get(c.key)!, a: byKey.get(c.baseline)!, nextCheck: MIN_PAIRS_FOR_INTERVAL, precise: false }));
  let cycle: AlternatedEntry[] = [];
  let offset = 0;
  for (let round = 1; active.size > 0; round++) {
    if (offset >= cycle.length || cycle.some((e) => !active.has(e)) || cycle.length !== active.size) {
      cycle = shuffled([...active], options.random);
      offset = 0;
    }
    const order = [...cycle.slice(offset), ...cycle.slice(0, offset)];
    offset++;
    for (const [position, entry] of order.entries()) {
      if (options.signal?.aborted) return { interrupted: true };
      try {
        const ns = await entry.measurement.step!();
        entry.byRound.set(round, { perItemNs: ns / entry.itemsPerRun, position });
      } catch (error) {
        if (options.signal?.aborted || (isOrtbenchError(error) && error.code === ErrorCode.ABORTED)) return { interrupted: true };
        active.delete(entry);
        await options.onFailure(entry, error);
      }
    }
    if (round % 50 === 0) options.onRound?.(round, active.size);
    for (const comparison of comparisons) {
      if (comparison.precise || round < comparison.nextCheck || !active.has(comparison.a) || !active.has(comparison.b)) continue;
      const pairs = pairsOf(comparison.a, comparison.b).length;
      if (options.pairedTarget <= 0 || pairs < comparison.nextCheck) continue;
      // The interval is re-computed as the pairs grow by 5 %: each costs O(n² log n).
      comparison.nextCheck = Math.max(pairs + 1, Math.ceil(pairs * 1.05));
      comparison.precise = pairedPrecision(compareEntries(comparison.a, comparison.b)) <= options.pairedTarget;
    }
    for (const entry of [...active]) {
      const capped = (e: AlternatedEntry) => Boolean(e.measurement.capped) || !active.has(e);
      const open = comparisons.some((c) => (c.a === entry || c.b === entry) && !c.precise && options.pairedTarget > 0 && !capped(c.a) && !capped(c.b));
      if (entry.measurement.capped || (entry.measurement.done && !open)) active.delete(entry);
    }
  }
  return { interrupted: false };
}

/** The rounds both took part in, as pairs of time per item. */
export function pairsOf(a: AlternatedEntry, b: AlternatedEntry): RunPair[] {
  const pairs: RunPair[] = [];
  for (const [round, runB] of b.byRound) {
    const runA = a.byRound.get(round);
    if (runA) pairs.push({ a: runA.perItemNs, b: runB.perItemNs, aFirst: runA.position < runB.position });
  }
  return pairs;
}

/** B's time per item over A's, from their paired runs. */
export function compareEntries(a: AlternatedEntry, b: AlternatedEntry): PairedRatio {
  return pairedRatio(pairsOf(a, b));
}

/** A Fisher-Yates shuffle of a copy. */
export function shuffled<T>(items: readonly T[], random: SeededRandom): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(random.next() * (i + 1));
    [copy[i], copy[j]] = [copy[j] as T, copy[i] as T];
  }
  return copy;
}
