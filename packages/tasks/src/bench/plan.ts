import type { Configuration, Dim, Feeds, SymbolicDim, ValueInfo } from '@ortbench/core';
import { configurationId, ErrorCode, expandMatrix, formatDims, InvalidArgumentError, OrtbenchError, resolveInputShapes, symbolicDims } from '@ortbench/core';
import { isPresetName } from '@ortbench/models';
import type { ModelDescription } from '../model-source';
import { describeModel } from '../model-source';
import type { InputRequest } from '../model-inputs';
import { loadInputArrays, prepareInputs } from '../model-inputs';
import { decodableImages, imageFiles } from '../images';
import { readTexts } from '../folder-inputs';
import { isTorchRunner } from '../torch-pair';
import type { BenchOptions } from './options';

/** What the sweep will run, and what it knows before running anything. */
export interface BenchPlan {
  configurations: Configuration[];
  /** Configurations that cannot be measured as asked, by id, with the reason. */
  skips: Map<string, string>;
  /** What the model is (kind, fixed axes), as the fp32 file with a dynamic batch. */
  model: ModelDescription;
  /** The model has a sequence axis (a token model): configurations carry a sequence length. */
  tokens: boolean;
  /** The fp32 model's size on disk, for the memory estimate of keeping sessions loaded. */
  modelBytes: number;
  /** `--inputs`: the real arrays fed, loaded once. */
  arrays?: { feeds: Feeds; source: string };
  /** `--images`: the photos that decode (checked once, before measuring), and how many were left out. */
  images?: { files: string[]; skipped: number };
}

/**
 * Expands the options into configurations whose ids carry everything that decides what is
 * measured (scenario, precision, batch mode, concurrency, optimisation level, the dims and shapes
 * the user set), and finds those that cannot run as asked: a sequence longer than the model's
 * positions, or sizes that the model cannot be fed. Before anything runs it checks that every
 * input can be fed: a dim or value ortbench cannot infer is an error naming it, and so is a
 * flag that does not apply to the model. When no configuration can run, it is a usage error.
 */
export async function planBench(options: BenchOptions, onWarning?: (message: string) => void): Promise<BenchPlan> {
  const preset = isPresetName(options.model);
  if (!preset && options.batchMode !== 'dynamic') {
    throw new InvalidArgumentError(`--batch-mode ${options.batchMode} needs a built-in model; ${options.model} is a file`);
  }
  const model = await describeModel(options.model, preset ? { batch: 'dynamic' } : options.component !== undefined ? { component: options.component } : {});
  // An encoder–decoder folder measures its encoder unless told: say so, and how to measure the decoder.
  if (model.folder && model.folder.components.size > 1 && options.component === undefined) {
    const others = [...model.folder.components.keys()].filter((c) => c !== model.folder!.main);
    onWarning?.(`${options.model} has ${model.folder.components.size} components; measuring ${model.folder.main} (--component ${others.join(' or ')} measures ${others.length > 1 ? 'another' : 'the other'}: a decoder's single step with --seq 1 and --dim for its past length)`);
  }
  const symbolic = symbolicDims(model.inputs);
  const tokens = model.kind === 'token' || symbolic.some((d) => d.role === 'sequence');
  if (options.seq && !tokens) {
    throw new InvalidArgumentError(`--seq: ${options.model} has no sequence axis (inputs: ${describeInputs(model.inputs)}); set its dimensions with --dim or --shape`);
  }
  if (options.images && model.kind !== 'image') {
    throw new OrtbenchError(ErrorCode.INPUT_MISMATCH, `--images: ${options.model} does not take an RGB image (inputs: ${describeInputs(model.inputs)}); an image input is rank 4 with 3 channels`);
  }
  if (options.texts !== undefined) {
    if (!tokens) throw new OrtbenchError(ErrorCode.INPUT_MISMATCH, `--texts: ${options.model} takes no token ids (inputs: ${describeInputs(model.inputs)})`);
    await readTexts(options.texts); // a missing or empty file fails before anything is measured
  }
  const seq = tokens ? (options.seq ?? [32, 128]) : undefined;
  const arrays = options.inputs ? await loadInputArrays(options.inputs, model.inputs) : undefined;
  // Everything must be feedable at the first point of the sweep before anything is measured.
  const first = prepareInputs(model.inputs, requestFor({ batchSize: options.batch?.[0] ?? 1, ...(seq ? { sequenceLength: seq[0] } : {}), options: firstPoint(options) }, options, model, arrays));
  const maxPositions = model.maxPositions ?? Number.POSITIVE_INFINITY;
  const expanded = expandMatrix({
    runners: options.runner,
    models: [options.model],
    batchSizes: options.batch ?? defaultBatches(model, symbolic, first.dims, tokens),
    ...(seq ? { sequenceLengths: seq } : {}),
    ...(options.threads ? { threads: options.threads } : {}),
    options: {
      ...(options.batchMode === 'both' ? { batchMode: ['dynamic', 'fixed'] } : options.batchMode === 'fixed' ? { batchMode: ['fixed'] } : {}),
      ...(options.concurrency.length > 1 || options.concurrency[0] !== 1 ? { concurrency: options.concurrency } : {}),
      ...(options.precision.length > 1 || options.precision[0] !== 'fp32' ? { precision: [...new Set(options.precision.map((p) => int8Kind(p, tokens)))] } : {}),
      // A folder's variants are always an axis, even one: the configuration's id names its file.
      ...(options.variant ? { variant: options.variant } : {}),
      ...(options.optLevel ? { graphOptimizationLevel: options.optLevel } : {}),
      ...(options.arena ? { enableCpuMemArena: options.arena } : {}),
      ...(options.memPattern ? { enableMemPattern: options.memPattern } : {}),
      ...(options.scenario ? { scenario: [options.scenario] } : {}),
      ...(options.targetQps !== undefined ? { targetQps: [options.targetQps] } : {}),
      ...(options.latencyBound !== undefined ? { latencyBoundMs: [options.latencyBound] } : {}),
      ...shapeAxes(options),
    },
  });
  const skips = new Map<string, string>();
  const configurations = withTorchOnce(expanded);
  for (const configuration of configurations) {
    const reason = staticSkipReason(configuration, { tokens, maxPositions }) ?? feedReason(configuration, options, model, arrays, symbolic);
    if (reason) skips.set(configuration.id, reason);
  }
  if (skips.size === configurations.length) {
    throw new InvalidArgumentError(`no configuration of this sweep can run: ${[...new Set(skips.values())].join('; ')}`);
  }
  const images = options.images ? await decodableImages(await imageFiles([options.images]), { ...(options.skipBad ? { skipBad: true } : {}), ...(onWarning ? { onWarning } : {}) }) : undefined;
  return { configurations, skips, model, tokens, modelBytes: model.bytes, ...(arrays ? { arrays } : {}), ...(images ? { images } : {}) };
}

