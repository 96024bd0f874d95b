import { stat } from 'node:fs/promises';
import path from 'node:path';
import type { ValueInfo } from '@ortbench/core';
import { ErrorCode, InvalidArgumentError, OrtbenchError } from '@ortbench/core';
import type { BertOptions, onnx, ResNetOptions } from '@ortbench/models';
import type { ModelFolder } from './model-folder';
import { readModelFolder, variantFile, variantsOf } from './model-folder';
import { maxPositionsOf } from './folder-inputs';
import { ensureModel, inspectModel, isPresetName, MODEL_PRESETS, presetSpec, readModel, resolvedOptionsFor } from '@ortbench/models';

/** A model named by the caller: a built-in (built and cached on first use), a file, or a model folder. */
export interface ResolvedModel {
  /** The graph to read: for a folder, its measured component's fp32 file (else its first variant). */
  path: string;
  /** The built-in name, when it was one. */
  preset?: string;
  built: boolean;
  /** The folder, when the model is one (transformers.js / Optimum layout: one file per variant). */
  folder?: ModelFolder;
}

/** What a model is, decided once for every task: its kind and which of its axes are fixed. */
export interface ModelDescription extends ResolvedModel {
  /** token: integer inputs of rank 2 (BERT); image: a rank-4 float input with 3 channels; else other. */
  kind: 'image' | 'token' | 'other';
  inputs: ValueInfo[];
  /** The first input's batch axis when it is fixed. */
  fixedBatch?: number;
  /** A token model's sequence axis when it is fixed. */
  fixedSequence?: number;
  /** A built-in token model's position-embedding count: the longest sequence it can take. */
  maxPositions?: number;
  /** The file's size in bytes. */
  bytes: number;
  /** Integer inputs that index an embedding table, with its row count (the ids' vocabulary). */
  embeddings: Record<string, number>;
}

/**
 * How a model is resolved: a built-in's sizes, or a model folder's component
 * (`decoder_model_merged`; default its main one) and variant (`q8`; default fp32, else its first).
 */
export type ModelOverrides = ResNetOptions & BertOptions & { component?: string; variant?: string };

/** A model folder's component and variant, as given (each only when set). */
export interface FolderChoice {
  /** A model folder's graph: `decoder_model_merged`, … (default `model`, else the encoder). */
  component?: string;
  /** A model folder's variant file: `q8`, `q4`, … (default fp32, else its first). */
  variant?: string;
}

/** The {@link ModelOverrides} of a folder choice, without keys for what was not set. */
export function folderOverrides(choice: FolderChoice): ModelOverrides {
  return { ...(choice.component !== undefined ? { component: choice.component } : {}), ...(choice.variant !== undefined ? { variant: choice.variant } : {}) };
}

/** How a resolved model is named in results: the argument, with a model folder's component and variant (`minilm (q8)`). */
export function modelLabel(argument: string, resolved: ResolvedModel): string {
  if (!resolved.folder) return argument;
  const variant = variantsOf(resolved.folder).find((v) => v.file === resolved.path)?.variant;
  const component = resolved.folder.components.size > 1 ? `${resolved.folder.main} ` : '';
  return `${argument} (${component}${variant ?? path.basename(resolved.path)})`;
}

/** Resolves a model argument; a missing file that is no built-in name is FILE_NOT_FOUND. */
export async function resolveModel(argument: string, overrides: ModelOverrides = {}): Promise<ResolvedModel> {
  const { component, variant, ...sizes } = overrides;
  const notFolder = (what: string) => {
    for (const [flag, value] of [['--component', component], ['--variant', variant]] as const) {
      if (value !== undefined) throw new InvalidArgumentError(`${flag}: ${argument} is ${what}, not a model folder`);
    }
  };
  if (isPresetName(argument)) {
    notFolder('a built-in model');
    const { path, built } = await ensureModel(presetSpec(argument, sizes));
    return { path, preset: argument, built };
  }
  let found;
  try {
    found = await stat(argument);
  } catch {
    throw new OrtbenchError(ErrorCode.FILE_NOT_FOUND, `${argument}: no such file, and not a built-in model (${Object.keys(MODEL_PRESETS).join(', ')})`);
  }
  if (found.isDirectory()) {
    const folder = await readModelFolder(argument, component);
    return { path: variant === undefined ? variantsOf(folder)[0]!.file : variantFile(folder, variant).file, built: false, folder };
  }
  notFolder('a file');
  return { path: argument, built: false };
}

/** Resolves a model and says what it is (reading its graph once). */
export async function describeModel(argument: string, overrides: ModelOverrides = {}): Promise<ModelDescription> {
  const resolved = await resolveModel(argument, overrides);
  const decoded = await readModel(resolved.path);
  const description = describeGraph(decoded);
  // A built-in token model's positions, or a model folder's (config.json's max_position_embeddings).
  const maxPositions = resolved.preset && description.kind === 'token' ? Number(resolvedOptionsFor(resolved.preset).maxPositions) : resolved.folder ? maxPositionsOf(resolved.folder) : undefined;
  return { ...resolved, ...description, ...(maxPositions ? { maxPositions } : {}), bytes: (await stat(resolved.path)).size };
}

/** The kind and fixed axes of a decoded model. */
export function describeGraph(model: onnx.IModelProto): Pick<ModelDescription, 'kind' | 'inputs' | 'fixedBatch' | 'fixedSequence' | 'embeddings'> {
  const { inputs, embeddings } = inspectModel(model);
  const kind = modelKind(inputs);
  const first = inputs[0];
  const description: Pick<ModelDescription, 'kind' | 'inputs' | 'fixedBatch' | 'fixedSequence' | 'embeddings'> = { kind, inputs, embeddings };
  if (typeof first?.dims[0] === 'number') description.fixedBatch = first.dims[0];
  if (kind === 'token' && typeof first?.dims[1] === 'number') description.fixedSequence = first.dims[1];
  return description;
}

/** The one rule for "what kind of model is this", from its inputs. */
export function modelKind(inputs: readonly ValueInfo[]): ModelDescription['kind'] {
  if (inputs.some((input) => input.dtype.startsWith('int') && input.dims.length === 2)) return 'token';
  const first = inputs[0];
  if (first && first.dtype.startsWith('float') && first.dims.length === 4 && (first.dims[1] === 3 || first.dims[3] === 3)) return 'image';
  return 'other';
}
