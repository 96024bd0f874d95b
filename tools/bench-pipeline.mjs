#!/usr/bin/env node
// Pipelined end-to-end classification on the shared photos and MobileNetV2 (fp32): decode +
// preprocess of batch k+1 overlapped with inference of batch k, next to preprocess-only and
// inference-only throughput. Run after `npm run build` (needs ../shared):
//   node tools/bench-pipeline.mjs            BATCH=1,8 STAGES=30
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import { fileURLToPath } from 'node:url';

const shared = fileURLToPath(new URL('../../shared', import.meta.url));
const bin = fileURLToPath(new URL('../apps/cli/bin/ortbench.js', import.meta.url));
const args = ['bench', `${shared}/models/mobilenetv2/mobilenetv2-12-dequantized-fp32.onnx`, '--images', `${shared}/images`, '--batch', process.env.BATCH ?? '1,8', '--iterations', process.env.STAGES ?? '30', '--duration', '1', '--json'];
const run = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8' });
if (run.status !== 0) {
  console.error(run.stderr);
  process.exit(run.status ?? 1);
}
const result = JSON.parse(run.stdout);
console.log(`node ${process.version}, ${os.cpus()[0]?.model}, ${os.availableParallelism()} CPUs, ${result.runner}, ${result.images} photos`);
console.log('batch  preprocess-only  inference-only  end-to-end  end-to-end / inference-only');
for (const r of result.rows) {
  console.log(`${String(r.batch).padStart(5)}  ${r.preprocessOnly.toFixed(1).padStart(13)}/s  ${r.inferenceOnly.toFixed(1).padStart(12)}/s  ${r.endToEnd.toFixed(1).padStart(8)}/s  ${(r.efficiency * 100).toFixed(1).padStart(10)} %`);
}
