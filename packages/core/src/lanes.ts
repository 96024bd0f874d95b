import { ErrorCode, InvalidArgumentError, OrtbenchError } from './errors';
import type { Runs, RunsContext, TakeBudget, WarmPhases } from './open-measurement';
import type { SessionInfo } from './runner';

/** What a lane reports once its session is loaded and warm. */
export interface LaneOpened {
  info: SessionInfo;
  loadMs: number;
  firstRunMs: number;
  warmupMs: number;
  warmupIterations: number;
}

/** What a lane measured in one window. */
export interface LaneWindow {
  /** Each run's latency (ns), in order. */
  durationsNs: number[];
  /** Each run's end, in ns after the window's start. */
  endOffsetsNs: number[];
  /** True when the latencies came from the runner's own timer. */
  runnerTimed: boolean;
}

/**
 * One of several sessions measured at once, each with its own thread (see `workerLanes` in
 * `@ortbench/core/node`). All lanes read one monotonic clock, so their windows line up.
 */
export interface Lane {
  /** Loads the session, then its first run and warm-up. */
  open(): Promise<LaneOpened>;
  /** Waits until the clock reads `startNs`, then runs back to back: at least one run, and no further run starts at or after `untilNs`. */
  runWindow(startNs: bigint, untilNs: bigint): Promise<LaneWindow>;
  close(): Promise<void>;
}

/** Several sessions measured at once: what `openMeasurement({ lanes })` measures. */
export interface LanesSource {
  lanes: readonly Lane[];
  /** Length of one measuring window when not in slices (default 1000 ms; the first is at least the minimum duration). */
  windowMs?: number;
  /** Time given to every lane to receive the start message before its window opens. Default 20 ms. */
  leadMs?: number;
}

/** A window this short gives every lane one run (a re-warm): each runs at least once, and no more once it ends. */
const ONE_RUN_WINDOW_NS = 1_000_000n;

/**
 * Runs on N sessions at once — real concurrency for runtimes whose runs on one session never
 * overlap. Every window starts all lanes together at one instant of the shared clock; each lane
 * runs back to back, so its rate is its completed runs over its busy time from that common start
 * to its last completion, and the throughput is the sum of the lanes' rates — no lane's
 * straggling last run stretches another's time, and no partial run is counted or lost. Latency
 * statistics pool every run of every lane. Lanes take no single steps: a window of one run per lane
 * is mostly the workers' start skew (milliseconds on a busy machine, measured: a 0.14 ms model
 * read 7× slower at two lanes), and a window long enough to hide it is hundreds of runs, at odds
 * with a run count; an alternated sweep measures them in slices and says so.
 */
export function laneRuns(source: LanesSource, context: RunsContext): Runs {
  const { lanes } = source;
  if (lanes.length === 0) throw new InvalidArgumentError('a measurement of lanes needs at least one lane');
  const { clock, steady, report } = context;
  const windowMs = source.windowMs ?? 1000;
  const leadNs = BigInt(Math.round((source.leadMs ?? 20) * 1e6));
  let opened: LaneOpened[] = [];
  // Per lane, over all windows: runs completed and busy time from each window's common start.
  const laneRunCounts = lanes.map(() => 0);
  const laneNs = lanes.map(() => 0);

  /** One window on every lane; returns its wall time (to the last completion) and the runs it kept. */
  const runWindow = async (untilAfterStartNs: bigint, timed = true): Promise<{ ns: number; runs: number }> => {
    const startNs = clock() + leadNs;
    const windows = await Promise.all(lanes.map((lane) => lane.runWindow(startNs, startNs + untilAfterStartNs)));
    const ns = Math.max(0, ...windows.map((w) => w.endOffsetsNs.at(-1) ?? 0));
    const runs = windows.reduce((sum, w) => sum + w.durationsNs.length, 0);
    if (!timed) return { ns, runs };
    const ordered = windows.flatMap((w) => w.durationsNs.map((durationNs, i) => ({ durationNs, endNs: w.endOffsetsNs[i] as number })));
    ordered.sort((a, b) => a.endNs - b.endNs);
    for (const run of ordered) steady.samplesNs.push(run.durationNs);
    steady.runnerTimed ||= windows.some((w) => w.runnerTimed);
    windows.forEach((w, i) => {
      laneRunCounts[i]! += w.durationsNs.length;
      laneNs[i]! += w.endOffsetsNs.at(-1) ?? 0;
    });
    return { ns, runs };
  };
  const abortCheck = () => {
    if (context.signal?.aborted) throw new OrtbenchError(ErrorCode.ABORTED, 'benchmark aborted');
  };

  return {
    get info() {
      const first = opened[0];
      if (!first) throw new InvalidArgumentError('info before warm()');
      return first.info;
    },
    concurrency: lanes.length,
    sessions: lanes.length,
    noMemory: `${lanes.length} sessions in worker threads share this process, and their runs never pause together for a reading`,
    async warm(): Promise<WarmPhases> {
      report({ phase: 'load', iterations: 0, elapsedMs: 0 }, true);
      // Each worker loads, runs once and warms up its own session (the spec's warm-up count).
      opened = await Promise.all(lanes.map((lane) => lane.open()));
      return {
        loadMs: Math.max(...opened.map((o) => o.loadMs)),
        firstRunMs: Math.max(...opened.map((o) => o.firstRunMs)),
        warmupMs: Math.max(...opened.map((o) => o.warmupMs)),
        warmupIterations: opened.reduce((sum, o) => sum + o.warmupIterations, 0),
      };
    },
    async take(budget: TakeBudget) {
      if (opened.length === 0) throw new InvalidArgumentError('steady runs before warm()');
      // A later slice first re-warms every lane's caches (one untimed run each), as one session is re-warmed.
      if (budget.rewarm) await runWindow(ONE_RUN_WINDOW_NS, false);
      const before = steady.count;
      let takeNs = 0;
      let first = true;
      try {
        do {
          const spentMs = takeNs / 1e6;
          const remainingMs = steady.rule.maxDurationMs - steady.elapsedMs - spentMs;
          const lengthMs = budget.targetMs !== undefined ? Math.max(budget.targetMs - spentMs, 50) : first ? Math.max(windowMs, steady.rule.minDurationMs) : windowMs;
          takeNs += (await runWindow(BigInt(Math.round(Math.max(1, Math.min(lengthMs, remainingMs)) * 1e6)))).ns;
          first = false;
          report({ phase: 'steady', iterations: steady.count, elapsedMs: steady.elapsedMs + takeNs / 1e6 });
          abortCheck();
        } while (!budget.finished(steady.count - before, takeNs / 1e6));
      } finally {
        steady.steadyNs += takeNs;
      }
    },
    windowRunsPerSecond: () => laneRunCounts.reduce((sum, runs, i) => sum + (laneNs[i]! > 0 ? runs / (laneNs[i]! / 1e9) : 0), 0),
    async close() {
      await Promise.all(lanes.map((lane) => lane.close()));
    },
  };
}
