import path from 'node:path';
import type { Configuration, ConfigurationResult, Measurement, RunnerRegistry } from '@ortbench/core';
import type { Feeds, ScenarioResult, Session } from '@ortbench/core';
import { ConfigurationSkippedError, createResultsDocument, ErrorCode, expandMatrix, findMaxQps, InvalidArgumentError, isOrtbenchError, measureSession, OrtbenchError, runScenario, runSweep, toErrorRecord } from '@ortbench/core';
import { spawn } from 'node:child_process';
import { collectEnvironment, readResultsFile } from '@ortbench/core/node';
import type { onnx } from '@ortbench/models';
import { inspectModel, isPresetName, modelCacheDir, readModel, resolvedOptionsFor } from '@ortbench/models';
import { syntheticFeeds } from '@ortbench/preprocess';
import { consoleDefaults, createProgressReporter, renderConsoleTable, writeReports } from '@ortbench/reporters';
import type { BenchOptions } from '../bench-options';
import { EXIT } from '../exit-codes';
import { resolveModel } from '../model-source';
import { createDefaultRegistry, pluginFiles } from '../registry';
import { peakGflops } from '../roofline';
import { packageVersions } from '../versions';

/** Runs the sweep, writes the reports and returns the exit code. */
export async function runBench(options: BenchOptions, command: string): Promise<number> {
  const registry = await createDefaultRegistry();
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
    options: {
      ...(options.batchMode === 'both' ? { batchMode: ['dynamic', 'fixed'] } : options.batchMode === 'fixed' ? { batchMode: ['fixed'] } : {}),
      ...(options.concurrency.length > 1 ? { concurrency: options.concurrency } : {}),
      ...(options.precision.length > 1 || options.precision[0] !== 'fp32' ? { precision: options.precision } : {}),
    },
  });
  // --resume: finished configurations are kept; errored ones are tried again.
  const previous = options.resume ? (await readResultsFile(options.resume)).results.filter((r) => r.status !== 'errored') : [];
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
    const execute = options.isolate
      ? (configuration: Configuration) => measureInChild(configuration, options, maxPositions)
      : (configuration: Configuration, signal?: AbortSignal) => measure(configuration, options, registry, maxPositions, signal, progress.progress);
    outcome = await runSweep(configurations, execute, {
      signal: controller.signal,
      previous,
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
  const directory = path.resolve(options.out ?? (options.resume ? path.dirname(options.resume) : path.join('ortbench-results', `${path.basename(options.model, '.onnx')}-${stamp()}`)));
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
  const source = await resolveModel(options.model, isPresetName(options.model) ? { batch: fixed ? configuration.batchSize : 'dynamic' } : {});
  const precision = (configuration.options.precision as string | undefined) ?? 'fp32';
  const model = { ...source, path: await variant(source.path, precision, options) };
  const runner = await registry.resolve(configuration.runner);
  const runnerOptions: Record<string, unknown> = {};
  if (configuration.threads !== undefined) runnerOptions.threads = configuration.threads;
  if (options.optLevel) runnerOptions.graphOptimizationLevel = options.optLevel;
  const start = performance.now();
  const session = await runner.load(model.path, runnerOptions);
  const loadMs = performance.now() - start;
  try {
    const feeds = syntheticFeeds(session.inputs, { batch: configuration.batchSize, ...(sequence === undefined ? {} : { sequenceLength: sequence }) });
    const measurement = options.scenario
      ? await measureScenario(session, feeds, configuration.batchSize, options, signal)
      : await measureSession(session, {
          feeds,
          itemsPerRun: configuration.batchSize,
          concurrency: (configuration.options.concurrency as number | undefined) ?? options.concurrency[0]!,
          warmup: { minIterations: options.warmup, minDurationMs: 0 },
          stop: { minIterations: options.iterations, minDurationMs: options.duration * 1000 },
          keepSamples: true,
          ...(signal ? { signal } : {}),
          ...(onProgress ? { onProgress } : {}),
        });
    if (options.labels && options.images) {
      const { accuracyOf, labelledImages } = await import('./eval');
      measurement.accuracy = await accuracyOf(session, await labelledImages(options.images, options.labels));
    }
    const flopsPerRun = await flopsOf(model.path, session, configuration);
    if (flopsPerRun > 0) {
      const gflops = (flopsPerRun * measurement.throughput.runsPerSecond) / 1e9;
      measurement.compute = { flopsPerRun, gflops };
      if (options.roofline) {
        const peak = await peakGflops(runner, runnerOptions);
        measurement.compute = { flopsPerRun, gflops, peakGflops: peak, fractionOfPeak: gflops / peak };
      }
    }
    return { ...measurement, phases: { loadMs, ...measurement.phases } };
  } finally {
    await session.dispose();
  }
}

/** A LoadGen-style scenario as a measurement; with --latency-bound, at the highest rate within it. */
async function measureScenario(session: Session, feeds: Feeds, batch: number, options: BenchOptions, signal?: AbortSignal): Promise<Measurement> {
  const run = (targetQps?: number) =>
    runScenario(session, {
      scenario: options.scenario!,
      feeds,
      samplesPerQuery: batch,
      ...(targetQps === undefined ? {} : { targetQps }),
      minDurationMs: options.duration * 1000,
      minQueries: options.iterations,
      ...(signal ? { signal } : {}),
    });
  await session.run(feeds); // the first run is not a query
  let result: ScenarioResult;
  if (options.scenario === 'server' && options.latencyBound !== undefined) {
    const single = await runScenario(session, { scenario: 'single-stream', feeds, samplesPerQuery: batch, minDurationMs: 0, minQueries: 5 });
    const results = new Map<number, ScenarioResult>();
    const search = await findMaxQps(
      async (qps) => {
        const probe = await run(qps);
        results.set(qps, probe);
        return probe;
      },
      { latencyBoundMs: options.latencyBound, startQps: Math.max(0.5, 250 / single.latencyMs.median) },
    );
    process.stderr.write(`  rates tried: ${search.probes.map((p) => `${p.qps.toFixed(1)}/s → p99 ${p.p99Ms.toFixed(1)} ms${p.withinBound ? '' : ' ✗'}`).join(', ')}\n`);
    if (search.qps === undefined) throw new OrtbenchError(ErrorCode.RUNNER_FAILED, `no rate kept p99 within ${options.latencyBound} ms`);
    result = results.get(search.qps)!;
  } else {
    result = await run(options.targetQps);
  }
  return {
    session: session.info,
    itemsPerRun: batch,
    concurrency: 1,
    phases: { firstRunMs: 0, warmupMs: 0, warmupIterations: 0, steadyMs: result.durationMs, iterations: result.queries },
    latencyMs: result.latencyMs,
    throughput: { itemsPerSecond: result.samplesPerSecond, runsPerSecond: result.queriesPerSecond },
    timingSource: 'host',
    scenario: { name: result.scenario, ...(result.targetQps === undefined ? {} : { targetQps: result.targetQps }), queriesPerSecond: result.queriesPerSecond, reported: result.reported },
  };
}

const variants = new Map<string, Promise<string>>();

/** Each precision variant of a model is built once per run, beside the cache's models. */
function variant(file: string, precision: string, options: BenchOptions): Promise<string> {
  const key = `${file}:${precision}`;
  if (!variants.has(key)) {
    variants.set(key, (async () => {
      const { precisionVariant } = await import('./precision');
      const { imageFiles } = await import('../images');
      const calibration = options.images ? await imageFiles([options.images]) : undefined;
      return precisionVariant(file, precision, path.join(modelCacheDir(), 'variants'), calibration);
    })());
  }
  return variants.get(key)!;
}

const decoded = new Map<string, Promise<onnx.ModelProto>>();

/** FLOPs of one run at this configuration's batch and sequence length, from the model's shapes (0 when unknown). */
async function flopsOf(file: string, session: Session, configuration: Configuration): Promise<number> {
  if (!decoded.has(file)) decoded.set(file, readModel(file));
  const dims: Record<string, number> = {};
  for (const input of session.inputs) {
    const [batchDim, seqDim] = input.dims;
    if (typeof batchDim === 'string') dims[batchDim] = configuration.batchSize;
    if (typeof seqDim === 'string' && configuration.sequenceLength !== undefined) dims[seqDim] = configuration.sequenceLength;
  }
  const { compute } = inspectModel(await decoded.get(file)!, dims);
  return compute.complete ? compute.flops : 0;
}

function stamp(): string {
  return new Date().toISOString().replace(/[-:]/g, '').replace(/\..*$/, '').replace('T', '-');
}

/** What a `__measure` child is given on stdin. */
interface MeasureRequest {
  configuration: Configuration;
  options: BenchOptions;
  maxPositions: number | null;
}

/**
 * --isolate: one configuration in a child process. A crash (a signal such as SIGSEGV) or an
 * out-of-memory kill (SIGKILL) fails only this configuration, with the cause named.
 */
function measureInChild(configuration: Configuration, options: BenchOptions, maxPositions: number): Promise<Measurement> {
  const request: MeasureRequest = { configuration, options, maxPositions: Number.isFinite(maxPositions) ? maxPositions : null };
  const args = [process.argv[1] as string, ...pluginFiles().flatMap((file) => ['--plugin', file]), '__measure'];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      const reply = stdout.trim().split('\n').at(-1);
      if (signal || !reply?.startsWith('{')) {
        const why = signal ? `killed by ${signal}${signal === 'SIGKILL' ? ' (out of memory?)' : ''}` : `exited with code ${code}: ${stderr.trim().split('\n').at(-1) ?? ''}`;
        reject(new OrtbenchError(ErrorCode.RUNNER_FAILED, `isolated configuration died: ${why}`));
        return;
      }
      const parsed = JSON.parse(reply) as { measurement?: Measurement; error?: { code: string; message: string }; skipped?: string };
      if (parsed.measurement) resolve(parsed.measurement);
      else if (parsed.skipped !== undefined) reject(new ConfigurationSkippedError(parsed.skipped));
      else reject(new OrtbenchError((parsed.error?.code ?? ErrorCode.RUNNER_FAILED) as ErrorCode, parsed.error?.message ?? 'unknown failure'));
    });
    child.stdin.end(JSON.stringify(request));
  });
}

/** The child side of --isolate: read a request, measure, print one JSON line. */
export async function measureFromStdin(): Promise<void> {
  let input = '';
  for await (const chunk of process.stdin) input += chunk;
  const request = JSON.parse(input) as MeasureRequest;
  const registry = await createDefaultRegistry();
  try {
    const measurement = await measure(request.configuration, request.options, registry, request.maxPositions ?? Number.POSITIVE_INFINITY, undefined, undefined);
    process.stdout.write(`${JSON.stringify({ measurement })}\n`);
  } catch (error) {
    if (error instanceof ConfigurationSkippedError) process.stdout.write(`${JSON.stringify({ skipped: error.message })}\n`);
    else process.stdout.write(`${JSON.stringify({ error: isOrtbenchError(error) ? { code: error.code, message: error.message } : toErrorRecord(error) })}\n`);
  }
}
