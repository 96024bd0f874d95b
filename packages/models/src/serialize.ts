import path from 'node:path';
import { writeFileAtomic } from '@ortbench/core/node';
import { onnx } from './onnx-types';

/** Where and when weights go to a separate data file instead of the model. */
export interface ExternalDataOptions {
  /** The data file's name, relative to the model file (e.g. `model.onnx.data`). */
  location: string;
  /** Initializers of at least this many bytes go to the data file. Default 1024. */
  thresholdBytes?: number;
}

/** A serialised model, and its external data when asked for. */
export interface EncodedModel {
  model: Uint8Array;
  externalData?: Uint8Array;
}

/** Encodes a model with protobufjs; with `externalData`, large initializers are moved out. */
export function encodeModel(model: onnx.IModelProto, externalData?: ExternalDataOptions): EncodedModel {
  if (!externalData) return { model: onnx.ModelProto.encode(model).finish() };
  const threshold = externalData.thresholdBytes ?? 1024;
  const chunks: Uint8Array[] = [];
  let offset = 0;
  const initializer = (model.graph?.initializer ?? []).map((tensor) => {
    const raw = tensor.rawData;
    if (!raw || raw.byteLength < threshold) return tensor;
    chunks.push(raw);
    const entry: onnx.ITensorProto = {
      ...tensor,
      rawData: undefined,
      dataLocation: onnx.TensorProto.DataLocation.EXTERNAL,
      externalData: [
        { key: 'location', value: externalData.location },
        { key: 'offset', value: String(offset) },
        { key: 'length', value: String(raw.byteLength) },
      ],
    };
    offset += raw.byteLength;
    return entry;
  });
  const data = new Uint8Array(offset);
  let position = 0;
  for (const chunk of chunks) {
    data.set(chunk, position);
    position += chunk.byteLength;
  }
  const encoded = onnx.ModelProto.encode({ ...model, graph: { ...model.graph, initializer } }).finish();
  return { model: encoded, externalData: data };
}

/**
 * Writes a model (and its data file) atomically: readers never see a half-written model.
 * The data file is written first, so a model file never points at missing data.
 */
export async function saveModel(file: string, model: onnx.IModelProto, externalData?: ExternalDataOptions): Promise<void> {
  const encoded = encodeModel(model, externalData);
  if (externalData && encoded.externalData) {
    await writeFileAtomic(path.join(path.dirname(file), externalData.location), encoded.externalData);
  }
  await writeFileAtomic(file, encoded.model);
}
