import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseResults } from '@ortbench/core';
import { BIN, cliSandbox } from './cli-sandbox';

const { scratch, env, ortbench } = await cliSandbox('memory');
const MiB = 1024 * 1024;

// node-cpu that also allocates known amounts, as a model's weights and activations would:
// LOAD_MIB at load, ITEM_MIB per item of the batch on its first run (reused by later runs, as an
// arena is) and, for "leaky", LEAK_MIB more on every run, never freed.
const plugin = path.join(scratch, 'allocating.mjs');
await writeFile(
  plugin,
  `const env = (name, fallback) => Number(process.env[name] ?? fallback);
function allocating(registry, name, leakMiB) {
  const cpu = registry.get('node-cpu');
  return {
    name,
    description: 'node-cpu that allocates known amounts',
    async load(model, options) {
      const session = await cpu.load(model, options);
      const weights = new Uint8Array(env('LOAD_MIB', 64) * 1048576).fill(1);
      let work;
      const leaked = [];
      return {
        inputs: session.inputs,
        outputs: session.outputs,
        info: { ...session.info, runner: name },
        async run(feeds, runOptions) {
          const batch = Object.values(feeds)[0].dims[0];
          work ??= new Uint8Array(batch * env('ITEM_MIB', 32) * 1048576);
          work.fill(weights[0] + leaked.length);
          if (leakMiB > 0) leaked.push(new Uint8Array(leakMiB * 1048576).fill(2));
          return session.run(feeds, runOptions);
        },
        dispose: () => session.dispose(),
      };
    },
  };
}
export function register(registry) {
  registry.register(allocating(registry, 'alloc', 0));
  registry.register(allocating(registry, 'leaky', 4));
}
`,
);

const results = (dir: string) => parseResults(readFileSync(path.join(scratch, dir, 'results.json'), 'utf8'));
const memoryOf = (dir: string) => results(dir).results.map((r) => (r.status === 'completed' ? r.measurement.memory! : undefined));

