#!/usr/bin/env node
// fp32 against fp16 and int8, on resnet50 (static QDQ, calibrated on ../shared/images) and
// bert-base (dynamic), batch 8, node-cpu. Run after `npm run build`:  node tools/bench-precision.mjs
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import { fileURLToPath } from 'node:url';

const bin = fileURLToPath(new URL('../apps/cli/bin/ortbench.js', import.meta.url));
const images = fileURLToPath(new URL('../../shared/images', import.meta.url));
const runs = [
  ['resnet50', ['bench', 'resnet50', '--batch', '8', '--precision', 'fp32,fp16,int8', '--images', images, '--iterations', '10', '--json']],
  ['bert-base (seq 128)', ['bench', 'bert', '--batch', '8', '--seq', '128', '--precision', 'fp32,fp16,int8', '--iterations', '5', '--warmup', '2', '--json']],
];
console.log(`node ${process.version}, ${os.cpus()[0]?.model}, ${os.availableParallelism()} CPUs, node-cpu, batch 8`);
for (const [label, args] of runs) {
  const run = spawnSync(process.execPath, [bin, ...args, '--out', fileURLToPath(new URL(`../tmp/precision-${label.split(' ')[0]}`, import.meta.url))], { encoding: 'utf8', maxBuffer: 64 * 2 ** 20 });
  if (run.status !== 0) {
    console.error(run.stderr);
    process.exit(1);
  }
  const results = JSON.parse(run.stdout).results;
  const fp32 = results.find((r) => r.configuration.options.precision === 'fp32').measurement.throughput.itemsPerSecond;
  for (const r of results) {
    const m = r.measurement;
    console.log(`${label.padEnd(20)} ${r.configuration.options.precision.padEnd(5)} median ${m.latencyMs.median.toFixed(1).padStart(7)} ms  ${m.throughput.itemsPerSecond.toFixed(1).padStart(6)} items/s  ${(m.throughput.itemsPerSecond / fp32).toFixed(2)}× fp32`);
  }
}
