import type { Clock } from './clock';
import { elapsedNs, monotonicClock } from './clock';
import { ErrorCode, InvalidArgumentError, OrtbenchError } from './errors';
import type { Session } from './runner';
import { SeededRandom } from './seeded-random';
import type { StopRule } from './stop-rule';
import { DEFAULT_STOP_RULE } from './stop-rule';
import type { Statistics } from './statistics';
import { computeStatistics } from './statistics';
import type { Feeds } from './tensor';

/** MLPerf Inference LoadGen's scenarios. */
export type ScenarioName = 'single-stream' | 'multi-stream' | 'server' | 'offline';

/** Options of {@link runScenario}. */
export interface ScenarioOptions {
  scenario: ScenarioName;
  /** The feeds of one query (batch = samples per query). */
  feeds: Feeds;
  /** Items (samples) one query carries, as `itemsPerRun` of measureSession: 1 for single-stream and server, N for multi-stream, the batch for offline. Default 1. */
  itemsPerRun?: number;
  /** server: queries per second, arriving as a Poisson process. */
  targetQps?: number;
  /**
   * When to stop, with measureSession's fields: at least `minIterations` queries and
   * `minDurationMs`, at most `maxDurationMs` (defaults: 10 queries, 1 s, no cap — as LoadGen, a
   * scenario runs until both minimums are met).
   */
  stop?: Partial<Pick<StopRule, 'minIterations' | 'minDurationMs' | 'maxDurationMs'>>;
  seed?: number;
  clock?: Clock;
  /** Waits until the clock reads `ns`; injected so tests run on virtual time. */
  sleepUntil?: (ns: bigint) => Promise<void>;
  signal?: AbortSignal;
}

/** What a scenario measured. */
export interface ScenarioResult {
  scenario: ScenarioName;
  queries: number;
  samples: number;
  durationMs: number;
  queriesPerSecond: number;
  samplesPerSecond: number;
  targetQps?: number;
  /**
   * server: the rate the arrival schedule really offered (queries over the span of their
   * arrivals). A short Poisson sample's rate strays from `targetQps` by chance; whether the
   * system kept up is judged against this.
   */
  offeredQps?: number;
  /** Per query: from its (scheduled) arrival to its completion, so queueing counts. */
  latencyMs: Statistics;
  /** The figure the scenario is judged by: p90 (single-stream), p99 (multi-stream, server), samples/s (offline). */
  reported: { metric: 'p90 latency (ms)' | 'p99 latency (ms)' | 'samples/s'; value: number };
  /** Set when the signal cut the scenario short: the figures are those of the queries that finished. */
  interrupted?: true;
}

/** Exponential inter-arrival gaps of a Poisson process of `rate` per second, in seconds. */
export function* poissonGaps(rate: number, seed = 0): Generator<number> {
  if (!(rate > 0)) throw new InvalidArgumentError(`arrival rate must be positive, got ${rate}`);
  const random = new SeededRandom(`poisson:${seed}`);
  for (;;) yield -Math.log(1 - random.next()) / rate;
}

/**
 * Runs a LoadGen-style scenario on a session. single-stream, multi-stream and offline issue one
 * query at a time, back to back; server issues queries at Poisson arrival times whether or not
 * earlier ones finished (several runs in flight), and a query's latency starts at its scheduled
 * arrival, so waiting behind others counts.
 */
