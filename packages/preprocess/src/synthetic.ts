import type { Feeds, Tensor, ValueInfo } from '@ortbench/core';
import { createTensor, InvalidArgumentError, resolveInputShapes, SeededRandom } from '@ortbench/core';
import { modelFeeds } from './model-feeds';
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

/** Values for each symbolic dim (`batch_size`, `sequence_length`, …) and input when building feeds. */
export interface SyntheticFeedOptions {
  /** Size of batch dims when symbolic. Default 1. */
  batch?: number;
  /** Size of the sequence dims of integer (token) inputs when symbolic. Default 128. */
  sequenceLength?: number;
  /** Any other symbolic dim by name, or `input:axis` when unnamed (wins over batch and sequenceLength). */
  dims?: Record<string, number>;
  /** Whole shapes by input name. */
  shapes?: Record<string, readonly number[]>;
  /** Rows of the embedding table each ids input indexes (`inspectModel(model).embeddings`). */
  vocabularies?: Record<string, number>;
  /** The vocabulary of ids inputs whose table is not known. */
  vocabSize?: number;
  /** The value every element of an input takes (a sample rate, a flag). */
  values?: Record<string, number | boolean>;
  seed?: number;
}

/**
 * Seeded feeds for any model from its declared inputs: shapes from `resolveInputShapes` (a
 * symbolic dim that is neither batch nor sequence must be given, never taken as 1), values
 * from {@link modelFeeds}. The same seed gives the same feeds on every run.
 */
export function syntheticFeeds(inputs: readonly ValueInfo[], options: SyntheticFeedOptions = {}): Feeds {
  const { shapes, dims } = resolveInputShapes(inputs, {
    batch: options.batch ?? 1,
    sequenceLength: options.sequenceLength ?? 128,
    ...(options.dims ? { dims: options.dims } : {}),
    ...(options.shapes ? { shapes: options.shapes } : {}),
  });
  const past = Object.entries(dims).find(([key]) => /past/i.test(key) && !/[+*]/.test(key))?.[1].value;
  return modelFeeds(inputs, {
    shapes,
    ...(options.vocabularies ? { vocabularies: options.vocabularies } : {}),
    ...(options.vocabSize !== undefined ? { vocabSize: options.vocabSize } : {}),
    ...(options.values ? { values: options.values } : {}),
    ...(past !== undefined ? { pastLength: past } : {}),
    seed: options.seed ?? 0,
  }).feeds;
}
