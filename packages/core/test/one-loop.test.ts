import { describe, expect, it } from 'vitest';
import type { ConfigurationResult, Measurement } from '../src/index';
import { baselinePairs, ErrorCode, expandMatrix, openMeasurement, runInterleavedSweep } from '../src/index';
import { fakeFeeds, fakeLanes, fakeRunner, virtualClock } from './fake-runner';

type Completed = Extract<ConfigurationResult, { status: 'completed' }>;

// Every kind of measurement goes through openMeasurement: a session, lanes, and a steady state
// taken whole. These tests hold the kinds to the same behaviour.

describe('lanes in the one loop', () => {
  it('are measured in slices beside configurations that alternate run by run, and the result says why', async () => {
    const virtual = virtualClock();
    const configurations = expandMatrix({ runners: ['fake'], batchSizes: [1], options: { concurrency: [1, 2] } });
    const stop = { minIterations: 20, minDurationMs: 0, maxDurationMs: 60_000, ciTarget: 0 };
    const outcome = await runInterleavedSweep(
      configurations,
      async (configuration) => {
        const sessions = configuration.options.concurrency as number;
        if (sessions === 1) return openMeasurement(await fakeRunner({ virtual, serviceMs: 20 }).load('m'), { feeds: fakeFeeds(), clock: virtual.clock, stop });
        return openMeasurement({ lanes: fakeLanes(virtual, Array.from({ length: sessions }, () => 20)) }, { clock: virtual.clock, stop });
      },
      { alternate: 'runs', stop, pairedTarget: 0, comparisons: baselinePairs(configurations) },
    );
    const [one, two] = (outcome.results as Completed[]).map((r) => r.measurement);
    expect(one!.alternation?.mode).toBe('slices');
    expect(two!.alternation?.reason).toMatch(/cannot take single runs \(several in flight, lanes, a scenario, or a measurement taken in a child process\), so its group of 2 was measured in rounds of slices/);
    // Two lanes of 20 ms runs: 100 runs/s from their busy time; each run still took 20 ms.
    expect(two!.throughput.runsPerSecond).toBeCloseTo(100, 3);
    expect(two!.latencyMs.median).toBeCloseTo(20, 6);
    expect(two).toMatchObject({ concurrency: 2, sessions: 2 });
  });

  it('say in the result why they take no memory readings', async () => {
    const virtual = virtualClock();
    const measurement = openMeasurement({ lanes: fakeLanes(virtual, [5, 5]) }, { clock: virtual.clock, stop: { minIterations: 4, minDurationMs: 0, ciTarget: 0 } });
    await measurement.warm();
    await measurement.steady();
    const result = await measurement.result();
    expect(result.memory).toBeUndefined();
    expect(result.stability.notes).toContain('memory not measured: 2 sessions in worker threads share this process, and their runs never pause together for a reading');
  });
});

describe('a steady state taken whole (a scenario, a child process)', () => {
  it('gets the same timed first run and warm-up on its session as every measurement, and the session is disposed once', async () => {
    const virtual = virtualClock();
    let disposed = 0;
    const session = await fakeRunner({ virtual, serviceMs: 7, onDispose: () => disposed++ }).load('m');
    const whole: Measurement = wholeMeasurement();
    const measurement = openMeasurement(
      { runner: 'fake', session, measure: async () => whole, noMemory: 'it paces its own queries' },
      { feeds: fakeFeeds(), clock: virtual.clock, warmup: { minIterations: 3, minDurationMs: 0 }, loadMs: 12 },
    );
    expect(measurement.step).toBeUndefined();
    await measurement.warm();
    expect(measurement.done).toBe(false);
    await measurement.steady();
    expect(measurement.done).toBe(true);
    const result = await measurement.result();
    expect(result.phases).toEqual({ loadMs: 12, firstRunMs: 7, warmupMs: 21, warmupIterations: 3, steadyMs: 500, iterations: 50 });
    expect(result.stability.notes).toContain('memory not measured: it paces its own queries');
    await measurement.close();
    await measurement.close();
    expect(disposed).toBe(1);
  });

  it('that never finished reads as ABORTED, not as a figure', async () => {
    const measurement = openMeasurement({ runner: 'remote', measure: () => new Promise<Measurement>(() => {}) });
    await measurement.warm();
    await expect(measurement.result(true)).rejects.toMatchObject({ code: ErrorCode.ABORTED });
    expect(measurement.info.runner).toBe('remote');
  });
});

describe('every kind', () => {
  it('refuses a session measurement without feeds, at once', () => {
    const virtual = virtualClock();
    return fakeRunner({ virtual, serviceMs: 1 })
      .load('m')
      .then((session) => expect(() => openMeasurement(session, { clock: virtual.clock })).toThrow('a measurement of a session needs its feeds'));
  });
});

function wholeMeasurement(): Measurement {
  return {
    session: { runner: 'fake', executionProvider: 'fake', settings: {} },
    itemsPerRun: 1,
    concurrency: 1,
    phases: { firstRunMs: 0, warmupMs: 0, warmupIterations: 0, steadyMs: 500, iterations: 50 },
    latencyMs: { count: 50, min: 10, max: 10, mean: 10, sd: 0, cvPercent: 0, median: 10, p90: 10, p95: 10, p99: 10, p999: 10, mad: 0, outliers: { low: 0, high: 0 }, autocorrelation: 0 } as unknown as Measurement['latencyMs'],
    throughput: { itemsPerSecond: 100, runsPerSecond: 100, basis: 'wall clock', wallItemsPerSecond: 100, wallRunsPerSecond: 100 },
    stability: { stop: 'fixed', ciHalfWidth: 0, unstable: false, notes: [] } as unknown as Measurement['stability'],
    timingSource: 'host',
  };
}
