import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Runner, Session } from '@ortbench/core';
import { createTensor, parseResults, RunnerRegistry, serializeResults } from '@ortbench/core';
import { bench, describeModel, planBench, resolveBenchOptions } from '../src/index';

const scratch = await mkdtemp(path.join(os.tmpdir(), 'ortbench-tasks-'));
const cacheBefore = process.env.ORTBENCH_CACHE_DIR;
beforeAll(() => {
  process.env.ORTBENCH_CACHE_DIR = path.join(scratch, 'cache');
});
afterAll(async () => {
  if (cacheBefore === undefined) delete process.env.ORTBENCH_CACHE_DIR;
  else process.env.ORTBENCH_CACHE_DIR = cacheBefore;
  await rm(scratch, { recursive: true, force: true });
});

/** A runner of the caller's own: each run takes `ms` of wall time, outputs one float per item. */
function sleepRunner(ms: number): Runner {
  return {
    name: 'sleepy',
    async availability() {
      return { available: true };
    },
    async load() {
      const session: Session = {
        info: { runner: 'sleepy', executionProvider: 'none', runtime: 'test', settings: {} },
        inputs: [{ name: 'input', dtype: 'float32', dims: ['batch', 3, 32, 32] }],
        outputs: [{ name: 'output', dtype: 'float32', dims: ['batch', 10] }],
        async run(feeds) {
          await new Promise((resolve) => setTimeout(resolve, ms));
          const batch = Number(feeds.input!.dims[0]);
          return { outputs: { output: createTensor('float32', new Float32Array(batch * 10), [batch, 10]) } };
        },
        async dispose() {},
      };
      return session;
    },
  };
}

describe('bench() as a library call', () => {
  it('runs a sweep on a registry of the caller\'s own and returns a valid results document', async () => {
    const registry = new RunnerRegistry().register(sleepRunner(4));
    const started: string[] = [];
    const { document, interrupted, options } = await bench(
      { model: 'resnet50-tiny', runner: ['sleepy'], batch: [1, 2], iterations: 12, warmup: 1 },
      { registry, onStart: (configuration) => started.push(configuration.id) },
    );
    expect(interrupted).toBe(false);
    expect(options.batch).toEqual([1, 2]);
    // What a caller would write is what the CLI writes: it parses back as a results document.
    const parsed = parseResults(serializeResults(document));
    expect(parsed.results.map((r) => r.configuration.id)).toEqual(['runner=sleepy model=resnet50-tiny batch=1', 'runner=sleepy model=resnet50-tiny batch=2']);
    expect(new Set(started)).toEqual(new Set(parsed.results.map((r) => r.configuration.id)));
    for (const result of parsed.results) {
      expect(result.status).toBe('completed');
      if (result.status !== 'completed') continue;
      expect(result.measurement.latencyMs.count).toBe(12); // a fixed count, alternated run by run
      expect(result.measurement.alternation).toEqual({ mode: 'runs', group: 2 });
      expect(result.measurement.latencyMs.median).toBeGreaterThanOrEqual(4);
    }
    // Batch 2 against batch 1, per item, from the 12 rounds in which both ran.
    const second = parsed.results[1]!;
    const comparison = second.status === 'completed' ? second.measurement.comparisons?.[0] : undefined;
    expect(comparison).toMatchObject({ axis: 'batch', baselineValue: '1', pairs: 12, baseline: 'runner=sleepy model=resnet50-tiny batch=1' });
    expect(comparison!.lower).toBeLessThanOrEqual(comparison!.ratio);
    expect(comparison!.upper).toBeGreaterThanOrEqual(comparison!.ratio);
    expect(document.tool.name).toBe('@ortbench/tasks');
  });

  it('refuses bad options with the flag-style message, before measuring', async () => {
    await expect(bench({ model: 'resnet50-tiny', batch: [0] })).rejects.toThrow('--batch: expected a positive integer, got "0"');
    await expect(bench({ model: 'resnet50-tiny', runner: ['nope'] })).rejects.toMatchObject({ code: 'RUNNER_UNKNOWN' });
  });
});

describe('one model description for every task', () => {
  it('tells token models from image models, and fixed axes from dynamic ones', async () => {
    const bert = await describeModel('bert-tiny');
    expect(bert).toMatchObject({ kind: 'token', preset: 'bert-tiny' });
    expect(bert.maxPositions).toBe(512);
    expect(bert.fixedBatch).toBeUndefined();
    const fixed = await describeModel('resnet50-tiny', { batch: 1 });
    expect(fixed).toMatchObject({ kind: 'image', fixedBatch: 1 });
  });

  it('defaults batch sizes by what the model is, not by its file name', async () => {
    // An image model whose file name says "bert": the old rule gave it BERT's batch sizes.
    const misleading = path.join(scratch, 'bert-lookalike.onnx');
    await copyFile((await describeModel('resnet50-tiny')).path, misleading);
    const image = await planBench(await resolveBenchOptions(misleading, {}));
    expect([...new Set(image.configurations.map((c) => c.batchSize))]).toEqual([1, 2, 4, 8]);
    expect(image.tokens).toBe(false);
    const token = await planBench(await resolveBenchOptions('bert-tiny', {}));
    expect([...new Set(token.configurations.map((c) => c.batchSize))]).toEqual([1, 4]);
    expect(token.configurations.every((c) => c.sequenceLength !== undefined)).toBe(true);
  });
});
