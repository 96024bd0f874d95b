import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ResultsDocument } from '@ortbench/core';
import { createTensor, parseResults, SeededRandom } from '@ortbench/core';
import type { InputFixture } from '@ortbench/models';
import { buildInputFixture, saveModel } from '@ortbench/models';
import { encodeNpy } from '@ortbench/preprocess';
import { findChromium } from '@ortbench/runners/node';
import { cliSandbox } from './cli-sandbox';

// The models users bring, in miniature: each fails at run time when it is fed wrongly, so a
// run that completes proves ortbench fed it the shapes and values it was told.
const { scratch, ortbench } = await cliSandbox('user-models');
const browser = findChromium() !== undefined || process.env.CI ? ['browser'] : [];
if (browser.length === 0) console.warn('user-models: no Chromium found, the browser runner is left out (apt-get install chromium)');
const runners = ['node-cpu', 'web-wasm', ...browser].join(',');
const quick = ['--iterations', '3', '--warmup', '1', '--rounds', '1'];
const file = (name: string) => path.join(scratch, name);

beforeAll(async () => {
  const save = (kind: InputFixture, name: string, external?: string) => saveModel(file(name), buildInputFixture(kind), external ? { location: external, thresholdBytes: 1000 } : undefined);
  await save('detector', 'detector.onnx');
  await save('recogniser', 'recogniser.onnx');
  await save('voice-activity', 'vad.onnx');
  await save('decoder', 'decoder.onnx', 'decoder.onnx.data');
  await save('custom-op', 'custom.onnx');
});

/** Runs a bench into its own folder and reads back every report it wrote. */
async function bench(name: string, ...args: string[]) {
  const out = file(name);
  const run = ortbench('bench', ...args, '--out', out, ...quick);
  expect(run.code, run.stderr).toBe(0);
  const read = (report: string) => readFile(path.join(out, report), 'utf8');
  return { ...run, document: parseResults(await read('results.json')), csv: await read('results.csv'), markdown: await read('results.md'), html: await read('report.html') };
}

function fedShapes(document: ResultsDocument): Record<string, number[]>[] {
  return document.results.map((r) => {
    if (r.status !== 'completed') throw new Error(`${r.configuration.id}: ${r.status === 'errored' ? r.error.message : r.reason}`);
    return Object.fromEntries((r.measurement.inputs ?? []).map((input) => [input.name, input.dims]));
  });
}

describe('a detector: [N, 3, H, W], every dim symbolic', { timeout: 180_000 }, () => {
  it('refuses to guess the height and width, naming them and how to set them', () => {
    const { code, stderr } = ortbench('bench', file('detector.onnx'), ...quick);
    expect(code).toBe(2);
    expect(stderr.trim()).toBe(
      'ortbench: INPUT_UNSET: the model has 2 symbolic dimensions that ortbench cannot infer: H (axis 2 of x [N, 3, H, W]), W (axis 3 of x [N, 3, H, W]); set each with --dim H=N --dim W=N, or a whole input with --shape x=Nx3xNxN',
    );
  });

  it('is benched at the heights, widths and batches asked, on every runner, and every format says so', async () => {
    const { stdout, document, csv, markdown, html } = await bench('detector', file('detector.onnx'), '--dim', 'H=32,48', '--dim', 'W=40', '--batch', '1,2', '--runner', runners);
    const shapes = fedShapes(document).map((s) => s.x);
    expect(shapes.length).toBe(4 * runners.split(',').length);
    expect(new Set(shapes.map((s) => s!.join('x')))).toEqual(new Set(['1x3x32x40', '1x3x48x40', '2x3x32x40', '2x3x48x40']));
    expect(document.results[0]!.configuration.id).toContain('opt.dim.H=32 opt.dim.W=40');
    expect(stdout).toMatch(/^batch\s+dim\.H\s+node-cpu\s+web-wasm/m);
    expect(stdout).toContain('inputs fed:\n  x float32 [1, 3, 32, 40] · [1, 3, 48, 40] · [2, 3, 32, 40] · [2, 3, 48, 40]: random in [-2, 2]');
    expect(markdown).toContain('## Inputs fed');
    expect(markdown).toContain('| batch | dim.H |');
    expect(html).toContain('x float32 [1, 3, 32, 40]');
    expect(csv).toContain('x float32 [2, 3, 48, 40] random in [-2, 2]');
  });

  it('is verified across runners at the shape asked', () => {
    const { code, stdout, stderr } = ortbench('verify', file('detector.onnx'), '--dim', 'H=32', '--dim', 'W=40', '--runner', runners);
    expect(code, stderr).toBe(0);
    expect(stdout).toContain('inputs    x float32 [1, 3, 32, 40] random in [-2, 2]');
    expect(stdout).toContain('all outputs agree');
  });

  it('takes real arrays, whose shape needs no --dim, and compares every runner with the first', async () => {
    const random = new SeededRandom('detector-input');
    const tensor = createTensor('float32', random.fillUniform(new Float32Array(3 * 24 * 36), -1, 1), [1, 3, 24, 36]);
    await writeFile(file('x.npy'), encodeNpy(tensor));
    const verify = ortbench('verify', file('detector.onnx'), '--inputs', file('x.npy'), '--runner', runners);
    expect(verify.code, verify.stderr).toBe(0);
    expect(verify.stdout).toContain('x float32 [1, 3, 24, 36] from x.npy');
    const { document } = await bench('detector-arrays', file('detector.onnx'), '--inputs', file('x.npy'));
    expect(fedShapes(document)).toEqual([{ x: [1, 3, 24, 36] }]);
    expect(ortbench('bench', file('detector.onnx'), '--inputs', file('x.npy'), '--batch', '2', ...quick).stderr).toContain('batch 2 cannot be fed: --inputs x.npy sets the batch dimension N to 1');
  });
});

