import { describe, expect, it } from 'vitest';
import { benchmark, ErrorCode, openMeasurement } from '../src/index';
import { fakeFeeds, fakeLanes, fakeRunner, virtualClock } from './fake-runner';

const measureLanes = async (serviceMs: number[]) => {
  const virtual = virtualClock();
  const measurement = openMeasurement({ lanes: fakeLanes(virtual, serviceMs) }, {
    clock: virtual.clock,
    itemsPerRun: 4,
    stop: { minIterations: 10, minDurationMs: 1000, ciTarget: 0 },
  });
  await measurement.warm();
  await measurement.steady();
  return measurement.result();
};

describe('several sessions at once (lanes)', () => {
  it("scales throughput with sessions: each one's runs over its busy time from the common start, summed", async () => {
    const one = await measureLanes([20]);
    const two = await measureLanes([20, 20]);
    expect(one.throughput.runsPerSecond).toBeCloseTo(50, 6);
    expect(two.throughput.runsPerSecond).toBeCloseTo(100, 6);
    expect(two.throughput.itemsPerSecond).toBeCloseTo(400, 6);
    expect(two.throughput.basis).toBe('wall clock');
    expect(two.latencyMs.median).toBe(20);
    expect(two).toMatchObject({ concurrency: 2, sessions: 2 });
  });

  it('does not let a straggling session stretch the window', async () => {
    // A 300 ms lane ends its last run well after the 1 s window: the 20 ms lane's runs after
    // the common end are not counted, nor is the idle tail.
    const mixed = await measureLanes([20, 300]);
    expect(mixed.throughput.runsPerSecond).toBeGreaterThan(50);
    expect(mixed.throughput.wallRunsPerSecond).toBeLessThan(mixed.throughput.runsPerSecond);
  });
});

describe('lanes measured in slices (rounds of a sweep)', () => {
  it('re-warm every lane before a later slice, untimed, as one session is re-warmed', async () => {
    const virtual = virtualClock();
    const windows: { startNs: bigint; untilNs: bigint; runs: number }[] = [];
    const lanes = fakeLanes(virtual, [20, 20]).map((lane) => ({
      ...lane,
      async runWindow(startNs: bigint, untilNs: bigint) {
        const window = await lane.runWindow(startNs, untilNs);
        windows.push({ startNs, untilNs, runs: window.durationsNs.length });
        return window;
      },
    }));
    const measurement = openMeasurement({ lanes }, { clock: virtual.clock, stop: { minIterations: 4, minDurationMs: 0, ciTarget: 0 } });
    await measurement.warm();
    const slice = { minIterations: 4, minDurationMs: 100, maxDurationMs: 100 };
    await measurement.steady(slice);
    const timedFirst = windows.reduce((sum, w) => sum + w.runs, 0);
    const before = windows.length;
    await measurement.steady(slice);
    // The second slice began with a 1 ms window on both lanes: one run each, not counted.
    const rewarm = windows.slice(before, before + 2);
    expect(rewarm.map((w) => Number(w.untilNs - w.startNs))).toEqual([1_000_000, 1_000_000]);
    const timedSecond = windows.slice(before + 2).reduce((sum, w) => sum + w.runs, 0);
    const result = await measurement.result();
    expect(result.latencyMs.count).toBe(timedFirst + timedSecond);
  });
});

describe('runs in flight on one session', () => {
  it('are refused, with the reason, on a runner whose runs never overlap', async () => {
    const virtual = virtualClock();
    await expect(
      benchmark({
        runner: fakeRunner({ virtual, serviceMs: 10, serialRuns: 'the binding runs each call on the main thread' }),
        model: 'm',
        feeds: fakeFeeds(),
        concurrency: 2,
        clock: virtual.clock,
      }),
    ).rejects.toMatchObject({
      code: ErrorCode.INVALID_ARGUMENT,
      message: 'fake cannot keep 2 runs in flight on one session: the binding runs each call on the main thread; measure 2 sessions at once instead',
    });
  });

  it('warm up with as many in flight as they are measured with', async () => {
    const virtual = virtualClock();
    const result = await benchmark({
      runner: fakeRunner({ virtual, serviceMs: (run) => (run === 0 ? 0 : 20), slots: 2 }),
      model: 'm',
      feeds: fakeFeeds(),
      concurrency: 2,
      clock: virtual.clock,
      warmup: { minIterations: 6 },
      stop: { minIterations: 4, minDurationMs: 0, ciTarget: 0 },
    });
    // Six warm-up runs, two at a time on two slots: 60 ms, not 120 ms.
    expect(result.phases.warmupMs).toBe(60);
    expect(result.phases.warmupIterations).toBe(6);
  });
});
