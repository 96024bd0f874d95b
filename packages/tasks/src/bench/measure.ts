import path from 'node:path';
import type { Configuration, Feeds, Measurement, MeasureOptions, MemoryProbe, OpenMeasurement, Runner, RunnerOptions, RunnerRegistry, Session, StopRule } from '@ortbench/core';
import { ConfigurationSkippedError, ErrorCode, openMeasurement, OrtbenchError } from '@ortbench/core';
import { processMemoryProbe, workerLanes } from '@ortbench/core/node';
import type { onnx } from '@ortbench/models';
import { inspectModel, isPresetName, modelCacheDir, readModel } from '@ortbench/models';
import { stat } from 'node:fs/promises';
import type { ModelFolder } from '../model-folder';
import { variantFile, variantsOf } from '../model-folder';
import type { FidelityInputs } from './fidelity';
import { fidelityToFp32 } from './fidelity';
import { fidelityInputs } from './fidelity-inputs';
import { folderImageSteps } from '../folder-inputs';
import type { HfImageSteps } from '@ortbench/preprocess';
import { resolveModel } from '../model-source';
import { isTorchRunner, pairForTorch, torchRunnerOptions } from '../torch-pair';
import { peakGflops } from '../roofline';
import type { BenchOptions } from './options';
import type { BenchPlan } from './plan';
import type { PreparedInputs } from '../model-inputs';
import { prepareInputs } from '../model-inputs';
import { feedReason, requestFor } from './plan';

/** What opening a configuration needs besides the configuration itself. */
export interface BenchContext {
  options: BenchOptions;
  plan: BenchPlan;
  registry: RunnerRegistry;
  /** Plugin modules (absolute paths) for worker threads to register, as this process did. */
  plugins: readonly string[];
  stop: Partial<StopRule>;
  /** The sweep alternates its configurations run by run: ONNX Runtime sessions are loaded with thread spinning off. */
  alternated?: boolean;
  onProgress?: MeasureOptions['onProgress'];
  onWarning?: (message: string) => void;
  /** Progress lines that are not warnings (the latency-bound search's rates). */
  onNote?: (line: string) => void;
  /** Precision variants and decoded models of this sweep, built once each (keys: everything that decides their content). */
  cache: {
    variants: Map<string, Promise<string>>;
    models: Map<string, Promise<onnx.ModelProto>>;
    warnings: Set<string>;
    /** Top-1 class of every --images photo by the fp32 model, per model file: what other precisions are compared with. */
    fp32Predictions?: Map<string, Promise<number[]>>;
    /** What variants' outputs are compared on, per model and fed shape. */
    fidelityInputs?: Map<string, Promise<FidelityInputs>>;
    /** A model folder's preprocessor_config.json steps, read once (undefined: it has none). */
    imageSteps?: Promise<HfImageSteps | undefined>;
  };
}

/**
 * Loads one configuration and opens its measurement: one session, or — for several in flight
 * on a runtime whose runs on one session never overlap — one session per worker thread.
 * Scenarios run in one visit. The result carries FLOPs from the shapes really fed, and, when
 * asked, the roofline, accuracy and the image pipeline's stage throughputs.
 */
