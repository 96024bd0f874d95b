import { spawnSync } from 'node:child_process';
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { allclose, RunnerRegistry, TOLERANCE_PRESETS } from '@ortbench/core';
import { buildModel, encodeModel, ensureTorchPair, presetSpec } from '@ortbench/models';
import { syntheticFeeds } from '@ortbench/preprocess';
import { blasWarning, findTorchPython, registerNodeRunners, workerTuning } from '../src/node';

// The torch runner against Debian's PyTorch (python3-torch; .ci/run installs it).
const python = await findTorchPython();
const missing = 'torch' in python ? undefined : python.reason;
if (missing && process.env.CI) throw new Error(`torch runner tests cannot run in CI, which installs python3-torch: ${missing}`);
if (missing) console.warn(`torch runner tests skipped: ${missing}`);
const scratch = await mkdtemp(path.join(os.tmpdir(), 'ortbench-torch-'));
afterAll(() => rm(scratch, { recursive: true, force: true }));
const registry = registerNodeRunners(new RunnerRegistry());

/** A built-in model written to the scratch folder, with its PyTorch twin beside it. */
async function paired(name: string): Promise<string> {
  const file = path.join(scratch, `${name}.onnx`);
  await writeFile(file, encodeModel(buildModel(presetSpec(name))).model);
  await ensureTorchPair(file, presetSpec(name), (python as { python: string }).python);
  return file;
}

// Each test starts Python and imports torch (seconds on a busy 2-core machine).
describe.skipIf(missing)('torch runner', { timeout: 60_000 }, () => {
  it.each(['resnet50-tiny', 'bert-tiny'])('runs the PyTorch twin of %s: outputs match ONNX Runtime at fp32 tolerance, latency timed in the worker', async (name) => {
    const model = await paired(name);
    const torch = await (await registry.resolve('torch')).load(model, { threads: 1 });
    const ort = await (await registry.resolve('node-cpu')).load(model);
    try {
      expect(torch.info).toMatchObject({ runner: 'torch', executionProvider: 'cpu', settings: { threads: 1, inputOrder: 'by name' } });
      expect(torch.info.runtime).toMatch(/^torch 1\./);
      expect(torch.inputs).toEqual(ort.inputs);
      const feeds = syntheticFeeds(ort.inputs, { batch: 2, sequenceLength: 16, vocabSize: 30522 }); // bert-tiny's vocabulary
      const [a, b] = [await torch.run(feeds), await ort.run(feeds)];
      expect(a.timing?.inferenceNs).toBeGreaterThan(0);
      for (const output of ort.outputs) {
        const report = allclose(a.outputs[output.name]!, b.outputs[output.name]!, TOLERANCE_PRESETS.fp32!);
        expect(report.ok, `${output.name}: max abs diff ${report.maxAbsDiff}`).toBe(true);
      }
      const discarded = await torch.run(feeds, { discardOutputs: true });
      expect(discarded.outputs).toEqual({});
      expect(discarded.timing?.inferenceNs).toBeGreaterThan(0);
    } finally {
      await torch.dispose();
      await ort.dispose();
    }
  });

  it('refuses ONNX Runtime options, and a model without a TorchScript pair, with the way out', async () => {
    const model = await paired('resnet50-tiny');
    const torch = await registry.resolve('torch');
    await expect(torch.load(model, { graphOptimizationLevel: 'all' })).rejects.toThrow('torch: option graphOptimizationLevel is not a PyTorch setting');
    const lonely = path.join(scratch, 'lonely.onnx');
    await writeFile(lonely, encodeModel(buildModel(presetSpec('resnet50-tiny'))).model);
    await expect(torch.load(lonely)).rejects.toMatchObject({ code: 'FILE_NOT_FOUND', message: expect.stringContaining('pass --torch-model FILE.pt') });
  });

  it('names a corrupt .pt, and one whose inputs are not the ONNX model\'s', async () => {
    const torch = await registry.resolve('torch');
    const resnet = await paired('resnet50-tiny');
    const bert = await paired('bert-tiny');
    const corrupt = path.join(scratch, 'corrupt.pt');
    await writeFile(corrupt, 'not a zip archive');
    await expect(torch.load(resnet, { torchModel: corrupt })).rejects.toMatchObject({ code: 'MODEL_INVALID', message: expect.stringContaining(`${corrupt}: PyTorch cannot load it as TorchScript`) });
    await expect(torch.load(bert, { torchModel: resnet.replace(/\.onnx$/, '.pt') })).rejects.toMatchObject({
      code: 'INPUT_MISMATCH',
      message: expect.stringContaining("takes inputs (input); the ONNX model's are (input_ids, attention_mask, token_type_ids)"),
    });
  });

  it('kills a worker whose forward call hangs, after the time limit, and says so', async () => {
    const model = await paired('resnet50-tiny');
    const hanging = path.join(scratch, 'hang.pt');
    // TorchScript compiles from source: the module lives in a file.
    const script = path.join(scratch, 'hang.py');
    await writeFile(script, `
import torch
class Hang(torch.nn.Module):
    def forward(self, x):
        while bool(x.sum() > -1e30):
            x = x + 1
        return x
torch.jit.save(torch.jit.script(Hang()), ${JSON.stringify(hanging)})
`);
    const made = spawnSync((python as { python: string }).python, [script], { encoding: 'utf8' });
    expect(made.status, made.stderr).toBe(0);
    const session = await (await registry.resolve('torch')).load(model, { torchModel: hanging, timeout: 2 });
    const started = Date.now();
    await expect(session.run(syntheticFeeds(session.inputs, { batch: 1 }))).rejects.toThrow('torch: the Python worker did not answer run within 2 s; it was killed');
    expect(Date.now() - started).toBeLessThan(10_000);
    await expect(session.run(syntheticFeeds(session.inputs, { batch: 1 }))).rejects.toMatchObject({ code: 'RUNNER_FAILED' });
    await session.dispose();
  });

  it('fails the run with the exit status when the worker process dies mid-call', async () => {
    // An interpreter whose torch.jit.load returns a module that kills its process when called.
    const site = path.join(scratch, 'crash-site');
    await mkdir(site, { recursive: true });
    await writeFile(
      path.join(site, 'sitecustomize.py'),
      'import os, torch\n_load = torch.jit.load\nclass Crash(torch.nn.Module):\n    def forward(self, x):\n        os._exit(3)\ndef load(*args, **kwargs):\n    _load(*args, **kwargs)\n    return Crash()\ntorch.jit.load = load\n',
    );
    const crashing = path.join(scratch, 'crashing-python');
    await writeFile(crashing, `#!/bin/sh\nPYTHONPATH=${site} exec ${(python as { python: string }).python} "$@"\n`);
    await chmod(crashing, 0o755);
    const model = await paired('resnet50-tiny');
    const session = await (await registry.resolve('torch')).load(model, { python: crashing });
    await expect(session.run(syntheticFeeds(session.inputs, { batch: 1 }))).rejects.toMatchObject({ code: 'RUNNER_FAILED', message: expect.stringContaining('torch: the Python worker exited (code 3)') });
    await session.dispose();
  });

  it('explains a Python without PyTorch, and how to install it', async () => {
    // The same interpreter without its site packages: no torch there.
    const bare = path.join(scratch, 'bare-python');
    await writeFile(bare, `#!/bin/sh\nexec ${(python as { python: string }).python} -S "$@"\n`);
    await chmod(bare, 0o755);
    const found = await findTorchPython(bare);
    expect('reason' in found && found.reason).toMatch(/No module named 'torch'.*apt-get install python3-torch/);
    const model = await paired('resnet50-tiny');
    await expect((await registry.resolve('torch')).load(model, { python: bare })).rejects.toMatchObject({ code: 'RUNNER_UNAVAILABLE' });
  });
});

