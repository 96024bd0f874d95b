import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { parseResults } from '@ortbench/core';
import { formatMs } from '@ortbench/reporters';

const bin = fileURLToPath(new URL('../bin/ortbench.js', import.meta.url));
const scratch = await mkdtemp(path.join(os.tmpdir(), 'ortbench-bench-'));
afterAll(() => rm(scratch, { recursive: true, force: true }));

function ortbench(...args: string[]) {
  const env = { ...process.env, NO_COLOR: '1', ORTBENCH_CACHE_DIR: path.join(scratch, 'cache') };
  const result = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', env, cwd: scratch });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

const quick = ['--iterations', '3', '--warmup', '1'];

describe('ortbench bench', () => {
  it('sweeps runners × batch sizes on a built-in model and writes every report', async () => {
    const out = path.join(scratch, 'resnet');
    const { code, stdout, stderr } = ortbench('bench', 'resnet50-tiny', '--runner', 'node-cpu,web-wasm', '--batch', '1,2', '--out', out, ...quick);
    expect(code, stderr).toBe(0);
    expect(stdout).toMatch(/^batch\s+node-cpu\s+web-wasm$/m);
    // Three runs are too few for a 95 % interval of the median: the cell gives the count instead of a ±.
    expect(stdout).toMatch(/^\s+2\s+[\d.]+ ms \(3 runs, no CI\) · [\d.]+\/s\s+[\d.]+ ms \(3 runs, no CI\) · [\d.]+\/s$/m);
    expect(stderr).toContain('[4/4] web-wasm resnet50-tiny b2 →');
    expect((await readdir(out)).sort()).toEqual(['report.html', 'results.csv', 'results.json', 'results.md']);
    const document = parseResults(await readFile(path.join(out, 'results.json'), 'utf8'));
    expect(document.results.map((r) => r.configuration.id)).toEqual([
      'runner=node-cpu model=resnet50-tiny batch=1',
      'runner=node-cpu model=resnet50-tiny batch=2',
      'runner=web-wasm model=resnet50-tiny batch=1',
      'runner=web-wasm model=resnet50-tiny batch=2',
    ]);
    const first = document.results[0]!;
    expect(first.status === 'completed' && first.measurement.samplesNs!.length).toBeGreaterThanOrEqual(3);
    // A cell's throughput is the one its median implies, and the console shows exactly those figures.
    for (const result of document.results) {
      if (result.status !== 'completed') throw new Error(`${result.configuration.id} did not complete`);
      const { latencyMs, throughput, itemsPerRun } = result.measurement;
      expect(throughput.basis).toBe('median latency');
      expect(throughput.itemsPerSecond).toBeCloseTo((itemsPerRun * 1000) / latencyMs.median, 9);
    }
    const b2 = document.results[1]!;
    if (b2.status === 'completed') expect(stdout).toContain(`${formatMs(b2.measurement.latencyMs.median)} ms`); // the table's own rounding
    expect(document.command).toContain('bench resnet50-tiny');
    expect(document.environment.packages['onnxruntime-web']).toMatch(/^\d/);
  }, 120_000);

  it('sweeps batch × sequence length for a token model, and skips lengths past its positions', () => {
    const { code, stdout } = ortbench('bench', 'bert-tiny', '--batch', '1,2', '--seq', '8,600', '--json', '--out', path.join(scratch, 'bert'), ...quick);
    expect(code).toBe(0);
    const document = parseResults(stdout); // --json: the document and nothing else on stdout
    expect(document.results.map((r) => `${r.configuration.batchSize}×${r.configuration.sequenceLength}:${r.status}`)).toEqual(['1×8:completed', '1×600:skipped', '2×8:completed', '2×600:skipped']);
    const skipped = document.results[1]!;
    expect(skipped.status === 'skipped' && skipped.reason).toBe("sequence length 600 exceeds the model's 512 positions");
  }, 120_000);

  it('skips, with the reason, a batch a fixed-batch model cannot be fed, and counts FLOPs from the shapes fed', async () => {
    const fixed = path.join(scratch, 'fixed-batch-1.onnx');
    expect(ortbench('models', 'build', 'resnet50-tiny', '--batch', '1', '--out', fixed).code).toBe(0);
    const dynamic = ortbench('bench', 'resnet50-tiny', '--batch', '1', '--json', '--out', path.join(scratch, 'dyn1'), ...quick);
    const { code, stdout } = ortbench('bench', fixed, '--batch', '1,4', '--json', '--out', path.join(scratch, 'fixed'), ...quick);
    expect(code).toBe(0);
    const [one, four] = parseResults(stdout).results;
    expect(one!.status).toBe('completed');
    expect(four).toMatchObject({ status: 'skipped', reason: "the model's input input has a fixed batch of 1 ([1, 3, 32, 32]): batch 4 cannot be fed" });
    const flops = (r: unknown) => (r as { measurement: { compute: { flopsPerRun: number } } }).measurement.compute.flopsPerRun;
    expect(flops(one)).toBe(flops(parseResults(dynamic.stdout).results[0]));
    for (const name of ['results.md', 'results.csv', 'report.html']) expect(await readFile(path.join(scratch, 'fixed', name), 'utf8'), name).toContain('fixed batch of 1');
  }, 120_000);

  it('times fixed- and dynamic-batch builds side by side', () => {
    const { code, stdout } = ortbench('bench', 'resnet50-tiny', '--batch', '1,4', '--batch-mode', 'both', '--json', '--out', path.join(scratch, 'fvd'), ...quick);
    expect(code).toBe(0);
    expect(parseResults(stdout).results.map((r) => r.configuration.id)).toEqual([
      'runner=node-cpu model=resnet50-tiny batch=1 opt.batchMode="dynamic"',
      'runner=node-cpu model=resnet50-tiny batch=1 opt.batchMode="fixed"',
      'runner=node-cpu model=resnet50-tiny batch=4 opt.batchMode="dynamic"',
      'runner=node-cpu model=resnet50-tiny batch=4 opt.batchMode="fixed"',
    ]);
  }, 120_000);

  it('sweeps runs in flight as a scaling curve', () => {
    const { code, stdout } = ortbench('bench', 'resnet50-tiny', '--batch', '1', '--concurrency', '1,2', '--json', '--out', path.join(scratch, 'conc'), ...quick);
    expect(code).toBe(0);
    const results = parseResults(stdout).results;
    expect(results.map((r) => r.status === 'completed' && r.measurement.concurrency)).toEqual([1, 2]);
    // Runs on one onnxruntime-node session never overlap: two in flight are two sessions, one per worker thread.
    const two = results[1]!;
    expect(two.status === 'completed' && two.measurement).toMatchObject({ sessions: 2, throughput: { basis: 'wall clock' } });
  }, 60_000);

  it('reads options from a config file, flags winning', async () => {
    const config = path.join(scratch, 'bench.json');
    await writeFile(config, JSON.stringify({ model: 'resnet50-tiny', batch: [1, 3], iterations: 2, warmup: 0 }));
    const { code, stdout, stderr } = ortbench('bench', '--config', config, '--batch', '2', '--json', '--out', path.join(scratch, 'cfg'));
    expect(code, stderr).toBe(0);
    expect(parseResults(stdout).results.map((r) => r.configuration.batchSize)).toEqual([2]);
  }, 60_000);

  it('refuses bad values with one line, a code and exit 2, writing nothing', () => {
    for (const [args, message] of [
      [['--batch', '0'], '--batch: expected a positive integer, got "0"'],
      [['--batch', '1,x'], '--batch: expected a positive integer, got "x"'],
      [['--runner', 'tpu'], 'unknown runner "tpu"'],
      [['--preset', 'nope'], '--preset: unknown preset "nope"'],
      [['--precision', 'fp8'], '--precision: expected fp32 or fp16 or int8 or int8-static or int8-dynamic, got "fp8"'],
    ] as const) {
      const out = path.join(scratch, 'never');
      const { code, stderr } = ortbench('bench', 'resnet50-tiny', ...args, '--out', out);
      expect(code, args.join(' ')).toBe(2);
      expect(stderr.trim().split('\n')).toHaveLength(1);
      expect(stderr).toContain(message);
      expect(existsSync(out)).toBe(false);
    }
  }, 60_000);
});

describe('ortbench report and compare', () => {
  it('re-renders a results file, then compares two runs and gates on a regression', async () => {
    const first = path.join(scratch, 'cmp-a');
    // Batch 8 (≈0.25 ms, CV ≈15 %) and 40 samples: at batch 1 this tiny model's timings vary by
    // 100 %, and with a handful of samples even complete separation is not significant.
    expect(ortbench('bench', 'resnet50-tiny', '--batch', '8', '--out', first, '--iterations', '40').code).toBe(0);
    const report = ortbench('report', path.join(first, 'results.json'), '--out', path.join(scratch, 'rendered'));
    expect(report.code).toBe(0);
    // One batch size: the latency chart, and no throughput "curve" of a single column.
    const rendered = await readdir(path.join(scratch, 'rendered'));
    expect(rendered).toContain('chart-latency.png');
    expect(rendered).not.toContain('chart-throughput.png');
    // A planted regression: every timing of the same run shifted past the slowest of them (and by at
    // least half the median), so the two sets separate completely however noisy this machine was.
    const document = JSON.parse(await readFile(path.join(first, 'results.json'), 'utf8'));
    const m = document.results[0].measurement;
    const shiftNs = Math.max(...m.samplesNs) - Math.min(...m.samplesNs) + 0.5 * m.latencyMs.median * 1e6;
    m.samplesNs = m.samplesNs.map((ns: number) => ns + shiftNs);
    for (const key of ['min', 'max', 'mean', 'median', 'p90', 'p95', 'p99', 'p999', 'medianCiLower', 'medianCiUpper']) m.latencyMs[key] += shiftNs / 1e6;
    expect(m.samplesNs).toHaveLength(40);
    const slower = path.join(scratch, 'slower.json');
    await writeFile(slower, JSON.stringify(document));
    const same = ortbench('compare', path.join(first, 'results.json'), path.join(first, 'results.json'));
    expect(same.code).toBe(0);
    const gated = ortbench('compare', path.join(first, 'results.json'), slower, '--fail-above', '10%');
    expect(gated.code).toBe(1);
    expect(gated.stdout).toContain('REGRESSION');
  }, 60_000);

  it('refuses a results file from a future schema version', async () => {
    const future = path.join(scratch, 'future.json');
    await writeFile(future, JSON.stringify({ schema: 'ortbench/results', version: 99 }));
    const { code, stderr } = ortbench('report', future);
    expect(code).toBe(3);
    expect(stderr).toMatch(/^ortbench: RESULTS_VERSION_UNSUPPORTED: .*future\.json: written with results schema version 99/);
  });
});
