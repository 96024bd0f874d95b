import type { Clock } from './clock';
import { elapsedNs, monotonicClock } from './clock';
import { ErrorCode, InvalidArgumentError, OrtbenchError } from './errors';
import type { LanesSource } from './lanes';
import { laneRuns } from './lanes';
import type { Measurement } from './measurement';
import type { BenchmarkProgress, MeasureOptions, OpenMeasurement, RoundSlice, Runs, RunsContext, WarmPhases } from './open-measurement';
import type { ModelSource, Runner, RunnerOptions, Session } from './runner';
import { sessionRuns, throwIfAborted } from './session-runs';
import { quantileSorted } from './statistics';
import { SteadyState } from './steady-state';
import { DEFAULT_STOP_RULE, DEFAULT_WARMUP_RULE, resolveStopRule } from './stop-rule';
import type { WholeSource } from './whole-runs';
import { wholeRuns } from './whole-runs';

export type { FedInputRecord, Measurement, PhaseTimings, RoundsSummary, Throughput } from './measurement';
export type { BenchmarkProgress, MeasuredFile, MeasureOptions, OpenMeasurement, RoundSlice } from './open-measurement';
export type { LanesSource } from './lanes';
export type { WholeSource } from './whole-runs';

/**
 * What a measurement takes its runs on: a loaded session in this process; `{ lanes }`, several
 * sessions at once in worker threads; or `{ measure }`, a steady state taken whole by another
 * party (a scenario, a child process).
 */
export type MeasurementSource = Session | LanesSource | WholeSource;

/**
 * The one measurement loop: every kind of measurement ortbench takes — one session, several in
 * flight, lanes, scenarios, a configuration measured in a child — is opened here, and shares
 * its warm-up and re-warm, stop rules, single steps for run-by-run alternation, timing basis,
 * abort path (an interrupted measurement's result is valid, with finite rates) and disposal
 * (`close()` always disposes what was loaded, once). Only how runs are taken differs (see
 * {@link Runs}). Options are checked at once.
 */
