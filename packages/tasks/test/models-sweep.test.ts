import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { bench } from '../src/index';

const directory = await mkdtemp(path.join(os.tmpdir(), 'ortbench-models-sweep-'));
afterAll(() => rm(directory, { recursive: true, force: true }));
const images = path.join(directory, 'images');

describe('several models in one sweep, with images', () => {
  it('measures each model in turn into one document; int8-static counts the photos whose top-1 differs from fp32', async () => {
    await mkdir(images);
    for (let i = 0; i < 4; i++) {
      const background = { r: (i * 70) % 256, g: 255 - i * 50, b: (i * 120) % 256 };
      await writeFile(path.join(images, `p${i}.png`), await sharp({ create: { width: 64 + i * 8, height: 48, channels: 3, background } }).png().toBuffer());
    }
    const { document } = await bench({ models: ['mobilenet-v2-tiny', 'resnet50-tiny'], precision: ['fp32', 'int8'], batch: [2], iterations: 2, warmup: 1, images });
    const rows = document.results.map((r) => ({ model: r.configuration.model, precision: r.configuration.options.precision, status: r.status }));
    expect(rows).toEqual([
      { model: 'mobilenet-v2-tiny', precision: 'fp32', status: 'completed' },
      { model: 'mobilenet-v2-tiny', precision: 'int8-static', status: 'completed' },
      { model: 'resnet50-tiny', precision: 'fp32', status: 'completed' },
      { model: 'resnet50-tiny', precision: 'int8-static', status: 'completed' },
    ]);
    for (const result of document.results) {
      if (result.status !== 'completed') continue;
      const { agreement, pipeline } = result.measurement;
      expect(pipeline?.images).toBe(4);
      if (result.configuration.options.precision === 'fp32') expect(agreement).toBeUndefined();
      else expect(agreement).toMatchObject({ reference: 'fp32', images: 4, differing: expect.any(Number) });
    }
  }, 240_000);
});
