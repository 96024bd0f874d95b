import type { Feeds, Tensor, ValueInfo } from '@ortbench/core';
import { createTensor, InputMismatchError, InvalidArgumentError, SeededRandom, toFloat16Bits } from '@ortbench/core';
import type { BertEncoding } from './bert-tokenizer';

import type { ImageConfig, ImagePreset } from './image-config';
import { imageConfig, outputSize } from './image-config';
import { channelTransform, writePixels } from './pixels-to-tensor';

/**
 * A batch of seeded random images, normalised exactly as real ones would be (random 0–255
 * pixels through the same conversion), so their value range matches deployment. The same
 * seed gives the same tensor on every run.
 */
export function syntheticImages(batch: number, config: ImageConfig | ImagePreset = 'imagenet', seed = 0): Tensor<'float32'> | Tensor<'float16'> {
  const resolved = typeof config === 'string' ? imageConfig(config) : imageConfig(config);
  const size = outputSize(resolved);
  if (!size) throw new InvalidArgumentError('synthetic images need a fixed output size: set a crop or an exact resize');
  positive(batch, 'batch');
  const perImage = size.width * size.height * 3;
  const target = resolved.dtype === 'float16' ? new Uint16Array(batch * perImage) : new Float32Array(batch * perImage);
  const pixels = new Uint8Array(perImage);
  const random = new SeededRandom(`images:${seed}`);
  const transform = channelTransform(resolved);
  for (let i = 0; i < batch; i++) {
    random.fillIntegers(pixels, 0, 256);
    writePixels(pixels, size.width, size.height, transform, resolved.layout, target, i * perImage);
  }
  const dims = resolved.layout === 'nchw' ? [batch, 3, size.height, size.width] : [batch, size.height, size.width, 3];
  return resolved.dtype === 'float16' ? createTensor('float16', target as Uint16Array, dims) : createTensor('float32', target as Float32Array, dims);
}

/** Options for {@link syntheticTokens}. */
export interface SyntheticTokenOptions {
  /** Lowest token id (inclusive). Default 1, as the seed scripts used. */
  low?: number;
  /** Highest token id (exclusive). Default 8000. */
  high?: number;
  seed?: number;
}

/** Seeded random token ids in [low, high), every position attended, one segment. */
export function syntheticTokens(batch: number, sequenceLength: number, options: SyntheticTokenOptions = {}): BertEncoding {
  positive(batch, 'batch');
  positive(sequenceLength, 'sequence length');
  const low = options.low ?? 1;
  const high = options.high ?? 8000;
  if (!Number.isInteger(low) || !Number.isInteger(high) || low < 0 || high <= low) {
    throw new InvalidArgumentError(`token id range [${low}, ${high}) is empty or not integral`);
  }
  const count = batch * sequenceLength;
  const ids = new SeededRandom(`tokens:${options.seed ?? 0}`).fillIntegers(new Int32Array(count), low, high);
  return {
    inputIds: BigInt64Array.from(ids, BigInt),
    attentionMask: new BigInt64Array(count).fill(1n),
    tokenTypeIds: new BigInt64Array(count),
    dims: [batch, sequenceLength],
    tokens: [],
  };
}

function positive(value: number, label: string): void {
  if (!Number.isInteger(value) || value < 1) throw new InvalidArgumentError(`${label} must be a positive integer, got ${value}`);
}

/** Values for each symbolic dim (`batch_size`, `sequence_length`, …) when building feeds. */
export interface SyntheticFeedOptions {
  /** Size of the first axis when symbolic. Default 1. */
  batch?: number;
  /** Size of the second axis of integer (token) inputs when symbolic. Default 128. */
  sequenceLength?: number;
  /** Any other symbolic dim by name (wins over batch and sequenceLength). Default 1. */
  dims?: Record<string, number>;
  seed?: number;
}

/**
 * Seeded feeds for any model from its declared inputs: token ids in [1, 8000) for integer
 * inputs (ones for a mask, zeros for token types), uniform values in [−2, 2] — the range of
 * normalised images — for float inputs. The same seed gives the same feeds on every run.
 */
export function syntheticFeeds(inputs: readonly ValueInfo[], options: SyntheticFeedOptions = {}): Feeds {
  const feeds: Feeds = {};
  inputs.forEach((input, index) => {
    const dims = input.dims.map((dim, axis) => {
      if (typeof dim === 'number') return dim;
      if (dim && options.dims?.[dim] !== undefined) return options.dims[dim] as number;
      if (axis === 0) return options.batch ?? 1;
      if (axis === 1 && input.dtype.startsWith('int')) return options.sequenceLength ?? 128;
      return 1;
    });
    const count = dims.reduce((a, b) => a * b, 1);
    const random = new SeededRandom(`feeds:${options.seed ?? 0}:${index}`);
    const role = /mask/i.test(input.name) ? 'mask' : /type|segment/i.test(input.name) ? 'types' : 'ids';
    const integers = () => (role === 'mask' ? new Float64Array(count).fill(1) : role === 'types' ? new Float64Array(count) : random.fillIntegers(new Float64Array(count), 1, 8000));
    switch (input.dtype) {
      case 'int64':
        feeds[input.name] = createTensor('int64', BigInt64Array.from(integers(), BigInt), dims);
        break;
      case 'int32':
        feeds[input.name] = createTensor('int32', Int32Array.from(integers()), dims);
        break;
      case 'float32':
      case 'unknown':
        feeds[input.name] = createTensor('float32', random.fillUniform(new Float32Array(count), -2, 2), dims);
        break;
      case 'float16':
        feeds[input.name] = createTensor('float16', Uint16Array.from(random.fillUniform(new Float32Array(count), -2, 2), toFloat16Bits), dims);
        break;
      default:
        throw new InputMismatchError(`cannot make synthetic values for input "${input.name}" of type ${input.dtype}`);
    }
  });
  return feeds;
}
