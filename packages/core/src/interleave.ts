import type { AlternatedEntry } from './alternate';
import { alternateRuns, compareEntries, shuffled } from './alternate';
import type { BaselinePair } from './baselines';
import { comparisonGroups } from './comparison-groups';
import type { Measurement, OpenMeasurement, RoundSlice } from './engine';
import { finishMeasurement, openMeasurement } from './engine';
import type { Alternation, PairedComparison } from './measurement';
import { MIN_PAIRS_FOR_INTERVAL } from './paired-ratio';
import { ErrorCode, InvalidArgumentError, isOrtbenchError, toErrorRecord } from './errors';
import { SeededRandom } from './seeded-random';
import type { StopRule } from './stop-rule';
import { DEFAULT_STOP_RULE, resolveStopRule } from './stop-rule';
import type { Configuration, ConfigurationResult, SweepOptions, SweepOutcome } from './sweep';
import { ConfigurationSkippedError } from './sweep';

/** Options of {@link runInterleavedSweep}. */
export interface InterleaveOptions extends SweepOptions {
  /**
   * How the configurations of a group share the machine. `runs`: alternated run by run (see
   * {@link alternateRuns}) — where every measurement of a group can take single runs; a group
   * that cannot falls back to `slices`. `slices`: `rounds` rounds, each giving every
   * configuration a slice of its steady state. Default `slices`.
   */
  alternate?: 'runs' | 'slices';
  /**
   * Rounds of slices every configuration takes part in. 1 measures each in one visit, in order; more
   * visit them round-robin in a new shuffled order each round, so drift and bursts on the
   * machine fall on every configuration alike. Default 1 (with `alternate: 'runs'`, 3 for the groups that fall back).
   */
  rounds?: number;
  /** Configurations to compare with their axis's baseline (see {@link baselinePairs}); run by run, each result gets its paired ratios. */
  comparisons?: readonly BaselinePair[];
  /** A comparison goes on until its ratio's 95 % CI is within ± this fraction, or a cap. Default 0.01; 0 for none. */
  pairedTarget?: number;
  /** Run by run: the round reached and the configurations still measuring, every 50 rounds. */
  onAlternate?: (round: number, active: number) => void;
  /** Seed of the per-round shuffle, so a sweep's order can be reproduced. Default 1. */
  seed?: number | string;
  /** Configurations loaded at once; a larger sweep is interleaved in consecutive groups of this size. Default: all (one with a single round). */
  maxOpen?: number;
  /** The steady-state rule the measurements were opened with: its minimums and cap are shared out over the rounds. */
  stop?: Partial<StopRule>;
  onRound?: (round: number, minimumRounds: number) => void;
}

interface Active {
  configuration: Configuration;
  index: number;
  measurement: OpenMeasurement;
  alternation?: Alternation;
}

/**
 * One group alternated run by run: the loop, then every result (the comparisons need both sides'
 * runs, so results are read once the group is over), each with its paired ratios attached.
 */
async function alternateGroup(
  active: Active[],
  options: InterleaveOptions & { pairedTarget: number; random: SeededRandom; record: (result: ConfigurationResult, index: number) => void },
): Promise<{ interrupted: boolean }> {
  const entries = new Map<Active, AlternatedEntry>(
    active.map((a) => [a, { key: a.configuration.id, itemsPerRun: a.configuration.batchSize, measurement: a.measurement, byRound: new Map() }]),
  );
  const failed = new Set<Active>();
  const comparisons = (options.comparisons ?? []).map((c) => ({ key: c.id, baseline: c.baseline }));
  let outcome = { interrupted: false };
  try {
    outcome = await alternateRuns([...entries.values()], {
      ...(options.signal ? { signal: options.signal } : {}),
      random: options.random,
      comparisons,
      pairedTarget: options.pairedTarget,
      ...(options.onAlternate ? { onRound: options.onAlternate } : {}),
      onFailure: async (entry, error) => {
        const owner = active.find((a) => a.configuration.id === entry.key)!;
        failed.add(owner);
        await owner.measurement.close().catch(() => {});
        options.record(failure(owner.configuration, error), owner.index);
      },
    });
  } finally {
    const byId = new Map([...entries].map(([a, e]) => [a.configuration.id, e]));
    for (const owner of active) {
      if (failed.has(owner)) continue;
      const mine = entries.get(owner)!;
      owner.alternation = { mode: 'runs', group: active.length };
      const paired = (options.comparisons ?? []).flatMap((c): PairedComparison[] => {
        const baseline = byId.get(c.baseline);
        if (c.id !== owner.configuration.id || !baseline || failed.has(active.find((a) => a.configuration.id === c.baseline)!)) return [];
        const ratio = compareEntries(baseline, mine);
        if (ratio.pairs < MIN_PAIRS_FOR_INTERVAL || !Number.isFinite(ratio.upper)) return [];
        return [{ axis: c.axis, baseline: c.baseline, baselineValue: c.baselineValue, ...ratio }];
      });
      await finish(owner, outcome.interrupted || Boolean(options.signal?.aborted), options.record, paired).catch(() => {});
    }
  }
  return outcome;
}

