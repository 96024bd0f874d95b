import type { Clock } from './clock';
import { monotonicClock } from './clock';
import type { BenchmarkProgress, Measurement, OpenMeasurement, RoundSlice } from './engine';
import { ErrorCode, InvalidArgumentError, OrtbenchError } from './errors';
import type { SessionInfo } from './runner';
import { SteadyState } from './steady-state';
import type { StopRule } from './stop-rule';
import { DEFAULT_STOP_RULE, resolveStopRule } from './stop-rule';

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
  /** Waits until the clock reads `startNs`, then runs back to back; no run starts at or after `untilNs`. */
  runWindow(startNs: bigint, untilNs: bigint): Promise<LaneWindow>;
  close(): Promise<void>;
}

/** Options of {@link openLaneMeasurement}. */
export interface LaneMeasureOptions {
  itemsPerRun?: number;
  stop?: Partial<StopRule>;
  /** Length of one measuring window when not in rounds (default 1000 ms; the first is at least the minimum duration). */
  windowMs?: number;
  /** Time given to every lane to receive the start message before its window opens. Default 20 ms. */
  leadMs?: number;
  keepSamples?: boolean;
  clock?: Clock;
  signal?: AbortSignal;
  onProgress?: (progress: BenchmarkProgress) => void;
}

/**
 * Measures N sessions at once — real concurrency for runtimes whose runs on one session never
 * overlap. Every window starts all lanes together at one instant of the shared clock; each lane
 * runs back to back, so its rate is its completed runs over its busy time from that common start
 * to its last completion, and the throughput is the sum of the lanes' rates — no lane's
 * straggling last run stretches another's time, and no partial run is counted or lost. Latency
 * statistics pool every run of every lane.
 */
export function openLaneMeasurement(lanes: readonly Lane[], options: LaneMeasureOptions = {}): OpenMeasurement {
  if (lanes.length === 0) throw new InvalidArgumentError('openLaneMeasurement needs at least one lane');
  const clock = options.clock ?? monotonicClock;
  const itemsPerRun = options.itemsPerRun ?? 1;
  if (!Number.isInteger(itemsPerRun) || itemsPerRun < 1) throw new InvalidArgumentError(`itemsPerRun must be a positive integer, got ${itemsPerRun}`);
  const rule = resolveStopRule(DEFAULT_STOP_RULE, options.stop, 'stop', 1);
  const windowMs = options.windowMs ?? 1000;
  const leadNs = BigInt(Math.round((options.leadMs ?? 20) * 1e6));
  const steady = new SteadyState(rule);
  let opened: LaneOpened[] = [];
  // Per lane, over all windows: runs completed and busy time from each window's common start.
  const laneRuns = lanes.map(() => 0);
  const laneNs = lanes.map(() => 0);

  const runWindow = async (lengthMs: number): Promise<void> => {
    const startNs = clock() + leadNs;
    const untilNs = startNs + BigInt(Math.round(lengthMs * 1e6));
    const windows = await Promise.all(lanes.map((lane) => lane.runWindow(startNs, untilNs)));
    const runs = windows.flatMap((w) => w.durationsNs.map((durationNs, i) => ({ durationNs, endNs: w.endOffsetsNs[i] as number })));
    runs.sort((a, b) => a.endNs - b.endNs);
    for (const run of runs) steady.samplesNs.push(run.durationNs);
    steady.runnerTimed ||= windows.some((w) => w.runnerTimed);
    windows.forEach((w, i) => {
      laneRuns[i]! += w.durationsNs.length;
      laneNs[i]! += w.endOffsetsNs.at(-1) ?? 0;
    });
    steady.steadyNs += Math.max(0, ...windows.map((w) => w.endOffsetsNs.at(-1) ?? 0));
    options.onProgress?.({ phase: 'steady', iterations: steady.count, elapsedMs: steady.elapsedMs });
    if (options.signal?.aborted) throw new OrtbenchError(ErrorCode.ABORTED, 'benchmark aborted');
  };

  return {
    get info() {
      const first = opened[0];
      if (!first) throw new InvalidArgumentError('info before warm()');
      return first.info;
    },
    async warm() {
      options.onProgress?.({ phase: 'load', iterations: 0, elapsedMs: 0 });
      opened = await Promise.all(lanes.map((lane) => lane.open()));
    },
    async steady(slice?: RoundSlice) {
      if (opened.length === 0) throw new InvalidArgumentError('steady() before warm()');
      // A later slice first re-warms every lane's caches (one untimed run each), as the engine does for one session.
      if (slice && steady.sliceStarts.length > 0) {
        const startNs = clock() + leadNs;
        await Promise.all(lanes.map((lane) => lane.runWindow(startNs, startNs + 1_000_000n)));
      }
      steady.sliceStarts.push(steady.count);
      const sliceStart = { count: steady.count, ms: steady.elapsedMs };
      const remaining = () => rule.maxDurationMs - steady.elapsedMs;
      if (slice) {
        // One round's share: windows until its minimums (or its cap) are met.
        do {
          const spent = steady.elapsedMs - sliceStart.ms;
          await runWindow(Math.max(1, Math.min(Math.max(slice.minDurationMs - spent, 50), slice.maxDurationMs - spent, remaining())));
        } while (
          !steady.capped() &&
          steady.elapsedMs - sliceStart.ms < slice.maxDurationMs &&
          (steady.count - sliceStart.count < slice.minIterations || steady.elapsedMs - sliceStart.ms < slice.minDurationMs)
        );
        return;
      }
      let first = true;
      while (!steady.done) {
        await runWindow(Math.max(1, Math.min(first ? Math.max(windowMs, rule.minDurationMs) : windowMs, remaining())));
        first = false;
      }
    },
    get done() {
      return steady.done;
    },
    async result(interrupted = false): Promise<Measurement> {
      if (steady.count === 0) throw new OrtbenchError(ErrorCode.ABORTED, 'no steady-state run finished');
      const rate = laneRuns.reduce((sum, runs, i) => sum + (laneNs[i]! > 0 ? runs / (laneNs[i]! / 1e9) : 0), 0);
      const measurement: Measurement = {
        session: opened[0]!.info,
        itemsPerRun,
        concurrency: lanes.length,
        sessions: lanes.length,
        phases: {
          loadMs: Math.max(...opened.map((o) => o.loadMs)),
          firstRunMs: Math.max(...opened.map((o) => o.firstRunMs)),
          warmupMs: Math.max(...opened.map((o) => o.warmupMs)),
          warmupIterations: opened.reduce((sum, o) => sum + o.warmupIterations, 0),
          steadyMs: steady.elapsedMs,
          iterations: steady.count,
        },
        ...steady.figures(itemsPerRun, interrupted, rate),
        timingSource: steady.runnerTimed ? 'runner' : 'host',
      };
      if (options.keepSamples) measurement.samplesNs = [...steady.samplesNs];
      return measurement;
    },
    async close() {
      await Promise.all(lanes.map((lane) => lane.close()));
    },
  };
}