export async function openConfiguration(configuration: Configuration, context: BenchContext, signal?: AbortSignal): Promise<OpenMeasurement> {
  const { options, plan } = context;
  const skipped = plan.skips.get(configuration.id) ?? feedReason(configuration, options, plan.model, plan.arrays);
  if (skipped) throw new ConfigurationSkippedError(skipped);
  const fixed = configuration.options.batchMode === 'fixed';
  const source = await resolveModel(options.model, isPresetName(options.model) ? { batch: fixed ? configuration.batchSize : 'dynamic' } : options.component !== undefined ? { component: options.component } : {});
  const precision = (configuration.options.precision as string | undefined) ?? 'fp32';
  const torch = isTorchRunner(configuration.runner);
  if (torch && precision !== 'fp32') throw new ConfigurationSkippedError(`${configuration.runner} runs the fp32 PyTorch model; ${precision} variants are ONNX Runtime's`);
  if (torch && configuration.options.graphOptimizationLevel !== undefined) throw new ConfigurationSkippedError(`${configuration.runner}: PyTorch has no ONNX Runtime graph optimisation level`);
  if (torch) await pairForTorch(options.model, source.path, isPresetName(options.model) ? { batch: fixed ? configuration.batchSize : 'dynamic' } : {}, options);
  // A model folder's variant is one of its files; a file's precision variant is made from it.
  const folderVariant = configuration.options.variant as string | undefined;
  if (torch && folderVariant !== undefined && folderVariant !== 'fp32') throw new ConfigurationSkippedError(`${configuration.runner} runs the fp32 PyTorch model; the ${folderVariant} file is ONNX Runtime's`);
  const folderFile = folderVariant !== undefined && source.folder ? variantFile(source.folder, folderVariant) : undefined;
  const modelPath = folderFile ? folderFile.file : await variant(source.path, precision, context);
  const modelFile = { path: modelPath, bytes: folderFile?.bytes ?? (await stat(modelPath)).size };
  const runner = await context.registry.resolve(configuration.runner);
  const runnerOptions: RunnerOptions = torch ? torchRunnerOptions(options) : {};
  if (configuration.threads !== undefined) runnerOptions.threads = configuration.threads;
  if (configuration.options.graphOptimizationLevel !== undefined) runnerOptions.graphOptimizationLevel = configuration.options.graphOptimizationLevel;
  if (configuration.options.enableCpuMemArena !== undefined) runnerOptions.enableCpuMemArena = configuration.options.enableCpuMemArena;
  if (configuration.options.enableMemPattern !== undefined) runnerOptions.enableMemPattern = configuration.options.enableMemPattern;
  // Alternated sessions must not spin: an idle one's spinning pool would take a core from the next run of another.
  if (context.alternated && spinsAfterRuns(configuration.runner)) runnerOptions.allowSpinning = false;
  const processMemory = processProbe();
  const beforeLoadBytes = await processMemory.current();
  const loadStart = performance.now();
  const session = await runner.load(modelPath, runnerOptions);
  const loadMs = performance.now() - loadStart;
  const afterLoadBytes = await processMemory.current();
  // Until a measurement owns the session, any failure disposes it: a Chromium and its server, or
  // a Python child, must not outlive a configuration that could not be opened.
  let owned = true;
  try {
    // A runner that knows it runs slower than this machine allows (PyTorch on a generic BLAS) says so, once.
    const slow = session.info.settings.blasWarning;
    if (typeof slow === 'string' && !context.cache.warnings.has(slow)) {
      context.cache.warnings.add(slow);
      context.onWarning?.(`${configuration.runner}: ${slow}`);
    }
    // The model's own inputs, fed at this configuration's sizes (the plan checked they can be made).
    let prepared: PreparedInputs;
    try {
      prepared = prepareInputs(session.inputs, requestFor(configuration, options, plan.model, plan.arrays));
    } catch (error) {
      owned = false;
      await session.dispose();
      if (error instanceof OrtbenchError && error.code === ErrorCode.INPUT_MISMATCH && !fixed) throw new ConfigurationSkippedError(error.message);
      throw error;
    }
    const { feeds, fed } = prepared;
    const concurrency = (configuration.options.concurrency as number | undefined) ?? options.concurrency[0] ?? 1;
    const common = { itemsPerRun: configuration.batchSize, stop: context.stop, keepSamples: true, ...(signal ? { signal } : {}) };
    // What a variant's outputs are compared with: the fp32 file it was made from, or the folder's fp32 file.
    const reference = folderVariant === undefined ? { kind: precision, path: source.path } : { kind: folderVariant, path: source.folder && variantsFp32(source.folder) };
    const extras = (measurement: Measurement, own: Session | undefined) => addExtras(measurement, { configuration, context, runner, runnerOptions, modelPath, sourcePath: source.path, precision, reference, feeds, folder: source.folder, session: own });

    // What every kind of measurement records beside its figures, and its after-measurement step:
    // accuracy, agreement and the pipeline run inference, so they are never part of reading a result.
    const recorded = { ...common, inputs: fed, modelFile, ...(context.onProgress ? { onProgress: context.onProgress } : {}) };
    if (options.scenario) {
      const { scenarioSource } = await import('./scenario');
      const measurement = openMeasurement(scenarioSource(session, feeds, configuration.batchSize, options, context.onNote), {
        ...recorded,
        feeds,
        loadMs,
        warmup: { minIterations: options.warmup, minDurationMs: 0 },
        annotate: (m) => extras(m, session),
      });
      owned = false;
      return measurement;
    }
    if (concurrency > 1 && session.serialRuns) {
      // Real concurrency: one session per worker thread, each with the configuration's thread setting.
      owned = false;
      await session.dispose();
      const lanes = workerLanes(concurrency, {
        module: new URL('./worker-runners.js', import.meta.url).href,
        args: { plugins: [...context.plugins] },
        runner: configuration.runner,
        model: modelPath,
        runnerOptions,
        feeds,
        warmupIterations: options.warmup,
      });
      return openMeasurement({ lanes }, { ...recorded, annotate: (m) => extras(m, undefined) });
    }
    const measurement = openMeasurement(session, {
      ...recorded,
      ...memoryOptions(session, processMemory, beforeLoadBytes, afterLoadBytes, context.alternated),
      feeds,
      concurrency,
      loadMs,
      warmup: { minIterations: options.warmup, minDurationMs: 0 },
      annotate: (m) => extras(m, session),
    });
    owned = false;
    return measurement;
  } catch (error) {
    if (owned) await session.dispose().catch(() => {});
    throw error;
  }
}

