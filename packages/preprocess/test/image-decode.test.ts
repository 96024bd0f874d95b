import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { ErrorCode } from '@ortbench/core';
import { centreCropOrigin, decodeRgb, imageConfig, pillowResize, preprocessImages, roundHalfEven } from '../src/index';
import { pngHeaderOnly } from '@ortbench/tools/test-support/png';
import { encodeImage, solid } from './images';

const directory = await mkdtemp(path.join(os.tmpdir(), 'ortbench-images-'));
afterAll(() => rm(directory, { recursive: true, force: true }));
const asIs = imageConfig('imagenet', { resize: 'none', crop: 'none' });

describe('decoding', () => {
  for (const format of ['png', 'jpeg', 'webp', 'gif', 'tiff', 'avif'] as const) {
    it(`reads ${format}`, async () => {
      const image = await decodeRgb(await encodeImage(solid(16, 8, [10, 200, 30]), 16, 8, 3, format), asIs);
      expect([image.width, image.height]).toEqual([16, 8]);
      const tolerance = format === 'jpeg' || format === 'gif' ? 12 : 1;
      [10, 200, 30].forEach((v, c) => expect(Math.abs(image.pixels[c]! - v)).toBeLessThanOrEqual(tolerance));
    });
  }

  it('drops alpha and turns grey into three equal channels', async () => {
    const rgba = new Uint8Array(4 * 4 * 4).fill(0);
    for (let i = 0; i < 16; i++) rgba.set([255, 0, 0, 0], i * 4); // fully transparent red
    const fromRgba = await decodeRgb(await encodeImage(rgba, 4, 4, 4, 'png'), asIs);
    expect(Array.from(fromRgba.pixels.subarray(0, 3))).toEqual([255, 0, 0]);
    const grey = await decodeRgb(await encodeImage(new Uint8Array(16).fill(77), 4, 4, 1, 'png'), asIs);
    expect(Array.from(grey.pixels.subarray(0, 3))).toEqual([77, 77, 77]);
  });

  it('converts CMYK to RGB', async () => {
    const cmyk = await sharp(Buffer.from(solid(8, 8, [0, 0, 255])), { raw: { width: 8, height: 8, channels: 3 } }).toColourspace('cmyk').jpeg({ quality: 100 }).toBuffer();
    expect((await sharp(cmyk).metadata()).space).toBe('cmyk');
    const image = await decodeRgb(cmyk, asIs);
    expect(image.pixels.length).toBe(8 * 8 * 3);
    // Pure sRGB blue is outside the CMYK gamut: it comes back duller, but blue.
    expect(image.pixels[2]!).toBeGreaterThan(image.pixels[0]! + 60);
    expect(image.pixels[2]!).toBeGreaterThan(image.pixels[1]! + 60);
  });

  it('ignores EXIF orientation as PIL and torchvision do, and honours it when asked (6: rotate 90°)', async () => {
    const jpeg = await sharp(Buffer.from(solid(40, 20, [0, 0, 0])), { raw: { width: 40, height: 20, channels: 3 } }).jpeg().withMetadata({ orientation: 6 }).toBuffer();
    expect(await decodeRgb(jpeg, asIs)).toMatchObject({ width: 40, height: 20 });
    const oriented = imageConfig(asIs, { exifOrientation: true });
    for (const fast of [false, true]) {
      const image = await decodeRgb(jpeg, { ...oriented, fast });
      expect([image.width, image.height]).toEqual([20, 40]);
    }
    const batch = await preprocessImages([jpeg], oriented);
    expect(batch.dims).toEqual([1, 3, 40, 20]);
  });

  it("crops where torchvision does: Python's round, halves to even", () => {
    expect([0.5, 1.5, 2.5, 3.5, -1.5, 2.4, 2.6].map(roundHalfEven)).toEqual([0, 2, 2, 4, -2, 2, 3]);
    // 385 − 224 = 161 → 80.5 → 80 (Math.round would say 81: a one-pixel shift).
    expect(centreCropOrigin(385, 256, { width: 224, height: 224 }, 'x')).toEqual({ left: 80, top: 16 });
  });

  it("computes a window of Pillow's resize exactly as the whole resize, cropped", () => {
    const width = 97;
    const height = 61;
    const pixels = Uint8Array.from({ length: width * height * 3 }, (_, i) => (i * 7919) % 251);
    for (const interpolation of ['linear', 'cubic', 'lanczos3'] as const) {
      const whole = pillowResize(pixels, width, height, 40, 25, interpolation);
      const window = pillowResize(pixels, width, height, 40, 25, interpolation, { left: 7, top: 3, width: 20, height: 15 });
      const cropped = new Uint8Array(20 * 15 * 3);
      for (let y = 0; y < 15; y++) cropped.set(whole.subarray(((3 + y) * 40 + 7) * 3, ((3 + y) * 40 + 27) * 3), y * 60);
      expect(window).toEqual(cropped);
    }
    // Same size is the identity; a solid colour stays that colour at any scale.
    expect(pillowResize(pixels, width, height, width, height, 'cubic')).toEqual(pixels);
    expect(new Set(pillowResize(solid(50, 30, [9, 99, 199]), 50, 30, 13, 71, 'lanczos3'))).toEqual(new Set([9, 99, 199]));
    expect(() => pillowResize(pixels, width, height, 40, 25, 'linear', { left: 30, top: 0, width: 20, height: 5 })).toThrow(/outside the 40×25 image/);
  });

  it('refuses an interpolation Pillow lacks unless fast is set', () => {
    expect(() => imageConfig('imagenet', { interpolation: 'mitchell' })).toThrow(/"mitchell" has no Pillow equivalent/);
    expect(imageConfig('imagenet', { interpolation: 'mitchell', fast: true }).interpolation).toBe('mitchell');
  });

  it('reads only the first frame of an animated GIF', async () => {
    const frames = Buffer.concat([Buffer.from(solid(8, 8, [255, 0, 0])), Buffer.from(solid(8, 8, [0, 0, 255]))]);
    const gif = await sharp(frames, { raw: { width: 8, height: 16, channels: 3, pageHeight: 8 } }).gif().toBuffer();
    expect((await sharp(gif).metadata()).pages).toBe(2);
    const image = await decodeRgb(gif, asIs);
    expect([image.width, image.height]).toEqual([8, 8]);
    expect(image.pixels[0]!).toBeGreaterThan(200); // red: the first frame
    expect(image.pixels[2]!).toBeLessThan(50);
  });
});

