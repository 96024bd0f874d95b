import { spawn, spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { parseResults } from '@ortbench/core';

const bin = fileURLToPath(new URL('../bin/ortbench.js', import.meta.url));
const scratch = await mkdtemp(path.join(os.tmpdir(), 'ortbench-isolate-'));
afterAll(() => rm(scratch, { recursive: true, force: true }));
const env = { ...process.env, NO_COLOR: '1', ORTBENCH_CACHE_DIR: path.join(scratch, 'cache') };
const quick = ['--iterations', '3', '--warmup', '1'];

// A plugin runner that wraps node-cpu and crashes its process natively at batch 2.
const plugin = path.join(scratch, 'crashy.mjs');
await writeFile(
  plugin,
  `export function register(registry) {
  const cpu = registry.get('node-cpu');
  registry.register({
    name: 'crashy',
    description: 'node-cpu that segfaults at batch 2',
    async load(model, options) {
      const session = await cpu.load(model, options);
      return {
        inputs: session.inputs,
        outputs: session.outputs,
        info: { ...session.info, runner: 'crashy' },
        run: async (feeds) => {
          if (Object.values(feeds)[0].dims[0] === 2) process.kill(process.pid, 'SIGSEGV');
          return session.run(feeds);
        },
        dispose: () => session.dispose(),
      };
    },
  });
}
`,
);

function ortbench(...args: string[]) {
  const result = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', env });
  return { code: result.status, signal: result.signal, stdout: result.stdout, stderr: result.stderr };
}

describe('--isolate', () => {
  it('records a configuration that crashes natively as errored, and the sweep goes on', async () => {
    const out = path.join(scratch, 'isolated');
    const { code, stderr } = ortbench('--plugin', plugin, 'bench', 'resnet50-tiny', '--runner', 'crashy', '--batch', '1,2,4', '--isolate', '--out', out, ...quick);
    expect(code, stderr).toBe(3); // a configuration errored
    const document = parseResults(await readFile(path.join(out, 'results.json'), 'utf8'));
    expect(document.results.map((r) => r.status)).toEqual(['completed', 'errored', 'completed']);
    const crashed = document.results[1]!;
    expect(crashed.status === 'errored' && crashed.error).toEqual({ code: 'RUNNER_FAILED', message: 'isolated configuration died: killed by SIGSEGV' });
  }, 120_000);

  it('without it, the same crash takes the whole process down', () => {
    const { signal } = ortbench('--plugin', plugin, 'bench', 'resnet50-tiny', '--runner', 'crashy', '--batch', '2', '--out', path.join(scratch, 'down'), ...quick);
    expect(signal).toBe('SIGSEGV');
  }, 60_000);

  it('refuses a plugin that registers nothing', async () => {
    const empty = path.join(scratch, 'empty.mjs');
    await writeFile(empty, 'export const nothing = 1;\n');
    const { code, stderr } = ortbench('--plugin', empty, 'env');
    expect(code).toBe(2);
    expect(stderr).toContain('exports neither register(registry) nor a default runner');
  });
});

describe('--resume', () => {
  it('continues an interrupted sweep without redoing finished configurations', async () => {
    const out = path.join(scratch, 'resume');
    const args = ['bench', 'resnet50-tiny', '--batch', '1,2,3,4', '--iterations', '5', '--rounds', '1', '--out', out];
    const child = spawn(process.execPath, [bin, ...args], { env });
    let stderr = '';
    await new Promise((resolve) => {
      child.stderr.on('data', (chunk: Buffer) => {
        stderr += chunk.toString();
        if (stderr.includes('b2 →') && !child.killed) child.kill('SIGTERM');
      });
      child.on('close', resolve);
    });
    const partial = parseResults(await readFile(path.join(out, 'results.json'), 'utf8'));
    expect(partial.partial).toBe(true);
    const done = partial.results.map((r) => r.configuration.batchSize);
    expect(done).toEqual([1, 2]);
    const resumed = ortbench(...args, '--resume', path.join(out, 'results.json'));
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stderr.match(/→/g)).toHaveLength(2); // only batch 3 and 4 ran
    const final = parseResults(await readFile(path.join(out, 'results.json'), 'utf8'));
    expect(final.partial).toBe(false);
    expect(final.results.map((r) => r.configuration.batchSize)).toEqual([1, 2, 3, 4]);
    expect(final.results[0]).toEqual(partial.results[0]); // kept, not re-measured
  }, 120_000);

  it('refuses a results file of another sweep, leaving it as it was', async () => {
    const out = path.join(scratch, 'other-sweep');
    const first = ortbench('bench', 'resnet50-tiny', '--batch', '1,2', '--iterations', '3', '--rounds', '1', '--out', out);
    expect(first.code, first.stderr).toBe(0);
    const before = await readFile(path.join(out, 'results.json'), 'utf8');
    const other = ortbench('bench', 'resnet50-tiny', '--batch', '4', '--iterations', '3', '--resume', path.join(out, 'results.json'));
    expect(other.code).toBe(2);
    expect(other.stderr.trim()).toMatch(/^ortbench: INVALID_ARGUMENT: --resume .*results\.json: it holds another sweep \(2 of its 2 configurations are not in this one, e\.g\. "runner=node-cpu model=resnet50-tiny batch=1"/);
    expect(await readFile(path.join(out, 'results.json'), 'utf8')).toBe(before);
  }, 120_000);

  it('measures again what was interrupted before its stop rule, and is complete only then', async () => {
    const out = path.join(scratch, 'interrupted');
    const args = ['bench', 'resnet50-tiny', '--batch', '1,2', '--iterations', '5', '--rounds', '1', '--out', out];
    expect(ortbench(...args).code).toBe(0);
    // As an interrupt in a configuration's first slice leaves it: a few runs, marked interrupted.
    const file = path.join(out, 'results.json');
    const document = JSON.parse(await readFile(file, 'utf8'));
    document.partial = true;
    Object.assign(document.results[1].measurement.stability, { stop: 'interrupted', unstable: true });
    await writeFile(file, JSON.stringify(document));
    const resumed = ortbench(...args, '--resume', file);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stderr.match(/→/g)).toHaveLength(1);
    expect(resumed.stderr).toContain('b2 →');
    expect(resumed.stderr).toContain('--resume: 1 configuration(s) errored or interrupted before their stop rule are measured again');
    const final = parseResults(await readFile(file, 'utf8'));
    expect(final.partial).toBe(false);
    expect(final.results.map((r) => r.status === 'completed' && r.measurement.stability.stop)).toEqual(['fixed', 'fixed']);
  }, 120_000);
});
