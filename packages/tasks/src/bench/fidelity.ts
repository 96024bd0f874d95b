import type { Feeds, Measurement, Runner, RunnerOptions, Session, Tensor } from '@ortbench/core';
import { createTensor, fromFloat16Bits, toFloat16Bits } from '@ortbench/core';

/** How close a variant's outputs are to fp32's on the same inputs (`measurement.fidelity`). */
export type Fidelity = NonNullable<Measurement['fidelity']>;
type Compared = Extract<Fidelity, { output: string }>;

/** What the outputs are compared on: one or more sets of feeds, and what they are, in words. */
export interface FidelityInputs {
  feeds: readonly Feeds[];
  /** `8 built-in sentences, tokenised by the folder's tokenizer.json (BPE)`, `the inputs timed (seeded)`. */
  description: string;
}

/**
 * Runs the fp32 model and the variant's session on the same feeds and compares the first float
 * output they share: per item (the batch axis of every feed set), the cosine similarity — of the
 * output mean-pooled over its second axis for rank ≥ 3 (an encoder's last hidden state, pooled
 * over the sequence), of the row for rank 2 (logits, an embedding) — with the smallest and the
 * mean over items; the largest absolute difference; and for rank-2 outputs the items whose top-1
 * index changed. Undefined, with the reason, when the two cannot be fed alike or share no float output.
 */
export async function fidelityToFp32(variant: Session, inputs: FidelityInputs, fp32: { runner: Runner; path: string; options: RunnerOptions }): Promise<Fidelity> {
  const reference = await fp32.runner.load(fp32.path, fp32.options);
  try {
    const parts: Compared[] = [];
    for (const feeds of inputs.feeds) {
      const mineFeeds = fedAs(variant, feeds, 'variant');
      const referenceFeeds = fedAs(reference, feeds, 'fp32 model');
      if (typeof mineFeeds === 'string' || typeof referenceFeeds === 'string') return { reference: 'fp32', unavailable: typeof mineFeeds === 'string' ? mineFeeds : (referenceFeeds as string) };
      const [mine, theirs] = [(await variant.run(mineFeeds)).outputs, (await reference.run(referenceFeeds)).outputs];
      const name = Object.keys(theirs).find((key) => mine[key] && isFloat(theirs[key]!) && isFloat(mine[key]!));
      if (!name) return { reference: 'fp32', unavailable: 'the variant and fp32 share no float output' };
      const part = compareOutputs(name, floats(mine[name]!), floats(theirs[name]!), theirs[name]!.dims);
      if ('unavailable' in part) return part;
      parts.push(part);
    }
    if (parts.length === 0) return { reference: 'fp32', unavailable: 'no inputs to compare on' };
    return { ...merge(parts), inputs: inputs.description };
  } finally {
    await reference.dispose();
  }
}

/** The feeds as `session` takes them (float16 ↔ float32 converted), or why they cannot be. */
function fedAs(session: Session, feeds: Feeds, which: string): Feeds | string {
  const fed: Feeds = {};
  for (const input of session.inputs) {
    const tensor = feeds[input.name];
    if (!tensor) return `the ${which} takes "${input.name}", which is not fed`;
    const converted = asDtype(tensor, input.dtype === 'unknown' ? tensor.dtype : input.dtype);
    if (!converted) return `the ${which} takes "${input.name}" as ${input.dtype}, fed as ${tensor.dtype}`;
    fed[input.name] = converted;
  }
  return fed;
}

/** Figures over several feed sets: items summed, the worst cosine and difference, the mean weighted by items. */
function merge(parts: readonly Compared[]): Compared {
  const items = parts.reduce((sum, p) => sum + p.items, 0);
  const merged: Compared = {
    ...parts[0]!,
    items,
    cosineMin: Math.min(...parts.map((p) => p.cosineMin)),
    cosineMean: parts.reduce((sum, p) => sum + p.cosineMean * p.items, 0) / Math.max(1, items),
    maxAbsDiff: Math.max(...parts.map((p) => p.maxAbsDiff)),
  };
  if (parts.some((p) => p.top1Changed !== undefined)) merged.top1Changed = parts.reduce((sum, p) => sum + (p.top1Changed ?? 0), 0);
  return merged;
}

/** The figures of one output pair (both as float32, of the same shape `dims`). */
export function compareOutputs(name: string, mine: Float32Array, theirs: Float32Array, dims: readonly number[]): Compared | Extract<Fidelity, { unavailable: string }> {
  if (mine.length !== theirs.length) return { reference: 'fp32', unavailable: `"${name}" has ${mine.length} values in the variant, ${theirs.length} in fp32` };
  const items = dims.length > 0 ? dims[0]! : 1;
  const perItem = items > 0 ? theirs.length / items : 0;
  const pooled = dims.length >= 3;
  const width = pooled ? dims[dims.length - 1]! : perItem;
  let maxAbsDiff = 0;
  for (let i = 0; i < theirs.length; i++) maxAbsDiff = Math.max(maxAbsDiff, Math.abs(mine[i]! - theirs[i]!));
  const cosines: number[] = [];
  let top1Changed = 0;
  for (let item = 0; item < items; item++) {
    const a = mine.subarray(item * perItem, (item + 1) * perItem);
    const b = theirs.subarray(item * perItem, (item + 1) * perItem);
    const [x, y] = pooled ? [meanPool(a, width), meanPool(b, width)] : [a, b];
    cosines.push(cosine(x, y));
    if (dims.length === 2 && argmax(a) !== argmax(b)) top1Changed++;
  }
  const fidelity: Compared = {
    reference: 'fp32',
    output: name,
    items,
    ...(pooled ? { pooled: true } : {}),
    cosineMin: Math.min(...cosines),
    cosineMean: cosines.reduce((sum, c) => sum + c, 0) / Math.max(1, cosines.length),
    maxAbsDiff,
  };
  if (dims.length === 2) fidelity.top1Changed = top1Changed;
  return fidelity;
}

function meanPool(values: Float32Array, width: number): Float32Array {
  const rows = values.length / width;
  const out = new Float32Array(width);
  for (let r = 0; r < rows; r++) for (let c = 0; c < width; c++) out[c]! += values[r * width + c]! / rows;
  return out;
}

function cosine(a: Float32Array, b: Float32Array): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i]! * b[i]!;
    na += a[i]! * a[i]!;
    nb += b[i]! * b[i]!;
  }
  // Two all-zero vectors are the same; one zero vector against another is not.
  if (na === 0 || nb === 0) return na === nb ? 1 : 0;
  return dot / Math.sqrt(na * nb);
}

function argmax(values: Float32Array): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i]! > values[best]!) best = i;
  return best;
}

function isFloat(tensor: Tensor): boolean {
  return tensor.dtype === 'float32' || tensor.dtype === 'float16' || tensor.dtype === 'float64';
}

function floats(tensor: Tensor): Float32Array {
  if (tensor.dtype === 'float16') return Float32Array.from(tensor.data as Uint16Array, fromFloat16Bits);
  return Float32Array.from(tensor.data as ArrayLike<number>);
}

/** The tensor as `dtype`: itself, or float16 ↔ float32 converted; undefined for any other change. */
function asDtype(tensor: Tensor, dtype: string): Tensor | undefined {
  if (tensor.dtype === dtype) return tensor;
  if (tensor.dtype === 'float16' && dtype === 'float32') return createTensor('float32', floats(tensor), tensor.dims);
  if (tensor.dtype === 'float32' && dtype === 'float16') return createTensor('float16', Uint16Array.from(tensor.data as Float32Array, toFloat16Bits), tensor.dims);
  return undefined;
}