describe('bad images are IMAGE_INVALID naming the file', () => {
  const invalid = async (file: string, why: RegExp) => {
    const error = await decodeRgb(file, asIs).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: ErrorCode.IMAGE_INVALID });
    expect((error as Error).message).toContain(file);
    expect((error as Error).message).toMatch(why);
  };

  it('empty, missing, not an image, truncated', async () => {
    const empty = path.join(directory, 'empty.jpg');
    await writeFile(empty, '');
    await invalid(empty, /empty|not an image/);
    await invalid(path.join(directory, 'missing.png'), /no such file/);
    const text = path.join(directory, 'notes.png');
    await writeFile(text, 'this is not a picture\n'.repeat(20));
    await invalid(text, /not an image/);
    const cut = path.join(directory, 'cut.jpg');
    const jpeg = await encodeImage(solid(64, 64, [1, 2, 3]), 64, 64, 3, 'jpeg');
    await writeFile(cut, jpeg.subarray(0, jpeg.length / 2));
    await invalid(cut, /./);
  });

  it('a decompression bomb: a tiny file declaring 100 000 × 100 000 pixels', async () => {
    const bomb = path.join(directory, 'bomb.png');
    await writeFile(bomb, pngHeaderOnly(100_000, 100_000));
    await invalid(bomb, /pixel limit \(a decompression bomb\?\)/);
  });

  it('an image over a lowered pixel limit', async () => {
    const file = path.join(directory, 'big.png');
    await writeFile(file, await encodeImage(solid(100, 100, [0, 0, 0]), 100, 100, 3, 'png'));
    const error = await decodeRgb(file, { ...asIs, maxPixels: 1000 }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: ErrorCode.IMAGE_INVALID, message: expect.stringContaining('1,000-pixel limit') });
  });
});
