import { describe, expect, it } from 'vitest';
import { benchmark, ErrorCode, fixedIterations, SeededRandom } from '../src/index';
import { fakeFeeds, fakeRunner, virtualClock } from './fake-runner';

/** Measures a fake runner of scripted service times with the default stop rule (±2 %, cap 8 s). */
const measure = (serviceMs: (run: number) => number, stop = {}) => {
  const virtual = virtualClock();
  return benchmark({
    runner: fakeRunner({ virtual, serviceMs }),
    model: 'm',
    feeds: fakeFeeds(),
    clock: virtual.clock,
    warmup: { minIterations: 0, maxIterations: 0 },
    stop,
  });
};

describe('precision-driven stopping', () => {
  it('stops soon after the minimums when the median is already precise', async () => {
    const quiet = await measure((run) => 10 + 0.05 * (run % 3));
    expect(quiet.stability).toMatchObject({ stop: 'target', unstable: false, ciTarget: 0.02 });
    expect(quiet.stability.ciHalfWidth).toBeLessThanOrEqual(0.02);
    expect(quiet.phases.steadyMs).toBeLessThan(1_100); // the 1 s minimum, not the 8 s cap
  });

  it('extends a noisy configuration beyond the minimums until the target is met', async () => {
    const random = new SeededRandom('noise');
    // Log-normal-ish noise with a CV near 10 %: 1 s of runs cannot pin the median to ±2 %.
    const noisy = await measure(() => 20 * Math.exp(0.2 * (random.next() + random.next() + random.next() - 1.5)));
    expect(noisy.stability.stop).toBe('target');
    expect(noisy.phases.iterations).toBeGreaterThan(100); // 1 s of 20 ms runs is 50
    expect(noisy.phases.steadyMs).toBeLessThan(8_000);
    expect(noisy.stability.ciHalfWidth).toBeLessThanOrEqual(0.02);
  });

  it('stops a bursty configuration at the cap and flags it unstable with its CI', async () => {
    // The case: batch 8 at 300 ms, but every other block of 5 runs took 600 ms (a burst elsewhere).
    const bursty = await measure((run) => (Math.floor(run / 5) % 2 === 0 ? 300 : 600));
    expect(bursty.stability.stop).toBe('cap');
    expect(bursty.stability.unstable).toBe(true);
    expect(bursty.phases.steadyMs).toBeGreaterThanOrEqual(8_000);
    expect(bursty.phases.steadyMs).toBeLessThan(10_700);
    expect(bursty.stability.ciHalfWidth).toBeGreaterThan(0.02);
    expect(bursty.stability.notes[0]).toMatch(/^unstable: median's 95 % CI ±\d+ % after \d+ runs, target ±2\.0 % not reached within the cap$/);
  });

  it('widens the median CI for bursts (autocorrelation), not only for spread', async () => {
    // The same values, once in bursts and once alternating: only the bursts leave the median uncertain.
    const burst = await measure((run) => (Math.floor(run / 25) % 2 === 0 ? 10 : 10.6), { ciTarget: 0, minIterations: 200, minDurationMs: 0 });
    const alternating = await measure((run) => (run % 2 === 0 ? 10 : 10.6), { ciTarget: 0, minIterations: 200, minDurationMs: 0 });
    expect(burst.latencyMs.autocorrelation).toBeGreaterThan(0.8);
    expect(alternating.latencyMs.autocorrelation).toBeLessThan(0);
    const width = (m: typeof burst) => m.latencyMs.medianCiUpper - m.latencyMs.medianCiLower;
    expect(width(burst)).toBeGreaterThanOrEqual(width(alternating));
    expect(burst.latencyMs.medianCiLower).toBe(10);
    expect(burst.latencyMs.medianCiUpper).toBe(10.6);
  });

  it('runs exactly the iterations asked for when told to (the seeds\' 1000 runs), with no target', async () => {
    const fixed = await measure(() => 5, fixedIterations(1000));
    expect(fixed.phases.iterations).toBe(1000);
    expect(fixed.stability).toMatchObject({ stop: 'fixed', unstable: false });
    expect(fixed.stability.ciTarget).toBeUndefined();
  });

  it('pairs the median latency with the throughput it implies, and keeps wall-clock throughput apart', async () => {
    // Every tenth run stalls 10× (a straggler): the mean-based wall rate falls, the median's does not.
    const m = await measure((run) => (run % 10 === 9 ? 100 : 10), { ciTarget: 0, minIterations: 100, minDurationMs: 0 });
    expect(m.latencyMs.median).toBe(10);
    expect(m.throughput.basis).toBe('median latency');
    expect(m.throughput.runsPerSecond).toBeCloseTo(100, 9);
    expect(m.throughput.wallRunsPerSecond).toBeCloseTo(1000 / 19, 6);
    expect(m.latencyMs.outliers.highSevere).toBe(10);
    expect(m.stability.notes).toContain('10 outlier(s) among 100 runs: 10 high severe');
    expect(m.stability.notes).toContain('p99, p999 rest on too few runs (100; p99 needs 299, p999 needs 2995)');
  });

  it('says when the spread is wide, even when the median is precise', async () => {
    // Half the runs 10 ms, half 20 ms, alternating: a CV near 33 %.
    const wide = await measure((run) => (run % 2 === 0 ? 10 : 20), { ciTarget: 0, minIterations: 100, minDurationMs: 0 });
    expect(wide.latencyMs.cv).toBeGreaterThan(30);
    expect(wide.stability.notes).toContain(`wide spread: CV ${wide.latencyMs.cv.toFixed(0)} %`);
  });

  it('refuses a cap of zero with a code, not a RangeError', async () => {
    await expect(measure(() => 1, { maxDurationMs: 0 })).rejects.toMatchObject({ code: ErrorCode.INVALID_ARGUMENT, message: expect.stringContaining('stop.maxDurationMs') });
  });
});

describe('notes below the runs a 95 % interval needs', () => {
  it('claim no ± beside "too few for a 95 % confidence interval"', async () => {
    const { assessStability, computeStatistics, resolveStopRule, DEFAULT_STOP_RULE } = await import('../src/index');
    const rule = resolveStopRule(DEFAULT_STOP_RULE, { ciTarget: 0.02 }, 'stop', 1);
    const notes = assessStability(computeStatistics([10, 14]), rule, 'cap').notes;
    expect(notes[0]).toMatch(/^2 runs: too few for a 95 % confidence interval/);
    expect(notes[1]).toBe('unstable: no 95 % CI of the median after 2 runs, target ±2.0 % not reached within the cap');
    expect(notes.join(' ')).not.toMatch(/CI ±/);
  });
});
