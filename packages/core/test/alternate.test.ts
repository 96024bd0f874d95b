import { describe, expect, it } from 'vitest';
import type { Configuration, ConfigurationResult, Measurement, StopRule } from '../src/index';
import { abVerdict, baselinePairs, expandMatrix, openMeasurement, runInterleavedSweep } from '../src/index';
import { fakeFeeds, fakeRunner, virtualClock } from './fake-runner';
import { twoSpeedMachine } from './two-speed-machine';

type Completed = Extract<ConfigurationResult, { status: 'completed' }>;

/** 10.8 s of steady state each: four slices of 2.7 s when sliced, the same budget run by run. */
const BUDGET: Partial<StopRule> = { minIterations: 10, minDurationMs: 10_800, maxDurationMs: 10_800, ciTarget: 0 };

/** Two configurations (batch 1 and 2, one item per run) whose runs take `baseMs` each, on a two-speed machine. */
async function measurePair(seed: number, baseMs: [number, number], alternate: 'runs' | 'slices', budget = BUDGET): Promise<[Measurement, Measurement]> {
  const virtual = virtualClock();
  const machine = twoSpeedMachine(virtual, seed);
  const configurations = expandMatrix({ runners: ['fake'], batchSizes: [1, 2] });
  const outcome = await runInterleavedSweep(
    configurations,
    async (configuration: Configuration) => {
      const ms = baseMs[configuration.batchSize - 1]!;
      const session = await fakeRunner({ virtual, serviceMs: () => machine.serviceMs(ms) }).load('m');
      // One item per run either way, so the ratio compares the two service times.
      return openMeasurement(session, { feeds: fakeFeeds(), clock: virtual.clock, warmup: { minIterations: 2 }, stop: budget });
    },
    {
      alternate,
      rounds: alternate === 'slices' ? 4 : 3,
      stop: budget,
      seed,
      pairedTarget: 0,
      comparisons: baselinePairs(configurations).map((pair) => ({ ...pair })),
    },
  );
  const [a, b] = outcome.results as Completed[];
  return [a!.measurement, b!.measurement];
}

/** B's time over A's as each mode reports it: the paired ratio run by run (per item: batch 2 is two items), the medians' ratio in slices. */
function ratioOf(a: Measurement, b: Measurement): { ratio: number; lower?: number; upper?: number } {
  const paired = b.comparisons?.[0];
  if (paired) return { ratio: paired.ratio * 2, lower: paired.lower * 2, upper: paired.upper * 2 };
  return { ratio: b.latencyMs.median / a.latencyMs.median };
}

const SEEDS = Array.from({ length: 40 }, (_, i) => i + 1);
/** Coverage is a rate near 95 %: 200 seeds tell 93 % from 95 % (40 would not), on a shorter budget each. */
const COVERAGE_SEEDS = Array.from({ length: 200 }, (_, i) => i + 1);
const SHORT: Partial<StopRule> = { minIterations: 10, minDurationMs: 3_000, maxDurationMs: 3_000, ciTarget: 0 };

describe('run-by-run alternation on a two-speed machine (1.8× apart, switching every 0.3–1 s)', () => {
  it('ranks two configurations 2 % apart correctly in at least 95 % of seeds, where 2.7 s slices do not', async () => {
    let alternatedRight = 0;
    let slicedRight = 0;
    for (const seed of SEEDS) {
      const [a, b] = await measurePair(seed, [10, 10.2], 'runs');
      expect(b.alternation?.mode).toBe('runs');
      if (ratioOf(a, b).ratio > 1) alternatedRight++;
      const [sa, sb] = await measurePair(seed, [10, 10.2], 'slices');
      expect(sb.alternation?.mode).toBe('slices');
      if (ratioOf(sa, sb).ratio > 1) slicedRight++;
    }
    expect(alternatedRight / SEEDS.length).toBeGreaterThanOrEqual(0.95);
    expect(slicedRight / SEEDS.length).toBeLessThan(0.95);
  }, 120_000);

  it("gives a paired 95 % interval that covers the true ratio in at least 93 % of seeds", async () => {
    let covered = 0;
    for (const seed of COVERAGE_SEEDS) {
      const [a, b] = await measurePair(seed, [10, 10.2], 'runs', SHORT);
      const { lower, upper } = ratioOf(a, b);
      if (lower! <= 1.02 && 1.02 <= upper!) covered++;
    }
    expect(covered / COVERAGE_SEEDS.length).toBeGreaterThanOrEqual(0.93);
  }, 120_000);

  it('calls a configuration against itself "same" in at least 95 % of seeds', async () => {
    let same = 0;
    for (const seed of SEEDS) {
      const [a, b] = await measurePair(seed, [10, 10], 'runs');
      const { ratio, lower, upper } = ratioOf(a, b);
      if (abVerdict({ ratio, lower: lower!, upper: upper! }) === 'same') same++;
    }
    expect(same / SEEDS.length).toBeGreaterThanOrEqual(0.95);
  }, 120_000);
});
