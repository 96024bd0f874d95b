import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorCode, RunnerRegistry } from '@ortbench/core';
import { buildInputFixture, inspectModel, saveModel } from '@ortbench/models';
import { syntheticFeeds } from '@ortbench/preprocess';
import { externalDataLocations } from '../src/external-data';
import { registerNodeRunners } from '../src/node';
import { CHROMIUM } from './browser-available';

const registry = registerNodeRunners(new RunnerRegistry());
const runners = ['node-cpu', 'web-wasm', ...(CHROMIUM ? ['browser'] : [])];
let directory: string;

beforeAll(async () => {
  directory = await mkdtemp(path.join(os.tmpdir(), 'ortbench-user-models-'));
  await saveModel(path.join(directory, 'vad.onnx'), buildInputFixture('voice-activity'));
  await saveModel(path.join(directory, 'custom.onnx'), buildInputFixture('custom-op'));
  await saveModel(path.join(directory, 'decoder.onnx'), buildInputFixture('decoder'), { location: 'decoder.onnx.data', thresholdBytes: 1000 });
  await saveModel(path.join(directory, 'lost.onnx'), buildInputFixture('decoder'), { location: 'lost.onnx.data', thresholdBytes: 1000 });
  await rm(path.join(directory, 'lost.onnx.data'));
});
afterAll(() => rm(directory, { recursive: true, force: true }));

describe.each(runners)('%s takes every model node-cpu takes', { timeout: 60_000 }, (name) => {
  it('reads unnamed dynamic dims as unknown, not as 4294967295', async () => {
    const session = await (await registry.resolve(name)).load(path.join(directory, 'vad.onnx'));
    try {
      expect(session.inputs.map((i) => [i.name, i.dims])).toEqual([['input', [null, null]], ['sr', []], ['state', [2, null, 16]]]);
      const feeds = syntheticFeeds(session.inputs, { batch: 1, dims: { 'input:1': 512, 'state:1': 1 }, values: { sr: 8000 } });
      const { outputs } = await session.run(feeds);
      expect(outputs.output!.dims).toEqual([1, 1]);
    } finally {
      await session.dispose();
    }
  });

  it('loads weights kept in an external data file beside the model', async () => {
    const file = path.join(directory, 'decoder.onnx');
    const session = await (await registry.resolve(name)).load(file);
    try {
      const { embeddings } = inspectModel((await import('@ortbench/models')).decodeModel(new Uint8Array(await (await import('node:fs/promises')).readFile(file)), file));
      const feeds = syntheticFeeds(session.inputs, { batch: 2, sequenceLength: 3, dims: { past_sequence_length: 5 }, vocabularies: embeddings });
      const { outputs } = await session.run(feeds);
      expect(outputs.present_key!.dims).toEqual([2, 2, 8, 8]);
    } finally {
      await session.dispose();
    }
  });

  it('names a missing external data file, and an operator it has no kernel for', async () => {
    const runner = await registry.resolve(name);
    await expect(runner.load(path.join(directory, 'lost.onnx'))).rejects.toMatchObject({ code: ErrorCode.FILE_NOT_FOUND, message: expect.stringContaining('lost.onnx.data is missing') });
    await expect(runner.load(path.join(directory, 'custom.onnx'))).rejects.toMatchObject({
      code: ErrorCode.OPERATOR_UNSUPPORTED,
      message: expect.stringMatching(/operator Frobnicate of domain com\.example is not registered; onnxruntime-(node|web)/),
    });
  });
});

describe('externalDataLocations', () => {
  it('finds the data files a serialised model names', async () => {
    const { encodeModel } = await import('@ortbench/models');
    const { model } = encodeModel(buildInputFixture('decoder'), { location: 'weights/decoder.bin', thresholdBytes: 1000 });
    expect(externalDataLocations(model)).toEqual(['weights/decoder.bin']);
    expect(externalDataLocations(encodeModel(buildInputFixture('decoder')).model)).toEqual([]);
  });
});

describe('verifyParity when a runner fails', () => {
  it('keeps every row: the failed runner with its error, the others compared with the first that ran', async () => {
    const { verifyParity } = await import('../src/index');
    const { buildMatMul, encodeModel } = await import('@ortbench/models');
    const model = encodeModel(buildMatMul({ m: 2, k: 3, n: 4 })).model;
    const broken = { name: 'broken', load: async () => Promise.reject(Object.assign(new Error('no such device'), { code: 'RUNNER_UNAVAILABLE' })) };
    const result = await verifyParity({ runners: [broken, await registry.resolve('node-cpu'), await registry.resolve('web-wasm')], model, feeds: (inputs) => syntheticFeeds(inputs) });
    expect(result.reference.runner).toBe('node-cpu');
    expect(result.rows.map((r) => [r.runner, r.error?.code ?? (r.report.ok ? 'ok' : 'mismatch')])).toEqual([['broken', 'RUNNER_UNAVAILABLE'], ['web-wasm', 'ok']]);
    expect(result.ok).toBe(false);
  });
});
