import type { Clock } from './clock';
import { elapsedNs, monotonicClock } from './clock';
import { ErrorCode, InvalidArgumentError, OrtbenchError } from './errors';
import { validateFeeds } from './feeds';
import type { Measurement } from './measurement';
import type { MemoryProbe } from './memory';
import { MemoryRecorder } from './memory-recorder';
import type { ModelSource, ProfileSummary, Runner, RunnerOptions, RunOptions, Session, SessionInfo } from './runner';
import { quantileSorted } from './statistics';
import { SteadyState } from './steady-state';
import type { StopRule } from './stop-rule';
import { DEFAULT_STOP_RULE, DEFAULT_WARMUP_RULE, resolveStopRule } from './stop-rule';
import type { Feeds } from './tensor';

export type { FedInputRecord, Measurement, PhaseTimings, RoundsSummary, Throughput } from './measurement';

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
  /**
   * Memory read between runs (`measurement.memory`): by default the session's own probe
   * (`Session.memoryProbe`) when it has one; `false` for none. Node callers pass
   * `processMemoryProbe()` from `@ortbench/core/node` for the process's resident set.
   */
  memory?: MemoryProbe | false;
  /** The probe's reading taken just before the model was loaded, so that what loading took is known. */
  beforeLoadBytes?: number;
  /** The probe's reading taken just after loading (before the feeds were built); read at the first run when absent. */
  afterLoadBytes?: number;
  /** Why the memory figures include other configurations' (alternated in the same process), when they do. */
  memoryShared?: string;
}

/** One round's share of a steady state, in an interleaved sweep. */
export interface RoundSlice {
  minIterations: number;
  minDurationMs: number;
  maxDurationMs: number;
}

/**
 * A measurement that can be taken in parts: warm once, then one or more steady slices (rounds of
 * an interleaved sweep), then the result. {@link measureSession} is warm + one steady + result.
 */
export interface OpenMeasurement {
  readonly info: SessionInfo;
  /** The first run (timed apart) and warm-up. */
  warm(): Promise<void>;
  /** Steady-state runs: until the stop rule is met, or for one slice (after one untimed re-warm run when not the first). */
  steady(slice?: RoundSlice): Promise<void>;
  /**
   * One timed steady-state run, for a loop that alternates configurations run by run; returns
   * its latency in ns. Absent where one run cannot be taken alone (several in flight, lanes, a
   * scenario, a measurement taken whole in another process).
   */
  step?(): Promise<number>;
  /** Whether the stop rule is satisfied: the target met, the minimums of a fixed rule met, or a cap reached. */
  readonly done: boolean;
  /** Whether a cap (runs or time) is reached: no more runs are worth taking. */
  readonly capped?: boolean;
  /** The measurement so far; `interrupted` marks one that was cut short. Reading it runs nothing. */
  result(interrupted?: boolean): Promise<Measurement>;
  /**
   * Figures computed after the measurement, on the still open session (accuracy, agreement with
   * fp32, the image pipeline): a step of its own, never part of reading the result, and skipped
   * for an interrupted measurement. See {@link finishMeasurement}.
   */
  annotate?(measurement: Measurement): Promise<void>;
  /** Disposes what the measurement loaded. */
  close(): Promise<void>;
}

/**
 * Measures an already loaded session: the first run, warm-up, then the steady state under the
 * stop rule (by default until the median's 95 % CI is within ±2 %, or the cap). The session is
 * left open for the caller.
 */
export async function measureSession(session: Session, options: MeasureOptions): Promise<Measurement> {
  const measurement = openMeasurement(session, options);
  await measurement.warm();
  await measurement.steady();
  return measurement.result();
}

/**
 * A measurement of `session` to take in parts (see {@link OpenMeasurement}); `close()` disposes
 * the session. Options are checked at once.
 */
