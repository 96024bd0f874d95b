import { describe, expect, it } from 'vitest';
import type { Measurement } from '@ortbench/core';
import { computeStatistics } from '@ortbench/core';
import { throughputInterval } from '../src/tune';

function measured(samplesMs: number[], itemsPerRun: number, basis: 'median latency' | 'wall clock', rate: number): Measurement {
  const latencyMs = computeStatistics(samplesMs);
  return { itemsPerRun, latencyMs, throughput: { itemsPerSecond: rate, runsPerSecond: rate / itemsPerRun, basis, wallItemsPerSecond: rate, wallRunsPerSecond: rate / itemsPerRun } } as Measurement;
}

describe("tune's items/s interval", () => {
  it('inverts the median\'s interval for a rate that is items × 1000 / median (not the median\'s width scaled)', () => {
    // A skewed sample: the median's interval is lopsided, so the rate's is lopsided the other way.
    const samples = Array.from({ length: 60 }, (_, i) => 10 + (i % 10 === 0 ? 5 : 0) + (i % 7) * 0.3);
    const m = measured(samples, 4, 'median latency', (4 * 1000) / computeStatistics(samples).median);
    const { itemsPerSecondLower, itemsPerSecondUpper } = throughputInterval(m);
    expect(itemsPerSecondLower).toBeCloseTo(4000 / m.latencyMs.medianCiUpper, 9);
    expect(itemsPerSecondUpper).toBeCloseTo(4000 / m.latencyMs.medianCiLower, 9);
    expect(itemsPerSecondLower).toBeLessThan(m.throughput.itemsPerSecond);
    expect(itemsPerSecondUpper).toBeGreaterThan(m.throughput.itemsPerSecond);
  });

  it('gives a wall-clock rate the interval of a count of completions, narrowing with more runs', () => {
    const few = throughputInterval(measured(Array.from({ length: 20 }, (_, i) => 10 + (i % 5)), 1, 'wall clock', 200));
    const many = throughputInterval(measured(Array.from({ length: 2000 }, (_, i) => 10 + (i % 5)), 1, 'wall clock', 200));
    expect(few.itemsPerSecondUpper - few.itemsPerSecondLower).toBeGreaterThan(5 * (many.itemsPerSecondUpper - many.itemsPerSecondLower));
    expect(many.itemsPerSecondLower).toBeLessThan(200);
    expect(many.itemsPerSecondUpper).toBeGreaterThan(200);
  });
});
