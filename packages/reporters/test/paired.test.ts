import { describe, expect, it } from 'vitest';
import type { ConfigurationResult } from '@ortbench/core';
import { alternationLines, comparisonText, renderConsoleTable, renderCsv, renderHtml, renderMarkdown } from '../src/index';
import { completed, document } from './results-fixture';

/** Batch 1 and batch 4 alternated run by run; batch 4 per item against batch 1's. */
function alternated(ratio: { ratio: number; lower: number; upper: number }): ConfigurationResult[] {
  const [one, four] = [completed({ runner: 'node-cpu', batchSize: 1 }, 40), completed({ runner: 'node-cpu', batchSize: 4 }, 120)];
  for (const result of [one, four]) {
    if (result!.status !== 'completed') continue;
    result!.measurement.alternation = { mode: 'runs', group: 2 };
    result!.measurement.session.settings = { ...result!.measurement.session.settings, allowSpinning: false };
  }
  if (four!.status === 'completed') {
    four!.measurement.comparisons = [{ axis: 'batch', baseline: 'runner=node-cpu batch=1', baselineValue: '1', ...ratio, level: 0.95, pairs: 240, excluded: 3, orderEffect: 1.004 }];
  }
  return [one!, four!];
}

describe('paired ratios, in every format', () => {
  const sweep = document(alternated({ ratio: 0.75, lower: 0.74, upper: 0.76 }));

  it('say which way, how much, against what, with the interval — or "same" when it covers 1', () => {
    expect(comparisonText({ axis: 'batch', baseline: 'b1', baselineValue: '1', ratio: 0.75, lower: 0.74, upper: 0.76, level: 0.95, pairs: 9, excluded: 0 })).toBe('1.33× faster (1.32–1.35) than batch 1');
    expect(comparisonText({ axis: 'opt.precision', baseline: 'p', baselineValue: 'fp32', ratio: 1.003, lower: 0.996, upper: 1.01, level: 0.95, pairs: 9, excluded: 0 })).toBe('same within ±1.0 % as precision fp32');
    expect(comparisonText({ axis: 'runner', baseline: 'r', baselineValue: 'node-cpu', ratio: 1.5, lower: 1.4, upper: 1.6, level: 0.95, pairs: 9, excluded: 0 })).toBe('1.50× slower (1.40–1.60) than node-cpu');
  });

  it('appear in the cell of the console, Markdown and HTML tables, and as a CSV column', () => {
    const cell = '1.33× faster (1.32–1.35) than batch 1';
    expect(renderConsoleTable(sweep)).toContain(cell);
    expect(renderMarkdown(sweep)).toContain(cell);
    expect(renderHtml(sweep)).toContain(cell);
    const [header, , second] = renderCsv(sweep).split('\n');
    expect(header!.split(',')).toContain('paired_ratios');
    expect(second).toContain('batch=1: 0.7500 [0.7400, 0.7600] n=240');
  });

  it('come with what they rest on in the notes, and the schedule and spinning said beside the table', () => {
    expect(renderMarkdown(sweep)).toContain('per item vs batch 1: 0.750× the time, 95 % CI 0.740–0.760 (240 pairs, 3 left out as a speed change within the pair)');
    expect(alternationLines(sweep)[0]).toMatch(/^2 configurations were alternated run by run.*thread spinning was off/);
    expect(renderConsoleTable(sweep)).toContain('2 configurations were alternated run by run');
    // A sweep measured one configuration after another says nothing of the kind.
    expect(alternationLines(document([completed({ runner: 'node-cpu', batchSize: 1 }, 40)]))).toEqual([]);
  });
});
