#!/usr/bin/env node
// The seed-004 table: alexnet, vgg16, resnet50, inception-v3 × fp32/fp16/int8 on the shared
// photos — inference-only and end-to-end images/s, top-1 over the 15 photos and how many differ
// from fp32 — from the standard results document. Run after `npm run build` (needs ../shared):
//   node tools/bench-seed-004.mjs              BATCH=8,50  EXTRA="--iterations 500"
//   FROM=results.json node tools/bench-seed-004.mjs    (the table of a document already measured)
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const shared = fileURLToPath(new URL('../../shared', import.meta.url));
const bin = fileURLToPath(new URL('../apps/cli/bin/ortbench.js', import.meta.url));
const args = ['bench', '--preset', 'seed-004', '--batch', process.env.BATCH ?? '8', '--images', `${shared}/images`, '--labels', `${shared}/images/expected.json`, '--json', '--out', `${os.tmpdir()}/ortbench-seed-004`, ...(process.env.EXTRA ?? '').split(' ').filter(Boolean)];
let text;
if (process.env.FROM) text = readFileSync(process.env.FROM, 'utf8');
else {
  console.error(`ortbench ${args.join(' ')}`);
  const run = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 256 * 2 ** 20 });
  if (run.status !== 0) process.exit(run.status ?? 1);
  text = run.stdout;
}
const document = JSON.parse(text);
const env = document.environment;
console.log(`${env.cpu?.model}, ${env.cpu?.logicalCores} CPUs, node ${env.node}, onnxruntime-node ${env.packages?.['onnxruntime-node'] ?? '?'}, ${document.createdAt.slice(0, 10)}\n`);
console.log('| model | precision | batch | inference only | end to end | preprocess only | overlap | top-1 | differs from fp32 |');
console.log('|---|---|---:|---:|---:|---:|---:|---:|---:|');
for (const { configuration: c, status, measurement: m, reason, error } of document.results) {
  const head = `| ${path.basename(c.model)} | ${c.options.precision ?? 'fp32'} | ${c.batchSize}`;
  if (status !== 'completed') {
    console.log(`${head} | ${status}: ${reason ?? error?.message} | | | | | |`);
    continue;
  }
  const p = m.pipeline;
  const flag = m.stability.unstable ? ' (unstable)' : '';
  // A ± needs at least 6 runs (a 95 % interval of the median); fewer show the count.
  const precision = m.latencyMs.count < 6 ? `${m.latencyMs.count} runs, no CI` : `±${(m.stability.ciHalfWidth * 100).toFixed(1)} %`;
  const top1 = m.accuracy ? `${Math.round(m.accuracy.top1 * m.accuracy.images)}/${m.accuracy.images}` : '—';
  const differs = m.agreement ? `${m.agreement.differing}/${m.agreement.images}` : '—';
  const overlap = p ? `${(p.efficiency * 100).toFixed(0)} %` : '—';
  console.log(`${head} | ${m.throughput.itemsPerSecond.toFixed(1)}/s ${precision}${flag} | ${p ? `${p.endToEndItemsPerSecond.toFixed(1)}/s` : '—'} | ${p ? `${p.preprocessItemsPerSecond.toFixed(1)}/s` : '—'} | ${overlap} | ${top1} | ${differs} |`);
}
