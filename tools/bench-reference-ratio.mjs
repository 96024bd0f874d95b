#!/usr/bin/env node
// Issue 24, item 4: is "latency as a ratio to a fixed reference workload run paired with it" a
// more reproducible absolute figure than the raw median? Each of RUNS fresh processes alternates,
// run by run in a balanced order, ResNet-50 (batch 1, node-cpu, spinning off) with the reference
// workload that every results document already times (probeMachineSpeed's scalar kernel), for
// PAIRS pairs; the script then compares the spread of the raw medians with the spread of the
// paired ratios over the runs. Run after `npm ci`:  node tools/bench-reference-ratio.mjs
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import { fileURLToPath } from 'node:url';

const RUNS = Number(process.env.RUNS ?? 5);
const PAIRS = Number(process.env.PAIRS ?? 200);

if (process.argv[2] === '--child') {
  const { pairedRatio, probeMachineSpeed, quantileSorted } = await import('@ortbench/core');
  const { createNodeCpuRunner } = await import('@ortbench/runners/node');
  const { ensureModel, presetSpec } = await import('@ortbench/models');
  const { syntheticFeeds } = await import('@ortbench/preprocess');
  const session = await createNodeCpuRunner().load((await ensureModel(presetSpec('resnet50', { batch: 1 }))).path, { allowSpinning: false });
  const feeds = syntheticFeeds(session.inputs, { batch: 1 });
  const time = async (fn) => {
    const t0 = process.hrtime.bigint();
    await fn();
    return Number(process.hrtime.bigint() - t0);
  };
  for (let i = 0; i < 5; i++) await session.run(feeds);
  const pairs = [];
  for (let i = 0; i < PAIRS; i++) {
    const modelFirst = i % 2 === 0;
    const one = await time(() => (modelFirst ? session.run(feeds) : probeMachineSpeed(1)));
    const two = await time(() => (modelFirst ? probeMachineSpeed(1) : session.run(feeds)));
    pairs.push(modelFirst ? { a: two, b: one, aFirst: false } : { a: one, b: two, aFirst: true });
  }
  await session.dispose();
  const model = Float64Array.from(pairs, (p) => p.b).sort();
  const ratio = pairedRatio(pairs);
  process.stdout.write(JSON.stringify({ medianMs: quantileSorted(model, 0.5) / 1e6, ratio: ratio.ratio, lower: ratio.lower, upper: ratio.upper }));
  process.exit(0);
}

const script = fileURLToPath(import.meta.url);
const runs = [];
for (let i = 0; i < RUNS; i++) {
  const child = spawnSync(process.execPath, [script, '--child'], { encoding: 'utf8', env: { ...process.env, PAIRS: String(PAIRS) } });
  if (child.status !== 0) throw new Error(child.stderr);
  runs.push(JSON.parse(child.stdout));
}
const spread = (values) => {
  const middle = [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
  return Math.max(...values.map((v) => Math.abs(v / middle - 1)));
};
console.log(`resnet50 b1 node-cpu alternated with the reference kernel, ${PAIRS} pairs × ${RUNS} fresh processes — node ${process.version}, ${os.cpus()[0]?.model}, ${os.availableParallelism()} CPUs, load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
console.log('');
console.log('| run | raw median (ms) | ratio to the reference (95 % CI) |');
console.log('|---|---:|---:|');
runs.forEach((r, i) => console.log(`| ${i + 1} | ${r.medianMs.toFixed(2)} | ${r.ratio.toFixed(3)} (${r.lower.toFixed(3)}–${r.upper.toFixed(3)}) |`));
console.log('');
console.log(`worst deviation from the middle: raw median ${(spread(runs.map((r) => r.medianMs)) * 100).toFixed(1)} %, ratio to the reference ${(spread(runs.map((r) => r.ratio)) * 100).toFixed(1)} %`);
