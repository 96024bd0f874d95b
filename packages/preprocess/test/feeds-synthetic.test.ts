import { describe, expect, it } from 'vitest';
import type { ValueInfo } from '@ortbench/core';
import { ErrorCode } from '@ortbench/core';
import { bertFeeds, imageConfig, imageFeeds, modelFeeds, syntheticFeeds, syntheticImages, syntheticTokens } from '../src/index';

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
      { batch: 2, sequenceLength: 16, seed: 1, vocabSize: 8000 },
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
    const dims = { H: 5, W: 7 };
    expect(syntheticFeeds([input], { dims }).x!.data).toEqual(syntheticFeeds([input], { dims }).x!.data);
    expect(() => syntheticFeeds([input])).toThrow(expect.objectContaining({ code: ErrorCode.INPUT_UNSET, message: expect.stringContaining('H (axis 2 of x') }));
    expect(() => syntheticFeeds([{ name: 's', dtype: 'string', dims: [1] }])).toThrow(expect.objectContaining({ code: ErrorCode.INPUT_MISMATCH }));
  });
});

describe('modelFeeds: values that fit the model', () => {
  it('keeps ids inside the vocabulary they index, and refuses to guess an unknown one', () => {
    const ids: ValueInfo = { name: 'input_ids', dtype: 'int64', dims: [1, 400] };
    const { feeds, fed } = modelFeeds([ids], { shapes: { input_ids: [1, 400] }, vocabularies: { input_ids: 50 } });
    const values = Array.from(feeds.input_ids!.data as BigInt64Array, Number);
    expect(Math.max(...values)).toBeLessThan(50);
    expect(Math.min(...values)).toBeGreaterThanOrEqual(1);
    expect(fed[0]).toEqual({ name: 'input_ids', dtype: 'int64', dims: [1, 400], values: 'token ids in [1, 50)' });
    expect(() => modelFeeds([ids], { shapes: { input_ids: [1, 400] } })).toThrow(expect.objectContaining({ code: ErrorCode.INPUT_UNSET, message: expect.stringContaining('--vocab-size') }));
  });

  it('feeds booleans, zero state, set scalars, and positions after the past', () => {
    const inputs: ValueInfo[] = [
      { name: 'attention_mask', dtype: 'bool', dims: ['b', 't'] },
      { name: 'state', dtype: 'float32', dims: [2, 1, 4] },
      { name: 'sr', dtype: 'int64', dims: [] },
      { name: 'position_ids', dtype: 'int64', dims: [1, 3] },
      { name: 'use_cache_branch', dtype: 'bool', dims: [1] },
    ];
    const shapes = { attention_mask: [1, 7], state: [2, 1, 4], sr: [], position_ids: [1, 3], use_cache_branch: [1] };
    const { feeds, fed } = modelFeeds(inputs, { shapes, values: { sr: 16000 }, pastLength: 4 });
    expect(feeds.attention_mask).toMatchObject({ dtype: 'bool', dims: [1, 7] });
    expect([...(feeds.attention_mask!.data as Uint8Array)]).toEqual([1, 1, 1, 1, 1, 1, 1]);
    expect([...(feeds.state!.data as Float32Array)].every((v) => v === 0)).toBe(true);
    expect(feeds.sr).toEqual({ dtype: 'int64', dims: [], data: BigInt64Array.of(16000n) });
    expect(Array.from(feeds.position_ids!.data as BigInt64Array, Number)).toEqual([4, 5, 6]);
    expect([...(feeds.use_cache_branch!.data as Uint8Array)]).toEqual([1]);
    expect(fed.map((f) => f.values)).toEqual(['true (mask)', 'zeros (state)', '16000 (--input)', 'positions 4…6', 'true (past length 4)']);
    expect(() => modelFeeds(inputs, { shapes })).toThrow(expect.objectContaining({ code: ErrorCode.INPUT_UNSET, message: 'input "sr" is a scalar int64 whose value ortbench cannot guess: set it with --input sr=VALUE' }));
    expect(() => modelFeeds(inputs, { shapes, values: { rate: 1 } })).toThrow(/--input rate: the model has no input "rate"/);
  });
});
