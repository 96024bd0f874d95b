import type { Feeds, Measurement, OpenMeasurement, ScenarioResult, Session } from '@ortbench/core';
import { ErrorCode, findMaxQps, minimumSamplesForQuantile, OrtbenchError, relativeCiHalfWidth, runScenario, supportsPercentile } from '@ortbench/core';
import type { BenchOptions } from './options';

/**
 * A LoadGen-style scenario as a measurement taken in one visit; with --latency-bound, at the
 * highest Poisson rate whose p99 met the bound — confirmed by a final run at that rate, so the
 * headline is always a rate that met it. Without --iterations, a scenario judged on p99 runs
 * at least the 299 queries that p99 needs (p90: 29); fewer are flagged.
 */
export function openScenario(session: Session, feeds: Feeds, batch: number, options: BenchOptions, signal?: AbortSignal, note: (line: string) => void = () => {}): OpenMeasurement {
  const scenario = options.scenario!;
  const judged = scenario === 'single-stream' ? 'p90' : 'p99';
  const minQueries = options.iterations ?? (scenario === 'offline' ? 10 : minimumSamplesForQuantile(judged === 'p90' ? 0.9 : 0.99));
  let measurement: Measurement | undefined;
  const run = (targetQps?: number) =>
    runScenario(session, {
      scenario,
      feeds,
      itemsPerRun: batch,
      ...(targetQps === undefined ? {} : { targetQps }),
      stop: { minDurationMs: (options.duration ?? 1) * 1000, minIterations: minQueries },
      ...(signal ? { signal } : {}),
    });
  return {
    info: session.info,
    async warm() {
      await session.run(feeds); // the first run is not a query
    },
    async steady() {
      let result: ScenarioResult;
      if (scenario === 'server' && options.latencyBound !== undefined) result = await searchRate(session, feeds, batch, options.latencyBound, run, note);
      else result = await run(options.targetQps);
      measurement = toMeasurement(session, result, batch, judged);
    },
    get done() {
      return measurement !== undefined;
    },
    async result() {
      if (!measurement) throw new OrtbenchError(ErrorCode.ABORTED, 'the scenario did not finish');
      return measurement;
    },
    close: () => session.dispose(),
  };
}

async function searchRate(session: Session, feeds: Feeds, batch: number, boundMs: number, run: (qps?: number) => Promise<ScenarioResult>, note: (line: string) => void): Promise<ScenarioResult> {
  const single = await runScenario(session, { scenario: 'single-stream', feeds, itemsPerRun: batch, stop: { minDurationMs: 0, minIterations: 5 } });
  const results = new Map<number, ScenarioResult>();
  const search = await findMaxQps(
    async (qps) => {
      const probe = await run(qps);
      results.set(qps, probe);
      return probe;
    },
    { latencyBoundMs: boundMs, startQps: Math.max(0.5, 250 / single.latencyMs.median) },
  );
  note(`rates tried: ${search.probes.map((p) => `${p.qps.toFixed(1)}/s → p99 ${p.p99Ms.toFixed(1)} ms${p.withinBound ? '' : ` ✗ ${p.why ?? ''}`}`).join(', ')}`);
  // Confirm the winner: the headline is a run at that rate which met the bound; if the
  // confirmation fails, step down through the lower rates that passed.
  const passed = search.probes.filter((p) => p.withinBound).map((p) => p.qps).sort((a, b) => b - a);
  for (const qps of passed) {
    const confirmation = await run(qps);
    // Kept up with the arrivals this run really had (a short Poisson sample strays from qps by chance).
    const offered = confirmation.offeredQps ?? qps;
    if (confirmation.latencyMs.p99 <= boundMs && confirmation.queriesPerSecond >= 0.9 * offered) return confirmation;
    note(`${qps.toFixed(1)}/s failed its confirmation (p99 ${confirmation.latencyMs.p99.toFixed(1)} ms, ${confirmation.queriesPerSecond.toFixed(1)}/s of ${offered.toFixed(1)}/s offered): trying a lower rate`);
  }
  throw new OrtbenchError(ErrorCode.RUNNER_FAILED, `no rate kept p99 within ${boundMs} ms`);
}

function toMeasurement(session: Session, result: ScenarioResult, batch: number, judged: 'p90' | 'p99'): Measurement {
  const enough = result.scenario === 'offline' || supportsPercentile(result.queries, judged);
  const insufficient = enough ? undefined : `${judged} from ${result.queries} queries (needs ≥ ${minimumSamplesForQuantile(judged === 'p90' ? 0.9 : 0.99)})`;
  return {
    session: session.info,
    itemsPerRun: batch,
    concurrency: 1,
    phases: { firstRunMs: 0, warmupMs: 0, warmupIterations: 0, steadyMs: result.durationMs, iterations: result.queries },
    latencyMs: result.latencyMs,
    throughput: {
      itemsPerSecond: result.samplesPerSecond,
      runsPerSecond: result.queriesPerSecond,
      basis: 'wall clock',
      wallItemsPerSecond: result.samplesPerSecond,
      wallRunsPerSecond: result.queriesPerSecond,
    },
    stability: { stop: 'fixed', ciHalfWidth: relativeCiHalfWidth(result.latencyMs), unstable: !enough, notes: insufficient ? [`unstable: ${insufficient}`] : [] },
    timingSource: 'host',
    scenario: {
      name: result.scenario,
      ...(result.targetQps === undefined ? {} : { targetQps: result.targetQps }),
      queriesPerSecond: result.queriesPerSecond,
      ...(result.offeredQps === undefined ? {} : { offeredQps: result.offeredQps }),
      reported: result.reported,
      ...(insufficient ? { insufficient } : {}),
    },
  };
}
