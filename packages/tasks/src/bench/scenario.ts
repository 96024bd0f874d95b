import type { Feeds, Measurement, ScenarioResult, Session, WholeSource } from '@ortbench/core';
import { ErrorCode, findMaxQps, minimumSamplesForQuantile, OrtbenchError, relativeCiHalfWidth, runScenario, supportsPercentile } from '@ortbench/core';
import type { BenchOptions } from './options';

/**
 * A LoadGen-style scenario as a steady state taken whole by the measurement loop (which times the
 * first run and --warmup runs on the session first, as for every measurement); with
 * --latency-bound, at the highest Poisson rate whose p99 met the bound — confirmed by a final run
 * at that rate, so the headline is always a rate that met it. Without --iterations, a scenario
 * judged on p99 runs at least the 299 queries that p99 needs (p90: 29); fewer are flagged.
 */
export function scenarioSource(session: Session, feeds: Feeds, batch: number, options: BenchOptions, note: (line: string) => void = () => {}): WholeSource {
  const scenario = options.scenario!;
  const judged = scenario === 'single-stream' ? 'p90' : 'p99';
  const minQueries = options.iterations ?? (scenario === 'offline' ? 10 : minimumSamplesForQuantile(judged === 'p90' ? 0.9 : 0.99));
  return {
    runner: session.info.runner,
    session,
    noMemory: 'a scenario paces its own queries and takes no readings between them',
    async measure(signal) {
      const run = (targetQps?: number) =>
        runScenario(session, {
          scenario,
          feeds,
          itemsPerRun: batch,
          ...(targetQps === undefined ? {} : { targetQps }),
          stop: { minDurationMs: (options.duration ?? 1) * 1000, minIterations: minQueries },
          ...(signal ? { signal } : {}),
        });
      if (scenario === 'server' && options.latencyBound !== undefined) {
        const found = await searchRate(session, feeds, batch, options.latencyBound, run, note, minQueries, signal);
        return toMeasurement(session, found.result, batch, judged, found.interrupted);
      }
      const result = await run(options.targetQps);
      return toMeasurement(session, result, batch, judged, result.interrupted ? `interrupted after ${result.queries} queries` : undefined);
    },
  };
}

/**
 * The highest rate whose p99 met the bound, confirmed. Each probe is a progress line (it needs
 * `minQueries` queries, minutes at low rates); Ctrl-C during the search keeps the highest rate
 * that met the bound so far, unconfirmed and said so, instead of nothing.
 */
async function searchRate(
  session: Session,
  feeds: Feeds,
  batch: number,
  boundMs: number,
  run: (qps?: number) => Promise<ScenarioResult>,
  note: (line: string) => void,
  minQueries: number,
  signal?: AbortSignal,
): Promise<{ result: ScenarioResult; interrupted?: string }> {
  const single = await runScenario(session, { scenario: 'single-stream', feeds, itemsPerRun: batch, stop: { minDurationMs: 0, minIterations: 5 } });
  const passing: { qps: number; result: ScenarioResult }[] = [];
  let probes = 0;
  let search;
  try {
    search = await findMaxQps(
      async (qps) => {
        note(`probe ${++probes}: ${qps.toFixed(1)} queries/s, ${minQueries} queries (about ${Math.ceil(minQueries / qps)} s)…`);
        const probe = await run(qps);
        const offered = probe.offeredQps ?? qps;
        const met = probe.latencyMs.p99 <= boundMs && probe.queriesPerSecond >= 0.9 * offered;
        if (met) passing.push({ qps, result: probe });
        note(`probe ${probes}: ${qps.toFixed(1)}/s → p99 ${probe.latencyMs.p99.toFixed(1)} ms, ${probe.queriesPerSecond.toFixed(1)}/s of ${offered.toFixed(1)}/s offered: ${met ? 'within' : 'beyond'} the bound`);
        return probe;
      },
      { latencyBoundMs: boundMs, startQps: Math.max(0.5, 250 / single.latencyMs.median) },
    );
  } catch (error) {
    const best = passing.sort((a, b) => b.qps - a.qps)[0];
    if (!(signal?.aborted && best)) throw error;
    return { result: best.result, interrupted: `interrupted during the latency-bound search after ${probes} probe(s): the highest rate that met the bound so far (${best.qps.toFixed(1)}/s), not confirmed` };
  }
  note(`rates tried: ${search.probes.map((p) => `${p.qps.toFixed(1)}/s → p99 ${p.p99Ms.toFixed(1)} ms${p.withinBound ? '' : ` ✗ ${p.why ?? ''}`}`).join(', ')}`);
  // Confirm the winner: the headline is a run at that rate which met the bound; if the
  // confirmation fails, step down through the lower rates that passed.
  const passed = search.probes.filter((p) => p.withinBound).map((p) => p.qps).sort((a, b) => b - a);
  for (const qps of passed) {
    const confirmation = await run(qps);
    if (confirmation.interrupted) return { result: confirmation, interrupted: `interrupted while confirming ${qps.toFixed(1)}/s, after ${confirmation.queries} queries: not confirmed` };
    // Kept up with the arrivals this run really had (a short Poisson sample strays from qps by chance).
    const offered = confirmation.offeredQps ?? qps;
    if (confirmation.latencyMs.p99 <= boundMs && confirmation.queriesPerSecond >= 0.9 * offered) return { result: confirmation };
    note(`${qps.toFixed(1)}/s failed its confirmation (p99 ${confirmation.latencyMs.p99.toFixed(1)} ms, ${confirmation.queriesPerSecond.toFixed(1)}/s of ${offered.toFixed(1)}/s offered): trying a lower rate`);
  }
  throw new OrtbenchError(ErrorCode.RUNNER_FAILED, `no rate kept p99 within ${boundMs} ms`);
}

function toMeasurement(session: Session, result: ScenarioResult, batch: number, judged: 'p90' | 'p99', interrupted?: string): Measurement {
  const enough = result.scenario === 'offline' || supportsPercentile(result.queries, judged);
  const tooFew = enough ? undefined : `${judged} from ${result.queries} queries (needs ≥ ${minimumSamplesForQuantile(judged === 'p90' ? 0.9 : 0.99)})`;
  const insufficient = [interrupted, tooFew].filter(Boolean).join('; ') || undefined;
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
    stability: { stop: interrupted ? 'interrupted' : 'fixed', ciHalfWidth: relativeCiHalfWidth(result.latencyMs), unstable: !enough || Boolean(interrupted), notes: insufficient ? [`unstable: ${insufficient}`] : [] },
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
