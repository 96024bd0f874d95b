import type { Clock } from './clock';
import { elapsedNs } from './clock';
import { ErrorCode, InvalidArgumentError, OrtbenchError } from './errors';
import { validateFeeds } from './feeds';
import { MemoryRecorder } from './memory-recorder';
import type { MeasureOptions, Runs, RunsContext, TakeBudget, WarmPhases } from './open-measurement';
import type { RunOptions, Session } from './runner';
import type { Feeds } from './tensor';

const DISCARD: RunOptions = { discardOutputs: true };

/**
 * Runs on one session in this process: one at a time, or `concurrency` loops in flight on it.
 * Memory is read between runs (never inside a timed one); a single step is one run.
 */
export function sessionRuns(session: Session, options: MeasureOptions, context: RunsContext): Runs {
  const { clock, signal, steady, warmupRule, report } = context;
  const concurrency = options.concurrency ?? 1;
  if (!Number.isInteger(concurrency) || concurrency < 1) throw new InvalidArgumentError(`concurrency must be a positive integer, got ${concurrency}`);
  if (concurrency > 1 && session.serialRuns) {
    throw new InvalidArgumentError(
      `${session.info.runner} cannot keep ${concurrency} runs in flight on one session: ${session.serialRuns}; measure ${concurrency} sessions at once instead`,
    );
  }
  if (options.feeds === undefined) throw new InvalidArgumentError('a measurement of a session needs its feeds');
  const feedsOption = options.feeds;
  let feeds: Feeds | undefined;
  const probe = options.memory === false ? undefined : (options.memory ?? session.memoryProbe);
  const memory = probe ? new MemoryRecorder(probe, clock, options.beforeLoadBytes, options.afterLoadBytes) : undefined;
  if (memory && options.memoryShared) memory.shared = options.memoryShared;
  let profile: ReturnType<NonNullable<Runs['profile']>> | undefined;
  const ready = (): Feeds => {
    if (!feeds) throw new InvalidArgumentError('steady runs before warm()');
    return feeds;
  };

  const runs: Runs = {
    info: session.info,
    concurrency,
    async warm(): Promise<WarmPhases> {
      throwIfAborted(signal);
      feeds = typeof feedsOption === 'function' ? feedsOption(session) : feedsOption;
      validateFeeds(session.inputs, feeds);
      await memory?.loaded();
      report({ phase: 'first-run', iterations: 0, elapsedMs: 0 }, true);
      const firstStart = clock();
      await session.run(feeds);
      const firstRunMs = elapsedNs(firstStart, clock()) / 1e6;
      const warmup = await runPhase(session, feeds, {
        signal,
        concurrency,
        clock,
        // With no minimum time, exactly the minimum count: loops in flight must not start extra runs.
        maxStarts: warmupRule.minDurationMs > 0 ? warmupRule.maxIterations : Math.min(warmupRule.minIterations, warmupRule.maxIterations),
        finished: (count, elapsedMs) =>
          count >= warmupRule.maxIterations || elapsedMs >= warmupRule.maxDurationMs || (count >= warmupRule.minIterations && elapsedMs >= warmupRule.minDurationMs),
        onIteration: (iterations, elapsedMs) => report({ phase: 'warmup', iterations, elapsedMs }),
      });
      // The first run and warm-up grow the arena: their high-water mark counts towards the peak.
      await memory?.read();
      return { firstRunMs, warmupMs: warmup.wallNs / 1e6, warmupIterations: warmup.samples };
    },
    async take(budget: TakeBudget) {
      const fed = ready();
      if (budget.rewarm) await session.run(fed);
      const before = steady.count;
      await memory?.open();
      // An aborted take still counts the time of the runs it kept: their rate needs it (never Infinity).
      const wall = { ns: 0 };
      const phase = await runPhase(session, fed, {
        signal,
        concurrency,
        clock,
        wall,
        maxStarts: steady.rule.maxIterations - before,
        into: steady.samplesNs,
        hostInto: steady.hostSamplesNs,
        finished: budget.finished,
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
    windowRunsPerSecond: () => (concurrency > 1 && steady.steadyNs > 0 ? steady.count / (steady.steadyNs / 1e9) : undefined),
    profile: () => (profile ??= session.endProfiling?.() ?? Promise.resolve(undefined)),
    memory: () => memory?.figures(),
    close: () => session.dispose(),
  };
  if (concurrency === 1) {
    runs.step = async () => {
      const fed = ready();
      throwIfAborted(signal);
      // A window around this one run alone: the other configurations alternated with it run between.
      const reading = memory?.due() ?? false;
      if (reading) await memory!.open();
      const start = clock();
      const result = await session.run(fed, DISCARD);
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
      if (reading) await memory!.read(steady.count);
      report({ phase: 'steady', iterations: steady.count, elapsedMs: steady.elapsedMs });
      return sample;
    };
  }
  return runs;
}

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
async function runPhase(session: Session, feeds: Feeds, control: PhaseControl): Promise<{ samples: number; wallNs: number; runnerTimed: boolean }> {
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
  return { samples: into.length - first, wallNs: lastEnd === undefined ? 0 : elapsedNs(phaseStart, lastEnd), runnerTimed };
}

export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new OrtbenchError(ErrorCode.ABORTED, 'benchmark aborted');
}