/** Each `--dim` and `--shape` as an option axis (`dim.height`, `shape.images`), so ids and tables carry them. */
function shapeAxes(options: BenchOptions): Record<string, unknown[]> {
  const axes: Record<string, unknown[]> = {};
  for (const [key, values] of Object.entries(options.dim ?? {})) axes[`dim.${key}`] = values;
  for (const [input, shapes] of Object.entries(options.shape ?? {})) axes[`shape.${input}`] = shapes.map((shape) => (shape.length ? shape.join('x') : 'scalar'));
  return axes;
}

function firstPoint(options: BenchOptions): Record<string, unknown> {
  return Object.fromEntries(Object.entries(shapeAxes(options)).map(([key, values]) => [key, values[0]]));
}

/** What to feed one configuration: its sizes, its dims and shapes, and the sweep's values and arrays. */
export function requestFor(
  configuration: Pick<Configuration, 'batchSize' | 'sequenceLength' | 'options'>,
  options: BenchOptions,
  model: Pick<ModelDescription, 'embeddings'>,
  arrays: BenchPlan['arrays'],
): InputRequest {
  const dims: Record<string, number> = {};
  const shapes: Record<string, number[]> = {};
  for (const [key, value] of Object.entries(configuration.options)) {
    if (key.startsWith('dim.')) dims[key.slice(4)] = value as number;
    if (key.startsWith('shape.')) shapes[key.slice(6)] = value === 'scalar' ? [] : String(value).split('x').map(Number);
  }
  return {
    batch: configuration.batchSize,
    ...(configuration.sequenceLength !== undefined ? { sequenceLength: configuration.sequenceLength } : {}),
    dims,
    shapes,
    ...(options.input ? { values: options.input } : {}),
    ...(arrays ? { arrays } : {}),
    vocabularies: model.embeddings,
    ...(options.vocabSize !== undefined ? { vocabSize: options.vocabSize } : {}),
  };
}

/**
 * Batch sizes when none are asked: the batch the user's dims, shapes or arrays fix; a model
 * with no batch axis, its first input's fixed leading size (or 1); else 1,4 for token models
 * and 1,2,4,8 for others.
 */
function defaultBatches(model: ModelDescription, symbolic: SymbolicDim[], dims: Record<string, { value: number; from: string }>, tokens: boolean): number[] {
  const batchDims = symbolic.filter((d) => d.role === 'batch');
  const pinned = batchDims.map((d) => dims[d.key]).find((d) => d && (d.from === 'shape' || d.from === 'dim'));
  if (pinned) return [pinned.value];
  if (batchDims.length === 0) return [typeof model.inputs[0]?.dims[0] === 'number' && (model.inputs[0]?.dims.length ?? 0) >= 2 ? (model.inputs[0]!.dims[0] as number) : 1];
  return tokens ? [1, 4] : [1, 2, 4, 8];
}

