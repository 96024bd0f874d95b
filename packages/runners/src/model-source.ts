import { stat } from 'node:fs/promises';
import type { ModelSource } from '@ortbench/core';
import { ErrorCode, OrtbenchError } from '@ortbench/core';

/** How a model source is named in messages. */
export function describeSource(model: ModelSource): string {
  return typeof model === 'string' ? model : `<${model.byteLength} bytes>`;
}

/** Fails early, naming the path, when a model path is missing, a directory or empty. */
export async function assertModelFile(model: ModelSource): Promise<void> {
  if (typeof model !== 'string') {
    if (model.byteLength === 0) throw new OrtbenchError(ErrorCode.MODEL_INVALID, `${describeSource(model)}: empty model`);
    return;
  }
  let info;
  try {
    info = await stat(model);
  } catch {
    throw new OrtbenchError(ErrorCode.FILE_NOT_FOUND, `${model}: no such file`);
  }
  if (info.isDirectory()) throw new OrtbenchError(ErrorCode.INVALID_ARGUMENT, `${model}: is a directory, not an .onnx file`);
  if (info.size === 0) throw new OrtbenchError(ErrorCode.MODEL_INVALID, `${model}: not a valid ONNX model: the file is empty`);
}
