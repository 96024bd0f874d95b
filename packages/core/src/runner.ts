import type { MemoryProbe } from './memory';
import type { Feeds, ValueInfo } from './tensor';

/** A model to load: a path on disk, or its bytes. */
export type ModelSource = string | Uint8Array;

/** Whether a runner can run here; when it cannot, `reason` says why in words a person can act on. */
export type Availability =
  | { available: true; details?: string }
  | { available: false; reason: string };

/**
 * Options every runner understands. A runner ignores none silently: an option it
 * cannot honour is an error, and what it really applied is reported in {@link SessionInfo}.
 */
export interface RunnerOptions {
  /** Threads for one operator (ORT intra-op); runners that cannot set it must reject it. */
  threads?: number;
  /** Runner-specific settings, passed through as given (e.g. `graphOptimizationLevel`). */
  [option: string]: unknown;
}

/** What a session really runs on, recorded in every result. */
export interface SessionInfo {
  /** The registered runner name, e.g. `node-cpu`. */
  runner: string;
  /** The execution provider that really ran, e.g. `cpu`, `cuda`, `wasm`. */
  executionProvider: string;
  /** Settings as applied (after defaults), for the results' environment. */
  settings: Record<string, unknown>;
  /** Runtime library and version, e.g. `onnxruntime-node 1.30.0`. */
  runtime?: string;
}

/**
 * Timing a runner measured itself (the browser times inside the page). When present,
 * the engine uses `inferenceNs` as the iteration's latency instead of its own clock.
 */
export interface RunTiming {
  inferenceNs?: number;
}

/** What one run returns. */
export interface RunResult {
  outputs: Feeds;
  timing?: RunTiming;
}

/** Options for a single run. */
export interface RunOptions {
  /** Only fetch these outputs (all when omitted). */
  outputNames?: readonly string[];
  /**
   * The caller will not read the outputs (a timed loop): a runner may skip copying them back,
   * so the transfer is not timed as inference (the browser runner skips encoding them).
   */
  discardOutputs?: boolean;
}

/** Where a run spent its time, from the runtime's own profiler (e.g. ORT's JSON profile). */
export interface ProfileSummary {
  /** The profiler's raw output, kept for tools such as chrome://tracing. */
  file?: string;
  /** Time in operator kernels over all profiled runs, in ms. */
  totalMs: number;
  /** Operator types by total kernel time, most expensive first. */
  topOps: { op: string; totalMs: number; percent: number; calls: number }[];
}

/** A loaded model, ready to run feeds. */
export interface Session {
  readonly inputs: readonly ValueInfo[];
  readonly outputs: readonly ValueInfo[];
  readonly info: SessionInfo;
  /**
   * Set when runs on this session never overlap (the runtime runs each call on the calling
   * thread, or one page serves one run at a time): why. The engine then refuses several runs in
   * flight on it; several sessions, each in its own worker, measure concurrency instead.
   */
  readonly serialRuns?: string;
  /**
   * Optional: reads the memory this session's model lives in when that is not the calling
   * process (a browser page, a Python worker, a device). The engine reads it between runs;
   * without one, Node callers measure the process's resident set.
   */
  readonly memoryProbe?: MemoryProbe;
  run(feeds: Feeds, options?: RunOptions): Promise<RunResult>;
  /** Frees native memory; the session is unusable afterwards. */
  dispose(): Promise<void>;
  /** Optional: stops profiling (when it was asked for) and summarises it. The engine calls it after the steady state. */
  endProfiling?(): Promise<ProfileSummary | undefined>;
}

/**
 * The contract a runner implements. Only `name` and `load` are required; `availability`
 * lets a registry refuse the runner with a reason before any model is touched.
 */
export interface Runner {
  /** Lower-case name the runner is requested by (`node-cpu`, `my-remote`). */
  readonly name: string;
  /** One line for `ortbench env`. */
  readonly description?: string;
  /** Whether this runner can run here. Treated as available when absent. */
  availability?(): Promise<Availability>;
  /** Loads a model. Throws ModelInvalidError for bad bytes, RunnerUnavailableError for a missing provider. */
  load(model: ModelSource, options?: RunnerOptions): Promise<Session>;
}
