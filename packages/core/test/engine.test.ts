import { describe, expect, it } from 'vitest';
import { benchmark, createTensor, ErrorCode, measureSession } from '../src/index';
import { fakeFeeds, fakeRunner, virtualClock } from './fake-runner';

describe('benchmark engine on virtual time', () => {
  it('times load, first run, warm-up and steady state apart', async () => {
    const virtual = virtualClock();
    const runner = fakeRunner({ virtual, loadMs: 50, serviceMs: (run) => (run === 0 ? 30 : 10) });
    const result = await benchmark({
      runner,
      model: 'unused.onnx',
      feeds: fakeFeeds(4),
      itemsPerRun: 4,
      clock: virtual.clock,
      warmup: { minIterations: 3, minDurationMs: 0 },
      stop: { minIterations: 5, minDurationMs: 100 },
    });
    expect(result.phases).toEqual({
      loadMs: 50,
      firstRunMs: 30,
      warmupMs: 30,
      warmupIterations: 3,
      steadyMs: 100,
      iterations: 10,
    });
    expect(result.latencyMs.median).toBe(10);
    expect(result.latencyMs.count).toBe(10);
    expect(result.throughput.runsPerSecond).toBeCloseTo(100, 9);
    expect(result.throughput.itemsPerSecond).toBeCloseTo(400, 9);
    expect(result.timingSource).toBe('host');
  });

  it('keeps running until both the iteration and the duration minimum are met', async () => {
    const virtual = virtualClock();
    const byCount = await benchmark({
      runner: fakeRunner({ virtual, serviceMs: 10 }),
      model: 'm',
      feeds: fakeFeeds(),
      clock: virtual.clock,
      warmup: { minIterations: 0, maxIterations: 0 },
      stop: { minIterations: 20, minDurationMs: 50 },
    });
    expect(byCount.phases.iterations).toBe(20);
    const byTime = await benchmark({
      runner: fakeRunner({ virtual, serviceMs: 10 }),
      model: 'm',
      feeds: fakeFeeds(),
      clock: virtual.clock,
      warmup: { minIterations: 0, maxIterations: 0 },
      stop: { minIterations: 2, minDurationMs: 250 },
    });
    expect(byTime.phases.iterations).toBe(25);
  });

  it('stops at the caps even when the minimums are not met', async () => {
    const virtual = virtualClock();
    const capped = await benchmark({
      runner: fakeRunner({ virtual, serviceMs: 10 }),
      model: 'm',
      feeds: fakeFeeds(),
      clock: virtual.clock,
      warmup: { minIterations: 0, maxIterations: 0 },
      stop: { minIterations: 100, minDurationMs: 0, maxDurationMs: 35 },
    });
    expect(capped.phases.iterations).toBe(4);
    const byIterations = await benchmark({
      runner: fakeRunner({ virtual, serviceMs: 10 }),
      model: 'm',
      feeds: fakeFeeds(),
      clock: virtual.clock,
      warmup: { minIterations: 0, maxIterations: 0 },
      stop: { minIterations: 5, minDurationMs: 10_000, maxIterations: 7 },
    });
    expect(byIterations.phases.iterations).toBe(7);
  });

  it('rejects a stop rule whose cap is below its minimum', async () => {
    const virtual = virtualClock();
    await expect(
      benchmark({
        runner: fakeRunner({ virtual, serviceMs: 1 }),
        model: 'm',
        feeds: fakeFeeds(),
        clock: virtual.clock,
        stop: { minIterations: 10, maxIterations: 5 },
      }),
    ).rejects.toMatchObject({ code: ErrorCode.INVALID_ARGUMENT });
  });

  it("prefers the runner's own timing when it reports one", async () => {
    const virtual = virtualClock();
    const result = await benchmark({
      runner: fakeRunner({ virtual, serviceMs: 10, reportInferenceNs: 4_000_000 }),
      model: 'm',
      feeds: fakeFeeds(),
      clock: virtual.clock,
      stop: { minIterations: 5, minDurationMs: 0 },
      keepSamples: true,
    });
    expect(result.timingSource).toBe('runner');
    expect(result.latencyMs.median).toBe(4);
    // Identical runs, but the ±2 % target needs 6 runs before any interval covers the median at 95 %.
    expect(result.samplesNs).toEqual([4e6, 4e6, 4e6, 4e6, 4e6, 4e6]);
  });

  it('checks feeds against the model before running, and disposes the session on error', async () => {
    const virtual = virtualClock();
    let disposed = 0;
    const runner = fakeRunner({ virtual, serviceMs: 1, onDispose: () => disposed++ });
    await expect(
      benchmark({
        runner,
        model: 'm',
        feeds: { x: createTensor('int32', new Int32Array(2), [1, 2]) },
        clock: virtual.clock,
      }),
    ).rejects.toMatchObject({ code: ErrorCode.INPUT_MISMATCH, message: expect.stringContaining('feed "x" is int32') });
    expect(runner.runs).toBe(0);
    expect(disposed).toBe(1);
  });

  it('builds feeds from the loaded session when given a function', async () => {
    const virtual = virtualClock();
    let seen: string[] = [];
    const result = await benchmark({
      runner: fakeRunner({ virtual, serviceMs: 1 }),
      model: 'm',
      feeds: (session) => {
        seen = session.inputs.map((input) => input.name);
        return fakeFeeds(3);
      },
      itemsPerRun: 3,
      clock: virtual.clock,
      stop: { minIterations: 2, minDurationMs: 0 },
    });
    expect(seen).toEqual(['x']);
    expect(result.phases.iterations).toBe(6); // the minimum is 2; the default ±2 % target needs 6
  });

  it('stops with ABORTED when its signal fires', async () => {
    const virtual = virtualClock();
    const controller = new AbortController();
    const session = await fakeRunner({ virtual, serviceMs: 10 }).load('m');
    await expect(
      measureSession(session, {
        feeds: fakeFeeds(),
        clock: virtual.clock,
        signal: controller.signal,
        stop: { minIterations: 1000, minDurationMs: 0 },
        onProgress: (progress) => {
          if (progress.phase === 'steady' && progress.iterations >= 3) controller.abort();
        },
        progressIntervalMs: 0,
      }),
    ).rejects.toMatchObject({ code: ErrorCode.ABORTED });
  });
});

