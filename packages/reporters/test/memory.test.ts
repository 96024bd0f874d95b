import type { ConfigurationResult, MemoryFigures } from '@ortbench/core';
import { describe, expect, it } from 'vitest';
import { chartSpecs, compareResults, detailLines, formatCell, renderComparison, renderConsoleTable, renderCsv, renderHtml, renderMarkdown } from '../src/index';
import { completed, document } from './results-fixture';

const MiB = 1024 * 1024;

/** A completed result whose configuration needed `peakMiB` above the 100 MiB in use before loading. */
function withMemory(batch: number, peakMiB: number, extra: Partial<MemoryFigures> = {}): ConfigurationResult {
  const result = completed({ runner: 'node-cpu', model: 'resnet50', batchSize: batch }, 10 * batch);
  if (result.status !== 'completed') throw new Error('fixture');
  result.measurement.memory = {
    source: 'process RSS',
    beforeLoadBytes: 100 * MiB,
    afterLoadBytes: 200 * MiB,
    loadedBytes: 100 * MiB,
    peakBytes: (100 + peakMiB) * MiB,
    peakIsHighWater: true,
    peakAboveBaseBytes: peakMiB * MiB,
    endBytes: (100 + peakMiB) * MiB,
    steadyGrowthBytes: 0,
    readings: 40,
    ...extra,
  };
  return result;
}

describe('memory in every report', () => {
  const leak = { bytesPerRun: 2 * MiB, runs: 200, reason: 'grew 400 MiB over 200 runs (2.00 MiB per run, R² 0.99) and was still rising at the end' };
  const sweep = document([withMemory(1, 130), withMemory(4, 220), withMemory(16, 580, { leak, steadyGrowthBytes: 400 * MiB })]);

  it('a cell shows the peak the configuration needed, and says when it leaks', () => {
    expect(formatCell(sweep.results[0]!)).toContain('peak 130 MiB');
    expect(formatCell(sweep.results[0]!)).not.toContain('leaking');
    expect(formatCell(sweep.results[2]!)).toContain('peak 580 MiB (leaking)');
  });

  it('the notes say what was read, how, and the leak', () => {
    const lines = detailLines(sweep.results[2]!);
    expect(lines).toContain('memory (process RSS): peak 580 MiB above the 100 MiB in use before loading (high-water mark), loading took 100 MiB, 680 MiB at the end (+400 MiB over the steady state)');
    expect(lines).toContain(`memory leak? ${leak.reason}`);
  });

  it('CSV has every figure in bytes; console, Markdown and HTML carry the cell and the notes', () => {
    const [header, first] = renderCsv(sweep).split('\n');
    const columns = header!.split(',');
    const cell = (name: string) => first!.split(',')[columns.indexOf(name)];
    expect(cell('memory_source')).toBe('process RSS');
    expect(Number(cell('memory_peak_above_base_bytes'))).toBe(130 * MiB);
    expect(Number(cell('memory_loaded_bytes'))).toBe(100 * MiB);
    expect(renderCsv(sweep).split('\n')[3]!.split(',')[columns.indexOf('memory_leak_bytes_per_run')]).toBe(String(2 * MiB));
    for (const text of [renderConsoleTable(sweep), renderMarkdown(sweep), renderHtml(sweep)]) {
      expect(text).toContain('peak 580 MiB (leaking)');
      expect(text).toContain('memory leak? grew 400 MiB');
    }
  });

  it("a memory-vs-batch chart sits beside the throughput curve, in MiB, of figures that are the configurations' own", () => {
    const chart = chartSpecs(sweep).find((spec) => spec.slug === 'memory');
    expect(chart?.title).toBe('resnet50: Peak memory by batch size (MiB)');
    const series = (chart!.option as { series: { data: number[] }[] }).series;
    expect(series[0]!.data).toEqual([130, 220, 580]);
    // Figures shared with other configurations' sessions are not the configuration's: no curve, no number in the cell.
    const shared = document([withMemory(1, 130, { shared: 'alternated with the others' }), withMemory(4, 220, { shared: 'alternated with the others' })]);
    expect(chartSpecs(shared).some((spec) => spec.slug === 'memory')).toBe(false);
    expect(formatCell(shared.results[0]!)).not.toMatch(/MiB|peak/);
    expect(detailLines(shared.results[0]!)).toContain('memory (process RSS) not reported for this configuration alone: loading it took 100 MiB; the process held 230 MiB at the end — alternated with the others');
    expect(detailLines(shared.results[0]!, { brief: true }).join('\n')).not.toContain('memory');
    for (const text of [renderConsoleTable(shared), renderMarkdown(shared), renderHtml(shared)]) expect(text).toContain('Memory is not reported per configuration for 2 configuration(s)');
    expect(chartSpecs(document([withMemory(1, 130)])).some((spec) => spec.slug === 'memory')).toBe(false); // one batch: no curve
  });
});

describe('compare: the memory gate', () => {
  const before = document([withMemory(1, 200), withMemory(4, 300), withMemory(8, 400)]);

  it('flags more peak memory beyond the threshold, and a new leak, as memory regressions', () => {
    const after = document([withMemory(1, 215), withMemory(4, 360), withMemory(8, 400, { leak: { bytesPerRun: MiB, runs: 100, reason: 'grew 100 MiB over 100 runs' } })]);
    const comparison = compareResults(before, after, { memoryThreshold: 0.1 });
    expect(comparison.rows.map((r) => r.memoryVerdict)).toEqual(['same', 'more', 'leak']);
    expect(comparison.rows[1]!.memoryRatio).toBeCloseTo(1.2, 6);
    expect(comparison.memoryRegressions).toBe(2);
    const text = renderComparison(comparison);
    expect(text).toContain('300 MiB → 360 MiB');
    expect(text).toContain('MORE (1.20×)');
    expect(text).toContain('2 memory regression(s) beyond 10.0 % more peak memory');
  });

  it('without a memory threshold memory is not judged; figures shared with other configurations are never compared', () => {
    const after = document([withMemory(1, 400), withMemory(4, 300, { shared: 'alternated with the others' }), withMemory(8, 400)]);
    expect(compareResults(before, after).memoryRegressions).toBe(0);
    const comparison = compareResults(before, after, { memoryThreshold: 0.1 });
    expect(comparison.rows.map((r) => r.memoryVerdict)).toEqual(['more', 'not comparable', 'same']);
    expect(renderComparison(comparison)).toMatch(/memory of .*batch=4.*not compared: the candidate was measured with other configurations in one process/);
  });
});
