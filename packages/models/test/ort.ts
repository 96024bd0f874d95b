import * as ort from 'onnxruntime-node';
import type { onnx } from '../src/index';
import { encodeModel } from '../src/index';

export type Inputs = Record<string, { data: Float32Array | BigInt64Array; dims: number[] }>;

/** Runs a model in a real onnxruntime-node session and returns its outputs. */
export async function runInOrt(model: onnx.IModelProto | Uint8Array | string, inputs: Inputs): Promise<Record<string, ort.Tensor>> {
  const source = typeof model === 'string' || model instanceof Uint8Array ? model : encodeModel(model).model;
  const session = typeof source === 'string' ? await ort.InferenceSession.create(source, { intraOpNumThreads: 2 }) : await ort.InferenceSession.create(source, { intraOpNumThreads: 2 });
  try {
    const feeds: Record<string, ort.Tensor> = {};
    for (const [name, { data, dims }] of Object.entries(inputs)) feeds[name] = new ort.Tensor(data instanceof Float32Array ? 'float32' : 'int64', data, dims);
    return (await session.run(feeds)) as Record<string, ort.Tensor>;
  } finally {
    await session.release();
  }
}

/** Deterministic pseudo-image data in [−2, 2]. */
export function imageData(count: number, seed = 1): Float32Array {
  return Float32Array.from({ length: count }, (_, i) => Math.sin(i * 0.37 + seed) * 2);
}

/** Token ids in [1, vocab). */
export function tokenIds(count: number, vocab: number, seed = 1): BigInt64Array {
  return BigInt64Array.from({ length: count }, (_, i) => BigInt(1 + ((i * 7919 + seed * 104729) % (vocab - 1))));
}

/** Largest absolute value, and whether any value is NaN, infinite or denormal. */
export function scan(data: Float32Array): { maxAbs: number; finite: boolean; denormals: number } {
  let maxAbs = 0;
  let finite = true;
  let denormals = 0;
  for (const v of data) {
    if (!Number.isFinite(v)) finite = false;
    const a = Math.abs(v);
    if (a > maxAbs) maxAbs = a;
    if (a > 0 && a < 1.1754943508222875e-38) denormals++;
  }
  return { maxAbs, finite, denormals };
}
