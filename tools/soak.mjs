#!/usr/bin/env node
// Long runs lose nothing: RSS while one session runs 10,000 times, then while sessions are
// created and disposed again and again (as a sweep does between configurations).
//   npm run build && node tools/soak.mjs          RUNS=10000 SESSIONS=200 MODEL=bert-tiny
import os from 'node:os';

import { ensureModel, presetSpec } from '@ortbench/models';
import { syntheticFeeds } from '@ortbench/preprocess';
import { createNodeCpuRunner } from '@ortbench/runners/node';

const RUNS = Number(process.env.RUNS ?? 10_000);
const SESSIONS = Number(process.env.SESSIONS ?? 200);
const MODEL = process.env.MODEL ?? 'bert-tiny';
const mib = () => process.memoryUsage().rss / 2 ** 20;
const { path: model } = await ensureModel(presetSpec(MODEL));
const runner = createNodeCpuRunner();
console.log(`node ${process.version}, ${os.cpus()[0]?.model}, ${MODEL}, node-cpu, ${RUNS} runs then ${SESSIONS} sessions`);

const session = await runner.load(model);
const feeds = syntheticFeeds(session.inputs, { batch: 4, sequenceLength: 64 });
for (let i = 0; i < 200; i++) await session.run(feeds); // let the allocator settle
const samples = [];
const start = performance.now();
for (let i = 1; i <= RUNS; i++) {
  await session.run(feeds); // outputs are dropped each time, as in a benchmark
  if (i % 1000 === 0) samples.push([i, mib()]);
}
await session.dispose();
console.log(`runs      RSS after ${samples.map(([i, m]) => `${i}: ${m.toFixed(1)}`).join(', ')} MiB (${((performance.now() - start) / 1000).toFixed(1)} s)`);
const runGrowth = samples.at(-1)[1] - samples[0][1];

const sessionSamples = [];
for (let i = 1; i <= SESSIONS; i++) {
  const s = await runner.load(model);
  await s.run(feeds);
  await s.dispose();
  if (i % 50 === 0) sessionSamples.push([i, mib()]);
}
console.log(`sessions  RSS after ${sessionSamples.map(([i, m]) => `${i}: ${m.toFixed(1)}`).join(', ')} MiB`);
const sessionGrowth = sessionSamples.at(-1)[1] - sessionSamples[0][1];
console.log(`growth    ${runGrowth.toFixed(1)} MiB from run 1,000 to ${RUNS.toLocaleString('en-US')}; ${sessionGrowth.toFixed(1)} MiB from session 50 to ${SESSIONS}`);
