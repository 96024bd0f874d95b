#!/usr/bin/env node
// The seed-004 table: alexnet, vgg16, resnet50, inception-v3 × fp32/fp16/int8 on the shared
// photos — inference-only and end-to-end images/s, top-1 over the 15 photos and how many differ
// from fp32 — from the standard results document. Run after `npm run build` (needs ../shared):
//   node tools/bench-seed-004.mjs              BATCH=8,50  EXTRA="--iterations 500"
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import { fileURLToPath } from 'node:url';

const shared = fileURLToPath(new URL('../../shared', import.meta.url));
const bin = fileURLToPath(new URL('../apps/cli/bin/ortbench.js', import.meta.url));
const args = ['bench', '--preset', 'seed-004', '--batch', process.env.BATCH ?? '8', '--images', `${shared}/images`, '--labels', `${shared}/images/expected.json`, '--json', '--out', `${os.tmpdir()}/ortbench-seed-004`, ...(process.env.EXTRA ?? '').split(' ').filter(Boolean)];
console.error(`ortbench ${args.join(' ')}`);
const run = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 256 * 2 ** 20 });
if (run.status !== 0) process.exit(run.status ?? 1);
const document = JSON.parse(run.stdout);
const env = document.environment;
console.log(`node ${process.version}, ${os.cpus()[0]?.model}, ${os.availableParallelism()} CPUs, onnxruntime-node ${env.packages?.['onnxruntime-node'] ?? '?'}, ${new Date().toISOString().slice(0, 10)}\n`);
console.log('| model | precision | batch | inference only | end to end | preprocess only | top-1 | differs from fp32 |');
console.log('|---|---|---:|---:|---:|---:|---:|---:|');
for (const { configuration: c, status, measurement: m, reason, error } of document.results) {
  const head = `| ${c.model} | ${c.options.precision ?? 'fp32'} | ${c.batchSize}`;
  if (status !== 'completed') {
    console.log(`${head} | ${status}: ${reason ?? error?.message} | | | | |`);
    continue;
  }
  const p = m.pipeline;
  const flag = m.stability.unstable ? ' (unstable)' : '';
  const top1 = m.accuracy ? `${Math.round(m.accuracy.top1 * m.accuracy.images)}/${m.accuracy.images}` : '—';
  const differs = m.agreement ? `${m.agreement.differing}/${m.agreement.images}` : '—';
  console.log(`${head} | ${m.throughput.itemsPerSecond.toFixed(1)}/s ±${(m.stability.ciHalfWidth * 100).toFixed(1)} %${flag} | ${p ? `${p.endToEndItemsPerSecond.toFixed(1)}/s` : '—'} | ${p ? `${p.preprocessItemsPerSecond.toFixed(1)}/s` : '—'} | ${top1} | ${differs} |`);
}
