import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ErrorCode } from '@ortbench/core';
import { resolveBenchOptions } from '../src/bench/options';

const directory = await mkdtemp(path.join(os.tmpdir(), 'ortbench-options-'));
afterAll(() => rm(directory, { recursive: true, force: true }));

describe('bench options: defaults < preset < config file < flags', () => {
  it('reproduces the seed experiments as presets', async () => {
    expect(await resolveBenchOptions(undefined, { preset: 'seed-resnet50' })).toMatchObject({ model: 'resnet50', batch: [1, 2, 4, 8, 16] });
    expect(await resolveBenchOptions(undefined, { preset: 'seed-bert' })).toMatchObject({ model: 'bert', batch: [1, 4, 8, 16], seq: [10, 50, 100, 200, 300, 400, 500] });
    expect(await resolveBenchOptions(undefined, { preset: 'throughput-curve' })).toMatchObject({ batch: [1, 2, 4, 8, 16, 32, 64, 128, 256] });
    expect(await resolveBenchOptions(undefined, { preset: 'fixed-vs-dynamic' })).toMatchObject({ batch: [1, 128], batchMode: 'both' });
  });

  it('lets a config file override a preset, and flags override both', async () => {
    const config = path.join(directory, 'config.mjs');
    await writeFile(config, 'export default { batch: [2, 4], runner: "node-cpu,web-wasm", iterations: 50 };\n');
    const options = await resolveBenchOptions('bert', { preset: 'seed-bert', config, iterations: '7' });
    expect(options).toMatchObject({ model: 'bert', batch: [2, 4], seq: [10, 50, 100, 200, 300, 400, 500], runner: ['node-cpu', 'web-wasm'], iterations: 7 });
  });

  it('defaults a plain model to node-cpu, a ±2 % precision target capped at 8 s (batch sizes by the model\'s kind, in the plan)', async () => {
    const options = await resolveBenchOptions('resnet50', {});
    expect(options).toMatchObject({ runner: ['node-cpu'], ciTarget: 0.02, maxDuration: 8, warmup: 5, concurrency: [1] });
    expect(options.batch).toBeUndefined();
    expect(options.iterations).toBeUndefined();
    expect(options.duration).toBeUndefined();
    expect((await resolveBenchOptions('resnet50', { ciTarget: '0.5%' })).ciTarget).toBeCloseTo(0.005, 12);
    await expect(resolveBenchOptions('resnet50', { ciTarget: '150%' })).rejects.toMatchObject({ message: '--ci-target: expected a percentage such as 2% (or a fraction such as 0.02), got "150%"' });
    await expect(resolveBenchOptions('resnet50', { rounds: '3', isolate: true })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });

  it('checks config values like flags, naming the option', async () => {
    const config = path.join(directory, 'bad.json');
    await writeFile(config, JSON.stringify({ model: 'resnet50', batch: [1, 0] }));
    await expect(resolveBenchOptions(undefined, { config })).rejects.toThrow('--batch: expected a positive integer, got "0"');
    await writeFile(config, JSON.stringify({ model: 'resnet50', bacth: [1] }));
    await expect(resolveBenchOptions(undefined, { config })).rejects.toThrow(/config: option "bacth" is unknown \(did you mean "batch"\?\)/);
    await expect(resolveBenchOptions(undefined, { config: path.join(directory, 'bench.ts') })).rejects.toThrow(/a config file is \.json, \.js or \.mjs/);
    await expect(resolveBenchOptions(undefined, { config: path.join(directory, 'none.json') })).rejects.toMatchObject({ code: ErrorCode.FILE_NOT_FOUND });
    await expect(resolveBenchOptions(undefined, {})).rejects.toThrow(/^no model: name one/);
  });

  it('refuses a misspelled option of the library, naming the nearest, and options that exclude each other', async () => {
    await expect(resolveBenchOptions('resnet50-tiny', { iteration: 5 })).rejects.toThrow(/option "iteration" is unknown \(did you mean "iterations"\?\)/);
    await expect(resolveBenchOptions('resnet50-tiny', { iterations: 10, duration: 2 })).rejects.toThrow('--iterations 10 and --duration 2 each say how long to measure');
    await expect(resolveBenchOptions('resnet50-tiny', { iterations: 10, batch: [1] })).resolves.toMatchObject({ iterations: 10 });
  });
});