export function openMeasurement(session: Session, options: MeasureOptions): OpenMeasurement {
  const clock = options.clock ?? monotonicClock;
  const itemsPerRun = positiveInteger(options.itemsPerRun ?? 1, 'itemsPerRun');
  const concurrency = positiveInteger(options.concurrency ?? 1, 'concurrency');
  if (concurrency > 1 && session.serialRuns) {
    throw new InvalidArgumentError(
      `${session.info.runner} cannot keep ${concurrency} runs in flight on one session: ${session.serialRuns}; measure ${concurrency} sessions at once instead`,
    );
  }
  const warmupRule = resolveStopRule(DEFAULT_WARMUP_RULE, options.warmup, 'warmup', 0);
  const rule = resolveStopRule(DEFAULT_STOP_RULE, options.stop, 'stop', 1);
  const report = throttle(options.onProgress, options.progressIntervalMs ?? 100, clock);
  let feeds: Feeds | undefined;
  let firstRunMs = 0;
  let warmup: PhaseResult = { samplesNs: [], wallNs: 0, runnerTimed: false };
  const steady = new SteadyState(rule);
  let profile: Promise<ProfileSummary | undefined> | undefined;
  // Set by step(): the stop rule's answer after the latest run (checked as the sample grows, not every run).
  let steppedDone: boolean | undefined;
  const probe = options.memory === false ? undefined : (options.memory ?? session.memoryProbe);
  const memory = probe ? new MemoryRecorder(probe, clock, options.beforeLoadBytes, options.afterLoadBytes) : undefined;
  if (memory && options.memoryShared) memory.shared = options.memoryShared;

  const measurement: OpenMeasurement = {
    info: session.info,
    async warm() {
      throwIfAborted(options.signal);
      feeds = typeof options.feeds === 'function' ? options.feeds(session) : options.feeds;
      validateFeeds(session.inputs, feeds);
      await memory?.loaded();
      report({ phase: 'first-run', iterations: 0, elapsedMs: 0 }, true);
      const firstStart = clock();
      await session.run(feeds);
      firstRunMs = elapsedNs(firstStart, clock()) / 1e6;
      warmup = await runPhase(session, feeds, {
        signal: options.signal,
        concurrency,
        clock,
        // With no minimum time, exactly the minimum count: loops in flight must not start extra runs.
        maxStarts: warmupRule.minDurationMs > 0 ? warmupRule.maxIterations : Math.min(warmupRule.minIterations, warmupRule.maxIterations),
        finished: (count, elapsedMs) =>
          count >= warmupRule.maxIterations ||
          elapsedMs >= warmupRule.maxDurationMs ||
          (count >= warmupRule.minIterations && elapsedMs >= warmupRule.minDurationMs),
        onIteration: (iterations, elapsedMs) => report({ phase: 'warmup', iterations, elapsedMs }),
      });
      // The first run and warm-up grow the arena: their high-water mark counts towards the peak.
      await memory?.read();
    },
    async steady(slice) {
      if (!feeds) throw new InvalidArgumentError('steady() before warm()');
      if (slice && steady.sliceStarts.length > 0) await session.run(feeds); // re-warm the caches other configurations used
      steady.sliceStarts.push(steady.count);
      const before = steady.count;
      await memory?.open();
      // An abort mid-slice still counts the slice's time: the runs it kept need their wall time (no rate of Infinity).
      const wall = { ns: 0 };
      const phase = await runPhase(session, feeds, {
        signal: options.signal,
        concurrency,
        clock,
        wall,
        maxStarts: rule.maxIterations - before,
        into: steady.samplesNs,
        hostInto: steady.hostSamplesNs,
        finished: (count, sliceMs) => {
          if (!slice) return steady.doneWhileRunning(sliceMs);
          if (steady.capped(0, sliceMs) || sliceMs >= slice.maxDurationMs) return true;
          return count >= slice.minIterations && sliceMs >= slice.minDurationMs;
        },
        onIteration: (iterations, elapsedMs) => report({ phase: 'steady', iterations: before + iterations, elapsedMs: steady.elapsedMs + elapsedMs }),
        ...(memory ? { between: async () => {
          if (!memory.due()) return;
          await memory.read(steady.count);
          await memory.open();
        } } : {}),
      }).finally(() => {
        steady.steadyNs += wall.ns;
      });
      if (memory) await memory.read(steady.count);
      steady.runnerTimed ||= phase.runnerTimed;
    },
    get done() {
      return steppedDone ?? steady.done;
    },
    get capped() {
      return steady.capped();
    },
    async result(interrupted = false) {
      if (steady.count === 0) throw new OrtbenchError(ErrorCode.ABORTED, 'no steady-state run finished');
      // ORT's profile covers every run since loading; it is ended once, after the steady state.
      profile ??= session.endProfiling?.() ?? Promise.resolve(undefined);
      const summary = await profile;
      const figures = steady.figures(itemsPerRun, interrupted, concurrency > 1 ? undefined : undefined);
      const measurement: Measurement = {
        session: session.info,
        itemsPerRun,
        concurrency,
        phases: {
          firstRunMs,
          warmupMs: warmup.wallNs / 1e6,
          warmupIterations: warmup.samplesNs.length,
          steadyMs: steady.elapsedMs,
          iterations: steady.count,
        },
        ...figures,
        timingSource: steady.runnerTimed ? 'runner' : 'host',
      };
      if (concurrency > 1) {
        // Several in flight: the headline rate is the wall clock's; the median is a latency, not a rate.
        measurement.throughput = { ...figures.throughput, itemsPerSecond: figures.throughput.wallItemsPerSecond, runsPerSecond: figures.throughput.wallRunsPerSecond, basis: 'wall clock' };
      }
      if (options.keepSamples) measurement.samplesNs = [...steady.samplesNs];
      if (steady.runnerTimed && steady.hostSamplesNs.length > 0) measurement.hostRoundTripMs = medianOf(steady.hostSamplesNs) / 1e6;
      if (summary) measurement.profile = summary;
      const memoryFigures = memory?.figures();
      if (memoryFigures) measurement.memory = memoryFigures;
      return measurement;
    },
    close: () => session.dispose(),
  };
  if (concurrency === 1) {
    measurement.step = async () => {
      if (!feeds) throw new InvalidArgumentError('step() before warm()');
      throwIfAborted(options.signal);
      // A window around this one run alone: the other configurations alternated with it run between.
      const reading = memory?.due() ?? false;
      if (reading) await memory!.open();
      const start = clock();
      const result = await session.run(feeds, DISCARD);
      const end = clock();
      const hostNs = elapsedNs(start, end);
      const inferenceNs = result.timing?.inferenceNs;
      if (inferenceNs !== undefined) {
        steady.runnerTimed = true;
        steady.hostSamplesNs.push(hostNs);
      }
      const sample = inferenceNs ?? hostNs;
      steady.samplesNs.push(sample);
      steady.steadyNs += hostNs;
      steppedDone = steady.doneWhileRunning(0);
      if (reading) await memory!.read(steady.count);
      report({ phase: 'steady', iterations: steady.count, elapsedMs: steady.elapsedMs });
      return sample;
    };
  }
  return measurement;
}

