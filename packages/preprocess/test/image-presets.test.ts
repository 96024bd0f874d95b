import { describe, expect, it } from 'vitest';
import { ErrorCode } from '@ortbench/core';
import { fromFloat16Bits, imageConfig, preprocessImages } from '../src/index';
import { encodeImage, solid, stripes } from './images';

const rgb: [number, number, number] = [200, 100, 50];
const at = (t: { data: ArrayLike<number> }, i: number) => t.data[i] as number;

describe('presets against hand-computed values (a solid 300×400 image of RGB 200, 100, 50)', async () => {
  const png = await encodeImage(solid(300, 400, rgb), 300, 400, 3, 'png');

  it('imagenet: resize, crop 224, (v/255 − mean)/std, NCHW RGB', async () => {
    const t = await preprocessImages([png], 'imagenet');
    expect(t.dims).toEqual([1, 3, 224, 224]);
    const plane = 224 * 224;
    const expected = [(200 / 255 - 0.485) / 0.229, (100 / 255 - 0.456) / 0.224, (50 / 255 - 0.406) / 0.225];
    for (const c of [0, 1, 2]) for (const i of [0, 5000, plane - 1]) expect(at(t, c * plane + i)).toBeCloseTo(expected[c]!, 5);
  });

  it('caffe: BGR, ImageNet means subtracted, no scaling, NHWC', async () => {
    const t = await preprocessImages([png], 'caffe');
    expect(t.dims).toEqual([1, 224, 224, 3]);
    expect([at(t, 0), at(t, 1), at(t, 2)].map((v) => Number(v.toFixed(3)))).toEqual([50 - 103.939, 100 - 116.779, 200 - 123.68].map((v) => Number(v.toFixed(3))));
  });

  it('inception: [−1, 1] by v/127.5 − 1, 299 × 299 NHWC', async () => {
    const t = await preprocessImages([png], 'inception');
    expect(t.dims).toEqual([1, 299, 299, 3]);
    [200, 100, 50].forEach((v, c) => expect(at(t, c)).toBeCloseTo(v / 127.5 - 1, 5));
  });

  it('takes a scalar mean and std for every channel, and per-channel ones channel by channel', async () => {
    const scalar = await preprocessImages([png], imageConfig('imagenet', { mean: 0.5, std: 0.25 }));
    const perChannel = await preprocessImages([png], imageConfig('imagenet', { mean: [0.1, 0.2, 0.3], std: [0.5, 0.25, 0.125] }));
    const plane = 224 * 224;
    [200, 100, 50].forEach((v, c) => {
      expect(at(scalar, c * plane)).toBeCloseTo((v / 255 - 0.5) / 0.25, 5);
      expect(at(perChannel, c * plane)).toBeCloseTo((v / 255 - [0.1, 0.2, 0.3][c]!) / [0.5, 0.25, 0.125][c]!, 5);
    });
  });

  it('writes float16 when asked', async () => {
    const t = await preprocessImages([png], imageConfig('imagenet', { dtype: 'float16' }));
    expect(t.dtype).toBe('float16');
    expect(fromFloat16Bits(at(t, 0))).toBeCloseTo((200 / 255 - 0.485) / 0.229, 2);
  });
});

describe('geometry: red | green | blue thirds of a 600×200 image', async () => {
  const png = await encodeImage(stripes(600, 200, [[255, 0, 0], [0, 255, 0], [0, 0, 255]]), 600, 200, 3, 'png');
  const red = (t: { data: ArrayLike<number> }, x: number, y: number, width: number) => at(t, y * width + x);
  const blue = (t: { data: ArrayLike<number> }, x: number, y: number, width: number, height: number) => at(t, 2 * width * height + y * width + x);

  it('imagenet keeps the centre: after resize to 768×256 the 224 crop is all green', async () => {
    const t = await preprocessImages([png], imageConfig('imagenet', { mean: 0, std: 1 }));
    for (const x of [0, 111, 223]) {
      expect(red(t, x, 100, 224)).toBeCloseTo(0, 5);
      expect(blue(t, x, 100, 224, 224)).toBeCloseTo(0, 5);
    }
  });

  it('imagenet-direct stretches the whole image: red on the left, blue on the right', async () => {
    const t = await preprocessImages([png], imageConfig('imagenet-direct', { mean: 0, std: 1 }));
    expect(red(t, 10, 100, 224)).toBeCloseTo(1, 5);
    expect(blue(t, 213, 100, 224, 224)).toBeCloseTo(1, 5);
  });

  it('assembles several images into one contiguous batch in order', async () => {
    const green = await encodeImage(solid(64, 64, [0, 255, 0]), 64, 64, 3, 'png');
    const t = await preprocessImages([png, green, png], imageConfig('imagenet-direct', { mean: 0, std: 1 }), { concurrency: 3 });
    expect(t.dims).toEqual([3, 3, 224, 224]);
    const image = 3 * 224 * 224;
    expect(at(t, 10 + 100 * 224)).toBeCloseTo(1, 5); // image 0, red plane, left
    expect(at(t, image + 10 + 100 * 224)).toBeCloseTo(0, 5); // image 1 is green
    expect(at(t, 2 * image + 10 + 100 * 224)).toBeCloseTo(1, 5);
  });

  it('refuses a batch of differing sizes without a fixed output size', async () => {
    await expect(preprocessImages([png, png], imageConfig('imagenet', { resize: 'none', crop: 'none' }))).rejects.toMatchObject({
      code: ErrorCode.INVALID_ARGUMENT,
    });
  });
});
