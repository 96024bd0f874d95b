#!/usr/bin/env node
// Long runs lose nothing: memory while one session runs 10,000 times, then while sessions are
// created and disposed again and again (as a sweep does between configurations). The figures are
// read and judged by the code bench uses (processMemoryProbe, detectLeak), so a leak this finds is
// one `bench` would flag in its results too.
//   npm run build && node tools/soak.mjs          RUNS=10000 SESSIONS=200 MODEL=bert-tiny
import os from 'node:os';

import { detectLeak, formatBytes } from '@ortbench/core';
import { processMemoryProbe } from '@ortbench/core/node';
import { ensureModel, presetSpec } from '@ortbench/models';
import { syntheticFeeds } from '@ortbench/preprocess';
import { createNodeCpuRunner } from '@ortbench/runners/node';

const RUNS = Number(process.env.RUNS ?? 10_000);
const SESSIONS = Number(process.env.SESSIONS ?? 200);
const MODEL = process.env.MODEL ?? 'bert-tiny';
const probe = processMemoryProbe();
const { path: model } = await ensureModel(presetSpec(MODEL));
const runner = createNodeCpuRunner();
console.log(`node ${process.version}, ${os.cpus()[0]?.model}, ${MODEL}, node-cpu, ${RUNS} runs then ${SESSIONS} sessions; memory: ${probe.source}`);

const beforeLoad = await probe.current();
const session = await runner.load(model);
const loaded = (await probe.current()) - beforeLoad;
// Ids below 1000: within any built BERT's vocabulary (the soak needs valid ids, not a real text).
const feeds = syntheticFeeds(session.inputs, { batch: 4, sequenceLength: 64, vocabSize: 1000 });
for (let i = 0; i < 200; i++) await session.run(feeds); // let the allocator settle
const readings = [];
const start = performance.now();
for (let i = 1; i <= RUNS; i++) {
  await session.run(feeds); // outputs are dropped each time, as in a benchmark
  if (i % 500 === 0) readings.push({ run: i, bytes: await probe.current() });
}
await session.dispose();
const show = (rows, every) => rows.filter((r) => r.run % every === 0).map((r) => `${r.run}: ${formatBytes(r.bytes)}`).join(', ');
console.log(`runs      after ${show(readings, 1000)} (${((performance.now() - start) / 1000).toFixed(1)} s; loading took ${formatBytes(loaded)})`);
const runLeak = detectLeak(readings, loaded);

const sessionReadings = [];
for (let i = 1; i <= SESSIONS; i++) {
  const s = await runner.load(model);
  await s.run(feeds);
  await s.dispose();
  if (i % 10 === 0) sessionReadings.push({ run: i, bytes: await probe.current() });
}
console.log(`sessions  after ${show(sessionReadings, 50)}`);
// Each created and disposed session is one "run" of the leak test.
const sessionLeak = detectLeak(sessionReadings, loaded);
const growth = (rows) => formatBytes(rows.at(-1).bytes - rows[0].bytes);
console.log(`growth    ${growth(readings)} from run 500 to ${RUNS.toLocaleString('en-US')}: ${runLeak ? `LEAK: ${runLeak.reason}` : 'no leak'}`);
console.log(`          ${growth(sessionReadings)} from session 10 to ${SESSIONS}: ${sessionLeak ? `LEAK: ${sessionLeak.reason.replace(/runs/g, 'sessions').replace('per run', 'per session')}` : 'no leak'}`);
process.exitCode = runLeak || sessionLeak ? 1 : 0;
