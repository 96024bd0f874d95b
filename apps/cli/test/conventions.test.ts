import { spawn, spawnSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseResults } from '@ortbench/core';
import { cliSandbox } from './cli-sandbox';

const bin = fileURLToPath(new URL('../bin/ortbench.js', import.meta.url));
const { scratch, env, interruptWhen } = await cliSandbox('conventions');

describe('CLI conventions', () => {
  it('has --help with examples on every command', () => {
    for (const command of [['bench'], ['classify'], ['encode'], ['verify'], ['compare'], ['report'], ['env'], ['tune'], ['eval'], ['models'], ['models', 'list'], ['models', 'build'], ['models', 'inspect'], ['models', 'convert'], ['models', 'quantize']]) {
      const { status, stdout } = spawnSync(process.execPath, [bin, ...command, '--help'], { encoding: 'utf8', env });
      expect(status, command.join(' ')).toBe(0);
      expect(stdout, command.join(' ')).toContain('Examples:');
    }
  }, 60_000);

  it('ends quietly, with the command\'s exit code, when its reader goes away (`ortbench help bench | head -3`)', async () => {
    for (const args of [['help', 'bench'], ['models', 'list']]) {
      const child = spawn(process.execPath, [bin, ...args], { env });
      child.stdout.destroy(); // the reader is gone before the first write: every write fails with EPIPE
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
      expect(stderr, args.join(' ')).toBe('');
      expect(code, args.join(' ')).toBe(0);
    }
  });

  it('runs through npx in the repository without an npm warning (no unknown project config)', () => {
    // The user's own ~/.npmrc (and the npm_* variables `npm test` exported from it) are not the repository's.
    const shell = Object.fromEntries(Object.entries(env).filter(([key]) => !/^npm_/i.test(key)));
    const npx = spawnSync('npx', ['--no-install', 'ortbench', '--version'], { encoding: 'utf8', cwd: path.join(bin, '../../../..'), env: { ...shell, NPM_CONFIG_USERCONFIG: '/dev/null' } });
    expect(npx.status, npx.stderr).toBe(0);
    expect(npx.stderr).not.toMatch(/npm warn/i);
  });

  it('prints a stack trace only with --verbose', () => {
    const quiet = spawnSync(process.execPath, [bin, 'report', path.join(scratch, 'none.json')], { encoding: 'utf8', env });
    expect(quiet.stderr.trim().split('\n')).toHaveLength(1);
    const verbose = spawnSync(process.execPath, [bin, '--verbose', 'report', path.join(scratch, 'none.json')], { encoding: 'utf8', env });
    expect(verbose.stderr).toMatch(/\n\s+at /);
  }, 30_000);

  it('stops cleanly on Ctrl-C and keeps the configurations measured so far, marked partial', async () => {
    const out = path.join(scratch, 'interrupted');
    const { code, stderr } = await interruptWhen(['bench', 'resnet50-tiny', '--batch', '1,2,3,4,5,6', '--iterations', '2000', '--rounds', '1', '--out', out], '[2/6] node-cpu resnet50-tiny b2 →');
    expect(code).toBe(130);
    expect(stderr).toContain('interrupted: finishing with the configurations measured so far');
    const document = parseResults(await readFile(path.join(out, 'results.json'), 'utf8'));
    expect(document.partial).toBe(true);
    expect(document.results.map((r) => r.configuration.batchSize)).toEqual([1, 2]);
  }, 60_000);

  it('in interleaved rounds, keeps what every open configuration measured, marked interrupted', async () => {
    const out = path.join(scratch, 'interrupted-rounds');
    const { code, stderr } = await interruptWhen(['bench', 'resnet50-tiny', '--batch', '1,2,3', '--iterations', '30000', '--rounds', '3', '--out', out], 'round 2 of 3');
    expect(code, stderr).toBe(130);
    const document = parseResults(await readFile(path.join(out, 'results.json'), 'utf8'));
    expect(document.partial).toBe(true);
    expect(document.results.map((r) => r.status === 'completed' && r.measurement.stability)).toEqual(
      [1, 2, 3].map(() => expect.objectContaining({ stop: 'interrupted', unstable: true })),
    );
    expect(await readFile(path.join(out, 'results.md'), 'utf8')).toContain('(unstable)');
  }, 60_000);
});
