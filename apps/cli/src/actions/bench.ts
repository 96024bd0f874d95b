import os from 'node:os';
import path from 'node:path';
import type { Configuration, StopRule } from '@ortbench/core';
import { ConfigurationSkippedError, createResultsDocument, fixedDuration, fixedIterations, runInterleavedSweep } from '@ortbench/core';
import { collectEnvironment, describeMachineLoad, readResultsFile, sampleMachine } from '@ortbench/core/node';
import { consoleDefaults, createProgressReporter, renderConsoleTable, writeReports } from '@ortbench/reporters';
import type { BenchContext } from '../bench-measure';
import { openConfiguration } from '../bench-measure';
import type { BenchOptions } from '../bench-options';
import { planBench } from '../bench-plan';
import { EXIT } from '../exit-codes';
import { isolatedMeasurement } from '../isolate';
import { createDefaultRegistry } from '../registry';
import { packageVersions } from '../versions';

/** The steady-state rule the options ask for: a fixed count or time, or the precision target with its cap. */
export function stopRuleOf(options: BenchOptions): Partial<StopRule> {
  if (options.iterations !== undefined && options.duration !== undefined) {
    return { minIterations: options.iterations, minDurationMs: options.duration * 1000, maxIterations: Number.POSITIVE_INFINITY, maxDurationMs: Number.POSITIVE_INFINITY, ciTarget: 0 };
  }
  if (options.iterations !== undefined) return fixedIterations(options.iterations);
  if (options.duration !== undefined) return fixedDuration(options.duration * 1000);
  return { ciTarget: options.ciTarget, maxDurationMs: options.maxDuration * 1000 };
}

/** Runs the sweep, writes the reports and returns the exit code. */
export async function runBench(options: BenchOptions, command: string): Promise<number> {
  const registry = await createDefaultRegistry();
  for (const name of options.runner) await registry.resolve(name); // unknown or unavailable: fail before any work
  const plan = await planBench(options); // nothing can run: a usage error, before anything is written
  const previous = options.resume ? (await readResultsFile(options.resume)).results.filter((r) => r.status !== 'errored') : [];
  const controller = new AbortController();
  const interrupt = () => {
    process.stderr.write('\ninterrupted: finishing with the configurations measured so far\n');
    controller.abort();
  };
  process.once('SIGINT', interrupt);
  process.once('SIGTERM', interrupt);
  const progress = createProgressReporter({ stream: process.stderr });
  const stop = stopRuleOf(options);
  const context: BenchContext = { options, plan, registry, stop, onProgress: progress.progress, cache: { variants: new Map(), models: new Map() } };
  const toRun = plan.configurations.filter((c) => !previous.some((r) => r.configuration.id === c.id) && !plan.skips.has(c.id)).length;
  const rounds = options.rounds ?? (toRun > 1 && !options.isolate && !options.scenario ? 3 : 1);
  const open = options.isolate
    ? async (configuration: Configuration) => {
        const skipped = plan.skips.get(configuration.id);
        if (skipped) throw new ConfigurationSkippedError(skipped);
        return isolatedMeasurement({ configuration, options, tokens: plan.tokens, modelBytes: plan.modelBytes });
      }
    : (configuration: Configuration, signal?: AbortSignal) => openConfiguration(configuration, context, signal);
  const machineAtStart = sampleMachine();
  let outcome;
  try {
    outcome = await runInterleavedSweep(plan.configurations, open, {
      signal: controller.signal,
      previous,
      rounds,
      stop,
      // Sessions stay loaded between rounds while a conservative estimate fits in half the free memory.
      maxOpen: Math.max(1, Math.floor((0.5 * os.freemem()) / (4 * plan.modelBytes * Math.max(...options.concurrency)))),
      onStart: (configuration, index, total) => progress.start(configuration, index, total),
      onResult: (result, index, total) => progress.result(result, index, total),
      onRound: (round, minimum) => {
        if (round <= minimum) process.stderr.write(`round ${round} of ${minimum}\n`);
        else if (round === minimum + 1) process.stderr.write(`rounds ${round}+: the configurations whose median is not yet precise go on, up to their cap\n`);
      },
    });
  } finally {
    progress.finish();
    process.removeListener('SIGINT', interrupt);
    process.removeListener('SIGTERM', interrupt);
  }
  const environment = { ...collectEnvironment(packageVersions()), machine: describeMachineLoad(machineAtStart, sampleMachine()) };
  const document = createResultsDocument(
    { tool: { name: 'ortbench', version: packageVersions().ortbench ?? '0.0.0' }, command: `ortbench ${command}`, environment },
    outcome.results,
    outcome.interrupted,
  );
  const directory = path.resolve(options.out ?? (options.resume ? path.dirname(options.resume) : path.join('ortbench-results', `${path.basename(options.model, '.onnx')}-${stamp()}`)));
  const written = await writeReports(document, directory);
  if (options.json) process.stdout.write(`${JSON.stringify(document, null, 2)}\n`);
  else process.stdout.write(`${renderConsoleTable(document, { color: consoleDefaults(process.stdout).color })}\n`);
  if (environment.machine.warning) process.stderr.write(`warning: ${environment.machine.warning}\n`);
  process.stderr.write(`reports: ${Object.values(written).flat().join(', ')}\n`);
  if (outcome.interrupted) return 130;
  return document.results.some((r) => r.status === 'errored') ? EXIT.runtime : EXIT.ok;
}

function stamp(): string {
  return new Date().toISOString().replace(/[-:]/g, '').replace(/\..*$/, '').replace('T', '-');
}
