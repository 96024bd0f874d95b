import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseResults } from '@ortbench/core';
import { cliSandbox } from './cli-sandbox';

const { scratch, ortbench } = await cliSandbox('output-folder');
const quick = ['resnet50-tiny', '--batch', '1', '--iterations', '3', '--rounds', '1'];

describe('the output folder is checked before anything is measured', { timeout: 120_000 }, () => {
  it('an unwritable --out is one line at once, not a hang after measuring', () => {
    const run = ortbench('bench', ...quick, '--out', '/proc/ortbench-nope');
    expect(run.code).toBe(2);
    expect(run.stderr.trim()).toMatch(/^ortbench: OUTPUT_UNWRITABLE: --out \/proc\/ortbench-nope: cannot write there \(E[A-Z]+\)$/);
    expect(run.stderr).not.toContain('→'); // nothing was measured
  });

  it('an --out that is a file is refused', async () => {
    await writeFile(path.join(scratch, 'a-file'), 'x');
    const run = ortbench('bench', ...quick, '--out', path.join(scratch, 'a-file'));
    expect(run.code).toBe(2);
    expect(run.stderr.trim()).toBe(`ortbench: INVALID_ARGUMENT: --out ${path.join(scratch, 'a-file')}: is a file, not a folder`);
  });

  it('a second sweep into one folder is refused; --force replaces the reports as a set', async () => {
    const out = path.join(scratch, 'shared');
    expect(ortbench('bench', ...quick, '--out', out).code).toBe(0);
    await writeFile(path.join(out, 'chart-from-an-older-run.svg'), '<svg/>');
    const second = ortbench('bench', 'resnet50-tiny', '--batch', '2', '--iterations', '3', '--out', out);
    expect(second.code).toBe(2);
    expect(second.stderr).toContain(`--out ${out}: already holds another run's reports`);
    expect(second.stderr).toContain('--force');
    const forced = ortbench('bench', 'resnet50-tiny', '--batch', '2', '--iterations', '3', '--out', out, '--force');
    expect(forced.code, forced.stderr).toBe(0);
    expect((await readdir(out)).sort()).toEqual(['report.html', 'results.csv', 'results.json', 'results.md']);
    expect(parseResults(await readFile(path.join(out, 'results.json'), 'utf8')).results.map((r) => r.configuration.batchSize)).toEqual([2]);
  });

  it('a folder held by a run in progress is refused naming its pid; a stale lock is taken over', async () => {
    const out = path.join(scratch, 'locked');
    await mkdir(out);
    const holder = spawn('sleep', ['30']);
    try {
      await writeFile(path.join(out, '.ortbench.lock'), String(holder.pid));
      const refused = ortbench('bench', ...quick, '--out', out);
      expect(refused.code).toBe(2);
      expect(refused.stderr.trim()).toBe(`ortbench: INVALID_ARGUMENT: --out ${out}: in use by another ortbench run (pid ${holder.pid}); choose another folder`);
    } finally {
      holder.kill();
    }
    await new Promise((resolve) => holder.on('close', resolve));
    const taken = ortbench('bench', ...quick, '--out', out);
    expect(taken.code, taken.stderr).toBe(0);
    expect(existsSync(path.join(out, '.ortbench.lock'))).toBe(false);
  });

  it('results that cannot be written after measuring are saved elsewhere, and the error says where', async () => {
    const out = path.join(scratch, 'blocked');
    await mkdir(path.join(out, 'results.json'), { recursive: true }); // a folder where the file must go
    const run = ortbench('bench', ...quick, '--out', out, '--force');
    expect(run.code).toBe(2);
    const match = /^ortbench: OUTPUT_UNWRITABLE: cannot write the reports to .*blocked \(E[A-Z]+\); the results were saved to (\S+\.json)$/m.exec(run.stderr);
    expect(match, run.stderr).not.toBeNull();
    expect(parseResults(await readFile(match![1]!, 'utf8')).results).toHaveLength(1);
  });
});
