import type { DType, Feeds, Tensor, ValueInfo } from '@ortbench/core';

/** The parts of onnxruntime-common's Tensor that ortbench uses (node and web share it). */
export interface OrtTensorLike {
  readonly type: string;
  readonly dims: readonly number[];
  readonly data: unknown;
}

/** A constructor shaped like `ort.Tensor`, so node and web builds can share this code. */
export type OrtTensorConstructor = new (type: DType, data: Tensor['data'], dims: readonly number[]) => OrtTensorLike;

/** Wraps ortbench tensors as ORT tensors (no copy: ORT takes the typed arrays as they are). */
export function toOrtFeeds(Ctor: OrtTensorConstructor, feeds: Feeds): Record<string, OrtTensorLike> {
  const result: Record<string, OrtTensorLike> = {};
  for (const [name, tensor] of Object.entries(feeds)) result[name] = new Ctor(tensor.dtype, tensor.data, tensor.dims);
  return result;
}

/** Converts ORT outputs back to ortbench tensors. */
export function fromOrtOutputs(outputs: Record<string, OrtTensorLike>): Feeds {
  const result: Feeds = {};
  for (const [name, tensor] of Object.entries(outputs)) {
    result[name] = { dtype: tensor.type as DType, dims: [...tensor.dims], data: tensor.data as Tensor['data'] };
  }
  return result;
}

/** ORT's value metadata as ortbench ValueInfo (non-tensor values get dtype "unknown"). */
export function toValueInfo(metadata: {
  name: string;
  isTensor: boolean;
  type?: string;
  shape?: readonly (number | string)[];
}): ValueInfo {
  if (!metadata.isTensor) return { name: metadata.name, dtype: 'unknown', dims: [] };
  return {
    name: metadata.name,
    dtype: (metadata.type ?? 'unknown') as ValueInfo['dtype'],
    dims: (metadata.shape ?? []).map(unknownAsNull),
  };
}

/**
 * A dim ORT reports for a dynamic axis the model leaves unnamed: onnxruntime-node gives '' (or
 * −1), onnxruntime-web −1 read as an unsigned 4294967295. All are unknown, never a size.
 */
function unknownAsNull(dim: number | string): number | string | null {
  if (typeof dim === 'string') return dim === '' ? null : dim;
  return dim < 0 || dim >= 2 ** 31 - 1 ? null : dim;
}
