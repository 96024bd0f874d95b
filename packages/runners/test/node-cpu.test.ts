import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { benchmark, createTensor, ErrorCode, RunnerRegistry } from '@ortbench/core';
import { physicalCoreCount } from '@ortbench/core/node';
import { compareOutputs } from '../src/index';
import { createNodeCpuRunner, registerNodeRunners } from '../src/node';
import { SHARED } from '@ortbench/tools/test-support/shared-data';

const directory = await mkdtemp(path.join(os.tmpdir(), 'ortbench-runners-'));
afterAll(() => rm(directory, { recursive: true, force: true }));

const fp32 = SHARED && path.join(SHARED, 'models/mobilenetv2/mobilenetv2-12-dequantized-fp32.onnx');
const int8 = SHARED && path.join(SHARED, 'models/mobilenetv2/mobilenetv2-12-int8.onnx');

function image(batch: number, seed = 1) {
  const data = new Float32Array(batch * 3 * 224 * 224);
  let state = seed;
  for (let i = 0; i < data.length; i++) {
    state = (state * 1664525 + 1013904223) >>> 0;
    data[i] = (state / 2 ** 32) * 4 - 2;
  }
  return { input: createTensor('float32', data, [batch, 3, 224, 224]) };
}

describe.skipIf(!SHARED)('node-cpu on the shared MobileNetV2', () => {
  it('describes the model, records the threads it applied, and runs a batch', async () => {
    const session = await createNodeCpuRunner().load(fp32!);
    try {
      expect(session.inputs).toEqual([{ name: 'input', dtype: 'float32', dims: ['batch_size', 3, 224, 224] }]);
      expect(session.info).toMatchObject({
        runner: 'node-cpu',
        executionProvider: 'cpu',
        settings: { threads: physicalCoreCount(), graphOptimizationLevel: 'all' },
        runtime: expect.stringMatching(/^onnxruntime-node \d+\.\d+/),
      });
      const { outputs } = await session.run(image(2));
      expect(outputs.output!.dims).toEqual([2, 1000]);
      expect(Array.from(outputs.output!.data as Float32Array).every(Number.isFinite)).toBe(true);
    } finally {
      await session.dispose();
    }
  });

  it('is benchmarked end to end through the registry', async () => {
    const registry = registerNodeRunners(new RunnerRegistry());
    const measurement = await benchmark({
      runner: await registry.resolve('node-cpu'),
      model: fp32!,
      runnerOptions: { threads: 1 },
      feeds: image(1),
      warmup: { minIterations: 1 },
      stop: { minIterations: 3, minDurationMs: 0, ciTarget: 0 },
    });
    expect(measurement.session.settings.threads).toBe(1);
    expect(measurement.phases.iterations).toBe(3);
    expect(measurement.phases.loadMs).toBeGreaterThan(0);
  });

  it('finds the same outputs on two sessions and flags int8 against fp32 at fp32 tolerance', async () => {
    const runner = createNodeCpuRunner();
    const [a, b, q] = await Promise.all([runner.load(fp32!), runner.load(fp32!, { graphOptimizationLevel: 'disabled' }), runner.load(int8!)]);
    try {
      const feeds = image(1, 7);
      const reference = (await a.run(feeds)).outputs;
      const same = compareOutputs(reference, (await b.run(feeds)).outputs);
      expect(same).toHaveLength(1);
      expect(same[0]!.report.ok).toBe(true);
      const quantised = compareOutputs(reference, (await q.run(feeds)).outputs);
      expect(quantised[0]!.report.ok).toBe(false);
      expect(quantised[0]!.report.mismatched).toBeGreaterThan(0);
    } finally {
      await Promise.all([a.dispose(), b.dispose(), q.dispose()]);
    }
  });
});

describe('node-cpu refuses bad models and options with a clear error', () => {
  const runner = createNodeCpuRunner();

  it('names a missing file, a directory and an empty file', async () => {
    await expect(runner.load(path.join(directory, 'none.onnx'))).rejects.toMatchObject({
      code: ErrorCode.FILE_NOT_FOUND,
      message: expect.stringContaining('none.onnx: no such file'),
    });
    await expect(runner.load(directory)).rejects.toMatchObject({ code: ErrorCode.INVALID_ARGUMENT, message: expect.stringContaining('is a directory') });
    const empty = path.join(directory, 'empty.onnx');
    await writeFile(empty, '');
    await expect(runner.load(empty)).rejects.toMatchObject({ code: ErrorCode.MODEL_INVALID, message: expect.stringContaining('empty.onnx') });
  });

  it('reports random bytes as MODEL_INVALID naming the file', async () => {
    const junk = path.join(directory, 'junk.onnx');
    await writeFile(junk, Buffer.from(Array.from({ length: 512 }, (_, i) => (i * 37 + 11) % 256)));
    const error = await runner.load(junk).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: ErrorCode.MODEL_INVALID, message: expect.stringMatching(/junk\.onnx: not a valid ONNX model: /) });
    expect((error as Error).message).not.toContain('\n');
  });

  it('blames an unwritable optimizedModelFilePath on the option, not on a valid model', async () => {
    const model = path.join(directory, 'affine.onnx');
    const { buildMatMul, saveModel } = await import('@ortbench/models');
    await saveModel(model, buildMatMul({ m: 2, k: 3, n: 4 }));
    const error = await runner.load(model, { optimizedModelFilePath: path.join(directory, 'missing-folder', 'opt.onnx') }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: ErrorCode.INVALID_ARGUMENT, message: expect.stringMatching(/^node-cpu option optimizedModelFilePath .*opt\.onnx: cannot be written: /) });
    expect((error as Error).message).not.toContain('not a valid ONNX model');
  });

  it('refuses unknown and malformed options instead of ignoring them', async () => {
    await expect(runner.load('x.onnx', { thread: 2 })).rejects.toThrow(/^runner node-cpu has no option "thread"/);
    await expect(runner.load('x.onnx', { threads: 0 })).rejects.toMatchObject({ code: ErrorCode.INVALID_ARGUMENT });
    await expect(runner.load('x.onnx', { graphOptimizationLevel: 'max' })).rejects.toThrow(/must be one of disabled, basic, extended, all/);
  });
});
