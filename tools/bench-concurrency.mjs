#!/usr/bin/env node
// Does `--concurrency 2` measure something real on node-cpu? Two sessions, one per worker
// thread, each with 1 intra-op thread, against one session; on the 2-core machine the runs/s
// should nearly double. Run after `npm ci`:  node tools/bench-concurrency.mjs
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import { fileURLToPath } from 'node:url';

const MODEL = process.env.MODEL ?? 'resnet50';
const bin = fileURLToPath(new URL('../apps/cli/bin/ortbench.js', import.meta.url));
const args = ['bench', MODEL, '--batch', '1', '--threads', '1', '--concurrency', '1,2', '--rounds', process.env.ROUNDS ?? '3', '--json', '--out', os.tmpdir() + '/ortbench-concurrency'];
const child = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', maxBuffer: 1 << 28 });
if (child.status !== 0) throw new Error(child.stderr);
const document = JSON.parse(child.stdout);
const [one, two] = document.results.map((r) => r.measurement);
console.log(`ortbench ${args.slice(0, -2).join(' ')} — node ${process.version}, ${os.cpus()[0]?.model}, ${os.availableParallelism()} CPUs`);
console.log('| sessions | runs/s (basis) | median latency | median CI | wall runs/s |');
console.log('|---|---|---|---|---|');
for (const m of [one, two]) {
  console.log(`| ${m.sessions ?? 1} | ${m.throughput.runsPerSecond.toFixed(1)} (${m.throughput.basis}) | ${m.latencyMs.median.toFixed(2)} ms | ±${(m.stability.ciHalfWidth * 100).toFixed(1)} % | ${m.throughput.wallRunsPerSecond.toFixed(1)} |`);
}
console.log(`scaling at 2 sessions: ${(two.throughput.runsPerSecond / one.throughput.runsPerSecond).toFixed(2)}× runs/s`);
