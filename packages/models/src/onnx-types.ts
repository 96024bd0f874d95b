import { createRequire } from 'node:module';
import type { DType } from '@ortbench/core';
import type { onnx as OnnxProto } from 'onnx-proto';

// onnx-proto is CommonJS whose `onnx` export Node's ESM loader cannot detect, so it is loaded
// with require (in both builds) and stays a dependency instead of being bundled.
/** The ONNX protobuf classes (onnx-proto): values such as onnx.ModelProto and their types. */
export const onnx: typeof OnnxProto = (createRequire(import.meta.url)('onnx-proto') as { onnx: typeof OnnxProto }).onnx;
// The types of the same names, so `onnx.IModelProto` reads as before.
// eslint-disable-next-line @typescript-eslint/no-namespace
export declare namespace onnx {
  export type IModelProto = OnnxProto.IModelProto;
  export type ModelProto = OnnxProto.ModelProto;
  export type IGraphProto = OnnxProto.IGraphProto;
  export type INodeProto = OnnxProto.INodeProto;
  export type ITensorProto = OnnxProto.ITensorProto;
  export type TensorProto = OnnxProto.TensorProto;
  export type IValueInfoProto = OnnxProto.IValueInfoProto;
  export type IAttributeProto = OnnxProto.IAttributeProto;
  export type IOperatorSetIdProto = OnnxProto.IOperatorSetIdProto;
}

const ELEMENT_TYPES: Record<Exclude<DType, 'string'> | 'string', number> = {
  float32: onnx.TensorProto.DataType.FLOAT,
  uint8: onnx.TensorProto.DataType.UINT8,
  int8: onnx.TensorProto.DataType.INT8,
  uint16: onnx.TensorProto.DataType.UINT16,
  int16: onnx.TensorProto.DataType.INT16,
  int32: onnx.TensorProto.DataType.INT32,
  int64: onnx.TensorProto.DataType.INT64,
  string: onnx.TensorProto.DataType.STRING,
  bool: onnx.TensorProto.DataType.BOOL,
  float16: onnx.TensorProto.DataType.FLOAT16,
  float64: onnx.TensorProto.DataType.DOUBLE,
  uint32: onnx.TensorProto.DataType.UINT32,
  uint64: onnx.TensorProto.DataType.UINT64,
};

const DTYPES = new Map<number, DType>(Object.entries(ELEMENT_TYPES).map(([dtype, code]) => [code, dtype as DType]));

/** The ONNX TensorProto element type of a dtype. */
export function elementType(dtype: DType): number {
  return ELEMENT_TYPES[dtype];
}

/** The dtype of an ONNX element type; `unknown` for types ortbench does not move (bfloat16, complex, float8). */
export function dtypeOf(elementTypeCode: number): DType | 'unknown' {
  return DTYPES.get(elementTypeCode) ?? 'unknown';
}

/** Bytes per element by ONNX element type (0 where not fixed). */
export function elementSize(elementTypeCode: number): number {
  switch (elementTypeCode) {
    case onnx.TensorProto.DataType.DOUBLE:
    case onnx.TensorProto.DataType.INT64:
    case onnx.TensorProto.DataType.UINT64:
    case onnx.TensorProto.DataType.COMPLEX64:
      return 8;
    case onnx.TensorProto.DataType.COMPLEX128:
      return 16;
    case onnx.TensorProto.DataType.FLOAT:
    case onnx.TensorProto.DataType.INT32:
    case onnx.TensorProto.DataType.UINT32:
      return 4;
    case onnx.TensorProto.DataType.FLOAT16:
    case onnx.TensorProto.DataType.BFLOAT16:
    case onnx.TensorProto.DataType.INT16:
    case onnx.TensorProto.DataType.UINT16:
      return 2;
    case onnx.TensorProto.DataType.STRING:
    case onnx.TensorProto.DataType.UNDEFINED:
      return 0;
    default:
      return 1; // int8, uint8, bool, and the 8-bit float types of newer IR versions
  }
}

/** protobufjs decodes int64 fields as Long objects (or numbers); ortbench wants numbers. */
export function toNumber(value: number | { toNumber(): number } | null | undefined): number {
  if (value === null || value === undefined) return 0;
  return typeof value === 'number' ? value : value.toNumber();
}

/** The lowest IR version that supports `opset` of the default domain. */
export function irVersionForOpset(opset: number): number {
  if (opset <= 14) return 7;
  if (opset <= 18) return 8;
  if (opset <= 20) return 9;
  return 10;
}
