import { describe, expect, it } from 'vitest';
import type { Configuration, ConfigurationResult, StopRule } from '../src/index';
import { ConfigurationSkippedError, expandMatrix, openMeasurement, runInterleavedSweep } from '../src/index';
import { fakeFeeds, fakeRunner, virtualClock } from './fake-runner';

type Completed = Extract<ConfigurationResult, { status: 'completed' }>;

/**
 * Two configurations 2 % apart (batch 1: 100 ms, batch 2: 102 ms) on a machine that is recovering
 * from load: everything runs 20 % slow at first, easing linearly to full speed over 40 s.
 */
async function sweep(rounds: number, stop: Partial<StopRule>) {
  const virtual = virtualClock();
  const drift = () => Math.max(1, 1.2 - Number(virtual.clock()) / 1e6 / 40_000);
  const configurations = expandMatrix({ runners: ['fake'], batchSizes: [1, 2] });
  const outcome = await runInterleavedSweep(
    configurations,
    async (configuration: Configuration) => {
      const base = configuration.batchSize === 1 ? 100 : 102;
      const session = await fakeRunner({ virtual, serviceMs: () => base * drift() }).load('m');
      return openMeasurement(session, { feeds: fakeFeeds(), clock: virtual.clock, warmup: { minIterations: 1 }, stop });
    },
    { rounds, stop, seed: 7 },
  );
  const [fast, slow] = outcome.results as Completed[];
  return { fast: fast!.measurement, slow: slow!.measurement, outcome };
}

const FIXED: Partial<StopRule> = { minIterations: 60, minDurationMs: 0, maxDurationMs: 1e9, ciTarget: 0 };

describe('interleaved rounds', () => {
  it('rank two configurations 2 % apart correctly under drift, where sequential order ranks them wrongly', async () => {
    const sequential = await sweep(1, FIXED);
    // One after the other, the first configuration takes the slow early minutes: it looks slower.
    expect(sequential.fast.latencyMs.median).toBeGreaterThan(sequential.slow.latencyMs.median);

    const interleaved = await sweep(20, FIXED);
    const ratio = interleaved.slow.latencyMs.median / interleaved.fast.latencyMs.median;
    expect(ratio).toBeGreaterThan(1.01);
    expect(ratio).toBeLessThan(1.03);
    // Same budget of runs either way.
    expect(interleaved.fast.phases.iterations).toBe(60);
    expect(interleaved.slow.phases.iterations).toBe(60);
  });

  it('keeps per-round medians and reports the drift as their spread', async () => {
    const { fast } = await sweep(20, FIXED);
    expect(fast.rounds?.count).toBe(20);
    expect(fast.rounds?.mediansMs).toHaveLength(20);
    // The machine sped up by about 12 % over the sweep: the first round is the slowest.
    expect(fast.rounds!.mediansMs[0]).toBeGreaterThan(fast.rounds!.mediansMs.at(-1)!);
    expect(fast.rounds!.spread).toBeGreaterThan(0.05);
    expect(fast.stability.notes.some((note) => note.startsWith('rounds disagree'))).toBe(true);
  });

  it('goes on past the minimum rounds for a configuration until its CI target is met', async () => {
    const { fast, slow } = await sweep(3, { minIterations: 6, minDurationMs: 0, maxDurationMs: 60_000, ciTarget: 0.005 });
    for (const m of [fast, slow]) {
      expect(m.stability.stop).toBe('target');
      expect(m.rounds!.count).toBeGreaterThan(3);
    }
  });

  it('records skipped and errored configurations and goes on with the rest', async () => {
    const virtual = virtualClock();
    const configurations = expandMatrix({ runners: ['fake'], batchSizes: [1, 2, 4] });
    let runs = 0;
    const outcome = await runInterleavedSweep(
      configurations,
      async (configuration) => {
        if (configuration.batchSize === 2) throw new ConfigurationSkippedError('the model has a fixed batch of 1');
        const session = await fakeRunner({ virtual, serviceMs: 5 }).load('m');
        const measurement = openMeasurement(session, { feeds: fakeFeeds(), clock: virtual.clock, stop: { minIterations: 4, minDurationMs: 0, ciTarget: 0 } });
        if (configuration.batchSize === 4) {
          // Fails in its second round, after it has been measured once.
          const steady = measurement.steady.bind(measurement);
          Object.assign(measurement, { steady: async (slice?: never) => (++runs === 2 ? Promise.reject(new Error('Failed to allocate memory for requested buffer of size 123')) : steady(slice)) });
        }
        return measurement;
      },
      { rounds: 2, stop: { minIterations: 4, minDurationMs: 0, ciTarget: 0 } },
    );
    expect(outcome.results.map((r) => r.status)).toEqual(['completed', 'skipped', 'errored']);
    const errored = outcome.results[2]!;
    expect(errored.status === 'errored' && errored.error.code).toBe('OUT_OF_MEMORY');
  });

  it('keeps what was measured when interrupted, marked interrupted and unstable', async () => {
    const virtual = virtualClock();
    const controller = new AbortController();
    let steadyCalls = 0;
    const outcome = await runInterleavedSweep(
      expandMatrix({ runners: ['fake'], batchSizes: [1, 2] }),
      async () => {
        const session = await fakeRunner({ virtual, serviceMs: 5 }).load('m');
        const measurement = openMeasurement(session, { feeds: fakeFeeds(), clock: virtual.clock, signal: controller.signal, stop: { minIterations: 40, minDurationMs: 0, ciTarget: 0 } });
        const steady = measurement.steady.bind(measurement);
        Object.assign(measurement, {
          steady: async (slice?: never) => {
            if (++steadyCalls === 3) controller.abort();
            return steady(slice);
          },
        });
        return measurement;
      },
      { rounds: 4, signal: controller.signal, stop: { minIterations: 40, minDurationMs: 0, ciTarget: 0 } },
    );
    expect(outcome.interrupted).toBe(true);
    expect(outcome.results).toHaveLength(2);
    for (const result of outcome.results as Completed[]) {
      expect(result.measurement.stability).toMatchObject({ stop: 'interrupted', unstable: true });
    }
  });
});