/**
 * Runs a sweep whose configurations are measured in rounds. Each configuration is opened (loaded
 * and warmed) once and kept open; each round gives every one a slice of its steady state — the
 * stop rule's minimums and cap divided by `rounds`, after one untimed re-warm run — in a shuffled
 * order. After the minimum rounds a configuration leaves the rotation once its own stop rule is
 * met (its CI target, or its cap); the others go on in further rounds. Per-round medians and
 * their spread are kept in each measurement. Errors, skips, resumes and aborts behave as in
 * {@link runSweep}; an abort keeps what the open configurations measured so far, marked interrupted.
 */
export async function runInterleavedSweep(
  configurations: readonly Configuration[],
  open: (configuration: Configuration, signal?: AbortSignal) => Promise<OpenMeasurement>,
  options: InterleaveOptions = {},
): Promise<SweepOutcome> {
  const byRuns = options.alternate === 'runs';
  const rounds = options.rounds ?? (byRuns ? 3 : 1);
  if (!Number.isInteger(rounds) || rounds < 1) throw new InvalidArgumentError(`rounds must be a positive integer, got ${rounds}`);
  if (options.maxOpen !== undefined && !(options.maxOpen >= 1)) throw new InvalidArgumentError(`maxOpen must be at least 1, got ${options.maxOpen}`);
  // One round: each configuration is loaded, measured and released in turn, as a plain sweep.
  const maxOpen = rounds === 1 && !byRuns ? 1 : (options.maxOpen ?? Number.POSITIVE_INFINITY);
  const pairedTarget = options.pairedTarget ?? 0.01;
  const rule = resolveStopRule(DEFAULT_STOP_RULE, options.stop, 'stop', 1);
  const slice: RoundSlice = {
    minIterations: Math.ceil(rule.minIterations / rounds),
    minDurationMs: rule.minDurationMs / rounds,
    maxDurationMs: rule.maxDurationMs / rounds,
  };
  const random = new SeededRandom(`interleave:${options.seed ?? 1}`);
  const signal = options.signal;
  const total = configurations.length;
  const done = new Map((options.previous ?? []).map((result) => [result.configuration.id, result]));
  const results = new Map<string, ConfigurationResult>();
  const record = (result: ConfigurationResult, index: number) => {
    results.set(result.configuration.id, result);
    options.onResult?.(result, index, total);
  };
  const pending = configurations.map((configuration, index) => ({ configuration, index })).filter(({ configuration }) => !done.has(configuration.id));
  let interrupted = false;

  // Groups that fit in memory, each keeping configurations with the baselines they are compared with.
  for (const group of comparisonGroups(pending, options.comparisons ?? [], maxOpen)) {
    if (interrupted) break;
    let active: Active[] = [];
    try {
      for (const { configuration, index } of group) {
        if (signal?.aborted) {
          interrupted = true;
          break;
        }
        options.onStart?.(configuration, index, total);
        let measurement: OpenMeasurement | undefined;
        try {
          measurement = await open(configuration, signal);
          await measurement.warm();
          active.push({ configuration, index, measurement });
        } catch (error) {
          await measurement?.close().catch(() => {});
          if (aborted(error, signal)) {
            interrupted = true;
            break;
          }
          record(failure(configuration, error), index);
        }
      }
      if (byRuns && active.length > 1 && active.every((entry) => entry.measurement.step)) {
        const outcome = await alternateGroup(active, { ...options, pairedTarget, random, record });
        interrupted = outcome.interrupted;
        active = [];
        continue;
      }
      // Run by run with one configuration left (the others failed to open): nothing to share the machine with.
      const groupRounds = byRuns && active.length <= 1 ? 1 : rounds;
      const mode = groupRounds > 1 && active.length > 1 ? 'slices' : 'alone';
      for (const entry of active) {
        entry.alternation = { mode, group: group.length };
        if (byRuns && group.length > 1 && !entry.measurement.step) entry.alternation.reason = `${entry.configuration.id} cannot take single runs (several in flight, lanes, a scenario, or a measurement taken in a child process), so its group of ${group.length} was measured in rounds of slices`;
      }
      for (let round = 1; active.length > 0 && !interrupted; round++) {
        if (groupRounds > 1) options.onRound?.(round, groupRounds);
        const order = groupRounds > 1 ? shuffled(active, random) : active;
        for (const entry of order) {
          try {
            await entry.measurement.steady(groupRounds > 1 ? slice : undefined);
          } catch (error) {
            if (aborted(error, signal)) {
              interrupted = true;
              break;
            }
            active = active.filter((a) => a !== entry);
            await entry.measurement.close().catch(() => {});
            record(failure(entry.configuration, error), entry.index);
          }
        }
        if (interrupted) break;
        if (round < groupRounds) continue;
        for (const entry of [...active]) {
          if (!entry.measurement.done) continue;
          active = active.filter((a) => a !== entry);
          // Done because a signal cut it short (a scenario keeps the queries it finished): interrupted, no after-steps.
          await finish(entry, Boolean(signal?.aborted), record);
        }
      }
    } finally {
      // Interrupted: what the open configurations measured so far is kept, marked as such.
      for (const entry of active) {
        if (interrupted) await finish(entry, true, record).catch(() => {});
        else await entry.measurement.close().catch(() => {});
      }
    }
  }
  const ordered = configurations.map((c) => done.get(c.id) ?? results.get(c.id)).filter((r): r is ConfigurationResult => r !== undefined);
  // An abort that a measurement absorbed (a latency-bound search keeping its best probe) still
  // ends the sweep as interrupted: the document is partial, and the exit says so.
  return { results: ordered, interrupted: interrupted || Boolean(signal?.aborted) };
}