describe('a text recogniser: [?, 3, 48, ?], fixed height', { timeout: 180_000 }, () => {
  it('is fed its fixed height with the width set by its input:axis name', async () => {
    const { document } = await bench('recogniser', file('recogniser.onnx'), '--shape', 'x=1x3x48x64,1x3x48x128', '--runner', runners);
    expect(new Set(fedShapes(document).map((s) => s.x!.join('x')))).toEqual(new Set(['1x3x48x64', '1x3x48x128']));
    expect(ortbench('bench', file('recogniser.onnx'), '--shape', 'x=1x3x32x64', ...quick).stderr).toContain('axis 2 of [?, 3, 48, ?] is fixed at 48');
    const verify = ortbench('verify', file('recogniser.onnx'), '--dim', 'x:3=64', '--runner', runners);
    expect(verify.code, verify.stderr).toBe(0);
    expect(verify.stdout).toContain('x float32 [1, 3, 48, 64]');
  });

  it('--images prepares the photos at the model\'s own height and the width asked, and never crashes', async () => {
    const sharp = (await import('sharp')).default;
    const photos = file('photos');
    await (await import('node:fs/promises')).mkdir(photos);
    for (const [i, colour] of [[0, '#c04020'], [1, '#2040c0']] as const) {
      await sharp({ create: { width: 90, height: 60, channels: 3, background: colour } }).png().toFile(path.join(photos, `p${i}.png`));
    }
    const { document } = await bench('recogniser-images', file('recogniser.onnx'), '--dim', 'x:3=96', '--images', photos, '--batch', '1');
    const result = document.results[0]!;
    expect(result.status === 'completed' && result.measurement.pipeline?.images).toBe(2);
    expect(fedShapes(document)).toEqual([{ x: [1, 3, 48, 96] }]);
    // One unreadable photo: a one-line error before anything is measured, or left out with --skip-bad.
    const good = await readFile(path.join(photos, 'p0.png'));
    await writeFile(path.join(photos, 'truncated.png'), good.subarray(0, 60));
    const stopped = ortbench('bench', file('recogniser.onnx'), '--dim', 'x:3=96', '--images', photos, '--batch', '1', ...quick, '--out', file('bad-photo'));
    expect(stopped.code).toBe(3);
    expect(stopped.stderr.trim()).toMatch(/^ortbench: IMAGE_INVALID: .*truncated\.png: cannot read image: .*\(--skip-bad leaves unreadable images out\)$/);
    const skipped = await bench('recogniser-skip-bad', file('recogniser.onnx'), '--dim', 'x:3=96', '--images', photos, '--batch', '1', '--skip-bad');
    expect(skipped.stderr).toMatch(/warning: .*truncated\.png: cannot read image: .*: skipped \(--skip-bad\)/);
    const kept = skipped.document.results[0]!;
    expect(kept.status === 'completed' && kept.measurement.pipeline?.images).toBe(2);
    const wrong = ortbench('bench', file('vad.onnx'), '--images', photos, ...quick);
    expect(wrong.code).toBe(3);
    expect(wrong.stderr).toMatch(/^ortbench: INPUT_MISMATCH: --images: .*vad\.onnx does not take an RGB image/m);
  });
});

