import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { probeMachineSpeed } from '../src/machine-speed';
import { collectEnvironment, describeMachineLoad, physicalCoreCount, readResultsFile, sampleMachine, writeFileAtomic } from '../src/node';
import type { MachineSample } from '../src/node';

const directory = await mkdtemp(path.join(os.tmpdir(), 'ortbench-core-'));
afterAll(() => rm(directory, { recursive: true, force: true }));

describe('writeFileAtomic', () => {
  it('replaces a file whole and leaves no temporary file', async () => {
    const target = path.join(directory, 'nested', 'out.json');
    await writeFileAtomic(target, 'first');
    await writeFileAtomic(target, 'second');
    expect(await readFile(target, 'utf8')).toBe('second');
    expect(await readdir(path.dirname(target))).toEqual(['out.json']);
  });

  it('cleans up its temporary file when the rename fails', async () => {
    const target = path.join(directory, 'is-a-directory');
    await mkdir(path.join(target, 'child'), { recursive: true });
    await expect(writeFileAtomic(target, 'data')).rejects.toThrow();
    expect((await readdir(directory)).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });
});

describe('readResultsFile', () => {
  it('names a missing file and a directory', async () => {
    await expect(readResultsFile(path.join(directory, 'none.json'))).rejects.toMatchObject({
      code: 'FILE_NOT_FOUND',
      message: expect.stringContaining('none.json: no such file'),
    });
    await expect(readResultsFile(directory)).rejects.toMatchObject({ message: expect.stringContaining('is a directory') });
  });

  it('rejects an empty file as invalid results', async () => {
    const empty = path.join(directory, 'empty.json');
    await writeFile(empty, '');
    await expect(readResultsFile(empty)).rejects.toMatchObject({ code: 'RESULTS_INVALID' });
  });
});

describe('environment', () => {
  const cpuinfo = (pairs: [number, number][]) =>
    pairs.map(([physical, core], i) => `processor\t: ${i}\nphysical id\t: ${physical}\ncore id\t\t: ${core}\n`).join('\n');

  it('counts distinct physical cores, never more than the usable CPUs', () => {
    // two hyper-threads of one core
    expect(physicalCoreCount(cpuinfo([[0, 0], [0, 0]]))).toBe(1);
    expect(physicalCoreCount(cpuinfo([[0, 0], [0, 1], [1, 0], [1, 1]]))).toBe(Math.min(4, os.availableParallelism()));
    expect(physicalCoreCount('processor : 0\n')).toBe(os.availableParallelism());
  });

  it('describes this machine', () => {
    const environment = collectEnvironment({ 'onnxruntime-node': '1.30.0' });
    expect(environment.node).toBe(process.version);
    expect(environment.cpu.logicalCores).toBe(os.availableParallelism());
    expect(environment.packages).toEqual({ 'onnxruntime-node': '1.30.0' });
    expect(environment.memoryBytes).toBe(os.totalmem());
  });
});

describe('machine state', () => {
  const sample = (referenceMs: number): MachineSample => ({ atMs: 0, loadAverage: [0.5, 0.5, 0.5], referenceMs });

  it('times the reference workload in milliseconds', () => {
    const ms = probeMachineSpeed(5);
    expect(ms).toBeGreaterThan(0.05);
    expect(ms).toBeLessThan(1000);
  });

  it('warns when the machine itself got slower during the run, and not for a few per cent', () => {
    const slowed = describeMachineLoad(sample(3.1), { ...sample(5.3), atMs: 10_000 });
    expect(slowed.referenceMs).toEqual({ start: 3.1, end: 5.3 });
    expect(slowed.speedChanged).toBe(true);
    expect(slowed.warning).toMatch(/machine's speed changed during the run: .* took 3\.1 ms at the start and 5\.3 ms at the end \(\+71 %\)/);
    const steady = describeMachineLoad(sample(3.1), { ...sample(3.3), atMs: 10_000 });
    expect(steady.speedChanged).toBeUndefined();
    expect(steady.warning).toBeUndefined();
  });

  it('probes only when asked', () => {
    expect(sampleMachine({ probe: false }).referenceMs).toBeUndefined();
    expect(sampleMachine().referenceMs).toBeGreaterThan(0);
  });
});