export async function runScenario(session: Session, options: ScenarioOptions): Promise<ScenarioResult> {
  const clock = options.clock ?? monotonicClock;
  const sleepUntil = options.sleepUntil ?? ((ns: bigint) => sleepUntilReal(ns, clock));
  if (options.scenario === 'server' && !(options.targetQps && options.targetQps > 0)) {
    throw new InvalidArgumentError('the server scenario needs a target rate (--target-qps)');
  }
  const minQueries = options.stop?.minIterations ?? DEFAULT_STOP_RULE.minIterations;
  const minDurationMs = options.stop?.minDurationMs ?? DEFAULT_STOP_RULE.minDurationMs;
  const maxDurationMs = options.stop?.maxDurationMs ?? Number.POSITIVE_INFINITY;
  const itemsPerRun = options.itemsPerRun ?? 1;
  if (!Number.isInteger(minQueries) || minQueries < 1) throw new InvalidArgumentError(`stop.minIterations must be a positive integer, got ${minQueries}`);
  if (!Number.isInteger(itemsPerRun) || itemsPerRun < 1) throw new InvalidArgumentError(`itemsPerRun must be a positive integer, got ${itemsPerRun}`);
  if (!(maxDurationMs > 0)) throw new InvalidArgumentError(`stop.maxDurationMs must be positive, got ${maxDurationMs}`);
  const start = clock();
  const latenciesNs: number[] = [];
  const done = (): boolean => {
    const elapsed = elapsedNs(start, clock()) / 1e6;
    if (elapsed >= maxDurationMs) return true;
    return latenciesNs.length + inFlight >= minQueries && elapsed >= minDurationMs;
  };
  let inFlight = 0;
  let lastEnd = start;
  let lastArrival: bigint | undefined;
  // A runtime whose runs on one session never overlap (a Python worker with one pending slot)
  // gets its queries one at a time, in arrival order: a query waits behind the others, as it
  // would in a real server, instead of overwriting the slot and taking another query's latency.
  let queue: Promise<unknown> = Promise.resolve();
  const runOnce = () => {
    if (!session.serialRuns) return session.run(options.feeds);
    const next = queue.then(() => session.run(options.feeds));
    queue = next.catch(() => undefined);
    return next;
  };
  const issue = async (arrival: bigint) => {
    inFlight++;
    try {
      await runOnce();
    } finally {
      inFlight--;
    }
    const end = clock();
    if (end > lastEnd) lastEnd = end;
    latenciesNs.push(elapsedNs(arrival, end));
  };
  if (options.scenario === 'server') {
    const pending: Promise<void>[] = [];
    // A failed query is observed at once (never an unhandled rejection while later ones are
    // scheduled): no further queries are issued, and its error ends the scenario.
    const failed: { error?: unknown } = {};
    let arrival = start;
    lastArrival = start;
    for (const gap of poissonGaps(options.targetQps as number, options.seed)) {
      if (options.signal?.aborted || done() || 'error' in failed) break;
      arrival += BigInt(Math.round(gap * 1e9));
      await sleepUntil(arrival);
      pending.push(
        issue(arrival).catch((error: unknown) => {
          if (!('error' in failed)) failed.error = error;
        }),
      );
      lastArrival = arrival;
    }
    await Promise.all(pending);
    if ('error' in failed) throw failed.error;
  } else {
    while (!options.signal?.aborted && !done()) await issue(clock());
  }
  // Cut short with queries done: what they measured is kept, marked; with none, there is nothing to keep.
  const interrupted = Boolean(options.signal?.aborted);
  if (interrupted && latenciesNs.length === 0) throw new OrtbenchError(ErrorCode.ABORTED, 'scenario aborted');
  const seconds = elapsedNs(start, lastEnd) / 1e9;
  const queries = latenciesNs.length;
  const latencyMs = computeStatistics(latenciesNs.map((ns) => ns / 1e6));
  const samplesPerSecond = seconds > 0 ? (queries * itemsPerRun) / seconds : 0;
  const result: ScenarioResult = {
    scenario: options.scenario,
    queries,
    samples: queries * itemsPerRun,
    durationMs: seconds * 1000,
    queriesPerSecond: seconds > 0 ? queries / seconds : 0,
    samplesPerSecond,
    ...(lastArrival !== undefined && lastArrival > start ? { offeredQps: queries / (elapsedNs(start, lastArrival) / 1e9) } : {}),
    latencyMs,
    reported:
      options.scenario === 'single-stream'
        ? { metric: 'p90 latency (ms)', value: latencyMs.p90 }
        : options.scenario === 'offline'
          ? { metric: 'samples/s', value: samplesPerSecond }
          : { metric: 'p99 latency (ms)', value: latencyMs.p99 },
  };
  if (options.targetQps !== undefined) result.targetQps = options.targetQps;
  if (interrupted) result.interrupted = true;
  return result;
}

async function sleepUntilReal(ns: bigint, clock: Clock): Promise<void> {
  const ms = Number(ns - clock()) / 1e6;
  if (ms > 0) await new Promise((resolve) => setTimeout(resolve, ms));
}

/** One probe of {@link findMaxQps}. */
export interface QpsProbe {
  qps: number;
  p99Ms: number;
  achievedQps: number;
  queries: number;
  /** p99 within the bound and the achieved rate at least 90 % of the rate offered (the arrivals' own rate). */
  withinBound: boolean;
  /** Why a probe failed. */
  why?: string;
}

/**
 * The highest server rate whose p99 latency stays within `latencyBoundMs` and which the system
 * sustains (achieved ≥ 90 % of the rate): doubling from `startQps` until a probe fails, then
 * bisecting `steps` times. Assumes p99 grows with the rate (true of a queue); every probe is
 * returned as evidence, and the caller should confirm the winner with a fresh run.
 */
export async function findMaxQps(
  probe: (qps: number) => Promise<ScenarioResult>,
  options: { latencyBoundMs: number; startQps: number; steps?: number; maxDoublings?: number },
): Promise<{ qps: number | undefined; probes: QpsProbe[] }> {
  const probes: QpsProbe[] = [];
  const test = async (qps: number) => {
    const result = await probe(qps);
    // A probe cut short is no evidence either way: the search ends as aborted.
    if (result.interrupted) throw new OrtbenchError(ErrorCode.ABORTED, 'the rate search was interrupted');
    const entry: QpsProbe = { qps, p99Ms: result.latencyMs.p99, achievedQps: result.queriesPerSecond, queries: result.queries, withinBound: true };
    // A rate the system could not keep up with is no pass, whatever its p99 says.
    if (result.latencyMs.p99 > options.latencyBoundMs) entry.why = `p99 ${result.latencyMs.p99.toFixed(1)} ms > ${options.latencyBoundMs} ms`;
    else if (result.queriesPerSecond < 0.9 * (result.offeredQps ?? qps)) entry.why = `achieved only ${result.queriesPerSecond.toFixed(1)}/s of ${(result.offeredQps ?? qps).toFixed(1)}/s offered`;
    entry.withinBound = entry.why === undefined;
    probes.push(entry);
    return entry.withinBound;
  };
  let low: number | undefined;
  let high: number | undefined;
  let qps = options.startQps;
  for (let i = 0; i <= (options.maxDoublings ?? 10); i++, qps *= 2) {
    if (await test(qps)) low = qps;
    else {
      high = qps;
      break;
    }
  }
  if (low === undefined && high !== undefined) {
    // Even the start rate breaks the bound: look below it.
    for (qps = high / 2; qps >= options.startQps / 64; qps /= 2) {
      if (await test(qps)) {
        low = qps;
        break;
      }
      high = qps;
    }
  }
  if (low !== undefined && high !== undefined) {
    let [within, beyond] = [low, high];
    for (let step = 0; step < (options.steps ?? 5); step++) {
      const middle = (within + beyond) / 2;
      if (await test(middle)) within = middle;
      else beyond = middle;
    }
    low = within;
  }
  return { qps: low, probes };
}
