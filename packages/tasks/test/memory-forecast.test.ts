import type { Configuration, ConfigurationResult, MemoryFigures } from '@ortbench/core';
import { computeStatistics, configurationId } from '@ortbench/core';
import { describe, expect, it } from 'vitest';
import { forecastPeak, memoryWarning } from '../src/bench/memory-forecast';

const MiB = 1024 * 1024;

function configuration(batchSize: number, options: Configuration['options'] = {}): Configuration {
  const base = { runner: 'node-cpu', model: 'resnet50', batchSize, options };
  return { ...base, id: configurationId(base) };
}

/** A completed result of `batch` that needed `peakMiB` (memory figures only matter here). */
function measured(batch: number, peakMiB: number, memory: Partial<MemoryFigures> = {}, options: Configuration['options'] = {}): ConfigurationResult {
  const latencyMs = computeStatistics([10, 11, 12, 13, 14, 15, 16]);
  return {
    status: 'completed',
    configuration: configuration(batch, options),
    measurement: {
      session: { runner: 'node-cpu', executionProvider: 'cpu', settings: {} },
      itemsPerRun: batch,
      concurrency: 1,
      phases: { firstRunMs: 1, warmupMs: 1, warmupIterations: 1, steadyMs: 100, iterations: 7 },
      latencyMs,
      throughput: { itemsPerSecond: 1, runsPerSecond: 1, basis: 'median latency', wallItemsPerSecond: 1, wallRunsPerSecond: 1 },
      stability: { stop: 'fixed', ciHalfWidth: 0.01, unstable: false, notes: [] },
      timingSource: 'host',
      memory: { source: 'process RSS', afterLoadBytes: 0, peakBytes: peakMiB * MiB, peakIsHighWater: true, peakAboveBaseBytes: peakMiB * MiB, endBytes: 0, steadyGrowthBytes: 0, readings: 10, ...memory },
    },
  };
}

describe('memory forecast along the batch axis', () => {
  // 100 MiB of weights and arena, 50 MiB per item.
  const sweep = [measured(1, 150), measured(2, 200), measured(4, 300)];

  it('extends the line through the two largest smaller batches', () => {
    const forecast = forecastPeak(configuration(16), sweep);
    expect(forecast!.bytes / MiB).toBeCloseTo(900, 6);
    expect(forecast!.from.map((f) => f.batch)).toEqual([2, 4]);
  });

  it('needs two measured smaller batches of the same configuration, measured alone', () => {
    expect(forecastPeak(configuration(16), [measured(4, 300)])).toBeUndefined();
    expect(forecastPeak(configuration(16, { precision: 'fp16' }), sweep)).toBeUndefined();
    expect(forecastPeak(configuration(16), [measured(2, 200, { shared: 'alternated' }), measured(4, 300, { shared: 'alternated' })])).toBeUndefined();
    expect(forecastPeak(configuration(2), sweep)).toBeUndefined(); // only batch 1 is smaller
  });

  it('warns, before running it, about a configuration forecast to need more than is available', () => {
    expect(memoryWarning(configuration(16), sweep, true, 2048 * MiB)).toBeUndefined();
    const warning = memoryWarning(configuration(16), sweep, true, 512 * MiB);
    expect(warning).toBe('runner=node-cpu model=resnet50 batch=16: forecast to need about 900 MiB at its peak (a line through batch 2: 200 MiB, batch 4: 300 MiB), more than the 512 MiB available now; it runs in its own process, so running out of memory is recorded as OUT_OF_MEMORY');
    expect(memoryWarning(configuration(16), sweep, false, 512 * MiB)).toMatch(/--isolate records running out of memory as OUT_OF_MEMORY\)$/);
  });
});
