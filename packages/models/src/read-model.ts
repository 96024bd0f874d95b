import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { ErrorCode, ModelInvalidError, OrtbenchError } from '@ortbench/core';
import { onnx, toNumber } from './onnx-types';

/** Options for {@link readModel}. */
export interface ReadModelOptions {
  /**
   * Read external data files into the initializers' raw data (to rewrite the model as one
   * file). Off by default: inspection needs only shapes, and ORT reads the files itself.
   */
  loadExternalData?: boolean;
}

/**
 * Reads and validates an ONNX model from a path or bytes. Anything that is not a model —
 * a missing or empty file, random bytes, another protobuf, an image — is MODEL_INVALID (or
 * FILE_NOT_FOUND) with the file named; never a crash.
 */
export async function readModel(source: string | Uint8Array, options: ReadModelOptions = {}): Promise<onnx.ModelProto> {
  const label = typeof source === 'string' ? source : `<${source.byteLength} bytes>`;
  const bytes = typeof source === 'string' ? await readModelFile(source) : source;
  const model = decodeModel(bytes, label);
  if (options.loadExternalData) {
    if (typeof source !== 'string') {
      if (hasExternalData(model)) throw new ModelInvalidError(label, 'has external data but was given as bytes, so its files cannot be found');
    } else {
      await loadExternalData(model, path.dirname(source), label);
    }
  }
  return model;
}

/** Decodes bytes as a ModelProto and checks it is a model, not merely some protobuf. */
export function decodeModel(bytes: Uint8Array, label: string): onnx.ModelProto {
  if (bytes.byteLength === 0) throw new ModelInvalidError(label, 'the file is empty');
  let model: onnx.ModelProto;
  try {
    // A plain Uint8Array view (no copy): given a Node Buffer, protobufjs 6 calls the deprecated Buffer().
    model = onnx.ModelProto.decode(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  } catch (error) {
    throw new ModelInvalidError(label, `cannot decode the protobuf (${(error as Error).message})`);
  }
  const irVersion = toNumber(model.irVersion);
  if (irVersion < 3 || irVersion > 100 || !model.graph) {
    throw new ModelInvalidError(label, 'no ONNX graph or IR version: a protobuf, or bytes that decode as one, but not a model');
  }
  if ((model.graph.output ?? []).length === 0) throw new ModelInvalidError(label, 'the graph has no outputs');
  if (!model.opsetImport.some((opset) => !opset.domain || opset.domain === 'ai.onnx')) {
    throw new ModelInvalidError(label, 'no default-domain opset import');
  }
  return model;
}

/** True when any initializer keeps its data in an external file. */
export function hasExternalData(model: onnx.IModelProto): boolean {
  return (model.graph?.initializer ?? []).some((t) => t.dataLocation === onnx.TensorProto.DataLocation.EXTERNAL);
}

/** The external-data fields of a tensor (`location`, `offset`, `length`). */
export function externalDataOf(tensor: onnx.ITensorProto): { location: string; offset: number; length?: number } {
  const fields = new Map((tensor.externalData ?? []).map((entry) => [entry.key ?? '', entry.value ?? '']));
  const length = fields.get('length');
  return {
    location: fields.get('location') ?? '',
    offset: Number(fields.get('offset') ?? 0),
    ...(length === undefined ? {} : { length: Number(length) }),
  };
}

async function readModelFile(file: string): Promise<Uint8Array> {
  let info;
  try {
    info = await stat(file);
  } catch {
    throw new OrtbenchError(ErrorCode.FILE_NOT_FOUND, `${file}: no such file`);
  }
  if (info.isDirectory()) throw new OrtbenchError(ErrorCode.INVALID_ARGUMENT, `${file}: is a directory, not an .onnx file`);
  return readFile(file);
}

async function loadExternalData(model: onnx.ModelProto, directory: string, label: string): Promise<void> {
  const files = new Map<string, Uint8Array>();
  for (const tensor of model.graph?.initializer ?? []) {
    if (tensor.dataLocation !== onnx.TensorProto.DataLocation.EXTERNAL) continue;
    const { location, offset, length } = externalDataOf(tensor);
    // ONNX requires data files beside the model: refuse paths that climb out of its folder.
    if (!location || path.isAbsolute(location) || location.split(/[\\/]/).includes('..')) {
      throw new ModelInvalidError(label, `initializer "${tensor.name}" points outside the model's folder: ${JSON.stringify(location)}`);
    }
    let data = files.get(location);
    if (!data) {
      try {
        data = await readFile(path.join(directory, location));
      } catch {
        throw new ModelInvalidError(label, `external data file ${location} for initializer "${tensor.name}" is missing`);
      }
      files.set(location, data);
    }
    const end = length === undefined ? data.byteLength : offset + length;
    if (offset < 0 || end > data.byteLength) {
      throw new ModelInvalidError(label, `external data for "${tensor.name}" ends at byte ${end}, past the end of ${location} (${data.byteLength} bytes)`);
    }
    tensor.rawData = data.subarray(offset, end);
    tensor.dataLocation = onnx.TensorProto.DataLocation.DEFAULT;
    tensor.externalData = [];
  }
}
