import type { Clock } from './clock';
import { elapsedNs, monotonicClock } from './clock';
import { ErrorCode, InvalidArgumentError, OrtbenchError } from './errors';
import { validateFeeds } from './feeds';
import type { ModelSource, ProfileSummary, Runner, RunnerOptions, Session, SessionInfo } from './runner';
import type { Statistics } from './statistics';
import { computeStatistics } from './statistics';
import type { Feeds } from './tensor';

/**
 * When a timed phase ends: once it has at least `minIterations` runs AND has lasted
 * `minDurationMs`, or as soon as either cap is reached (caps win over minimums).
 */
export interface StopRule {
  minIterations: number;
  minDurationMs: number;
  maxIterations: number;
  maxDurationMs: number;
}

/** Defaults for the steady-state phase. */
export const DEFAULT_STOP_RULE: StopRule = {
  minIterations: 10,
  minDurationMs: 1_000,
  maxIterations: 1_000_000,
  maxDurationMs: 60_000,
};

/** Defaults for warm-up (after the separately timed first run). */
export const DEFAULT_WARMUP_RULE: StopRule = {
  minIterations: 5,
  minDurationMs: 0,
  maxIterations: 1_000,
  maxDurationMs: 10_000,
};

/** Reported while a measurement runs, at most every `progressIntervalMs`. */
export interface BenchmarkProgress {
  phase: 'load' | 'first-run' | 'warmup' | 'steady';
  iterations: number;
  elapsedMs: number;
}

/** Options shared by {@link measureSession} and {@link benchmark}. */
export interface MeasureOptions {
  /** The feeds every run gets, or a function of the loaded session that builds them once; validated against its inputs first. */
  feeds: Feeds | ((session: Session) => Feeds);
  /** Items one run processes (the batch size), so throughput is in items/s. Default 1. */
  itemsPerRun?: number;
  /** Runs kept in flight at once; throughput is then measured from wall time. Default 1. */
  concurrency?: number;
  warmup?: Partial<StopRule>;
  stop?: Partial<StopRule>;
  /** Keep every steady-state latency in the result (needed by compare's significance test). */
  keepSamples?: boolean;
  clock?: Clock;
  signal?: AbortSignal;
  onProgress?: (progress: BenchmarkProgress) => void;
  progressIntervalMs?: number;
}

/** Phase timings, each measured apart. */
export interface PhaseTimings {
  /** Model load and session creation (absent when the caller brought its own session). */
  loadMs?: number;
  firstRunMs: number;
  warmupMs: number;
  warmupIterations: number;
  steadyMs: number;
  iterations: number;
}

/** What one configuration's measurement produced. */
export interface Measurement {
  session: SessionInfo;
  itemsPerRun: number;
  concurrency: number;
  phases: PhaseTimings;
  /** Steady-state latency per run, in milliseconds. */
  latencyMs: Statistics;
  throughput: { itemsPerSecond: number; runsPerSecond: number };
  /** `runner` when latencies came from the runner's own timer (e.g. inside a browser page). */
  timingSource: 'host' | 'runner';
  /** Raw steady-state latencies in nanoseconds, when `keepSamples` was set. */
  samplesNs?: number[];
  /** The runtime's profile of the runs, when the runner was asked to profile. */
  profile?: ProfileSummary;
  /** For a LoadGen-style scenario: which, the rate asked for, and the figure it is judged by. */
  scenario?: { name: string; targetQps?: number; queriesPerSecond: number; reported: { metric: string; value: number } };
  /** Accuracy of the same session over labelled data (e.g. per precision variant). */
  accuracy?: { top1: number; top5: number; images: number };
  /** Work done: FLOPs per run from the model's shapes, achieved GFLOP/s, and the runner's measured peak. */
  compute?: { flopsPerRun: number; gflops: number; peakGflops?: number; fractionOfPeak?: number };
}

/**
 * Measures an already loaded session: the first run, warm-up, then the steady state under
 * the stop rule. The session is left open for the caller.
 */
export async function measureSession(session: Session, options: MeasureOptions): Promise<Measurement> {
  const clock = options.clock ?? monotonicClock;
  const itemsPerRun = positiveInteger(options.itemsPerRun ?? 1, 'itemsPerRun');
  const concurrency = positiveInteger(options.concurrency ?? 1, 'concurrency');
  const warmupRule = resolveRule(DEFAULT_WARMUP_RULE, options.warmup, 'warmup', 0);
  const steadyRule = resolveRule(DEFAULT_STOP_RULE, options.stop, 'stop', 1);
  const feeds = typeof options.feeds === 'function' ? options.feeds(session) : options.feeds;
  validateFeeds(session.inputs, feeds);
  const report = throttle(options.onProgress, options.progressIntervalMs ?? 100, clock);
  const run = { ...options, feeds };

  throwIfAborted(options.signal);
  report({ phase: 'first-run', iterations: 0, elapsedMs: 0 }, true);
  const firstStart = clock();
  await session.run(feeds);
  const firstRunMs = elapsedNs(firstStart, clock()) / 1e6;

  const warmup = await runPhase(session, run, warmupRule, 1, clock, (iterations, elapsedMs) =>
    report({ phase: 'warmup', iterations, elapsedMs }),
  );
  const steady = await runPhase(session, run, steadyRule, concurrency, clock, (iterations, elapsedMs) =>
    report({ phase: 'steady', iterations, elapsedMs }),
  );
  const count = steady.samplesNs.length;
  const seconds = steady.wallNs / 1e9;
  const measurement: Measurement = {
    session: session.info,
    itemsPerRun,
    concurrency,
    phases: {
      firstRunMs,
      warmupMs: warmup.wallNs / 1e6,
      warmupIterations: warmup.samplesNs.length,
      steadyMs: steady.wallNs / 1e6,
      iterations: count,
    },
    latencyMs: computeStatistics(steady.samplesNs.map((ns) => ns / 1e6)),
    throughput: {
      runsPerSecond: seconds > 0 ? count / seconds : Number.POSITIVE_INFINITY,
      itemsPerSecond: seconds > 0 ? (count * itemsPerRun) / seconds : Number.POSITIVE_INFINITY,
    },
    timingSource: steady.runnerTimed ? 'runner' : 'host',
  };
  if (options.keepSamples) measurement.samplesNs = steady.samplesNs;
  const profile = await session.endProfiling?.();
  if (profile) measurement.profile = profile;
  return measurement;
}

