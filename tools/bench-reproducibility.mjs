#!/usr/bin/env node
// Would the Quick start's numbers come out the same tomorrow? Runs `ortbench bench resnet50
// --batch 1,8` RUNS times back to back (default 3), each a fresh process with the default
// precision target, and reports every configuration's median — and every paired ratio (from the
// run-by-run alternation) — against the middle run, with the machine's load and the total wall
// time. ARGS="bench resnet50 --batch 1 --precision fp32,int8" checks the int8/fp32 ratio. Run after `npm ci`:  node tools/bench-reproducibility.mjs
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const RUNS = Number(process.env.RUNS ?? 3);
const ARGS = (process.env.ARGS ?? 'bench resnet50 --batch 1,8').split(' ');
const bin = fileURLToPath(new URL('../apps/cli/bin/ortbench.js', import.meta.url));
const scratch = mkdtempSync(path.join(os.tmpdir(), 'ortbench-repro-'));
const started = performance.now();
const runs = [];
for (let i = 0; i < RUNS; i++) {
  const out = path.join(scratch, `run${i + 1}`);
  const t0 = performance.now();
  const child = spawnSync(process.execPath, [bin, ...ARGS, '--out', out], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  if (child.status !== 0) throw new Error(`run ${i + 1} failed (${child.status}): ${child.stderr}`);
  const document = JSON.parse(readFileSync(path.join(out, 'results.json'), 'utf8'));
  runs.push({ seconds: (performance.now() - t0) / 1000, document });
}
const totalSeconds = (performance.now() - started) / 1000;
rmSync(scratch, { recursive: true, force: true });

const middle = Math.floor(RUNS / 2);
const ids = runs[0].document.results.map((r) => r.configuration.id);
console.log(`ortbench ${ARGS.join(' ')} × ${RUNS}, back to back — node ${process.version}, ${os.cpus()[0]?.model}, ${os.availableParallelism()} CPUs`);
console.log(`total wall time ${totalSeconds.toFixed(1)} s (runs: ${runs.map((r) => `${r.seconds.toFixed(1)} s`).join(', ')})`);
console.log('');
console.log(`| configuration | ${runs.map((_, i) => `run ${i + 1} median (±CI)`).join(' | ')} | worst deviation from run ${middle + 1} |`);
console.log(`|---|${runs.map(() => '---|').join('')}---|`);
let worst = 0;
for (const id of ids) {
  const medians = runs.map((run) => run.document.results.find((r) => r.configuration.id === id)?.measurement);
  const reference = medians[middle].latencyMs.median;
  const deviation = Math.max(...medians.map((m) => Math.abs(m.latencyMs.median / reference - 1)));
  worst = Math.max(worst, deviation);
  const cells = medians.map((m) => `${m.latencyMs.median.toFixed(2)} ms (±${(m.stability.ciHalfWidth * 100).toFixed(1)} %, ${m.stability.stop}${m.stability.unstable ? ', unstable' : ''})`);
  console.log(`| ${id} | ${cells.join(' | ')} | ${(deviation * 100).toFixed(2)} % |`);
}
console.log('');
for (const [i, run] of runs.entries()) {
  const machine = run.document.environment.machine ?? {};
  console.log(`run ${i + 1}: load average ${machine.loadAverageStart?.join(' ')} → ${machine.loadAverageEnd?.join(' ')}, other processes ${machine.otherCpuCores ?? '?'} cores, reference workload ${machine.referenceMs ? `${machine.referenceMs.start} → ${machine.referenceMs.end} ms` : '?'}${machine.warning ? ` — ${machine.warning}` : ''}`);
}
console.log(`\nworst deviation of a median from the middle run: ${(worst * 100).toFixed(2)} % (${worst <= 0.03 ? 'within' : 'OUTSIDE'} ±3 %)`);

// Paired ratios: the same comparison in every run, against the middle run's.
const comparisons = runs[0].document.results.flatMap((r) => (r.measurement?.comparisons ?? []).map((c) => ({ id: r.configuration.id, axis: c.axis, baseline: c.baselineValue })));
if (comparisons.length > 0) {
  console.log('');
  console.log(`| paired ratio (time per item over the baseline's) | ${runs.map((_, i) => `run ${i + 1} (95 % CI)`).join(' | ')} | worst deviation from run ${middle + 1} |`);
  console.log(`|---|${runs.map(() => '---|').join('')}---|`);
  let worstRatio = 0;
  for (const { id, axis, baseline } of comparisons) {
    const ratios = runs.map((run) => run.document.results.find((r) => r.configuration.id === id)?.measurement?.comparisons?.find((c) => c.axis === axis));
    if (ratios.some((c) => !c)) continue;
    const deviation = Math.max(...ratios.map((c) => Math.abs(c.ratio / ratios[middle].ratio - 1)));
    worstRatio = Math.max(worstRatio, deviation);
    console.log(`| ${id} vs ${axis}=${baseline} | ${ratios.map((c) => `${c.ratio.toFixed(3)} (${c.lower.toFixed(3)}–${c.upper.toFixed(3)}, ${c.pairs} pairs)`).join(' | ')} | ${(deviation * 100).toFixed(2)} % |`);
  }
  console.log(`\nworst deviation of a paired ratio from the middle run: ${(worstRatio * 100).toFixed(2)} % (${worstRatio <= 0.03 ? 'within' : 'OUTSIDE'} ±3 %)`);
}
