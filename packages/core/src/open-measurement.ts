import type { Clock } from './clock';
import type { FedInputRecord, Measurement } from './measurement';
import type { MemoryFigures, MemoryProbe } from './memory';
import type { ProfileSummary, Session, SessionInfo } from './runner';
import type { SteadyState } from './steady-state';
import type { StopRule } from './stop-rule';
import type { Feeds } from './tensor';

// The types of the one measurement loop (engine.ts) and of the ways it takes runs (session-runs,
// lanes, whole-runs), apart from all of them so that none imports another.

/** Reported while a measurement runs, at most every `progressIntervalMs`. */
export interface BenchmarkProgress {
  phase: 'load' | 'first-run' | 'warmup' | 'steady';
  iterations: number;
  elapsedMs: number;
}

/** One round's share of a steady state, in an interleaved sweep. */
export interface RoundSlice {
  minIterations: number;
  minDurationMs: number;
  maxDurationMs: number;
}

/** What the measured file was, for the result. */
export interface MeasuredFile {
  path: string;
  /** Its size, external data included. */
  bytes: number;
}

/** Options of every measurement, whatever takes its runs. */
export interface MeasureOptions {
  /**
   * The feeds every run gets, or a function of the loaded session that builds them once;
   * validated against its inputs first. Needed where runs are taken on a session in this process.
   */
  feeds?: Feeds | ((session: Session) => Feeds);
  /** Items one run processes (the batch size), so throughput is in items/s. Default 1. */
  itemsPerRun?: number;
  /** Runs kept in flight at once on one session; throughput is then measured from wall time. Default 1. */
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
  /** How long the caller took to load the session (the load phase), when it loaded it. */
  loadMs?: number;
  /** The inputs really fed, recorded in the result. */
  inputs?: FedInputRecord[];
  /** The model file measured, recorded in the result. */
  modelFile?: MeasuredFile;
  /**
   * Figures computed after the measurement on the still open session (accuracy, agreement, the
   * image pipeline): run by {@link OpenMeasurement.annotate}, never while reading a result.
   */
  annotate?: (measurement: Measurement) => Promise<void>;
}

/**
 * A measurement that can be taken in parts: warm once, then one or more steady slices (rounds of
 * an interleaved sweep) or single steps (a loop alternating configurations run by run), then the
 * result. Every kind of measurement is one of these, made by `openMeasurement`.
 */
export interface OpenMeasurement {
  readonly info: SessionInfo;
  /** The first run (timed apart) and warm-up. */
  warm(): Promise<void>;
  /** Steady-state runs: until the stop rule is met, or for one slice (after one untimed re-warm run when not the first). */
  steady(slice?: RoundSlice): Promise<void>;
  /**
   * One timed steady-state run, for a loop that alternates configurations run by run; returns its
   * latency in ns. Absent where one run cannot be taken alone (several in flight, lanes, a
   * scenario, a measurement taken whole elsewhere).
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
   * for an interrupted measurement. See `finishMeasurement`.
   */
  annotate?(measurement: Measurement): Promise<void>;
  /** Disposes what the measurement loaded; safe to call more than once. */
  close(): Promise<void>;
}

/** The first run and warm-up, as one way of taking runs timed them. */
export interface WarmPhases {
  firstRunMs: number;
  warmupMs: number;
  warmupIterations: number;
  /** Set where the runs' own owner loaded the sessions (lanes load in their workers). */
  loadMs?: number;
}

/** How much a call to {@link Runs.take} should run. */
export interface TakeBudget {
  /** Whether to stop, given the runs and milliseconds of this take so far. */
  finished(count: number, elapsedMs: number): boolean;
  /** What this take aims at, for a way of taking runs in windows (a slice's minimum duration); undefined: until `finished`. */
  targetMs?: number;
  /** One untimed run first: other configurations used the caches since this one's last slice. */
  rewarm: boolean;
}

/** What the measurement loop gives a way of taking runs. */
export interface RunsContext {
  clock: Clock;
  signal: AbortSignal | undefined;
  steady: SteadyState;
  warmupRule: StopRule;
  report: (progress: BenchmarkProgress, force?: boolean) => void;
}

/**
 * The one part that differs between kinds of measurement: how runs are taken — on a session in
 * this process, on several sessions in worker threads at once, or whole by another party (a
 * scenario pacing its own queries, a child process). The loop in engine.ts does the rest.
 */
export interface Runs {
  readonly info: SessionInfo;
  /** Runs in flight at once, over all sessions. */
  readonly concurrency: number;
  /** Sessions measured at once, when more than one. */
  readonly sessions?: number;
  warm(): Promise<WarmPhases>;
  /** Steady runs into the context's SteadyState until the budget says stop. */
  take(budget: TakeBudget): Promise<void>;
  /** One timed step; see {@link OpenMeasurement.step}. */
  step?(): Promise<number>;
  /** Runs/s from wall time where runs overlap; undefined: the headline rate is 1000 / median. */
  windowRunsPerSecond?(): number | undefined;
  /** A measurement taken whole: what it produced, once it has. */
  whole?(): Measurement | undefined;
  /** The runtime's profile, ended once after the steady state (when profiling was asked for). */
  profile?(): Promise<ProfileSummary | undefined>;
  memory?(): MemoryFigures | undefined;
  /** Why these runs take no memory readings, when they take none. */
  readonly noMemory?: string;
  close(): Promise<void>;
}
