import { describe, expect, it } from 'vitest';
import { createTensor, ErrorCode, openMeasurement } from '../src/index';
import type { WorkerLaneSpec } from '../src/node';
import { workerLanes } from '../src/node';

// The built worker (tests run after the build); the runner module is a plain .mjs fixture.
const workerScript = new URL('../dist/lane-worker.js', import.meta.url);
const spec = (overrides: Partial<WorkerLaneSpec> = {}): WorkerLaneSpec => ({
  module: new URL('./fixtures/sleep-runner.mjs', import.meta.url).href,
  runner: 'sleeper',
  model: 'model.onnx',
  feeds: { x: createTensor('float32', new Float32Array(2), [1, 2]) },
  warmupIterations: 1,
  ...overrides,
});

const measure = async (sessions: number) => {
  const measurement = openMeasurement({ lanes: workerLanes(sessions, spec(), { workerScript }), windowMs: 300 }, {
    stop: { minIterations: 10, minDurationMs: 300, maxDurationMs: 2000, ciTarget: 0 },
  });
  try {
    await measurement.warm();
    await measurement.steady();
    return await measurement.result();
  } finally {
    await measurement.close();
  }
};

describe('workerLanes', () => {
  it('runs one session per worker thread, all measured in the same windows', async () => {
    const [one, two] = [await measure(1), await measure(2)];
    expect(two).toMatchObject({ sessions: 2, concurrency: 2, session: { runner: 'sleeper', executionProvider: 'timer' } });
    expect(two.throughput.basis).toBe('wall clock');
    expect(one).toMatchObject({ concurrency: 1 });
    // How much faster two lanes are is a timing question for a busy machine to spoil:
    // tools/bench-concurrency.mjs measures it (docs/BENCHMARKS.md), not this test.
  });

  it('a worker that dies mid-measurement fails the measurement, and close() returns at once', async () => {
    const measurement = openMeasurement({ lanes: workerLanes(1, spec({ model: 'dies.onnx' }), { workerScript }), windowMs: 300 }, {
      stop: { minIterations: 10, minDurationMs: 300, maxDurationMs: 2000, ciTarget: 0 },
    });
    await expect((async () => {
      await measurement.warm();
      await measurement.steady();
    })()).rejects.toMatchObject({ code: 'RUNNER_FAILED', message: expect.stringContaining('exited with code 7') });
    const started = Date.now();
    await measurement.close();
    expect(Date.now() - started).toBeLessThan(4_000); // before the fix: forever
  });

  it("rejects with the worker's error code when a session cannot load", async () => {
    const [lane] = workerLanes(1, spec({ model: 'huge.onnx' }), { workerScript });
    await expect(lane!.open()).rejects.toMatchObject({ code: ErrorCode.OUT_OF_MEMORY });
    await lane!.close();
  });

  it('names the module when it registers nothing', async () => {
    const [lane] = workerLanes(1, spec({ export: 'missing' }), { workerScript });
    await expect(lane!.open()).rejects.toMatchObject({ code: ErrorCode.INVALID_ARGUMENT, message: expect.stringContaining('no function "missing"') });
    await lane!.close();
  });
});
