import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { classifyImages } from '../src/index';

const directory = await mkdtemp(path.join(os.tmpdir(), 'ortbench-classify-options-'));
afterAll(() => rm(directory, { recursive: true, force: true }));

describe('classifyImages image options', () => {
  it('applies preprocessing options over the preset: an interpolation Pillow lacks needs fast', async () => {
    const photo = path.join(directory, 'photo.jpg');
    await writeFile(photo, await sharp({ create: { width: 80, height: 60, channels: 3, background: { r: 200, g: 90, b: 20 } } }).jpeg().withMetadata({ orientation: 6 }).toBuffer());
    await expect(classifyImages([photo], { model: 'resnet50-tiny', image: { interpolation: 'mitchell' } })).rejects.toThrow(/"mitchell" has no Pillow equivalent/);
    const [ranked] = await classifyImages([photo], { model: 'resnet50-tiny', topk: 2, image: { interpolation: 'mitchell', fast: true, exifOrientation: true } });
    expect(ranked!.top).toHaveLength(2);
    expect(ranked!.top[0]!.labels).toEqual([ranked!.top[0]!.label]);
  });
});