/**
 * Why this configuration's feeds cannot be made as asked — a size the model fixes otherwise, or
 * a batch label that would not be what is fed — or undefined.
 */
export function feedReason(configuration: Configuration, options: BenchOptions, model: ModelDescription, arrays: BenchPlan['arrays'], symbolic: SymbolicDim[] = symbolicDims(model.inputs)): string | undefined {
  if (configuration.options.batchMode === 'fixed') return undefined; // built for each batch size
  let dims;
  try {
    dims = prepareShapes(model, requestFor(configuration, options, model, arrays));
  } catch (error) {
    if (error instanceof OrtbenchError) return error.message;
    throw error;
  }
  for (const dim of symbolic.filter((d) => d.role === 'batch')) {
    const fed = dims[dim.key];
    if (fed && fed.value !== configuration.batchSize) {
      return `batch ${configuration.batchSize} cannot be fed: ${fed.from === 'shape' ? (arrays && dim.uses.some((u) => arrays.feeds[u.slice(0, u.lastIndexOf(':'))]) ? `--inputs ${arrays.source}` : '--shape') : '--dim'} sets the batch dimension ${dim.key} to ${fed.value}`;
    }
  }
  const first = model.inputs[0];
  if (first && first.dims.length >= 2) {
    const fixed = fixedShapeReason(first.name, first.dims, configuration.batchSize, model.kind === 'token' ? configuration.sequenceLength : undefined);
    if (fixed) return fixed;
  } else if (symbolic.every((d) => d.role !== 'batch') && configuration.batchSize !== 1) {
    return `the model has no batch dimension (inputs: ${describeInputs(model.inputs)}): batch ${configuration.batchSize} cannot be fed`;
  }
  return undefined;
}

function prepareShapes(model: ModelDescription, request: InputRequest): Record<string, { value: number; from: string }> {
  const shapes: Record<string, readonly number[]> = { ...request.shapes };
  for (const [name, tensor] of Object.entries(request.arrays?.feeds ?? {})) shapes[name] = tensor.dims;
  return resolveInputShapes(model.inputs, { ...request, shapes }).dims;
}

function describeInputs(inputs: readonly ValueInfo[]): string {
  return inputs.map((i) => `${i.name} ${i.dtype} ${formatDims(i.dims)}`).join(', ');
}

/** `int8` as what it is for this model: static QDQ for image models, dynamic for token models (no calibration inputs). */
export function int8Kind(precision: string, tokens: boolean): string {
  return precision === 'int8' ? (tokens ? 'int8-dynamic' : 'int8-static') : precision;
}

/**
 * PyTorch runs its fp32 twin with no ONNX Runtime graph optimisation or arena: the precision,
 * optimisation-level, arena and memory-pattern axes do not apply to torch rows, which are
 * measured once per shape.
 */
function withTorchOnce(configurations: Configuration[]): Configuration[] {
  const seen = new Set<string>();
  return configurations.flatMap((configuration) => {
    if (!isTorchRunner(configuration.runner)) return [configuration];
    const { precision: _precision, variant: _variant, graphOptimizationLevel: _level, enableCpuMemArena: _arena, enableMemPattern: _pattern, ...options } = configuration.options;
    const once = { ...configuration, options };
    once.id = configurationId(once);
    if (seen.has(once.id)) return [];
    seen.add(once.id);
    return [once];
  });
}

/** Why a configuration cannot be fed to the model as asked (its sequence, its precision), or undefined. */
function staticSkipReason(configuration: Configuration, model: { tokens: boolean; maxPositions: number }): string | undefined {
  const { sequenceLength } = configuration;
  if (model.tokens && configuration.options.precision === 'int8-static') {
    return 'int8-static needs calibration images, and this model takes token ids: use int8-dynamic';
  }
  if (sequenceLength !== undefined && sequenceLength > model.maxPositions) {
    return `sequence length ${sequenceLength} exceeds the model's ${model.maxPositions} positions`;
  }
  return undefined;
}

/** Why feeds of this batch (and sequence length) do not fit an input whose axes are fixed, or undefined. */
export function fixedShapeReason(inputName: string, dims: readonly Dim[], batch: number, sequenceLength?: number): string | undefined {
  const shape = `[${dims.join(', ')}]`;
  if (typeof dims[0] === 'number' && dims[0] !== batch) {
    return `the model's input ${inputName} has a fixed batch of ${dims[0]} (${shape}): batch ${batch} cannot be fed`;
  }
  if (sequenceLength !== undefined && typeof dims[1] === 'number' && dims[1] !== sequenceLength) {
    return `the model's input ${inputName} has a fixed sequence length of ${dims[1]} (${shape}): ${sequenceLength} cannot be fed`;
  }
  return undefined;
}
