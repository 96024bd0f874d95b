import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { benchmark, createTensor, ErrorCode, RunnerRegistry, TOLERANCE_PRESETS } from '@ortbench/core';
import { buildModel, encodeModel, presetSpec } from '@ortbench/models';
import { createKServeRunner } from '../examples/kserve-runner';
import { compareOutputs } from '../src/index';
import { createNodeCpuRunner } from '../src/node';

// A minimal KServe v2 server on 127.0.0.1 backed by onnxruntime-node, for the example runner to talk to.
const model = encodeModel(buildModel(presetSpec('resnet50-tiny', { batch: 1 }))).model;
const backend = await createNodeCpuRunner().load(model);
const server = createServer(async (request, response) => {
  const reply = (status: number, body: unknown) => response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  if (request.url === '/v2/health/ready') return reply(200, {});
  if (request.url === '/v2/models/tiny' && request.method === 'GET') {
    const meta = (v: (typeof backend.inputs)[number]) => ({ name: v.name, datatype: 'FP32', shape: v.dims.map((d) => (typeof d === 'number' ? d : -1)) });
    return reply(200, { name: 'tiny', platform: 'onnxruntime_onnx', inputs: backend.inputs.map(meta), outputs: backend.outputs.map(meta) });
  }
  if (request.url === '/v2/models/tiny/infer' && request.method === 'POST') {
    let text = '';
    for await (const chunk of request) text += chunk;
    const [input] = JSON.parse(text).inputs;
    const { outputs } = await backend.run({ input: createTensor('float32', Float32Array.from(input.data), input.shape) });
    const out = outputs.output!;
    return reply(200, { outputs: [{ name: 'output', datatype: 'FP32', shape: out.dims, data: Array.from(out.data as Float32Array) }] });
  }
  reply(404, { error: 'not found' });
});
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await backend.dispose();
});

describe('a custom runner (examples/kserve-runner.ts) in a RunnerRegistry', () => {
  const registry = new RunnerRegistry().register(createKServeRunner({ url })).register(createNodeCpuRunner());
  const feeds = { input: createTensor('float32', Float32Array.from({ length: 3 * 32 * 32 }, (_, i) => Math.sin(i)), [1, 3, 32, 32]) };

  it('is benchmarked by the same engine as the built-in runners', async () => {
    const measurement = await benchmark({ runner: await registry.resolve('kserve'), model: 'tiny', feeds, stop: { minIterations: 5, minDurationMs: 0, ciTarget: 0 } });
    expect(measurement.session).toMatchObject({ runner: 'kserve', executionProvider: 'remote (onnxruntime_onnx)' });
    expect(measurement.phases.iterations).toBe(5);
  });

  it('returns the same outputs as running the model locally', async () => {
    const remote = await (await registry.resolve('kserve')).load('tiny');
    const local = await (await registry.resolve('node-cpu')).load(model);
    const [row] = compareOutputs((await local.run(feeds)).outputs, (await remote.run(feeds)).outputs, TOLERANCE_PRESETS.fp32);
    expect(row!.report.ok).toBe(true);
    await local.dispose();
  });

  it('reports an unreachable server and an unknown model clearly', async () => {
    const dead = new RunnerRegistry().register(createKServeRunner({ url: 'http://127.0.0.1:9', name: 'dead' }));
    await expect(dead.resolve('dead')).rejects.toMatchObject({ code: ErrorCode.RUNNER_UNAVAILABLE, message: expect.stringContaining('cannot be reached') });
    await expect((await registry.resolve('kserve')).load('resnet999')).rejects.toThrow('the server has no model "resnet999" (HTTP 404)');
  });
});
