import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { imageConfig, parseNpy, preprocessImages } from '@ortbench/preprocess';
import { cliSandbox } from './cli-sandbox';

const { scratch, ortbench } = await cliSandbox('preprocess');
const exists = (name: string) => existsSync(path.join(scratch, name));

// Two photos-to-be of different sizes and colours, so order and content are both visible.
const red = path.join(scratch, 'red.png');
const blue = path.join(scratch, 'blue.jpg');
await writeFile(red, await sharp({ create: { width: 300, height: 260, channels: 3, background: { r: 220, g: 30, b: 20 } } }).png().toBuffer());
await writeFile(blue, await sharp({ create: { width: 500, height: 280, channels: 3, background: { r: 10, g: 40, b: 230 } } }).jpeg().toBuffer());

const numpy = ['python3', '/usr/bin/python3'].find((python) => spawnSync(python, ['-c', 'import numpy']).status === 0);
if (!numpy && process.env.CI) throw new Error('no Python with numpy: CI installs python3-torch, which brings python3-numpy');

describe('ortbench preprocess', () => {
  it('writes the exact input tensor as .npy, images in the order given', async () => {
    const out = path.join(scratch, 'batch.npy');
    const { code, stdout, stderr } = ortbench('preprocess', blue, red, '--out', out, '--json');
    expect(code, stderr).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({ dims: [2, 3, 224, 224], dtype: 'float32', files: [blue, red] });
    const written = parseNpy(await readFile(out));
    const expected = await preprocessImages([blue, red], 'imagenet');
    expect(written.dims).toEqual([2, 3, 224, 224]);
    expect(written.data).toEqual(expected.data);
    // Blue first: its blue channel is high, red's is low.
    const plane = 224 * 224;
    expect((written.data as Float32Array)[2 * plane]).toBeGreaterThan(1.5);
    expect((written.data as Float32Array)[3 * plane + 2 * plane]).toBeLessThan(-1);
  });

  it('takes the inception recipe and the fast resize', async () => {
    const out = path.join(scratch, 'inception.npy');
    expect(ortbench('preprocess', red, '--preset', 'imagenet-inception', '--fast', '--out', out).code).toBe(0);
    const written = parseNpy(await readFile(out));
    expect(written.dims).toEqual([1, 3, 299, 299]);
    expect(written.data).toEqual((await preprocessImages([red], imageConfig('imagenet-inception', { fast: true }))).data);
  });

  it.skipIf(!numpy)('is read by numpy.load as float32 of the same shape and values', async () => {
    const out = path.join(scratch, 'numpy.npy');
    expect(ortbench('preprocess', red, blue, '--out', out).code).toBe(0);
    const check = spawnSync(numpy!, ['-c', `import numpy as np; a = np.load(${JSON.stringify(out)}); print(a.dtype, a.shape, round(float(a[0, 0, 0, 0]), 4), round(float(a[1, 2, 100, 100]), 4))`], { encoding: 'utf8' });
    expect(check.status, check.stderr).toBe(0);
    const ours = parseNpy(await readFile(out)).data as Float32Array;
    expect(check.stdout.trim()).toBe(`float32 (2, 3, 224, 224) ${Math.round(ours[0]! * 1e4) / 1e4} ${Math.round(ours[3 * 224 * 224 + 2 * 224 * 224 + 100 * 224 + 100]! * 1e4) / 1e4}`);
  });

  it('refuses a missing image or an --out that is not .npy, writing nothing', () => {
    const missing = ortbench('preprocess', path.join(scratch, 'none.jpg'), '--out', path.join(scratch, 'no.npy'));
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/FILE_NOT_FOUND.*none\.jpg: no such file or folder/);
    expect(exists('no.npy')).toBe(false);
    const wrong = ortbench('preprocess', red, '--out', path.join(scratch, 'batch.bin'));
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toMatch(/--out .*batch\.bin: the file is NumPy's format; name it \.npy/);
  });
});
