#!/usr/bin/env node
// Pipelined end-to-end classification on the shared photos and MobileNetV2 (fp32): decode +
// preprocess of batch k+1 overlapped with inference of batch k, next to preprocess-only and
// inference-only throughput (at the median), from the standard results document. Run after
// `npm run build` (needs ../shared):   node tools/bench-pipeline.mjs            BATCH=1,8
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import { fileURLToPath } from 'node:url';

const shared = fileURLToPath(new URL('../../shared', import.meta.url));
const bin = fileURLToPath(new URL('../apps/cli/bin/ortbench.js', import.meta.url));
const args = ['bench', `${shared}/models/mobilenetv2/mobilenetv2-12-dequantized-fp32.onnx`, '--images', `${shared}/images`, '--batch', process.env.BATCH ?? '1,8', '--json', '--out', `${os.tmpdir()}/ortbench-pipeline`];
const run = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8' });
if (run.status !== 0) {
  console.error(run.stderr);
  process.exit(run.status ?? 1);
}
const document = JSON.parse(run.stdout);
const first = document.results[0].measurement;
console.log(`node ${process.version}, ${os.cpus()[0]?.model}, ${os.availableParallelism()} CPUs, ${first.session.runner}, ${first.pipeline.images} photos`);
console.log('batch  preprocess-only  inference-only  end-to-end  end-to-end / slower stage');
for (const { configuration, measurement: m } of document.results) {
  const p = m.pipeline;
  console.log(`${String(configuration.batchSize).padStart(5)}  ${p.preprocessItemsPerSecond.toFixed(1).padStart(13)}/s  ${m.throughput.itemsPerSecond.toFixed(1).padStart(12)}/s  ${p.endToEndItemsPerSecond.toFixed(1).padStart(8)}/s  ${(p.efficiency * 100).toFixed(1).padStart(10)} %`);
}
