import { describe, expect, it } from 'vitest';
import type { Session } from '../src/index';
import { openMeasurement, runScenario, validateResults, createResultsDocument } from '../src/index';
import { collectEnvironment } from '../src/node';
import { fakeFeeds, fakeRunner, virtualClock } from './fake-runner';

// Findings of the measurement path's review (issue 24), each reproduced here first.

describe('the server scenario', () => {
  it('ends with the failed query\'s error, never as an unhandled rejection while later queries are scheduled', async () => {
    const virtual = virtualClock();
    let runs = 0;
    const session = await fakeRunner({ virtual, serviceMs: 5 }).load('m');
    const failing: Session = { ...session, run: async (feeds) => (++runs === 3 ? Promise.reject(new Error('Failed to allocate memory')) : session.run(feeds)) };
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      await expect(
        runScenario(failing, { scenario: 'server', targetQps: 50, feeds: fakeFeeds(), stop: { minIterations: 40, minDurationMs: 0 }, clock: virtual.clock, sleepUntil: virtual.sleepUntil }),
      ).rejects.toThrow('Failed to allocate memory');
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(unhandled).toEqual([]);
      expect(runs).toBeLessThan(40); // no query issued after the failure was seen
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });

  it('queues queries on a runtime whose runs never overlap, each timed from its own arrival', async () => {
    const virtual = virtualClock();
    const session = await fakeRunner({ virtual, serviceMs: 20, serialRuns: 'one pending request per worker' }).load('m');
    let inFlight = 0;
    let most = 0;
    const watched: Session = Object.assign(Object.create(session) as Session, {
      run: async (feeds: Parameters<Session['run']>[0]) => {
        most = Math.max(most, ++inFlight);
        try {
          return await session.run(feeds);
        } finally {
          inFlight--;
        }
      },
    });
    // 100 queries/s of 20 ms service: the server is overloaded, so queries wait behind each other.
    const result = await runScenario(watched, { scenario: 'server', targetQps: 100, feeds: fakeFeeds(), stop: { minIterations: 30, minDurationMs: 0 }, clock: virtual.clock, sleepUntil: virtual.sleepUntil });
    expect(most).toBe(1);
    expect(result.queries).toBeGreaterThanOrEqual(30);
    // Waiting counts: the last queries waited far longer than one service time.
    expect(result.latencyMs.max).toBeGreaterThan(100);
    expect(result.latencyMs.min).toBeGreaterThanOrEqual(20);
  });
});

describe('an abort during the first slice of the steady state', () => {
  it('keeps the runs it made with a finite wall-clock rate, so the document validates and is written', async () => {
    const virtual = virtualClock();
    const controller = new AbortController();
    const runner = fakeRunner({ virtual, serviceMs: (run) => (run === 12 && !controller.signal.aborted ? (controller.abort(), 10) : 10) });
    const session = await runner.load('m');
    const measurement = openMeasurement(session, { feeds: fakeFeeds(), clock: virtual.clock, signal: controller.signal, warmup: { minIterations: 2 }, stop: { minIterations: 1000, minDurationMs: 0, ciTarget: 0 } });
    await measurement.warm();
    await expect(measurement.steady()).rejects.toMatchObject({ code: 'ABORTED' });
    const result = await measurement.result(true);
    expect(result.phases.iterations).toBeGreaterThan(0);
    expect(Number.isFinite(result.throughput.wallRunsPerSecond)).toBe(true);
    expect(result.throughput.wallRunsPerSecond).toBeCloseTo(100, 0); // 10 ms runs
    const document = createResultsDocument(
      { tool: { name: 't', version: '0' }, environment: collectEnvironment({}) },
      [{ status: 'completed', configuration: { id: 'c', runner: 'fake', batchSize: 1, options: {} }, measurement: result }],
      true,
    );
    expect(() => validateResults(document, 'document')).not.toThrow();
  });
});

describe("the median's interval under autocorrelation", () => {
  it('reports the coverage of the widened interval it returns, not of the narrower one', async () => {
    const { medianConfidenceIntervalSorted } = await import('../src/index');
    const sorted = Float64Array.from({ length: 200 }, (_, i) => i);
    const plain = medianConfidenceIntervalSorted(sorted, 0.95, 0);
    const widened = medianConfidenceIntervalSorted(sorted, 0.95, 0.6);
    expect(widened.upper - widened.lower).toBeGreaterThan(plain.upper - plain.lower);
    // Both are 95 % intervals by construction; the widened one's coverage is computed for its own
    // ranks under ρ = 0.6 (floor rounding only ever widens: at least the level).
    expect(plain.coverage).toBeGreaterThanOrEqual(0.95);
    expect(widened.coverage).toBeGreaterThanOrEqual(0.95);
    expect(widened.coverage).toBeLessThan(0.97);
    // Under independence the same ranks would cover far more: that is not what was reported.
    const sameRanksIndependent = medianConfidenceIntervalSorted(Float64Array.from({ length: 200 }, (_, i) => i), 0.999, 0);
    expect(widened.coverage).toBeLessThan(sameRanksIndependent.coverage);
  });
});