/** Reads a measurement's result, then (unless interrupted) adds its after-measurement figures. */
export async function finishMeasurement(open: OpenMeasurement, interrupted = false): Promise<Measurement> {
  const measurement = await open.result(interrupted);
  if (!interrupted) await open.annotate?.(measurement);
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
  const beforeLoadBytes = options.memory ? await options.memory.current() : undefined;
  const loadStart = clock();
  const session = await options.runner.load(options.model, options.runnerOptions);
  const loadMs = elapsedNs(loadStart, clock()) / 1e6;
  try {
    const measurement = await measureSession(session, { ...(beforeLoadBytes === undefined ? {} : { beforeLoadBytes }), ...options });
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

const DISCARD: RunOptions = { discardOutputs: true };

/** How {@link runPhase} runs: in flight at once, when to stop, where samples go. */
interface PhaseControl {
  signal: AbortSignal | undefined;
  concurrency: number;
  clock: Clock;
  /** Runs started at most (a cap on in-flight overshoot). */
  maxStarts: number;
  finished: (count: number, elapsedMs: number) => boolean;
  onIteration: (iterations: number, elapsedMs: number) => void;
  /** Samples are appended here, in completion order. */
  into?: number[];
  /** When the runner times itself: the host's clock around each run, appended here. */
  hostInto?: number[];
  /** Kept up to date after every run: the phase's wall time so far, for a caller whose phase is aborted. */
  wall?: { ns: number };
  /** Called between runs, outside their timing (memory readings). */
  between?: () => Promise<void>;
}

/** Runs `concurrency` loops of back-to-back runs until `finished(count, elapsedMs)` says stop. */
async function runPhase(session: Session, feeds: Feeds, control: PhaseControl): Promise<PhaseResult> {
  const { clock, signal } = control;
  const into = control.into ?? [];
  const first = into.length;
  let started = 0;
  let runnerTimed = false;
  let lastEnd: bigint | undefined;
  const phaseStart = clock();
  const elapsedMs = (): number => elapsedNs(phaseStart, clock()) / 1e6;
  const stop = (): boolean => Boolean(signal?.aborted) || control.finished(into.length - first, elapsedMs());
  const worker = async (): Promise<void> => {
    while (started < control.maxStarts && !stop()) {
      started++;
      const start = clock();
      const result = await session.run(feeds, DISCARD);
      const end = clock();
      lastEnd = end;
      if (control.wall) control.wall.ns = elapsedNs(phaseStart, end);
      const inferenceNs = result.timing?.inferenceNs;
      if (inferenceNs !== undefined) {
        runnerTimed = true;
        control.hostInto?.push(elapsedNs(start, end));
      }
      into.push(inferenceNs ?? elapsedNs(start, end));
      control.onIteration(into.length - first, elapsedMs());
      await control.between?.();
    }
  };
  await Promise.all(Array.from({ length: control.concurrency }, worker));
  throwIfAborted(signal);
  return { samplesNs: into.slice(first), wallNs: lastEnd === undefined ? 0 : elapsedNs(phaseStart, lastEnd), runnerTimed };
}

function positiveInteger(value: number, label: string): number {
  if (!Number.isInteger(value) || value < 1) throw new InvalidArgumentError(`${label} must be a positive integer, got ${value}`);
  return value;
}

function medianOf(values: readonly number[]): number {
  return quantileSorted([...values].sort((a, b) => a - b), 0.5);
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