describe('concurrency', () => {
  // A server with 2 slots and a 20 ms service time, on virtual time.
  const measure = (concurrency: number) => {
    const virtual = virtualClock();
    return benchmark({
      runner: fakeRunner({ virtual, serviceMs: 20, slots: 2 }),
      model: 'm',
      feeds: fakeFeeds(),
      concurrency,
      clock: virtual.clock,
      warmup: { minIterations: 0, maxIterations: 0 },
      stop: { minIterations: 10, minDurationMs: 400 },
    });
  };

  it('measures throughput from wall time, so queueing shows as latency, not speed', async () => {
    const [one, two, four] = await Promise.all([measure(1), measure(2), measure(4)]);
    // Two slots: two runs in flight double the throughput; four only add waiting.
    expect(one.throughput.runsPerSecond).toBeCloseTo(50, 6);
    expect(two.throughput.runsPerSecond).toBeCloseTo(100, 6);
    expect(four.throughput.runsPerSecond).toBeCloseTo(100, 6);
    expect(two.latencyMs.median).toBe(20);
    expect(four.latencyMs.median).toBe(40); // 20 ms waiting for a slot + 20 ms served
    expect(four.concurrency).toBe(4);
  });
});

describe('profiling', () => {
  it("attaches the runner's profile to the measurement", async () => {
    const virtual = virtualClock();
    const profile = { totalMs: 12, topOps: [{ op: 'Conv', totalMs: 10, percent: 83.3, calls: 5 }] };
    const result = await benchmark({
      runner: fakeRunner({ virtual, serviceMs: 2, profile }),
      model: 'm',
      feeds: fakeFeeds(),
      clock: virtual.clock,
      stop: { minIterations: 5, minDurationMs: 0 },
    });
    expect(result.profile).toEqual(profile);
  });
});

describe('too few runs for a confidence interval', () => {
  it('never meets a precision target below 6 runs, and says why when a cap stops it there', async () => {
    const virtual = virtualClock();
    // 1 s per run, a 2.5 s cap: two runs, identical, so their "interval" has zero width.
    const result = await benchmark({ runner: fakeRunner({ virtual, serviceMs: 1000 }), model: 'm', feeds: fakeFeeds(), clock: virtual.clock, stop: { minIterations: 1, minDurationMs: 0, maxDurationMs: 2500, ciTarget: 0.02 } });
    expect(result.latencyMs.count).toBeLessThan(6);
    expect(result.stability).toMatchObject({ stop: 'cap', unstable: true });
    expect(result.stability.notes.join('\n')).toMatch(/runs: too few for a 95 % confidence interval of the median \(needs 6\)/);
  });
});
