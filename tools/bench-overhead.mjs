#!/usr/bin/env node
// Does ortbench's engine report what a bare `session.run` loop would? Same model (resnet50,
// batch 1), same threads, same ORT session options; the two alternate in blocks so that machine
// drift hits both alike. Run after `npm run build`:  node tools/bench-overhead.mjs
import os from 'node:os';
import { bootstrapRatioOfMedians, createTensor, fixedIterations, measureSession, quantileSorted } from '@ortbench/core';
import { ensureModel, presetSpec } from '@ortbench/models';
import { createNodeCpuRunner } from '@ortbench/runners/node';
import * as ort from 'onnxruntime-node';

const THREADS = Number(process.env.THREADS ?? 2);
const BLOCKS = Number(process.env.BLOCKS ?? 8);
const PER_BLOCK = Number(process.env.PER_BLOCK ?? 25);
const { path: model } = await ensureModel(presetSpec('resnet50', { batch: 'dynamic' }));
const data = new Float32Array(3 * 224 * 224).map((_, i) => Math.sin(i) * 2);

const bare = await ort.InferenceSession.create(model, { executionProviders: ['cpu'], intraOpNumThreads: THREADS, graphOptimizationLevel: 'all' });
const bareFeeds = { input: new ort.Tensor('float32', data, [1, 3, 224, 224]) };
const session = await createNodeCpuRunner().load(model, { threads: THREADS });
const feeds = { input: createTensor('float32', data, [1, 3, 224, 224]) };

for (let i = 0; i < 10; i++) await bare.run(bareFeeds); // warm both
const bareSamples = [];
const engineSamples = [];
for (let block = 0; block < BLOCKS; block++) {
  for (let i = 0; i < PER_BLOCK; i++) {
    const start = process.hrtime.bigint();
    await bare.run(bareFeeds);
    bareSamples.push(Number(process.hrtime.bigint() - start));
  }
  const measurement = await measureSession(session, {
    feeds,
    warmup: { minIterations: block === 0 ? 10 : 0, maxIterations: block === 0 ? 10 : 0 },
    stop: fixedIterations(PER_BLOCK),
    keepSamples: true,
  });
  engineSamples.push(...measurement.samplesNs);
}
await bare.release();
await session.dispose();

const ms = (samples, q) => quantileSorted(Float64Array.from(samples).sort(), q) / 1e6;
const ratio = bootstrapRatioOfMedians(bareSamples, engineSamples);
console.log(`node ${process.version}, ${os.cpus()[0]?.model}, ${os.availableParallelism()} CPUs, onnxruntime-node ${ort.env.versions.node}, resnet50 batch 1, ${THREADS} threads, ${BLOCKS} alternating blocks of ${PER_BLOCK} runs`);
console.log(`bare session.run loop   median ${ms(bareSamples, 0.5).toFixed(3)} ms   p10 ${ms(bareSamples, 0.1).toFixed(3)} ms   (${bareSamples.length} runs)`);
console.log(`ortbench measureSession median ${ms(engineSamples, 0.5).toFixed(3)} ms   p10 ${ms(engineSamples, 0.1).toFixed(3)} ms   (${engineSamples.length} runs)`);
console.log(`ratio of medians (ortbench / bare) ${ratio.estimate.toFixed(4)}, 95 % CI ${ratio.lower.toFixed(4)}–${ratio.upper.toFixed(4)}; p10 ratio ${(ms(engineSamples, 0.1) / ms(bareSamples, 0.1)).toFixed(4)}`);
