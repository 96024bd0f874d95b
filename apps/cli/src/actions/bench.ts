import path from 'node:path';
import type { Configuration, ConfigurationResult, Measurement, RunnerRegistry } from '@ortbench/core';
import { ConfigurationSkippedError, createResultsDocument, expandMatrix, InvalidArgumentError, measureSession, runSweep } from '@ortbench/core';
import { collectEnvironment } from '@ortbench/core/node';
import { inspectModel, isPresetName, readModel, resolvedOptionsFor } from '@ortbench/models';
import { syntheticFeeds } from '@ortbench/preprocess';
import { consoleDefaults, createProgressReporter, renderConsoleTable, writeReports } from '@ortbench/reporters';
import type { BenchOptions } from '../bench-options';
import { EXIT } from '../exit-codes';
import { resolveModel } from '../model-source';
import { createDefaultRegistry } from '../registry';
import { packageVersions } from '../versions';

/** Runs the sweep, writes the reports and returns the exit code. */
export async function runBench(options: BenchOptions, command: string): Promise<number> {
  const registry = createDefaultRegistry();
  for (const name of options.runner) await registry.resolve(name); // unknown or unavailable: fail before any work
  const preset = isPresetName(options.model);
  if (!preset && options.batchMode !== 'dynamic') {
    throw new InvalidArgumentError(`--batch-mode ${options.batchMode} needs a built-in model; ${options.model} is a file`);
  }
  const probe = await resolveModel(options.model, preset ? { batch: 'dynamic' } : {});
  const inspection = inspectModel(await readModel(probe.path));
  const tokens = inspection.inputs.some((input) => input.dtype.startsWith('int') && input.dims.length === 2);
  const maxPositions = preset ? Number(resolvedOptionsFor(options.model).maxPositions ?? Number.POSITIVE_INFINITY) : Number.POSITIVE_INFINITY;
  const configurations = expandMatrix({
    runners: options.runner,
    models: [options.model],
    batchSizes: options.batch,
    ...(tokens ? { sequenceLengths: options.seq } : {}),
    ...(options.threads ? { threads: options.threads } : {}),
    ...(options.batchMode === 'both' ? { options: { batchMode: ['dynamic', 'fixed'] } } : options.batchMode === 'fixed' ? { options: { batchMode: ['fixed'] } } : {}),
  });
  const controller = new AbortController();
  const interrupt = () => {
    process.stderr.write('\ninterrupted: finishing with the configurations measured so far\n');
    controller.abort();
  };
  process.once('SIGINT', interrupt);
  process.once('SIGTERM', interrupt);
  const progress = createProgressReporter({ stream: process.stderr });
  let outcome;
  try {
    outcome = await runSweep(configurations, (configuration, signal) => measure(configuration, options, registry, maxPositions, signal, progress.progress), {
      signal: controller.signal,
      onStart: (configuration, index, total) => progress.start(configuration, index, total),
      onResult: (result: ConfigurationResult, index, total) => progress.result(result, index, total),
    });
  } finally {
    progress.finish();
    process.removeListener('SIGINT', interrupt);
    process.removeListener('SIGTERM', interrupt);
  }
  const document = createResultsDocument(
    { tool: { name: 'ortbench', version: packageVersions().ortbench ?? '0.0.0' }, command: `ortbench ${command}`, environment: collectEnvironment(packageVersions()) },
    outcome.results,
    outcome.interrupted,
  );
  const directory = path.resolve(options.out ?? path.join('ortbench-results', `${path.basename(options.model, '.onnx')}-${stamp()}`));
  const written = await writeReports(document, directory);
  if (options.json) process.stdout.write(`${JSON.stringify(document, null, 2)}\n`);
  else process.stdout.write(`${renderConsoleTable(document, { color: consoleDefaults(process.stdout).color })}\n`);
  process.stderr.write(`reports: ${Object.values(written).flat().join(', ')}\n`);
  if (outcome.interrupted) return 130;
  return document.results.some((r) => r.status === 'errored') ? EXIT.runtime : EXIT.ok;
}

async function measure(
  configuration: Configuration,
  options: BenchOptions,
  registry: RunnerRegistry,
  maxPositions: number,
  signal: AbortSignal | undefined,
  onProgress: Parameters<typeof measureSession>[1]['onProgress'],
): Promise<Measurement> {
  const sequence = configuration.sequenceLength;
  if (sequence !== undefined && sequence > maxPositions) {
    throw new ConfigurationSkippedError(`sequence length ${sequence} exceeds the model's ${maxPositions} positions`);
  }
  const fixed = configuration.options.batchMode === 'fixed';
  const model = await resolveModel(options.model, isPresetName(options.model) ? { batch: fixed ? configuration.batchSize : 'dynamic' } : {});
  const runner = await registry.resolve(configuration.runner);
  const runnerOptions: Record<string, unknown> = {};
  if (configuration.threads !== undefined) runnerOptions.threads = configuration.threads;
  if (options.optLevel) runnerOptions.graphOptimizationLevel = options.optLevel;
  const start = performance.now();
  const session = await runner.load(model.path, runnerOptions);
  const loadMs = performance.now() - start;
  try {
    const measurement = await measureSession(session, {
      feeds: (loaded) => syntheticFeeds(loaded.inputs, { batch: configuration.batchSize, ...(sequence === undefined ? {} : { sequenceLength: sequence }) }),
      itemsPerRun: configuration.batchSize,
      concurrency: options.concurrency,
      warmup: { minIterations: options.warmup, minDurationMs: 0 },
      stop: { minIterations: options.iterations, minDurationMs: options.duration * 1000 },
      keepSamples: true,
      ...(signal ? { signal } : {}),
      ...(onProgress ? { onProgress } : {}),
    });
    return { ...measurement, phases: { loadMs, ...measurement.phases } };
  } finally {
    await session.dispose();
  }
}

function stamp(): string {
  return new Date().toISOString().replace(/[-:]/g, '').replace(/\..*$/, '').replace('T', '-');
}
