import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { ErrorCode } from '@ortbench/core';
import { decodeRgb, imageConfig, preprocessImages } from '../src/index';
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

  it('honours EXIF orientation (6: rotate 90°)', async () => {
    const jpeg = await sharp(Buffer.from(solid(40, 20, [0, 0, 0])), { raw: { width: 40, height: 20, channels: 3 } }).jpeg().withMetadata({ orientation: 6 }).toBuffer();
    const image = await decodeRgb(jpeg, asIs);
    expect([image.width, image.height]).toEqual([20, 40]);
    const batch = await preprocessImages([jpeg], asIs);
    expect(batch.dims).toEqual([1, 3, 40, 20]);
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
