import { measureSession, tune } from '@ortbench/core';
import { syntheticFeeds } from '@ortbench/preprocess';
import type { TuneFlags } from '../commands/tune';
import { resolveModel } from '../model-source';
import { createDefaultRegistry } from '../registry';
import { table } from '../table';

/** `ortbench tune`: the highest throughput whose p99 meets the budget, with the evidence. */
export async function runTune(argument: string, flags: TuneFlags): Promise<number> {
  const runner = await (await createDefaultRegistry()).resolve(flags.runner);
  const model = await resolveModel(argument);
  const { best, evidence } = await tune(
    async ({ batch, threads, concurrency }) => {
      const session = await runner.load(model.path, { threads });
      try {
        const measurement = await measureSession(session, {
          feeds: (loaded) => syntheticFeeds(loaded.inputs, { batch, sequenceLength: flags.seq }),
          itemsPerRun: batch,
          concurrency,
          warmup: { minIterations: 2 },
          stop: { minIterations: flags.iterations, minDurationMs: flags.duration * 1000 },
        });
        process.stderr.write(`batch ${batch}, ${threads} threads, ${concurrency} in flight: ${measurement.throughput.itemsPerSecond.toFixed(1)} items/s, p99 ${measurement.latencyMs.p99.toFixed(1)} ms\n`);
        return { itemsPerSecond: measurement.throughput.itemsPerSecond, p99Ms: measurement.latencyMs.p99 };
      } finally {
        await session.dispose();
      }
    },
    { batches: flags.batch, threads: flags.threads, concurrencies: flags.concurrency, latencyBudgetMs: flags.latencyBudget },
  );
  const rows = evidence.map((e) => [String(e.batch), String(e.threads), String(e.concurrency), e.itemsPerSecond.toFixed(1), e.p99Ms.toFixed(1), e.withinBudget ? 'yes' : 'no', e === best ? '← best' : '']);
  const text = table([['batch', 'threads', 'in flight', 'items/s', 'p99 ms', `≤ ${flags.latencyBudget} ms`, ''], ...rows]);
  const recommendation = best
    ? `recommendation: batch ${best.batch}, ${best.threads} threads, ${best.concurrency} run(s) in flight: ${best.itemsPerSecond.toFixed(1)} items/s at p99 ${best.p99Ms.toFixed(1)} ms`
    : `no configuration met p99 ≤ ${flags.latencyBudget} ms: raise the budget or try fewer items per run`;
  process.stdout.write(flags.json ? `${JSON.stringify({ best: best ?? null, evidence }, null, 2)}\n` : `${text}\n\n${recommendation}\n`);
  return best ? 0 : 1;
}