let sharedProbe: MemoryProbe | undefined;
/** This process's resident set, read the same way by every configuration. */
function processProbe(): MemoryProbe {
  // In an isolated child (see isolatedEnvironment) the process is the configuration's alone, and glibc returns what is freed.
  sharedProbe ??= processMemoryProbe(process.env.ORTBENCH_ISOLATED ? 'isolated process RSS (freed memory returned)' : 'process RSS');
  return sharedProbe;
}

/**
 * Where a configuration's memory is read: the runner's own probe when its model lives outside this
 * process (a page, a Python worker), else this process's resident set with the readings around
 * the load, which alone say what loading took.
 */
function memoryOptions(session: Session, processMemory: MemoryProbe, beforeLoadBytes: number, afterLoadBytes: number, alternated = false): Partial<MeasureOptions> {
  if (session.memoryProbe) return { memory: session.memoryProbe };
  // A device the process's resident set does not see: its figures are the host's only.
  const ep = session.info.executionProvider;
  const device = ['cpu', 'wasm', 'test', 'js'].includes(ep) ? undefined : `device memory (${ep}): ${session.info.runner} exposes no figure, so these are host memory only`;
  return {
    memory: device ? { ...processMemory, unmeasured: [device] } : processMemory,
    beforeLoadBytes,
    afterLoadBytes,
    ...(alternated ? { memoryShared: 'alternated with the other configurations of its group in this process, whose sessions were loaded too: its peak and end include theirs (--isolate measures each alone)' } : {}),
  };
}

/** The folder's fp32 file of the measured component, if it has one. */
function variantsFp32(folder: ModelFolder): string | undefined {
  return variantsOf(folder).find((v) => v.variant === 'fp32')?.file;
}

interface ExtrasInput {
  configuration: Configuration;
  context: BenchContext;
  runner: Runner;
  runnerOptions: RunnerOptions;
  modelPath: string;
  /** The fp32 model the variant was made from (the same file at fp32). */
  sourcePath: string;
  precision: string;
  /** The variant measured (a precision, or a folder's variant) and the fp32 file to compare its outputs with (undefined: the folder has none). */
  reference: { kind: string; path: string | undefined };
  feeds: Feeds;
  /** The model folder, when the model is one: its tokenizer and preprocessor prepare real inputs. */
  folder: ModelFolder | undefined;
  /** The measured session, when there is exactly one. */
  session: Session | undefined;
}

