import { describe, expect, it } from 'vitest';
import type { Configuration, Measurement } from '../src/index';
import { benchmark, ConfigurationSkippedError, ErrorCode, expandMatrix, OrtbenchError, runSweep } from '../src/index';
import { fakeFeeds, fakeRunner, virtualClock } from './fake-runner';

const virtual = virtualClock();
const measure = (configuration: Configuration, signal?: AbortSignal): Promise<Measurement> =>
  benchmark({
    signal,
    runner: fakeRunner({ virtual, serviceMs: configuration.batchSize }),
    model: 'm',
    feeds: fakeFeeds(configuration.batchSize),
    itemsPerRun: configuration.batchSize,
    clock: virtual.clock,
    stop: { minIterations: 3, minDurationMs: 0 },
  });

describe('expandMatrix', () => {
  it('expands every axis into configurations with stable ids', () => {
    const configurations = expandMatrix({
      runners: ['node-cpu', 'web-wasm'],
      models: ['bert'],
      batchSizes: [1, 8],
      sequenceLengths: [10, 50, 100],
      threads: [2],
      options: { graphOptimizationLevel: ['basic', 'all'] },
    });
    expect(configurations).toHaveLength(2 * 2 * 3 * 2);
    expect(configurations[0]).toEqual({
      id: 'runner=node-cpu model=bert batch=1 seq=10 threads=2 opt.graphOptimizationLevel="basic"',
      runner: 'node-cpu',
      model: 'bert',
      batchSize: 1,
      sequenceLength: 10,
      threads: 2,
      options: { graphOptimizationLevel: 'basic' },
    });
    expect(new Set(configurations.map((c) => c.id)).size).toBe(configurations.length);
  });

  it('rejects batch 0, negative, fractional and duplicate sizes, and empty axes', () => {
    for (const batchSizes of [[0], [-1], [1.5], [2, 2], []]) {
      expect(() => expandMatrix({ runners: ['a'], batchSizes }), JSON.stringify(batchSizes)).toThrow(
        expect.objectContaining({ code: ErrorCode.INVALID_ARGUMENT }),
      );
    }
    expect(() => expandMatrix({ runners: [] })).toThrow(/runners/);
    expect(() => expandMatrix({ runners: ['a'], options: { x: [] } })).toThrow(/option x/);
  });
});

describe('runSweep', () => {
  const configurations = expandMatrix({ runners: ['fake'], batchSizes: [1, 2, 4, 8] });

  it('records an errored configuration and carries on with the rest', async () => {
    const seen: string[] = [];
    const outcome = await runSweep(
      configurations,
      async (configuration) => {
        if (configuration.batchSize === 2) throw new Error('CUDA out of memory\n  at native code');
        if (configuration.batchSize === 4) throw new ConfigurationSkippedError('sequence length 600 exceeds 512 positions');
        return measure(configuration);
      },
      { onResult: (result) => seen.push(result.status) },
    );
    expect(outcome.interrupted).toBe(false);
    expect(outcome.results.map((r) => r.status)).toEqual(['completed', 'errored', 'skipped', 'completed']);
    expect(seen).toEqual(['completed', 'errored', 'skipped', 'completed']);
    const errored = outcome.results[1]!;
    // A runtime's own out-of-memory message is labelled OOM, whatever the runner called it.
    expect(errored.status === 'errored' && errored.error).toEqual({ code: ErrorCode.OUT_OF_MEMORY, message: 'CUDA out of memory' });
    const last = outcome.results[3]!;
    expect(last.status === 'completed' && last.measurement.throughput.itemsPerSecond).toBeCloseTo(1000, 6); // 8 items per 8 ms
  });

  it('keeps typed error codes', async () => {
    const outcome = await runSweep(configurations.slice(0, 1), async () => {
      throw new OrtbenchError(ErrorCode.INPUT_MISMATCH, 'feed "x" is int32');
    });
    expect(outcome.results[0]).toMatchObject({ status: 'errored', error: { code: 'INPUT_MISMATCH' } });
  });

  it('stops on abort and returns what finished, marked interrupted', async () => {
    const controller = new AbortController();
    const outcome = await runSweep(
      configurations,
      async (configuration, signal) => {
        if (configuration.batchSize === 4) controller.abort();
        return measure(configuration, signal);
      },
      { signal: controller.signal },
    );
    expect(outcome.interrupted).toBe(true);
    expect(outcome.results.map((r) => r.configuration.batchSize)).toEqual([1, 2]);
  });

  it('resumes without re-running finished configurations', async () => {
    const first = await runSweep(configurations.slice(0, 2), measure);
    const executed: number[] = [];
    const outcome = await runSweep(
      configurations,
      async (configuration) => {
        executed.push(configuration.batchSize);
        return measure(configuration);
      },
      { previous: first.results },
    );
    expect(executed).toEqual([4, 8]);
    expect(outcome.results).toHaveLength(4);
    expect(outcome.results[0]).toBe(first.results[0]);
  });
});
