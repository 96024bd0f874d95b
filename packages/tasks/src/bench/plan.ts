import type { Configuration, Dim } from '@ortbench/core';
import { configurationId, expandMatrix, InvalidArgumentError } from '@ortbench/core';
import { isPresetName } from '@ortbench/models';
import type { ModelDescription } from '../model-source';
import { describeModel } from '../model-source';
import { isTorchRunner } from '../torch-pair';
import type { BenchOptions } from './options';

/** What the sweep will run, and what it knows before running anything. */
export interface BenchPlan {
  configurations: Configuration[];
  /** Configurations that cannot be measured as asked, by id, with the reason. */
  skips: Map<string, string>;
  /** What the model is (kind, fixed axes), as the fp32 file with a dynamic batch. */
  model: ModelDescription;
  /** A token model: it has a sequence-length axis. */
  tokens: boolean;
  /** The fp32 model's size on disk, for the memory estimate of keeping sessions loaded. */
  modelBytes: number;
}

/**
 * Expands the options into configurations whose ids carry everything that decides what is
 * measured (scenario, precision, batch mode, concurrency, optimisation level), and finds those that
 * cannot run as asked: a sequence longer than the model's positions, or a batch or sequence
 * length that a fixed-shape model cannot be fed. When none can run, it is a usage error.
 */
export async function planBench(options: BenchOptions): Promise<BenchPlan> {
  const preset = isPresetName(options.model);
  if (!preset && options.batchMode !== 'dynamic') {
    throw new InvalidArgumentError(`--batch-mode ${options.batchMode} needs a built-in model; ${options.model} is a file`);
  }
  const model = await describeModel(options.model, preset ? { batch: 'dynamic' } : {});
  const tokens = model.kind === 'token';
  const maxPositions = model.maxPositions ?? Number.POSITIVE_INFINITY;
  const expanded = expandMatrix({
    runners: options.runner,
    models: [options.model],
    batchSizes: options.batch ?? (tokens ? [1, 4] : [1, 2, 4, 8]),
    ...(tokens ? { sequenceLengths: options.seq } : {}),
    ...(options.threads ? { threads: options.threads } : {}),
    options: {
      ...(options.batchMode === 'both' ? { batchMode: ['dynamic', 'fixed'] } : options.batchMode === 'fixed' ? { batchMode: ['fixed'] } : {}),
      ...(options.concurrency.length > 1 || options.concurrency[0] !== 1 ? { concurrency: options.concurrency } : {}),
      ...(options.precision.length > 1 || options.precision[0] !== 'fp32' ? { precision: [...new Set(options.precision.map((p) => int8Kind(p, tokens)))] } : {}),
      ...(options.optLevel ? { graphOptimizationLevel: options.optLevel } : {}),
      ...(options.scenario ? { scenario: [options.scenario] } : {}),
      ...(options.targetQps !== undefined ? { targetQps: [options.targetQps] } : {}),
      ...(options.latencyBound !== undefined ? { latencyBoundMs: [options.latencyBound] } : {}),
    },
  });
  const first = model.inputs[0];
  const skips = new Map<string, string>();
  const configurations = withTorchOnce(expanded);
  for (const configuration of configurations) {
    const reason = staticSkipReason(configuration, { tokens, maxPositions, inputName: first?.name, dims: first?.dims ?? [] });
    if (reason) skips.set(configuration.id, reason);
  }
  if (skips.size === configurations.length) {
    throw new InvalidArgumentError(`no configuration of this sweep can run: ${[...new Set(skips.values())].join('; ')}`);
  }
  return { configurations, skips, model, tokens, modelBytes: model.bytes };
}

/** `int8` as what it is for this model: static QDQ for image models, dynamic for token models (no calibration inputs). */
export function int8Kind(precision: string, tokens: boolean): string {
  return precision === 'int8' ? (tokens ? 'int8-dynamic' : 'int8-static') : precision;
}

/**
 * PyTorch runs its fp32 twin with no ONNX Runtime graph optimisation: the precision and
 * optimisation-level axes do not apply to torch rows, which are measured once per shape.
 */
function withTorchOnce(configurations: Configuration[]): Configuration[] {
  const seen = new Set<string>();
  return configurations.flatMap((configuration) => {
    if (!isTorchRunner(configuration.runner)) return [configuration];
    const { precision: _precision, graphOptimizationLevel: _level, ...options } = configuration.options;
    const once = { ...configuration, options };
    once.id = configurationId(once);
    if (seen.has(once.id)) return [];
    seen.add(once.id);
    return [once];
  });
}

/** Why a configuration cannot be fed to the model as asked, or undefined. */
function staticSkipReason(
  configuration: Configuration,
  model: { tokens: boolean; maxPositions: number; inputName: string | undefined; dims: readonly Dim[] },
): string | undefined {
  const { batchSize, sequenceLength } = configuration;
  if (model.tokens && configuration.options.precision === 'int8-static') {
    return 'int8-static needs calibration images, and this model takes token ids: use int8-dynamic';
  }
  if (sequenceLength !== undefined && sequenceLength > model.maxPositions) {
    return `sequence length ${sequenceLength} exceeds the model's ${model.maxPositions} positions`;
  }
  // A built-in model in fixed batch mode is built for each batch size; anything else is fed as it is.
  if (configuration.options.batchMode === 'fixed') return undefined;
  return fixedShapeReason(model.inputName ?? 'input', model.dims, batchSize, model.tokens ? sequenceLength : undefined);
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
