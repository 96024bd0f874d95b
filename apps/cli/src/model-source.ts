import { stat } from 'node:fs/promises';
import { ErrorCode, OrtbenchError } from '@ortbench/core';
import type { BertOptions, ResNetOptions } from '@ortbench/models';
import { ensureModel, isPresetName, MODEL_PRESETS, presetSpec } from '@ortbench/models';

/** A model named on the command line: a built-in (built and cached on first use) or a file. */
export interface ResolvedModel {
  path: string;
  /** The built-in name, when it was one. */
  preset?: string;
  built: boolean;
}

/** Resolves a model argument; a missing file that is no built-in name is FILE_NOT_FOUND. */
export async function resolveModel(argument: string, overrides: ResNetOptions & BertOptions = {}): Promise<ResolvedModel> {
  if (isPresetName(argument)) {
    const { path, built } = await ensureModel(presetSpec(argument, overrides));
    return { path, preset: argument, built };
  }
  try {
    await stat(argument);
  } catch {
    throw new OrtbenchError(
      ErrorCode.FILE_NOT_FOUND,
      `${argument}: no such file, and not a built-in model (${Object.keys(MODEL_PRESETS).join(', ')})`,
    );
  }
  return { path: argument, built: false };
}