describe('torch-cuda', () => {
  it('is unavailable without a CUDA device, with the reason', async () => {
    const availability = await registry.availability('torch-cuda');
    if ('torch' in python && python.cuda) return; // a GPU machine: nothing to refuse
    expect(availability.available).toBe(false);
    expect(!availability.available && availability.reason).toMatch(/CUDA|PyTorch/);
  });
});

describe('PyTorch worker tuning', () => {
  const avx512 = new Set(['avx2', 'avx512f']);
  it('picks OpenBLAS kernels for this CPU when OpenBLAS fell back to SSE ones, and never overrides the user', () => {
    const found = { blas: '/usr/lib/x86_64-linux-gnu/openblas-pthread/libblas.so.3', blasCore: 'Prescott' };
    expect(workerTuning(found, {}, avx512)).toEqual({ OPENBLAS_CORETYPE: 'SkylakeX', OMP_WAIT_POLICY: 'PASSIVE' });
    expect(workerTuning(found, {}, new Set(['avx2']))).toMatchObject({ OPENBLAS_CORETYPE: 'Haswell' });
    expect(workerTuning(found, {}, new Set(['sse3']))).toEqual({ OMP_WAIT_POLICY: 'PASSIVE' });
    expect(workerTuning(found, { OPENBLAS_CORETYPE: 'Zen', OMP_WAIT_POLICY: 'ACTIVE' }, avx512)).toEqual({});
    expect(workerTuning({ ...found, blasCore: 'SkylakeX' }, {}, avx512)).toEqual({ OMP_WAIT_POLICY: 'PASSIVE' });
  });

  it("warns about Debian's reference BLAS and about SSE kernels on an AVX2 CPU", () => {
    expect(blasWarning({ blas: '/usr/lib/x86_64-linux-gnu/blas/libblas.so.3' }, avx512)).toContain('apt-get install libopenblas0-pthread');
    expect(blasWarning({ blas: '/x/openblas-pthread/libblas.so.3', blasCore: 'Prescott' }, avx512)).toContain('OPENBLAS_CORETYPE=SkylakeX');
    expect(blasWarning({ blas: '/x/openblas-pthread/libblas.so.3', blasCore: 'SkylakeX' }, avx512)).toBeUndefined();
  });
});
