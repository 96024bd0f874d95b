import type { Configuration } from '@ortbench/core';
import { configurationId, minimumSamplesForQuantile, tune } from '@ortbench/core';
import type { BenchContext } from '../bench-measure';
import { openConfiguration } from '../bench-measure';
import { resolveBenchOptions } from '../bench-options';
import { planBench } from '../bench-plan';
import type { TuneFlags } from '../commands/tune';
import { createDefaultRegistry } from '../registry';
import { table } from '../table';

const QUANTILES = { p90: 0.9, p95: 0.95, p99: 0.99 } as const;

/**
 * `ortbench tune`: the highest throughput whose latency percentile meets the budget, with the
 * evidence. Each point runs at least the samples its percentile needs and until its median is
 * known to the CI target; several runs in flight are several sessions, as in `bench`. A point is
 * preferred over another only beyond both intervals: ties are reported as ties.
 */
export async function runTune(argument: string, flags: TuneFlags): Promise<number> {
  const percentile = flags.percentile;
  const options = await resolveBenchOptions(argument, { runner: flags.runner, batch: flags.batch, seq: [flags.seq], warmup: 2 });
  const registry = await createDefaultRegistry();
  await registry.resolve(flags.runner);
  const plan = await planBench(options);
  const minIterations = minimumSamplesForQuantile(QUANTILES[percentile]);
  const context: BenchContext = {
    options,
    plan,
    registry,
    stop: { minIterations, minDurationMs: 0, ciTarget: options.ciTarget, maxDurationMs: flags.maxDuration * 1000 },
    cache: { variants: new Map(), models: new Map() },
  };
  const outcome = await tune(
    async ({ batch, threads, concurrency }) => {
      const base: Omit<Configuration, 'id'> = { runner: flags.runner, model: argument, batchSize: batch, threads, options: concurrency > 1 ? { concurrency } : {} };
      if (plan.tokens) base.sequenceLength = flags.seq;
      const measurement = await openConfiguration({ ...base, id: configurationId(base) }, context);
      try {
        await measurement.warm();
        await measurement.steady();
        const m = await measurement.result();
        const width = m.stability.ciHalfWidth;
        const latencyMs = m.latencyMs[percentile];
        process.stderr.write(
          `batch ${batch}, ${threads} threads, ${concurrency} in flight: ${m.throughput.itemsPerSecond.toFixed(1)} items/s ±${(width * 100).toFixed(1)} %, ${percentile} ${latencyMs.toFixed(1)} ms (${m.latencyMs.count} runs)${m.stability.unstable ? ' — unstable' : ''}\n`,
        );
        return { itemsPerSecond: m.throughput.itemsPerSecond, itemsPerSecondLower: m.throughput.itemsPerSecond * (1 - width), itemsPerSecondUpper: m.throughput.itemsPerSecond * (1 + width), latencyMs };
      } finally {
        await measurement.close();
      }
    },
    { batches: flags.batch, threads: flags.threads, concurrencies: flags.concurrency, latencyBudgetMs: flags.latencyBudget },
  );
  const { best, ties, evidence } = outcome;
  const rows = evidence.map((e) => [
    String(e.batch),
    String(e.threads),
    String(e.concurrency),
    `${e.itemsPerSecond.toFixed(1)} (${e.itemsPerSecondLower.toFixed(1)}–${e.itemsPerSecondUpper.toFixed(1)})`,
    e.latencyMs.toFixed(1),
    e.withinBudget ? 'yes' : 'no',
    e === best ? '← best' : ties.includes(e) ? '= tie' : '',
  ]);
  const text = table([['batch', 'threads', 'in flight', 'items/s (95 % CI)', `${percentile} ms`, `≤ ${flags.latencyBudget} ms`, ''], ...rows]);
  const describe = (e: { batch: number; threads: number; concurrency: number }) => `batch ${e.batch}, ${e.threads} threads, ${e.concurrency} run(s) in flight`;
  const recommendation = best
    ? `recommendation: ${describe(best)}: ${best.itemsPerSecond.toFixed(1)} items/s at ${percentile} ${best.latencyMs.toFixed(1)} ms${ties.length ? `\ntied within their uncertainty (the simplest is recommended): ${ties.map(describe).join('; ')}` : ''}`
    : `no configuration met ${percentile} ≤ ${flags.latencyBudget} ms: raise the budget or try fewer items per run`;
  process.stdout.write(flags.json ? `${JSON.stringify({ percentile, best: best ?? null, ties, evidence }, null, 2)}\n` : `${text}\n\n${recommendation}\n`);
  return best ? 0 : 1;
}
