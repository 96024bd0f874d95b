import type { MemoryFigures } from './memory';
import type { PairedRatio } from './paired-ratio';
import type { ProfileSummary, SessionInfo } from './runner';
import type { Statistics } from './statistics';
import type { Stability } from './stop-rule';

// What a measurement produces, apart from the engine that produces it (so the steady-state
// accumulator and the engine both use these types without importing each other).

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

/**
 * Throughput of a configuration. The headline (`itemsPerSecond`, `runsPerSecond`) comes from the
 * same statistic as the latency beside it when one run is in flight (items × 1000 / median), and
 * from wall time over a common window when several are; `basis` says which. Wall-clock figures
 * (gaps, stragglers and bursts included) are always kept under their own names.
 */
export interface Throughput {
  itemsPerSecond: number;
  runsPerSecond: number;
  basis: 'median latency' | 'wall clock';
  wallItemsPerSecond: number;
  wallRunsPerSecond: number;
}

/** Per-round medians of an interleaved sweep, and how far apart they are. */
export interface RoundsSummary {
  count: number;
  mediansMs: number[];
  /** (max − min) of the round medians, relative to the overall median. */
  spread: number;
}

/** What one configuration's measurement produced. */
export interface Measurement {
  session: SessionInfo;
  itemsPerRun: number;
  /** Runs in flight at once (over all sessions). */
  concurrency: number;
  /** Sessions measured at once, each in its own worker, when more than one. */
  sessions?: number;
  phases: PhaseTimings;
  /** Steady-state latency per run, in milliseconds. */
  latencyMs: Statistics;
  throughput: Throughput;
  /** Whether the median is as precise as asked, and what a reader should know. */
  stability: Stability;
  /** Interleaved sweeps: the median of each round. */
  rounds?: RoundsSummary;
  /** `runner` when latencies came from the runner's own timer (e.g. inside a browser page). */
  timingSource: 'host' | 'runner';
  /** With runner timing: the median of the host's own clock around the same runs — the latency plus the transport (pipe, page). */
  hostRoundTripMs?: number;
  /** Raw steady-state latencies in nanoseconds, in measurement order, when `keepSamples` was set. */
  samplesNs?: number[];
  /** The runtime's profile of the runs, when the runner was asked to profile. */
  profile?: ProfileSummary;
  /** For a LoadGen-style scenario: which, the rate asked for, and the figure it is judged by. */
  scenario?: {
    name: string;
    targetQps?: number;
    queriesPerSecond: number;
    /** server: the rate the Poisson arrivals really had (a short sample strays from targetQps by chance). */
    offeredQps?: number;
    reported: { metric: string; value: number };
    /** Set when the judged percentile rests on too few queries (see minimumSamplesForQuantile). */
    insufficient?: string;
  };
  /** Accuracy of the same session over labelled data (e.g. per precision variant). */
  accuracy?: { top1: number; top5: number; images: number };
  /** With images, a precision other than fp32: how many photos it classifies (top-1) differently from `reference`. */
  agreement?: { reference: string; differing: number; images: number };
  /** Work done: FLOPs per run from the shapes fed, GFLOP/s at the headline rate, and the runner's measured ceiling. */
  compute?: { flopsPerRun: number; gflops: number; peakGflops?: number; fractionOfPeak?: number };
  /** Image pipelines: preprocess-only and end-to-end (pipelined) throughput beside inference-only. */
  pipeline?: { images: number; preprocessItemsPerSecond: number; endToEndItemsPerSecond: number; efficiency: number };
  /** What was really fed, per model input: dtype, shape, and how the values were made (or the file they came from). */
  inputs?: FedInputRecord[];
  /** How the steady state was scheduled beside the other configurations of its sweep. */
  alternation?: Alternation;
  /** Memory before and after loading, at its peak and at the end, in bytes (see {@link MemoryFigures}). */
  memory?: MemoryFigures;
  /** The model file measured (a variant's own file) and its size with its external data, bytes. */
  modelFile?: { path: string; bytes: number };
  /**
   * A variant's outputs against the fp32 model's on the same inputs: per item the cosine
   * similarity (of the output mean-pooled over its second axis when `pooled`), its smallest and
   * mean, the largest absolute difference, and for rank-2 outputs the items whose top-1 changed;
   * `inputs` says what they were compared on (real texts or photos, or the inputs timed).
   * `unavailable` says why there is no comparison.
   */
  fidelity?: { reference: string; output: string; items: number; pooled?: boolean; cosineMin: number; cosineMean: number; maxAbsDiff: number; top1Changed?: number; inputs?: string } | { reference: string; unavailable: string };
  /** Paired ratios to the baseline of each axis this configuration differs on (alternated run by run with it). */
  comparisons?: PairedComparison[];
}

/**
 * How a configuration's runs were scheduled: `runs` — alternated run by run with the others open
 * in its group (the pairs of a comparison); `slices` — in rounds of slices; `alone` — by itself.
 */
export interface Alternation {
  mode: 'runs' | 'slices' | 'alone';
  /** Configurations measured together with it. */
  group: number;
  /** Why not run by run, when it could have been (lanes, a scenario, another process). */
  reason?: string;
}

/**
 * This configuration's time per item over its baseline's on one axis, from runs of the two taken
 * in the same rounds: the Hodges–Lehmann estimate of the per-pair log ratio and its Wilcoxon
 * signed-rank 95 % interval. Below 1 this configuration is faster.
 */
export interface PairedComparison extends PairedRatio {
  axis: string;
  /** The baseline configuration's id, and its value on `axis`. */
  baseline: string;
  baselineValue: string;
}

/** One input as it was fed in a measurement. */
export interface FedInputRecord {
  name: string;
  dtype: string;
  dims: number[];
  /** `random in [-2, 2]`, `token ids in [1, 50)`, `zeros (state)`, `16000 (--input)`, `from inputs.npz`, … */
  values: string;
}
