import { InvalidArgumentError } from '@ortbench/core';
import { onnx, toNumber } from './onnx-types';

/** The float32 values of a FLOAT TensorProto (raw data or float_data). */
export function floatValues(tensor: onnx.ITensorProto): Float32Array {
  if (tensor.dataType !== onnx.TensorProto.DataType.FLOAT) throw new InvalidArgumentError(`tensor "${tensor.name}" is not float32`);
  const raw = tensor.rawData;
  if (raw && raw.byteLength > 0) {
    const copy = new Uint8Array(raw.byteLength);
    copy.set(raw);
    return new Float32Array(copy.buffer);
  }
  if (tensor.dataLocation === onnx.TensorProto.DataLocation.EXTERNAL) {
    throw new InvalidArgumentError(`tensor "${tensor.name}" keeps its data in an external file: read the model with loadExternalData`);
  }
  return Float32Array.from(tensor.floatData ?? []);
}

/** The dims of a TensorProto as numbers. */
export function dimsOf(tensor: onnx.ITensorProto): number[] {
  return (tensor.dims ?? []).map((d) => toNumber(d));
}

/** Raw little-endian bytes of a typed array (no copy). */
export function bytesOf(data: ArrayBufferView): Uint8Array {
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}
