#!/usr/bin/env node
// Does the torch runner add anything to PyTorch's own time? ResNet-50 at batch 1: the runner's
// per-run latency (timed in its worker, around the forward call) against a plain Python
// `time.perf_counter` loop around the same forward call on the same TorchScript file, same
// threads, in alternating blocks of one run. Also the host's round trip per run (feeds over the
// pipe, outputs discarded) so the transport's cost is visible.
// Run after `npm ci` with python3-torch:  node tools/bench-torch-overhead.mjs
import { spawn } from 'node:child_process';
import { RunnerRegistry } from '@ortbench/core';
import { physicalCoreCount } from '@ortbench/core/node';
import { ensureModel, ensureTorchPair, presetSpec } from '@ortbench/models';
import { syntheticFeeds } from '@ortbench/preprocess';
import { findTorchPython, registerNodeRunners, workerTuning } from '@ortbench/runners/node';

const MODEL = process.env.MODEL ?? 'resnet50';
const BATCH = Number(process.env.BATCH ?? 1);
const BLOCKS = Number(process.env.BLOCKS ?? 6);
const RUNS = Number(process.env.RUNS ?? 20);
const python = await findTorchPython();
if (!('torch' in python)) {
  console.log(`skipped: ${python.reason}`);
  process.exit(0);
}
const spec = presetSpec(MODEL);
const { path: onnx } = await ensureModel(spec);
const { path: pt } = await ensureTorchPair(onnx, spec, python.python);
const threads = physicalCoreCount();
const runner = await registerNodeRunners(new RunnerRegistry()).resolve('torch');
const session = await runner.load(onnx, { threads });
const feeds = syntheticFeeds(session.inputs, { batch: BATCH });

// The plain loop: a Python process that times RUNS forward calls per request on stdin.
const loop = spawn(python.python, ['-c', `
import sys, time, torch
torch.set_num_threads(${threads})
m = torch.jit.load(sys.argv[1]).eval()
x = torch.rand(${BATCH}, 3, 224, 224)
for line in sys.stdin:
    times = []
    with torch.inference_mode():
        for _ in range(int(line)):
            s = time.perf_counter(); m(x); times.append((time.perf_counter() - s) * 1e3)
    print(" ".join(f"{t:.4f}" for t in times), flush=True)
`, pt], { stdio: ['pipe', 'pipe', 'inherit'], env: { ...process.env, ...workerTuning(python) } }); // the runner's worker environment, for a like-for-like loop
const lines = [];
let buffer = '';
loop.stdout.on('data', (d) => {
  buffer += d;
  const parts = buffer.split('\n');
  buffer = parts.pop();
  lines.push(...parts);
});
async function plainBlock(runs) {
  const before = lines.length;
  loop.stdin.write(`${runs}\n`);
  while (lines.length === before) await new Promise((r) => setTimeout(r, 5));
  return lines.at(-1).split(' ').map(Number);
}
async function runnerBlock(runs) {
  const worker = [];
  const host = [];
  for (let i = 0; i < runs; i++) {
    const start = process.hrtime.bigint();
    const { timing } = await session.run(feeds, { discardOutputs: true });
    host.push(Number(process.hrtime.bigint() - start) / 1e6);
    worker.push(timing.inferenceNs / 1e6);
  }
  return { worker, host };
}

// Warm both (TorchScript's profiling executor optimises over the first calls).
await plainBlock(5);
await runnerBlock(5);
const plain = [];
const timed = [];
const host = [];
for (let block = 0; block < BLOCKS; block++) {
  plain.push(...(await plainBlock(RUNS)));
  const r = await runnerBlock(RUNS);
  timed.push(...r.worker);
  host.push(...r.host);
}
loop.stdin.end();
await session.dispose();
const median = (v) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];
const ratio = median(timed) / median(plain);
console.log(`${MODEL} batch ${BATCH}, ${threads} threads, PyTorch ${python.torch} (${python.python}), environment ${JSON.stringify(workerTuning(python))}; ${BLOCKS} alternating blocks of ${RUNS} runs`);
console.log('| | median ms | p10 ms | p90 ms |');
console.log('|---|---|---|---|');
const q = (v, p) => [...v].sort((a, b) => a - b)[Math.floor((v.length - 1) * p)];
for (const [label, v] of [['plain Python perf_counter loop', plain], ['torch runner (timed in its worker)', timed], ['torch runner, host round trip', host]]) {
  console.log(`| ${label} | ${median(v).toFixed(2)} | ${q(v, 0.1).toFixed(2)} | ${q(v, 0.9).toFixed(2)} |`);
}
console.log(`runner / plain loop: ${ratio.toFixed(3)}× (${((ratio - 1) * 100).toFixed(1)} %); host round trip adds ${(median(host) - median(timed)).toFixed(2)} ms per run`);
