import { describe, expect, it } from 'vitest';
import { chartSpecs, renderConsoleTable, renderCsv, renderMarkdown } from '../src/index';
import { completed, document } from './results-fixture';

describe("the seeds' units and bar chart", () => {
  // One shape, three configurations: PyTorch, ORT, ORT optimised — the seed-003 layout.
  const doc = document([
    completed({ runner: 'torch', batchSize: 1, sequenceLength: 25 }, 120),
    completed({ runner: 'node-cpu', batchSize: 1, sequenceLength: 25, options: { graphOptimizationLevel: 'disabled' } }, 80),
    completed({ runner: 'node-cpu', batchSize: 1, sequenceLength: 25, options: { graphOptimizationLevel: 'all' } }, 60),
  ]);

  it('shows total seconds for 1000 runs (the mean × 1000) beside ms and items/s when asked, in every table', () => {
    // The fixture's runs are 0.9, 1, 1.1 × the median: the mean equals the median.
    expect(renderConsoleTable(doc, { per1000Runs: true })).toContain('120.0 ms ±1.0% · 8.3/s · 1000 runs 120.0 s');
    expect(renderMarkdown(doc, { per1000Runs: true })).toContain('1000 runs 60.00 s');
    expect(renderConsoleTable(doc)).not.toContain('1000 runs');
    const [header, first] = renderCsv(doc).split('\n');
    const column = header!.split(',').indexOf('seconds_per_1000_runs');
    expect(first!.split(',')[column]).toBe('120');
  });

  it('draws one bar per configuration when they share a shape, and none when batch sizes vary', () => {
    const bars = chartSpecs(doc).find((spec) => spec.slug === 'configurations');
    const series = (bars?.option.series as { data: { value: number }[] }[])[0]!;
    expect(series.data.map((d) => d.value)).toEqual([120, 80, 60]);
    // Horizontal bars: the configurations are the vertical axis, one readable row each.
    expect(bars?.option.yAxis).toMatchObject({ type: 'category', data: ['torch', 'node-cpu · disabled', 'node-cpu · all'] });
    expect(bars?.title).toBe('Median latency by configuration (ms) — batch 1, sequence 25; bars: runner · graphOptimizationLevel');
    const sweep = document([completed({ runner: 'node-cpu', batchSize: 1 }, 5), completed({ runner: 'node-cpu', batchSize: 8 }, 20)]);
    expect(chartSpecs(sweep).some((spec) => spec.slug === 'configurations')).toBe(false);
  });

  it('names every bar\'s model when several are compared (seed-004), and every chart its models', () => {
    const models = document([completed({ runner: 'node-cpu', model: 'vgg16', batchSize: 8 }, 900), completed({ runner: 'node-cpu', model: 'resnet50', batchSize: 8 }, 300)]);
    const specs = chartSpecs(models);
    const bars = specs.find((spec) => spec.slug === 'configurations')!;
    expect((bars.option.yAxis as { data: string[] }).data).toEqual(['vgg16 · node-cpu', 'resnet50 · node-cpu']);
    expect(specs.every((spec) => spec.title.startsWith('vgg16, resnet50: '))).toBe(true);
    // One batch size: no throughput "curve" of one column of dots.
    expect(specs.some((spec) => spec.slug === 'throughput')).toBe(false);
  });
});