async function addExtras(measurement: Measurement, input: ExtrasInput): Promise<void> {
  const { options } = input.context;
  const flopsPerRun = await flopsOf(input.modelPath, input.feeds, input.context);
  if (flopsPerRun > 0) {
    // At the headline rate, so GFLOP/s and items/s in one row come from the same statistic.
    const gflops = (flopsPerRun * measurement.throughput.runsPerSecond) / 1e9;
    measurement.compute = { flopsPerRun, gflops };
    if (options.roofline) {
      let peak = await peakGflops(input.runner, input.runnerOptions);
      // Above 100 % of the ceiling: the cached ceiling may be from a slow moment; measure it again now.
      if (gflops > peak) peak = await peakGflops(input.runner, input.runnerOptions, { refresh: true });
      measurement.compute = { flopsPerRun, gflops, peakGflops: peak, fractionOfPeak: gflops / peak };
      if (gflops > peak) {
        measurement.stability.notes.push(
          `roofline: ${((gflops / peak) * 100).toFixed(1)} % of the runner's MatMul rate, re-measured just now — this model's kernels ran faster than the reference MatMul (the ceiling is a measured rate, not a hard limit: read it as "at least the MatMul rate")`,
        );
      }
    }
  }
  // A variant's outputs against fp32's on the inputs it was measured with.
  if (input.reference.kind !== 'fp32' && !isTorchRunner(input.configuration.runner)) {
    const fp32 = input.reference.path;
    if (fp32 === undefined) measurement.fidelity = { reference: 'fp32', unavailable: 'the folder has no fp32 model (model.onnx) to compare with' };
    else await withSession(input, async (session) => {
      // Real inputs are prepared once per sweep (they do not depend on the runner); the timed ones are each configuration's.
      const key = `${input.folder?.dir ?? input.sourcePath}\u0000${Object.entries(input.feeds).map(([name, t]) => `${name}:${t.dims.join('x')}`).join(',')}`;
      const cache = (input.context.cache.fidelityInputs ??= new Map());
      if (!cache.has(key)) cache.set(key, fidelityInputs(session, input.feeds, input.context, input.folder));
      measurement.fidelity = await fidelityToFp32(session, await cache.get(key)!, { runner: input.runner, path: fp32, options: input.runnerOptions });
    });
  }
  if (options.images && !input.context.plan.tokens) {
    await withSession(input, async (session) => {
      if (options.labels) {
        const { accuracyOf, labelledImages } = await import('../evaluate');
        const usable = new Set(imagesOf(input.context));
        measurement.accuracy = await accuracyOf(session, (await labelledImages(options.images!, options.labels)).filter((l) => usable.has(l.file)), imageShape(input), await imageRecipe(input));
        // A built model's weights are seeded, not trained: its accuracy is chance, and every format says so.
        if (isPresetName(options.model)) {
          const why = `top-1/top-5 of the built-in ${options.model}, whose weights are random (seeded, not trained): its accuracy means nothing; shapes and speed are real — pass a trained model for accuracy`;
          measurement.stability.notes.push(why);
          if (!input.context.cache.warnings.has(why)) {
            input.context.cache.warnings.add(why);
            input.context.onWarning?.(why);
          }
        }
      }
      const agreement = isTorchRunner(input.configuration.runner) ? undefined : await agreementWithFp32(session, input);
      if (agreement) measurement.agreement = agreement;
      const { pipelineFigures } = await import('./pipeline');
      measurement.pipeline = await pipelineFigures(session, imagesOf(input.context), imageShape(input), measurement.throughput.itemsPerSecond, await folderSteps(input));
    });
  }
}

/**
 * How many --images photos this precision classifies (top-1) differently from the fp32 model on
 * the same runner: the seeds' "images that differ". fp32's predictions are computed once per model.
 */
