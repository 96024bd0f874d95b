import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { SHARED } from '@ortbench/tools/test-support/shared-data';
import { parseNpy, preprocessImages } from '../src/index';

// The imagenet and imagenet-inception presets against torchvision's own tensors for the 15
// shared photos: Resize → CenterCrop → ToTensor → Normalize on a PIL image, computed by
// torchvision in a Python process. Differences are in normalised units (one 8-bit level ≈ 0.017).
const SCRIPT = fileURLToPath(new URL('./torchvision_tensors.py', import.meta.url));

function torchvisionPython(): string | { reason: string } {
  const tried: string[] = [];
  for (const python of [process.env.ORTBENCH_PYTHON, 'python3', '/usr/bin/python3'].filter((p): p is string => Boolean(p))) {
    const probe = spawnSync(python, ['-c', 'import torchvision, PIL'], { encoding: 'utf8' });
    if (probe.status === 0) return python;
    tried.push(`${python}: ${probe.error?.message ?? probe.stderr.trim().split('\n').at(-1)}`);
  }
  return { reason: `no Python with torchvision (${tried.join('; ')}); apt-get install python3-torchvision` };
}

const python = SHARED ? torchvisionPython() : { reason: 'no ../shared' };
const skip = typeof python !== 'string' ? python.reason : !SHARED ? 'no ../shared photos' : undefined;
if (skip && process.env.CI) throw new Error(`the torchvision fidelity test cannot run in CI, which installs python3-torchvision and has ../shared: ${skip}`);
if (skip) console.warn(`skipping the torchvision fidelity test: ${skip}`);

describe.skipIf(Boolean(skip))('torchvision fidelity on the shared photos', () => {
  const scratch = mkdtempSync(path.join(os.tmpdir(), 'ortbench-fidelity-'));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));
  const images = SHARED ? path.join(SHARED, 'images') : '';
  const files = SHARED ? readdirSync(images).filter((f) => !f.endsWith('.json')).sort().map((f) => path.join(images, f)) : [];

  for (const [preset, recipe] of [['imagenet', 'imagenet'], ['imagenet-inception', 'inception']] as const) {
    it(`${preset}: mean |Δ| ≤ 0.01 on every photo, max |Δ| ≤ 0.1 on at least 14 of 15`, async () => {
      expect(files).toHaveLength(15);
      const out = path.join(scratch, recipe);
      rmSync(out, { recursive: true, force: true });
      mkdirSync(out);
      const run = spawnSync(python as string, [SCRIPT, out, recipe, ...files], { encoding: 'utf8' });
      expect(run.status, run.stderr).toBe(0);
      const ours = await preprocessImages(files, preset);
      const size = (ours.data as Float32Array).length / files.length;
      const rows = files.map((file, i) => {
        const theirs = parseNpy(readFileSync(path.join(out, `${path.basename(file)}.npy`)));
        expect(theirs.dims).toEqual(ours.dims.slice(1));
        const mine = (ours.data as Float32Array).subarray(i * size, (i + 1) * size);
        const reference = theirs.data as Float32Array;
        let sum = 0;
        let max = 0;
        for (let j = 0; j < size; j++) {
          const d = Math.abs((mine[j] as number) - (reference[j] as number));
          sum += d;
          if (d > max) max = d;
        }
        return { photo: path.basename(file), mean: sum / size, max };
      });
      console.log(`${preset} vs torchvision:\n${rows.map((r) => `  ${r.photo}: mean ${r.mean.toExponential(2)}, max ${r.max.toExponential(2)}`).join('\n')}`);
      expect(rows.filter((r) => r.mean > 0.01)).toEqual([]);
      expect(rows.filter((r) => r.max <= 0.1).length).toBeGreaterThanOrEqual(14);
      // Stricter than the brief: PNG decoding is exact everywhere, so those pixels must be
      // identical and only float rounding of the normalisation remains.
      expect(rows.filter((r) => r.photo.endsWith('.png') && r.max >= 1e-5)).toEqual([]);
    }, 120_000);
  }
});
