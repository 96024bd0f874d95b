import { stat } from 'node:fs/promises';
import type { ValueInfo } from '@ortbench/core';
import { ErrorCode, InvalidArgumentError, OrtbenchError } from '@ortbench/core';
import type { BertOptions, onnx, ResNetOptions } from '@ortbench/models';
import type { ModelFolder } from './model-folder';
import { readModelFolder, variantsOf } from './model-folder';
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

/** How a model is resolved: a built-in's sizes, or a model folder's component (`decoder_model_merged`; default its main one). */
export type ModelOverrides = ResNetOptions & BertOptions & { component?: string };

/** Resolves a model argument; a missing file that is no built-in name is FILE_NOT_FOUND. */
export async function resolveModel(argument: string, overrides: ModelOverrides = {}): Promise<ResolvedModel> {
  const { component, ...sizes } = overrides;
  if (isPresetName(argument)) {
    if (component !== undefined) throw new InvalidArgumentError(`--component: ${argument} is a built-in model, not a model folder`);
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
    return { path: variantsOf(folder)[0]!.file, built: false, folder };
  }
  if (component !== undefined) throw new InvalidArgumentError(`--component: ${argument} is a file, not a model folder`);
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
