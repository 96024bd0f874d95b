import type { AbVerdict, FedInputRecord, OpenMeasurement, PairedRatio, Session } from '@ortbench/core';
import { abVerdict, alternateRuns, compareEntries, InvalidArgumentError, openMeasurement, SeededRandom, symbolicDims } from '@ortbench/core';
import { describeModel } from './model-source';
import type { SingleRunInputs } from './model-inputs';
import { singleRunInputs } from './model-inputs';
import type { RunnerSource } from './registry';
import { runnerRegistry } from './registry';

/** One side of an A/B measurement: a model and how it is run. */
export interface AbSide {
  /** A built-in name or an .onnx file. */
  model: string;
  /** Default node-cpu. */
  runner?: string;
  threads?: number;
  graphOptimizationLevel?: 'disabled' | 'basic' | 'extended' | 'all';
}

/** What `ab()` measures and how it judges; both sides are fed alike (batch, dims, shapes, values, arrays). */
export interface AbOptions extends RunnerSource, SingleRunInputs {
  a: AbSide;
  b: AbSide;
  /** A change smaller than this fraction is "same" (default 0.02). */
  threshold?: number;
  /** The most seconds each side's runs may add up to (default 25: a verdict in under a minute). */
  maxDuration?: number;
  /** Untimed runs of each side before the pairs (default 5). */
  warmup?: number;
  signal?: AbortSignal;
  onProgress?: (pairs: number) => void;
}

/** A side as measured. */
export interface AbSideResult {
  label: string;
  runner: string;
  settings: Record<string, unknown>;
  medianMs: number;
  runs: number;
}

/** The outcome: the verdict, the ratio it rests on, and the rule that made it. */
export interface AbOutcome extends PairedRatio {
  verdict: AbVerdict;
  threshold: number;
  /** The verdict rule in words. */
  rule: string;
  /** target: the interval reached ±threshold/2; cap: the time cap came first; interrupted: Ctrl-C. */
  stop: 'target' | 'cap' | 'interrupted';
  a: AbSideResult;
  b: AbSideResult;
  inputs: FedInputRecord[];
}

/** The minimum pairs before a verdict may be reached. */
const MIN_PAIRS = 30;

/**
 * A/B, measured paired in one process: both sessions loaded (ONNX Runtime's with thread spinning
 * off, so the idle one does not slow the other), then one run of each per round in a balanced
 * order until the 95 % interval of B's time over A's is within ±threshold/2 (precise enough to
 * tell a change of the threshold from none) or the time cap. The verdict follows
 * {@link abVerdict}: same, slower, faster or unsure. Both sessions are disposed on every path.
 */
export async function ab(options: AbOptions): Promise<AbOutcome> {
  const threshold = options.threshold ?? 0.02;
  if (!(threshold > 0 && threshold < 1)) throw new InvalidArgumentError(`--threshold must be between 0 and 100 %, got ${threshold}`);
  const maxDurationMs = (options.maxDuration ?? 25) * 1000;
  if (!(maxDurationMs > 0)) throw new InvalidArgumentError(`--max-duration must be positive, got ${options.maxDuration}`);
  const registry = await runnerRegistry(options);
  const sides = [options.a, options.b];
  for (const side of sides) await registry.resolve(side.runner ?? 'node-cpu'); // unknown or unavailable: before loading anything
  const sessions: Session[] = [];
  const measurements: OpenMeasurement[] = [];
  try {
    let fed: FedInputRecord[] = [];
    for (const side of sides) {
      const model = await describeModel(side.model);
      const runnerName = side.runner ?? 'node-cpu';
      const runner = await registry.resolve(runnerName);
      const runnerOptions: Record<string, unknown> = {};
      if (side.threads !== undefined) runnerOptions.threads = side.threads;
      if (side.graphOptimizationLevel !== undefined) runnerOptions.graphOptimizationLevel = side.graphOptimizationLevel;
      if (runnerName.startsWith('node-')) runnerOptions.allowSpinning = false;
      const session = await runner.load(model.path, runnerOptions);
      sessions.push(session);
      const tokens = symbolicDims(session.inputs).some((d) => d.role === 'sequence');
      const prepared = await singleRunInputs(session.inputs, model.embeddings, tokens, options);
      if (fed.length === 0) fed = prepared.fed;
      measurements.push(
        openMeasurement(session, {
          feeds: prepared.feeds,
          ...(options.signal ? { signal: options.signal } : {}),
          warmup: { minIterations: options.warmup ?? 5, minDurationMs: 0 },
          // Each side's own rule only sets the minimum; the paired interval decides when to stop.
          stop: { minIterations: MIN_PAIRS, minDurationMs: 0, maxDurationMs, ciTarget: 0 },
        }),
      );
    }
    for (const measurement of measurements) await measurement.warm();
    const [a, b] = measurements.map((measurement, i) => ({ key: i === 0 ? 'A' : 'B', itemsPerRun: 1, measurement, byRound: new Map<number, { perItemNs: number; position: number }>() }));
    const progress = setInterval(() => options.onProgress?.(b!.byRound.size), 1000);
    let interrupted = false;
    try {
      ({ interrupted } = await alternateRuns([a!, b!], {
        ...(options.signal ? { signal: options.signal } : {}),
        random: new SeededRandom(`ab:${options.seed ?? 1}`),
        comparisons: [{ key: 'B', baseline: 'A' }],
        pairedTarget: threshold / 2,
        onFailure: async (_entry, error) => {
          throw error;
        },
      }));
    } finally {
      clearInterval(progress);
    }
    const ratio = compareEntries(a!, b!);
    const capped = measurements.some((m) => m.capped);
    const results = await Promise.all(measurements.map((m) => m.result(interrupted)));
    const sideResult = (i: number): AbSideResult => ({
      label: `${sides[i]!.model} on ${results[i]!.session.runner}`,
      runner: results[i]!.session.runner,
      settings: results[i]!.session.settings,
      medianMs: results[i]!.latencyMs.median,
      runs: results[i]!.latencyMs.count,
    });
    return {
      ...ratio,
      verdict: interrupted && ratio.pairs < 6 ? 'unsure' : abVerdict(ratio, { threshold }),
      threshold,
      rule: `same if the 95 % interval of B/A lies within ±${percent(threshold)}; slower if it lies above 1 and the estimate is at least +${percent(threshold)}, faster if below 1 and at least −${percent(threshold)}; else unsure. Pairs: at least ${MIN_PAIRS}, then until the interval is within ±${percent(threshold / 2)}, at most ${maxDurationMs / 1000} s of runs per side`,
      stop: interrupted ? 'interrupted' : capped ? 'cap' : 'target',
      a: sideResult(0),
      b: sideResult(1),
      inputs: fed,
    };
  } finally {
    for (const session of sessions) await session.dispose().catch(() => {});
  }
}

function percent(fraction: number): string {
  return `${Number((fraction * 100).toFixed(2))} %`;
}
