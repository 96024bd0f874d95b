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
  });

  it('label every configuration distinctly', () => {
    const labels = sweep.results.map((r) => label(r));
    expect(new Set(labels).size).toBe(4);
    expect(labels[1]).toBe('node-cpu b1 concurrency=2');
  });
});
