import { describe, expect, it } from 'vitest';
import { createTensor, ErrorCode, openLaneMeasurement } from '../src/index';
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
  const measurement = openLaneMeasurement(workerLanes(sessions, spec(), { workerScript }), {
    stop: { minIterations: 10, minDurationMs: 300, maxDurationMs: 2000, ciTarget: 0 },
    windowMs: 300,
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
    // Timer-bound runs overlap across threads whatever the load: close to twice the rate.
    expect(two.throughput.runsPerSecond / one.throughput.runsPerSecond).toBeGreaterThan(1.5);
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
