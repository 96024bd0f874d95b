import { onnx, toNumber } from './onnx-types';

/** Small integer tensors (shapes, axes, indices) are folded; larger ones only keep their dims. */
export const MAX_FOLDED_ELEMENTS = 64;

/** The integer values of a small int32/int64 TensorProto, or undefined when not foldable. */
export function integerValues(tensor: onnx.ITensorProto): number[] | undefined {
  const count = (tensor.dims ?? []).reduce<number>((a, b) => a * toNumber(b), 1);
  if (count > MAX_FOLDED_ELEMENTS) return undefined;
  const Type = onnx.TensorProto.DataType;
  const raw = tensor.rawData;
  if (tensor.dataType === Type.INT64) {
    if (raw && raw.byteLength > 0) {
      const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
      return Array.from({ length: raw.byteLength / 8 }, (_, i) => Number(view.getBigInt64(i * 8, true)));
    }
    return (tensor.int64Data ?? []).map((v) => toNumber(v));
  }
  if (tensor.dataType === Type.INT32) {
    if (raw && raw.byteLength > 0) {
      const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
      return Array.from({ length: raw.byteLength / 4 }, (_, i) => view.getInt32(i * 4, true));
    }
    return [...(tensor.int32Data ?? [])];
  }
  return undefined;
}

/** Element count of a TensorProto. */
export function tensorElementCount(tensor: onnx.ITensorProto): number {
  return (tensor.dims ?? []).reduce<number>((a, b) => a * toNumber(b), 1);
}
