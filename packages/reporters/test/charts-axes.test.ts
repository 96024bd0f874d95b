import { describe, expect, it } from 'vitest';
import { chartSpecs, label } from '../src/index';
import { completed, document } from './results-fixture';

// A `--concurrency 1,2` sweep: batch 1 and 4, each at one and two sessions.
const sweep = document([
  completed({ runner: 'node-cpu', batchSize: 1, options: { concurrency: 1 } }, 40),
  completed({ runner: 'node-cpu', batchSize: 1, options: { concurrency: 2 } }, 42),
  completed({ runner: 'node-cpu', batchSize: 4, options: { concurrency: 1 } }, 150),
  completed({ runner: 'node-cpu', batchSize: 4, options: { concurrency: 2 } }, 160),
]);

describe('charts of a sweep with an option axis', () => {
  it('draw one throughput line per value of the axis, not only the last one', () => {
    const throughput = chartSpecs(sweep).find((spec) => spec.slug === 'throughput')!;
    const series = throughput.option.series as { name: string; data: (number | null)[] }[];
    expect(series.map((s) => s.name)).toEqual(['node-cpu · concurrency=1', 'node-cpu · concurrency=2']);
    expect(series.every((s) => s.data.every((value) => value !== null))).toBe(true);
    // Lines of one runner that differ on another axis get their own colours (three precisions once shared one).
    const colours = (throughput.option.series as { color: string }[]).map((s) => s.color);
    expect(new Set(colours).size).toBe(colours.length);
  });

  it('label every configuration distinctly', () => {
    const labels = sweep.results.map((r) => label(r));
    expect(new Set(labels).size).toBe(4);
    expect(labels[1]).toBe('node-cpu b1 concurrency=2');
  });
});

describe('the latency percentiles chart', () => {
  it('draws no p90/p99 bar from runs too few for them, as the table shows —', () => {
    const few = completed({ runner: 'node-cpu', batchSize: 1 }, 40);
    const many = completed({ runner: 'node-cpu', batchSize: 2 }, 70);
    if (few.status === 'completed') few.measurement.latencyMs = { ...few.measurement.latencyMs, count: 5 };
    if (many.status === 'completed') many.measurement.latencyMs = { ...many.measurement.latencyMs, count: 400 };
    const spec = chartSpecs(document([few, many])).find((s) => s.slug === 'latency')!;
    const series = spec.option.series as { name: string; data: (number | string)[] }[];
    expect(series.find((s) => s.name === 'p90')!.data).toEqual(['-', expect.any(Number)]);
    expect(series.find((s) => s.name === 'p99')!.data).toEqual(['-', expect.any(Number)]);
    expect(series.find((s) => s.name === 'median')!.data.every((v) => typeof v === 'number')).toBe(true);
    expect(spec.title).toContain('no bar where the runs are too few');
  });
});
