import { describe, expect, it } from 'vitest';
import type { ValueInfo } from '@ortbench/core';
import { ErrorCode } from '@ortbench/core';
import { bertFeeds, imageConfig, imageFeeds, syntheticFeeds, syntheticImages, syntheticTokens } from '../src/index';

const encoding = syntheticTokens(2, 8, { seed: 3 });
const int64 = (name: string): ValueInfo => ({ name, dtype: 'int64', dims: ['batch', 'seq'] });

describe('bertFeeds', () => {
  it('maps Hugging Face and TF-Hub names, and a lone ids input', () => {
    const hf = bertFeeds([int64('input_ids'), int64('attention_mask'), int64('token_type_ids')], encoding);
    expect(hf.input_ids!.data).toBe(encoding.inputIds);
    expect(hf.attention_mask!.data).toBe(encoding.attentionMask);
    const tf = bertFeeds([int64('input_word_ids'), int64('input_mask'), int64('input_type_ids')], encoding);
    expect(Object.keys(tf)).toEqual(['input_word_ids', 'input_mask', 'input_type_ids']);
    expect(bertFeeds([int64('tokens')], encoding).tokens!.dims).toEqual([2, 8]);
  });

  it('converts to int32 when the model declares it, and refuses other inputs', () => {
    const feeds = bertFeeds([{ name: 'input_ids', dtype: 'int32', dims: [2, 8] }, int64('attention_mask')], encoding);
    expect(feeds.input_ids!.dtype).toBe('int32');
    expect(Array.from(feeds.input_ids!.data as Int32Array)).toEqual(Array.from(encoding.inputIds, Number));
    expect(() => bertFeeds([int64('input_ids'), int64('pixel_values')], encoding)).toThrow(expect.objectContaining({ code: ErrorCode.INPUT_MISMATCH }));
  });
});

describe('synthetic inputs', () => {
  it('draws token ids in [1, 8000) by default, identically for the same seed', () => {
    const ids = Array.from(syntheticTokens(4, 64).inputIds, Number);
    expect(Math.min(...ids)).toBeGreaterThanOrEqual(1);
    expect(Math.max(...ids)).toBeLessThan(8000);
    expect(syntheticTokens(4, 64).inputIds).toEqual(syntheticTokens(4, 64).inputIds);
    expect(syntheticTokens(4, 64, { seed: 1 }).inputIds).not.toEqual(syntheticTokens(4, 64).inputIds);
    expect(() => syntheticTokens(1, 0)).toThrow(/sequence length must be a positive integer/);
  });

  it('makes images with the normalised range of real ones', () => {
    const t = syntheticImages(2, 'imagenet');
    expect(t.dims).toEqual([2, 3, 224, 224]);
    const values = t.data as Float32Array;
    const lowest = (0 - 0.485) / 0.229;
    const highest = (1 - 0.406) / 0.225;
    expect(values.reduce((a, b) => Math.min(a, b))).toBeCloseTo(lowest, 4);
    expect(values.reduce((a, b) => Math.max(a, b))).toBeCloseTo(highest, 4);
    expect(syntheticImages(2, 'imagenet').data).toEqual(t.data);
    expect(syntheticImages(1, imageConfig('caffe')).dims).toEqual([1, 224, 224, 3]);
  });

  it('feeds an image batch to a one-input model of the same dtype', () => {
    const batch = syntheticImages(1, 'imagenet');
    expect(imageFeeds([{ name: 'input', dtype: 'float32', dims: ['N', 3, 224, 224] }], batch).input).toBe(batch);
    expect(() => imageFeeds([{ name: 'input', dtype: 'float16', dims: ['N', 3, 224, 224] }], batch)).toThrow(/is float16, the images were prepared as float32/);
  });
});

describe('syntheticFeeds', () => {
  it('fills any model\'s inputs: ids, a mask of ones, zero types, floats in [−2, 2]', () => {
    const feeds = syntheticFeeds(
      [int64('input_ids'), int64('attention_mask'), { name: 'token_type_ids', dtype: 'int32', dims: ['batch', 'seq'] }, { name: 'extra', dtype: 'float32', dims: ['batch', 4] }],
      { batch: 2, sequenceLength: 16, seed: 1 },
    );
    expect(feeds.input_ids!.dims).toEqual([2, 16]);
    const ids = Array.from(feeds.input_ids!.data as BigInt64Array, Number);
    expect(Math.min(...ids)).toBeGreaterThanOrEqual(1);
    expect(new Set(Array.from(feeds.attention_mask!.data as BigInt64Array))).toEqual(new Set([1n]));
    expect(Array.from(feeds.token_type_ids!.data as Int32Array).every((v) => v === 0)).toBe(true);
    expect(feeds.extra!.dims).toEqual([2, 4]);
    expect(Array.from(feeds.extra!.data as Float32Array).every((v) => v >= -2 && v < 2)).toBe(true);
  });

  it('takes named dims and is repeatable per seed', () => {
    const input: ValueInfo = { name: 'x', dtype: 'float32', dims: ['N', 3, 'H', 'W'] };
    expect(syntheticFeeds([input], { dims: { N: 2, H: 5, W: 7 } }).x!.dims).toEqual([2, 3, 5, 7]);
    expect(syntheticFeeds([input]).x!.data).toEqual(syntheticFeeds([input]).x!.data);
    expect(() => syntheticFeeds([{ name: 's', dtype: 'string', dims: [1] }])).toThrow(expect.objectContaining({ code: ErrorCode.INPUT_MISMATCH }));
  });
});
