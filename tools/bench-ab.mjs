#!/usr/bin/env node
// The A/B gate's false-alarm rate and power on this machine: `ortbench ab` of ResNet-50 (batch 1,
// node-cpu) against itself RUNS times (each should say "same") and against a copy made slower by
// EXTRA identity grouped 1×1 convolutions after the first Conv (default 14, about 4 % on this
// machine; each should say "slower"), the
// two kinds interleaved, each a fresh process. Run after `npm ci`:  node tools/bench-ab.mjs
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeSlowerCopy } from './slower-copy.mjs';

const RUNS = Number(process.env.RUNS ?? 10);
const EXTRA = Number(process.env.EXTRA ?? 14);
const MODEL = process.env.MODEL ?? 'resnet50';
const bin = fileURLToPath(new URL('../apps/cli/bin/ortbench.js', import.meta.url));
const scratch = mkdtempSync(path.join(os.tmpdir(), 'ortbench-ab-'));
const ortbench = (...args) => spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });

const model = path.join(scratch, 'a.onnx');
const built = ortbench('models', 'build', MODEL, '--batch', '1', '--out', model);
if (built.status !== 0) throw new Error(built.stderr);
const slower = path.join(scratch, 'slower.onnx');
const channels = await writeSlowerCopy(model, slower, EXTRA);

console.log(`ortbench ab, ${MODEL} batch 1 on node-cpu — node ${process.version}, ${os.cpus()[0]?.model}, ${os.availableParallelism()} CPUs, load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
console.log(`B for "slower": the same model with ${EXTRA} extra identity grouped 1×1 convolution(s) over the first ${channels}-channel feature map`);
console.log('');
console.log('| kind | run | verdict | B/A (95 % CI) | pairs | left out | order effect | wall s |');
console.log('|---|---|---|---|---|---|---|---|');
const tally = { same: {}, slower: {} };
for (let i = 1; i <= RUNS; i++) {
  for (const [kind, b] of [['same', model], ['slower', slower]]) {
    const t0 = performance.now();
    const run = ortbench('ab', model, b, '--json');
    const seconds = (performance.now() - t0) / 1000;
    if (![0, 1, 4].includes(run.status)) throw new Error(`ab failed (${run.status}): ${run.stderr}`);
    const o = JSON.parse(run.stdout);
    tally[kind][o.verdict] = (tally[kind][o.verdict] ?? 0) + 1;
    console.log(`| ${kind === 'same' ? 'A/A' : 'A/slower'} | ${i} | ${o.verdict} | ${o.ratio.toFixed(4)} (${o.lower.toFixed(4)}–${o.upper.toFixed(4)}) | ${o.pairs} | ${o.excluded} | ${o.orderEffect?.toFixed(3) ?? '—'} | ${seconds.toFixed(1)} |`);
  }
}
rmSync(scratch, { recursive: true, force: true });
const summary = (counts) => Object.entries(counts).map(([verdict, n]) => `${n} ${verdict}`).join(', ');
console.log(`\nA/A: ${summary(tally.same)} (want "same" in ≥ 9 of ${RUNS}); A/slower: ${summary(tally.slower)} (want "slower" in ≥ 9 of ${RUNS})`);