async function agreementWithFp32(session: Session, input: ExtrasInput): Promise<Measurement['agreement'] | undefined> {
  const { rankImages } = await import('../classify');
  const files = imagesOf(input.context);
  const recipe = await imageRecipe(input);
  const top1 = async (s: Session) => (await rankImages(s, files, 1, recipe, {}, imageShape(input))).map((r) => r.ranked[0]?.index ?? -1);
  const cache = (input.context.cache.fp32Predictions ??= new Map());
  // The fp32 this variant is compared with: the file a precision was made from, or the folder's fp32 file.
  const fp32Path = input.reference.path;
  if (fp32Path === undefined) return undefined;
  const key = `${input.configuration.runner}\u0000${fp32Path}`;
  if (input.reference.kind === 'fp32') {
    if (!cache.has(key)) {
      const predictions = top1(session);
      predictions.catch(() => undefined); // awaited by other precisions, if any: never an unhandled rejection
      cache.set(key, predictions);
    }
    return undefined;
  }
  if (!cache.has(key)) {
    cache.set(key, (async () => {
      const fp32 = await input.runner.load(fp32Path, input.runnerOptions);
      try {
        return await top1(fp32);
      } finally {
        await fp32.dispose();
      }
    })());
  }
  const [mine, reference] = await Promise.all([top1(session), cache.get(key)!]);
  return { reference: 'fp32', differing: mine.filter((c, i) => c !== reference[i]).length, images: files.length };
}

/** A model folder's preprocessor_config.json steps, read once per sweep. */
function folderSteps(input: ExtrasInput): Promise<HfImageSteps | undefined> {
  return (input.context.cache.imageSteps ??= folderImageSteps(input.folder));
}

/** How --images photos are prepared: as the folder's preprocessor_config.json says, else the imagenet preset. */
async function imageRecipe(input: ExtrasInput): Promise<HfImageSteps | 'imagenet'> {
  return (await folderSteps(input)) ?? 'imagenet';
}

/** The --images photos that decode (the plan checked them; the isolate child's plan did not). */
function imagesOf(context: BenchContext): string[] {
  return context.plan.images?.files ?? [];
}

/** The shape the image input is fed at in this configuration: the photos are prepared to it. */
function imageShape(input: ExtrasInput): readonly number[] {
  return Object.values(input.feeds)[0]?.dims ?? [];
}

/** Runs `fn` on the measured session, or on a session loaded for it (lanes closed theirs). */
async function withSession(input: ExtrasInput, fn: (session: Session) => Promise<void>): Promise<void> {
  if (input.session) return fn(input.session);
  const session = await input.runner.load(input.modelPath, input.runnerOptions);
  try {
    await fn(session);
  } finally {
    await session.dispose();
  }
}

/** FLOPs of one run from the model's shapes at the dims of the feeds really given (0 when unknown). */
async function flopsOf(file: string, feeds: Feeds, context: BenchContext): Promise<number> {
  if (!context.cache.models.has(file)) context.cache.models.set(file, readModel(file));
  const model = await context.cache.models.get(file)!;
  const dims: Record<string, number> = {};
  for (const input of inspectModel(model).inputs) {
    input.dims.forEach((dim, axis) => {
      const fed = feeds[input.name]?.dims[axis];
      if (typeof dim === 'string' && fed !== undefined) dims[dim] = fed;
    });
  }
  const { compute } = inspectModel(model, dims);
  return compute.complete ? compute.flops : 0;
}

/** The model file of a precision variant, built once per sweep for each file and precision. */
function variant(file: string, precision: string, context: BenchContext): Promise<string> {
  if (precision === 'fp32') return Promise.resolve(file);
  const key = `${file}\u0000${precision}`;
  if (!context.cache.variants.has(key)) {
    context.cache.variants.set(key, (async () => {
      const { precisionVariant } = await import('../precision');
      const calibration = context.options.images ? imagesOf(context) : undefined;
      return precisionVariant(file, precision, {
        directory: path.join(modelCacheDir(), 'variants'),
        ...(calibration ? { calibration } : {}),
        ...(context.onWarning ? { onWarning: context.onWarning } : {}),
      });
    })());
  }
  return context.cache.variants.get(key)!;
}

/** onnxruntime-node's runners: their thread pools spin after a run unless told not to. */
function spinsAfterRuns(runner: string): boolean {
  return runner === 'node-cpu' || runner === 'node-cuda' || runner === 'node-webgpu';
}