export function openMeasurement(source: MeasurementSource, options: MeasureOptions = {}): OpenMeasurement {
  const clock = options.clock ?? monotonicClock;
  const itemsPerRun = options.itemsPerRun ?? 1;
  if (!Number.isInteger(itemsPerRun) || itemsPerRun < 1) throw new InvalidArgumentError(`itemsPerRun must be a positive integer, got ${itemsPerRun}`);
  const warmupRule = resolveStopRule(DEFAULT_WARMUP_RULE, options.warmup, 'warmup', 0);
  const rule = resolveStopRule(DEFAULT_STOP_RULE, options.stop, 'stop', 1);
  const steady = new SteadyState(rule);
  const context: RunsContext = { clock, signal: options.signal, steady, warmupRule, report: throttle(options.onProgress, options.progressIntervalMs ?? 100, clock) };
  const runs: Runs = 'lanes' in source ? laneRuns(source, context) : 'measure' in source ? wholeRuns(source, options, context) : sessionRuns(source, options, context);
  let warmed: WarmPhases | undefined;
  // Set by step(): the stop rule's answer after the latest step (checked as the sample grows, not every run).
  let steppedDone: boolean | undefined;
  let closed: Promise<void> | undefined;

  const measurement: OpenMeasurement = {
    get info() {
      return runs.info;
    },
    async warm() {
      throwIfAborted(options.signal);
      warmed = await runs.warm();
    },
    async steady(slice?: RoundSlice) {
      if (!warmed) throw new InvalidArgumentError('steady() before warm()');
      steady.sliceStarts.push(steady.count);
      await runs.take({
        rewarm: slice !== undefined && steady.sliceStarts.length > 1,
        ...(slice ? { targetMs: slice.minDurationMs } : {}),
        finished: (count, takeMs) => {
          if (!slice) return steady.doneWhileRunning(takeMs);
          if (steady.capped(0, takeMs) || takeMs >= slice.maxDurationMs) return true;
          return count >= slice.minIterations && takeMs >= slice.minDurationMs;
        },
      });
    },
    get done() {
      if (runs.whole) return runs.whole() !== undefined;
      return steppedDone ?? steady.done;
    },
    get capped() {
      return runs.whole ? runs.whole() !== undefined : steady.capped();
    },
    async result(interrupted = false) {
      const taken = runs.whole ? runs.whole() : await fromSamples(interrupted);
      if (!taken) throw new OrtbenchError(ErrorCode.ABORTED, 'the measurement did not finish');
      return describe(taken);
    },
    annotate: async (result) => {
      await options.annotate?.(result);
    },
    close() {
      closed ??= runs.close();
      return closed;
    },
  };
  if (runs.step) {
    const step = runs.step.bind(runs);
    measurement.step = async () => {
      if (!warmed) throw new InvalidArgumentError('step() before warm()');
      const ns = await step();
      steppedDone = steady.doneWhileRunning(0);
      return ns;
    };
  }

  /** The figures of the runs taken so far. */
  async function fromSamples(interrupted: boolean): Promise<Measurement> {
    if (steady.count === 0) throw new OrtbenchError(ErrorCode.ABORTED, 'no steady-state run finished');
    // ORT's profile covers every run since loading; it is ended once, after the steady state.
    const profile = await runs.profile?.();
    const figures = steady.figures(itemsPerRun, interrupted, runs.windowRunsPerSecond?.());
    const result: Measurement = {
      session: runs.info,
      itemsPerRun,
      concurrency: runs.concurrency,
      ...(runs.sessions !== undefined ? { sessions: runs.sessions } : {}),
      phases: {
        ...(warmed?.loadMs !== undefined ? { loadMs: warmed.loadMs } : {}),
        firstRunMs: warmed?.firstRunMs ?? 0,
        warmupMs: warmed?.warmupMs ?? 0,
        warmupIterations: warmed?.warmupIterations ?? 0,
        steadyMs: steady.elapsedMs,
        iterations: steady.count,
      },
      ...figures,
      timingSource: steady.runnerTimed ? 'runner' : 'host',
    };
    if (options.keepSamples) result.samplesNs = [...steady.samplesNs];
    if (steady.runnerTimed && steady.hostSamplesNs.length > 0) result.hostRoundTripMs = medianOf(steady.hostSamplesNs) / 1e6;
    if (profile) result.profile = profile;
    const memory = runs.memory?.();
    if (memory) result.memory = memory;
    return result;
  }

  /** What the caller said of the measurement (load time, inputs, file), and why memory is missing. */
  function describe(result: Measurement): Measurement {
    if (options.loadMs !== undefined) result.phases = { loadMs: options.loadMs, ...result.phases };
    if (options.inputs) result.inputs = options.inputs;
    if (options.modelFile) result.modelFile = options.modelFile;
    // No memory figure is never a silent one: the notes say why, in every format.
    const why = `memory not measured: ${runs.noMemory}`;
    if (!result.memory && runs.noMemory && !result.stability.notes.includes(why)) result.stability.notes.push(why);
    return result;
  }

  return measurement;
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
    return await measureSession(session, { ...(beforeLoadBytes === undefined ? {} : { beforeLoadBytes }), loadMs, ...options });
  } finally {
    await session.dispose();
  }
}

function medianOf(values: readonly number[]): number {
  return quantileSorted([...values].sort((a, b) => a - b), 0.5);
}

function throttle(onProgress: MeasureOptions['onProgress'], intervalMs: number, clock: Clock): (progress: BenchmarkProgress, force?: boolean) => void {
  if (!onProgress) return () => {};
  let last: bigint | undefined;
  return (progress, force = false) => {
    const now = clock();
    if (!force && last !== undefined && elapsedNs(last, now) / 1e6 < intervalMs) return;
    last = now;
    onProgress(progress);
  };
}