describe('memory next to speed, through the CLI', { timeout: 240_000 }, () => {
  it('--isolate: loading takes the same at every batch, the peak rises by what each item allocates, in every format', () => {
    const run = ortbench('--plugin', plugin, 'bench', 'resnet50-tiny', '--runner', 'alloc', '--batch', '1,2,4', '--isolate', '--iterations', '40', '--out', 'isolated');
    expect(run.code, run.stderr).toBe(0);
    const [b1, b2, b4] = memoryOf('isolated') as [NonNullable<ReturnType<typeof memoryOf>[0]>, NonNullable<ReturnType<typeof memoryOf>[0]>, NonNullable<ReturnType<typeof memoryOf>[0]>];
    for (const m of [b1, b2, b4]) {
      expect(m.source).toBe('isolated process RSS (freed memory returned)');
      expect(m.shared).toBeUndefined(); // each alone in its own process
      expect(m.loadedBytes! / MiB).toBeGreaterThan(64 * 0.9); // the 64 MiB of "weights", and ORT's own
      expect(m.leak).toBeUndefined();
    }
    // About constant load; the peak rises by 32 MiB per item (within 10 %).
    expect(Math.abs(b4.loadedBytes! - b1.loadedBytes!) / b1.loadedBytes!).toBeLessThan(0.1);
    const perItem = (b4.peakAboveBaseBytes! - b1.peakAboveBaseBytes!) / 3 / MiB;
    expect(perItem).toBeGreaterThan(32 * 0.9);
    expect(perItem).toBeLessThan(32 * 1.1);
    expect(run.stdout).toMatch(/peak \d+ MiB/);
    const csv = readFileSync(path.join(scratch, 'isolated', 'results.csv'), 'utf8');
    expect(csv.split('\n')[0]).toContain('memory_peak_above_base_bytes');
    expect(readFileSync(path.join(scratch, 'isolated', 'results.md'), 'utf8')).toContain('memory (isolated process RSS (freed memory returned)): peak');
    expect(readFileSync(path.join(scratch, 'isolated', 'report.html'), 'utf8')).toContain('Peak memory by batch size (MiB)');
  });

  it('memory that grows with every run is flagged as a leak of about what leaked', () => {
    const run = ortbench('--plugin', plugin, 'bench', 'resnet50-tiny', '--runner', 'leaky', '--batch', '1', '--isolate', '--iterations', '80', '--out', 'leaky');
    expect(run.code, run.stderr).toBe(0);
    const [m] = memoryOf('leaky');
    expect(m!.leak, JSON.stringify(m)).toBeDefined();
    expect(m!.leak!.bytesPerRun / MiB).toBeGreaterThan(4 * 0.9);
    expect(m!.leak!.bytesPerRun / MiB).toBeLessThan(4 * 1.1);
    expect(run.stdout).toContain('(leaking)');
  });

  it('compare --fail-above-memory fails a candidate that needs more memory, and passes the same one', () => {
    const bigger = spawnWith({ ITEM_MIB: '96' }, ['--plugin', plugin, 'bench', 'resnet50-tiny', '--runner', 'alloc', '--batch', '2', '--isolate', '--iterations', '20', '--out', 'bigger']);
    expect(bigger.status, bigger.stderr).toBe(0);
    const same = ortbench('--plugin', plugin, 'bench', 'resnet50-tiny', '--runner', 'alloc', '--batch', '2', '--isolate', '--iterations', '20', '--out', 'same');
    expect(same.code, same.stderr).toBe(0);
    const gate = ortbench('compare', 'isolated/results.json', 'bigger/results.json', '--fail-above-memory', '10%', '--allow-missing', '--fail-above', '1000%');
    expect(gate.code, gate.stdout + gate.stderr).toBe(1);
    expect(gate.stdout).toMatch(/MORE \(\d\.\d\d×\)/);
    const pass = ortbench('compare', 'isolated/results.json', 'same/results.json', '--fail-above-memory', '10%', '--allow-missing', '--fail-above', '1000%');
    expect(pass.code, pass.stdout + pass.stderr).toBe(0);
    expect(pass.stdout).toContain('0 memory regression(s)');
  });

  it("--arena and --mem-pattern sweep ONNX Runtime's allocator settings, as applied by the session", () => {
    const run = ortbench('bench', 'resnet50-tiny', '--batch', '1', '--arena', 'on,off', '--mem-pattern', 'off', '--iterations', '10', '--out', 'arena');
    expect(run.code, run.stderr).toBe(0);
    const measured = results('arena').results.map((r) => (r.status === 'completed' ? [r.configuration.options, r.measurement.session.settings] : []));
    expect(measured.map(([options]) => options)).toEqual([
      { enableCpuMemArena: true, enableMemPattern: false },
      { enableCpuMemArena: false, enableMemPattern: false },
    ]);
    for (const [options, settings] of measured) expect(settings).toMatchObject(options!);
    expect(run.stdout).toMatch(/enableCpuMemArena/);
    expect(ortbench('bench', 'resnet50-tiny', '--arena', 'maybe').stderr).toBe('ortbench: INVALID_ARGUMENT: --arena: expected on, off or on,off, got "maybe"\n');
  });

  it('tune --memory-budget recommends only points whose peak stayed under it', () => {
    const run = spawnWith({ ITEM_MIB: '64' }, ['--plugin', plugin, 'tune', 'resnet50-tiny', '--runner', 'alloc', '--latency-budget', '10000', '--memory-budget', '400MiB', '--batch', '1,2,16', '--threads', '1', '--concurrency', '1', '--max-duration', '1', '--json']);
    expect(run.status, run.stderr).toBe(0);
    const report = JSON.parse(run.stdout) as { best: { batch: number; peakBytes: number }; evidence: { batch: number; peakBytes?: number; withinBudget: boolean; overBudget?: string }[] };
    for (const point of report.evidence) expect(point.withinBudget, JSON.stringify(point)).toBe(point.peakBytes! <= 400 * MiB);
    expect(report.evidence.find((p) => p.batch === 16)?.overBudget).toBe('memory');
    expect(report.best.peakBytes).toBeLessThanOrEqual(400 * MiB);
    expect(ortbench('tune', 'resnet50-tiny', '--latency-budget', '100', '--memory-budget', 'lots').stderr).toBe('ortbench: INVALID_ARGUMENT: --memory-budget: expected a memory size such as 2GiB, 512MiB or 1.5GB, got "lots"\n');
  });
});

/** The CLI with extra environment variables (read by the plugin, in the child processes too). */
function spawnWith(extra: Record<string, string>, args: string[]) {
  return spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env: { ...env, ...extra }, cwd: scratch });
}
