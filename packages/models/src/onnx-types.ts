import { createRequire } from 'node:module';
import type { DType } from '@ortbench/core';
import type { onnx as OnnxProto } from 'onnx-proto';

// onnx-proto is CommonJS whose `onnx` export Node's ESM loader cannot detect, so it is loaded
// with require (in both builds) and stays a dependency instead of being bundled. It is loaded on
// first use, not at import: protobufjs and the generated classes cost ~70 ms of start-up that a
// command which never reads or writes a model (compare, report, classify of a photo) should not pay.
let loaded: typeof OnnxProto | undefined;
function load(): typeof OnnxProto {
  loaded ??= (createRequire(import.meta.url)('onnx-proto') as { onnx: typeof OnnxProto }).onnx;
  return loaded;
}
/** The ONNX protobuf classes (onnx-proto): values such as onnx.ModelProto and their types. */
export const onnx: typeof OnnxProto = new Proxy({} as typeof OnnxProto, { get: (_, key) => Reflect.get(load(), key) });

/** ONNX TensorProto element types: fixed by the ONNX specification, so known without protobuf. */
export const DataType = {
  UNDEFINED: 0,
  FLOAT: 1,
  UINT8: 2,
  INT8: 3,
  UINT16: 4,
  INT16: 5,
  INT32: 6,
  INT64: 7,
  STRING: 8,
  BOOL: 9,
  FLOAT16: 10,
  DOUBLE: 11,
  UINT32: 12,
  UINT64: 13,
  COMPLEX64: 14,
  COMPLEX128: 15,
  BFLOAT16: 16,
} as const;

/** ONNX AttributeProto types, from the same specification. */
export const AttributeType = { UNDEFINED: 0, FLOAT: 1, INT: 2, STRING: 3, TENSOR: 4, GRAPH: 5, FLOATS: 6, INTS: 7, STRINGS: 8, TENSORS: 9, GRAPHS: 10, SPARSE_TENSOR: 11, SPARSE_TENSORS: 12, TYPE_PROTO: 13, TYPE_PROTOS: 14 } as const;

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
  float32: DataType.FLOAT,
  uint8: DataType.UINT8,
  int8: DataType.INT8,
  uint16: DataType.UINT16,
  int16: DataType.INT16,
  int32: DataType.INT32,
  int64: DataType.INT64,
  string: DataType.STRING,
  bool: DataType.BOOL,
  float16: DataType.FLOAT16,
  float64: DataType.DOUBLE,
  uint32: DataType.UINT32,
  uint64: DataType.UINT64,
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
    case DataType.DOUBLE:
    case DataType.INT64:
    case DataType.UINT64:
    case DataType.COMPLEX64:
      return 8;
    case DataType.COMPLEX128:
      return 16;
    case DataType.FLOAT:
    case DataType.INT32:
    case DataType.UINT32:
      return 4;
    case DataType.FLOAT16:
    case DataType.BFLOAT16:
    case DataType.INT16:
    case DataType.UINT16:
      return 2;
    case DataType.STRING:
    case DataType.UNDEFINED:
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