/**
 * Runs each configuration in turn with `execute`, which measures it whole. A configuration that
 * throws is recorded as errored (or skipped, for {@link ConfigurationSkippedError}) and the sweep
 * goes on; an abort stops it and returns what finished so far. The one-round case of
 * {@link runInterleavedSweep}.
 */
export function runSweep(
  configurations: readonly Configuration[],
  execute: (configuration: Configuration, signal?: AbortSignal) => Promise<Measurement>,
  options: SweepOptions = {},
): Promise<SweepOutcome> {
  return runInterleavedSweep(configurations, async (configuration, signal) => openMeasurement({ runner: configuration.runner, measure: () => execute(configuration, signal) }), { ...options, rounds: 1 });
}

async function finish(entry: Active, interrupted: boolean, record: (result: ConfigurationResult, index: number) => void, comparisons: PairedComparison[] = []): Promise<void> {
  try {
    const measurement = await finishMeasurement(entry.measurement, interrupted);
    if (entry.alternation) measurement.alternation = entry.alternation;
    if (comparisons.length > 0) measurement.comparisons = comparisons;
    record({ status: 'completed', configuration: entry.configuration, measurement }, entry.index);
  } catch (error) {
    if (!interrupted) record(failure(entry.configuration, error), entry.index);
  } finally {
    await entry.measurement.close().catch(() => {});
  }
}

function failure(configuration: Configuration, error: unknown): ConfigurationResult {
  return error instanceof ConfigurationSkippedError
    ? { status: 'skipped', configuration, reason: error.message }
    : { status: 'errored', configuration, error: toErrorRecord(error) };
}

function aborted(error: unknown, signal: AbortSignal | undefined): boolean {
  return Boolean(signal?.aborted) || (isOrtbenchError(error) && error.code === ErrorCode.ABORTED);
}

