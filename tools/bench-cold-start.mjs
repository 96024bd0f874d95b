#!/usr/bin/env node
// Cold start: how long each command takes as a fresh process, next to a bare `node -e 0` and to
// importing each package alone. Median of RUNS (default 9) fresh processes each, interleaved so
// the machine's drift hits every row alike, and each row's ratio to `node -e 0` paired by round. Run after `npm ci` (needs ../shared for classify):
//   node tools/bench-cold-start.mjs
// BEFORE=/path/to/another/checkout (installed and built) adds its reporters import and classify as
// rows of the same interleaved run, for a before/after comparison measured together.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const RUNS = Number(process.env.RUNS ?? 9);
const root = fileURLToPath(new URL('..', import.meta.url));
const bin = path.join(root, 'apps/cli/bin/ortbench.js');
const shared = path.join(root, '../shared');
const photo = path.join(shared, 'images/cat-tabby.png');
const mobilenet = path.join(shared, 'models/mobilenetv2/mobilenetv2-12-dequantized-fp32.onnx');
const cache = mkdtempSync(path.join(os.tmpdir(), 'ortbench-cold-'));
const env = { ...process.env, NO_COLOR: '1', ORTBENCH_CACHE_DIR: cache };

const rows = [
  ['node -e 0', ['-e', '0']],
  ...['@ortbench/core', '@ortbench/reporters', '@ortbench/runners/node', '@ortbench/preprocess', '@ortbench/models', '@ortbench/tasks'].map((name) => [`import ${name}`, ['--input-type=module', '-e', `await import('${name}')`]]),
  ['ortbench --help', [bin, '--help']],
  ['ortbench env', [bin, 'env']],
  ['ortbench verify resnet50-tiny (node-cpu vs web-wasm)', [bin, 'verify', 'resnet50-tiny']],
  ...(existsSync(mobilenet) ? [['ortbench classify <one photo> --model <mobilenetv2>', [bin, 'classify', photo, '--model', mobilenet]]] : []),
];
const before = process.env.BEFORE && path.resolve(process.env.BEFORE);
if (before) {
  const beforeBin = path.join(before, 'apps/cli/bin/ortbench.js');
  rows.push(['before: import @ortbench/reporters', ['--input-type=module', '-e', "await import('@ortbench/reporters')"], path.join(before, 'apps/cli')]);
  if (existsSync(mobilenet)) rows.push(['before: ortbench classify <one photo> --model <mobilenetv2>', [beforeBin, 'classify', photo, '--model', mobilenet], path.join(before, 'apps/cli')]);
}
if (!existsSync(mobilenet)) console.warn(`skipping classify: ${mobilenet} not found`);

spawnSync(process.execPath, [bin, 'models', 'build', 'resnet50-tiny'], { env }); // built once, not timed
const times = new Map(rows.map(([name]) => [name, []]));
for (let run = 0; run < RUNS; run++) {
  for (const [name, args, cwd = path.join(root, 'apps/cli')] of rows) {
    const t0 = performance.now();
    const child = spawnSync(process.execPath, args, { env, cwd, encoding: 'utf8' });
    const ms = performance.now() - t0;
    if (child.status !== 0) throw new Error(`${name} failed (${child.status}): ${child.stderr}`);
    times.get(name).push(ms);
  }
}
rmSync(cache, { recursive: true, force: true });
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
console.log(`cold start, median of ${RUNS} fresh processes — node ${process.version}, ${os.cpus()[0]?.model}, ${os.availableParallelism()} CPUs\n`);
// Each row against `node -e 0` run in the same round: a ratio that a machine changing speed
// between rounds does not move (Hodges–Lehmann of the per-round ratios, 95 % Wilcoxon interval).
const { pairedRatio } = await import('@ortbench/core');
const bare = times.get('node -e 0');
console.log('| command | median | min – max | × node -e 0 (95 % CI), paired by round |');
console.log('|---|---:|---:|---:|');
for (const [name, values] of times) {
  const ratio = name === 'node -e 0' ? undefined : pairedRatio(values.map((ms, i) => ({ a: bare[i], b: ms, aFirst: true })));
  const paired = ratio ? `${ratio.ratio.toFixed(1)}× (${ratio.lower.toFixed(1)}–${ratio.upper.toFixed(1)})` : '1';
  console.log(`| ${name} | ${(median(values) / 1000).toFixed(2)} s | ${(Math.min(...values) / 1000).toFixed(2)} – ${(Math.max(...values) / 1000).toFixed(2)} s | ${paired} |`);
}