describe('a voice-activity model: unnamed dims, an int64 scalar sample rate, recurrent state', { timeout: 180_000 }, () => {
  const dims = ['--dim', 'input:1=512', '--dim', 'state:1=1'];

  it('asks for the sample rate rather than inventing one, and refuses --seq', () => {
    const unset = ortbench('bench', file('vad.onnx'), ...dims, ...quick);
    expect(unset.code).toBe(2);
    expect(unset.stderr.trim()).toBe('ortbench: INPUT_UNSET: input "sr" is a scalar int64 whose value ortbench cannot guess: set it with --input sr=VALUE');
    const seq = ortbench('bench', file('vad.onnx'), ...dims, '--input', 'sr=16000', '--seq', '64', ...quick);
    expect(seq.code).toBe(2);
    expect(seq.stderr).toContain('--seq: ');
    expect(seq.stderr).toContain('has no sequence axis');
  });

  it('is benched and verified on every runner with the chunk length, state and rate set', async () => {
    const { document } = await bench('vad', file('vad.onnx'), ...dims, '--input', 'sr=16000', '--batch', '1', '--runner', runners);
    for (const result of document.results) {
      expect(result.status === 'completed' && result.measurement.inputs).toEqual([
        { name: 'input', dtype: 'float32', dims: [1, 512], values: 'random in [-2, 2]' },
        { name: 'sr', dtype: 'int64', dims: [], values: '16000 (--input)' },
        { name: 'state', dtype: 'float32', dims: [2, 1, 16], values: 'zeros (state)' },
      ]);
    }
    const verify = ortbench('verify', file('vad.onnx'), ...dims, '--input', 'sr=8000', '--runner', runners);
    expect(verify.code, verify.stderr).toBe(0);
  });
});

describe('a decoder step: small vocabulary, bool mask over past + current, external data', { timeout: 180_000 }, () => {
  it('needs the past length, then feeds ids inside the vocabulary and a mask of the right length on every runner', async () => {
    expect(ortbench('bench', file('decoder.onnx'), '--seq', '4', ...quick).stderr).toContain('past_sequence_length');
    const { document } = await bench('decoder', file('decoder.onnx'), '--seq', '4', '--dim', 'past_sequence_length=6', '--batch', '1,2', '--runner', runners);
    for (const shapes of fedShapes(document)) {
      const batch = shapes.input_ids![0]!;
      expect(shapes).toEqual({ input_ids: [batch, 4], attention_mask: [batch, 10], past_key: [batch, 2, 6, 8] });
    }
    const first = document.results[0]!;
    expect(first.status === 'completed' && first.measurement.inputs?.map((i) => i.values)).toEqual(['token ids in [1, 50)', 'true (mask)', 'zeros (state)']);
    const verify = ortbench('verify', file('decoder.onnx'), '--seq', '4', '--dim', 'past_sequence_length=6', '--runner', runners);
    expect(verify.code, verify.stderr).toBe(0);
  });
});

describe('a model with a custom operator', { timeout: 120_000 }, () => {
  it('is an error naming the op and what to do, on each runner, and verify keeps every row', () => {
    const { code, stdout } = ortbench('bench', file('custom.onnx'), '--runner', 'node-cpu,web-wasm', '--json', ...quick);
    expect(code).toBe(3);
    const document = parseResults(stdout);
    for (const result of document.results) {
      expect(result.status === 'errored' && result.error.code).toBe('OPERATOR_UNSUPPORTED');
      expect(result.status === 'errored' && result.error.message).toContain('operator Frobnicate of domain com.example is not registered');
    }
    const verify = ortbench('verify', file('custom.onnx'), '--runner', 'node-cpu,web-wasm');
    expect(verify.code).toBe(1);
    expect(verify.stdout).toMatch(/^node-cpu\s.*ERROR\s+OPERATOR_UNSUPPORTED/m);
    expect(verify.stdout).toMatch(/^web-wasm\s.*ERROR\s+OPERATOR_UNSUPPORTED/m);
    expect(verify.stdout).toContain('not verified: a runner failed');
  });
});
