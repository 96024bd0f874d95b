/**
 * Memory next to speed: what a configuration's process (or a runner's own process, page or
 * device) holds before loading, after loading, at its peak and at the end, and whether it kept
 * growing with the run count. Readings are taken between timed runs, never inside one.
 */

/**
 * Something that can say how much memory is in use now. The engine uses the process's resident
 * set by default ({@link processMemoryProbe} in `@ortbench/core/node`); a runner whose model lives
 * elsewhere (a browser page, a Python child, a device) gives its own as `Session.memoryProbe`.
 */
export interface MemoryProbe {
  /** What is measured, in words for reports: `process RSS`, `Python worker RSS`, `page JS heap`. */
  readonly source: string;
  /** Bytes in use now. */
  current(): number | Promise<number>;
  /**
   * Starts a new high-water mark, so that {@link peak} covers only what follows (Linux resets
   * a process's peak RSS through /proc/self/clear_refs). Absent where the source keeps none:
   * the peak is then the highest reading taken between runs.
   */
  resetPeak?(): void | Promise<void>;
  /** The highest bytes in use since the last {@link resetPeak}, transients inside runs included. */
  peak?(): number | Promise<number>;
  /** What this source cannot see (device memory a runtime does not expose), one line each. */
  readonly unmeasured?: readonly string[];
}

/** The memory figures of one configuration, in bytes (`measurement.memory` in results). */
export interface MemoryFigures {
  /** What measured them (see {@link MemoryProbe.source}). */
  source: string;
  /** In use before the model was loaded (absent when the loader did not read it). */
  beforeLoadBytes?: number;
  /** In use once the model was loaded, before its first run. */
  afterLoadBytes: number;
  /** afterLoad − beforeLoad: what loading the session took (weights, arena, graph). */
  loadedBytes?: number;
  /**
   * The highest in use from the first run to the last: a high-water mark where the source keeps
   * one (transients inside runs included), else the highest reading between runs.
   */
  peakBytes: number;
  /** Whether {@link peakBytes} is a high-water mark (true) or the highest of the readings (false). */
  peakIsHighWater: boolean;
  /** peak − beforeLoad, or peak − afterLoad + loaded when before is unknown: what this configuration needed at most. */
  peakAboveBaseBytes?: number;
  /** In use after the last steady-state run. */
  endBytes: number;
  /** end − the reading at the start of the steady state. */
  steadyGrowthBytes: number;
  /** Readings taken during the steady state. */
  readings: number;
  /** Set when the memory kept rising with the run count through the steady state: a leak. */
  leak?: { bytesPerRun: number; runs: number; reason: string };
  /** What was not measured, and why. */
  unmeasured?: string[];
  /** Why these figures are shared with other configurations (alternated in one process), when they are. */
  shared?: string;
}

/** One reading between runs: after `run` steady-state runs, `bytes` in use. */
export interface MemoryReading {
  run: number;
  bytes: number;
}

/** Below this much growth over the steady state nothing is called a leak (allocator and JIT noise). */
export const LEAK_MIN_BYTES = 4 * 1024 * 1024;

/** Fewer runs than this, or fewer readings, say nothing about a leak: heaps and JITs settle for a while first. */
export const LEAK_MIN_RUNS = 30;
export const LEAK_MIN_READINGS = 8;

/**
 * Whether the readings keep rising with the run count: a least-squares slope of bytes on runs
 * whose total over the steady state is at least {@link LEAK_MIN_BYTES} and 2 % of what loading
 * took, a fit that explains most of the variation (R² ≥ 0.6), each third higher than the one
 * before, and a second half still rising at half the overall slope or more (memory that grows
 * early and settles — a heap or an arena reaching its working size — is not a leak).
 */
export function detectLeak(readings: readonly MemoryReading[], loadedBytes = 0): MemoryFigures['leak'] {
  if (readings.length < LEAK_MIN_READINGS || readings[readings.length - 1]!.run - readings[0]!.run < LEAK_MIN_RUNS) return undefined;
  const overall = slopeOf(readings);
  const secondHalf = slopeOf(readings.slice(Math.floor(readings.length / 2)));
  if (overall === undefined || secondHalf === undefined || secondHalf.slope < overall.slope / 2) return undefined;
  const n = readings.length;
  const { slope, rSquared } = overall;
  const runs = readings[n - 1]!.run - readings[0]!.run;
  const growth = slope * runs;
  const third = Math.max(1, Math.floor(n / 3));
  const mean = (part: readonly MemoryReading[]) => part.reduce((sum, r) => sum + r.bytes, 0) / part.length;
  const first = mean(readings.slice(0, third));
  const middle = mean(readings.slice(third, n - third));
  const last = mean(readings.slice(n - third));
  const risingToTheEnd = last > middle && middle > first;
  if (slope <= 0 || growth < Math.max(LEAK_MIN_BYTES, 0.02 * loadedBytes) || rSquared < 0.6 || !risingToTheEnd) return undefined;
  return {
    bytesPerRun: slope,
    runs,
    reason: `grew ${formatBytes(growth)} over ${runs} runs (${formatBytes(slope)} per run, R² ${rSquared.toFixed(2)}) and was still rising at the end`,
  };
}

/** The least-squares slope of bytes on runs and its R²; undefined for a flat or degenerate set. */
function slopeOf(readings: readonly MemoryReading[]): { slope: number; rSquared: number } | undefined {
  const n = readings.length;
  if (n < 2) return undefined;
  const meanRun = readings.reduce((sum, r) => sum + r.run, 0) / n;
  const meanBytes = readings.reduce((sum, r) => sum + r.bytes, 0) / n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (const { run, bytes } of readings) {
    sxy += (run - meanRun) * (bytes - meanBytes);
    sxx += (run - meanRun) ** 2;
    syy += (bytes - meanBytes) ** 2;
  }
  if (sxx === 0 || syy === 0) return undefined;
  return { slope: sxy / sxx, rSquared: (sxy * sxy) / (sxx * syy) };
}

/** Bytes in binary units, for notes: `512 B`, `3.4 MiB`, `1.25 GiB`. */
export function formatBytes(bytes: number): string {
  const sign = bytes < 0 ? '-' : '';
  let value = Math.abs(bytes);
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  const digits = unit === 0 ? 0 : value >= 100 ? 0 : value >= 10 ? 1 : 2;
  return `${sign}${value.toFixed(digits)} ${units[unit]}`;
}

/** Parses `2GiB`, `512 MiB`, `1.5GB`, `800M` or a plain byte count; undefined when it is none of these. */
export function parseBytes(text: string): number | undefined {
  const match = /^\s*(\d+(?:\.\d+)?)\s*([kmgt]?)(i?b?)\s*$/i.exec(text);
  if (!match) return undefined;
  const power = ' kmgt'.indexOf(match[2]!.toLowerCase() || ' ');
  // `GB` is decimal; `GiB`, `G` and `GI` are binary (what a user typing `2G` for memory means).
  const binary = match[3]!.toLowerCase() !== 'b';
  const base = binary ? 1024 : 1000;
  return Math.round(Number(match[1]) * base ** power);
}
