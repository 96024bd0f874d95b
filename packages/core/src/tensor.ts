import { InputMismatchError } from './errors';

/** Element types ortbench moves between runners. Names follow ONNX Runtime's JS API. */
export type DType =
  | 'float32'
  | 'float16'
  | 'float64'
  | 'int8'
  | 'uint8'
  | 'int16'
  | 'uint16'
  | 'int32'
  | 'uint32'
  | 'int64'
  | 'uint64'
  | 'bool'
  | 'string';

/** The typed array that holds each dtype's elements (float16 as raw bits in a Uint16Array). */
export interface TensorDataMap {
  float32: Float32Array;
  float16: Uint16Array;
  float64: Float64Array;
  int8: Int8Array;
  uint8: Uint8Array;
  int16: Int16Array;
  uint16: Uint16Array;
  int32: Int32Array;
  uint32: Uint32Array;
  int64: BigInt64Array;
  uint64: BigUint64Array;
  bool: Uint8Array;
  string: string[];
}

/** Any element container a {@link Tensor} may hold. */
export type TensorData = TensorDataMap[DType];

/**
 * A dense tensor, independent of any runtime: runners convert it to and from their own type.
 * `data` is row-major and holds exactly `elementCount(dims)` elements.
 */
export interface Tensor<T extends DType = DType> {
  readonly dtype: T;
  readonly dims: readonly number[];
  readonly data: TensorDataMap[T];
}

/** Named tensors passed to or returned by a model run. */
export type Feeds = Record<string, Tensor>;

/** A dimension in a model signature: a fixed size, a symbolic name (`batch_size`), or unknown. */
export type Dim = number | string | null;

/** The declared name, dtype and shape of one model input or output. */
export interface ValueInfo {
  name: string;
  dtype: DType | 'unknown';
  dims: readonly Dim[];
}

const BYTES_PER_ELEMENT: Record<Exclude<DType, 'string'>, number> = {
  float32: 4,
  float16: 2,
  float64: 8,
  int8: 1,
  uint8: 1,
  int16: 2,
  uint16: 2,
  int32: 4,
  uint32: 4,
  int64: 8,
  uint64: 8,
  bool: 1,
};

/** Bytes one element of `dtype` takes; strings have no fixed size and give `undefined`. */
export function bytesPerElement(dtype: DType): number | undefined {
  return dtype === 'string' ? undefined : BYTES_PER_ELEMENT[dtype];
}

/** Number of elements in a tensor of shape `dims` (1 for a scalar). */
export function elementCount(dims: readonly number[]): number {
  let count = 1;
  for (const dim of dims) count *= dim;
  return count;
}

/**
 * Builds a tensor after checking that every dim is a non-negative integer and that
 * `data` holds exactly as many elements as the shape needs.
 */
export function createTensor<T extends DType>(dtype: T, data: TensorDataMap[T], dims: readonly number[]): Tensor<T> {
  for (const dim of dims) {
    if (!Number.isInteger(dim) || dim < 0) {
      throw new InputMismatchError(`tensor dims [${dims.join(', ')}] must be non-negative integers`);
    }
  }
  const expected = elementCount(dims);
  if (data.length !== expected) {
    throw new InputMismatchError(
      `tensor of shape [${dims.join(', ')}] needs ${expected} ${dtype} elements, got ${data.length}`,
    );
  }
  return { dtype, data, dims: [...dims] };
}

/** Formats a signature's dims the way the reports print them: `[batch_size, 3, 224, 224]`. */
export function formatDims(dims: readonly Dim[]): string {
  return `[${dims.map((dim) => (dim === null ? '?' : String(dim))).join(', ')}]`;
}