/** Options for {@link benchmark}: a runner, a model, and how to measure it. */
export interface BenchmarkOptions extends MeasureOptions {
  runner: Runner;
  model: ModelSource;
  runnerOptions?: RunnerOptions;
}

/**
 * Loads `model` on `runner` (timed as the load phase), measures it with
 * {@link measureSession}, and always disposes the session.
 */
export async function benchmark(options: BenchmarkOptions): Promise<Measurement> {
  const clock = options.clock ?? monotonicClock;
  throwIfAborted(options.signal);
  options.onProgress?.({ phase: 'load', iterations: 0, elapsedMs: 0 });
  const loadStart = clock();
  const session = await options.runner.load(options.model, options.runnerOptions);
  const loadMs = elapsedNs(loadStart, clock()) / 1e6;
  try {
    const measurement = await measureSession(session, options);
    return { ...measurement, phases: { loadMs, ...measurement.phases } };
  } finally {
    await session.dispose();
  }
}

interface PhaseResult {
  samplesNs: number[];
  wallNs: number;
  runnerTimed: boolean;
}

/** Runs `concurrency` loops of back-to-back runs until `rule` says stop. */
async function runPhase(
  session: Session,
  options: MeasureOptions & { feeds: Feeds },
  rule: StopRule,
  concurrency: number,
  clock: Clock,
  onIteration: (iterations: number, elapsedMs: number) => void,
): Promise<PhaseResult> {
  const samplesNs: number[] = [];
  let started = 0;
  let runnerTimed = false;
  let lastEnd: bigint | undefined;
  const phaseStart = clock();
  const elapsedMs = (): number => elapsedNs(phaseStart, clock()) / 1e6;
  const finished = (): boolean => {
    if (options.signal?.aborted) return true;
    const elapsed = elapsedMs();
    if (samplesNs.length >= rule.maxIterations || elapsed >= rule.maxDurationMs) return true;
    return samplesNs.length >= rule.minIterations && elapsed >= rule.minDurationMs;
  };
  const worker = async (): Promise<void> => {
    while (started < rule.maxIterations && !finished()) {
      started++;
      const start = clock();
      const result = await session.run(options.feeds);
      const end = clock();
      lastEnd = end;
      const inferenceNs = result.timing?.inferenceNs;
      if (inferenceNs !== undefined) runnerTimed = true;
      samplesNs.push(inferenceNs ?? elapsedNs(start, end));
      onIteration(samplesNs.length, elapsedMs());
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  throwIfAborted(options.signal);
  return { samplesNs, wallNs: lastEnd === undefined ? 0 : elapsedNs(phaseStart, lastEnd), runnerTimed };
}

function resolveRule(defaults: StopRule, given: Partial<StopRule> | undefined, label: string, minIterationsFloor: number): StopRule {
  const rule = { ...defaults, ...given };
  for (const [key, value] of Object.entries(rule)) {
    if (!Number.isFinite(value) || value < 0) {
      throw new InvalidArgumentError(`${label}.${key} must be a non-negative number, got ${value}`);
    }
  }
  if (rule.minIterations < minIterationsFloor) {
    throw new InvalidArgumentError(`${label}.minIterations must be at least ${minIterationsFloor}, got ${rule.minIterations}`);
  }
  if (rule.maxIterations < Math.max(rule.minIterations, minIterationsFloor)) {
    throw new InvalidArgumentError(`${label}.maxIterations (${rule.maxIterations}) is below its minIterations (${rule.minIterations})`);
  }
  return rule;
}

function positiveInteger(value: number, label: string): number {
  if (!Number.isInteger(value) || value < 1) throw new InvalidArgumentError(`${label} must be a positive integer, got ${value}`);
  return value;
}

function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new OrtbenchError(ErrorCode.ABORTED, 'benchmark aborted');
}

function throttle(
  onProgress: MeasureOptions['onProgress'],
  intervalMs: number,
  clock: Clock,
): (progress: BenchmarkProgress, force?: boolean) => void {
  if (!onProgress) return () => {};
  let last: bigint | undefined;
  return (progress, force = false) => {
    const now = clock();
    if (!force && last !== undefined && elapsedNs(last, now) / 1e6 < intervalMs) return;
    last = now;
    onProgress(progress);
  };
}
