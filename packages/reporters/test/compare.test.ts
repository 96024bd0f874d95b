import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import type { ResultsDocument } from '@ortbench/core';
import { parseResults } from '@ortbench/core';
import { compareResults, renderComparison } from '../src/index';

// Two real runs of `ortbench bench resnet50 --batch 1 --iterations 120` on the 2-core
// development machine, samples kept. Their medians differ by 13 % (40.6 vs 46.0 ms): other
// processes on the machine; their fast ends (p10) by 1.6 %.
const load = async (name: string) => parseResults(await readFile(new URL(`./fixtures/${name}`, import.meta.url), 'utf8'), name);
const run1 = await load('resnet50-b1-run1.json');
const run2 = await load('resnet50-b1-run2.json');

function scaled(document: ResultsDocument, factor: number): ResultsDocument {
  const copy = structuredClone(document);
  for (const result of copy.results) {
    if (result.status !== 'completed') continue;
    const m = result.measurement;
    m.samplesNs = m.samplesNs!.map((ns) => ns * factor);
    for (const key of ['min', 'max', 'mean', 'median', 'p90', 'p95', 'p99', 'p999', 'medianCiLower', 'medianCiUpper'] as const) m.latencyMs[key] *= factor;
  }
  return copy;
}

describe('compare on recorded samples', () => {
  it('stays quiet between two runs of the same configuration', () => {
    const comparison = compareResults(run1, run2);
    expect(comparison.regressions).toBe(0);
    expect(comparison.rows).toHaveLength(1);
    const row = comparison.rows[0]!;
    expect(row.ratio!).toBeGreaterThan(1.05); // the median did move…
    expect(row.fastEndRatio!).toBeLessThan(1.05); // …the fast end did not
    expect(row.verdict).toBe('noisy');
  });

  it('flags a planted 10 % regression, with a confidence interval above 1 and p < 0.05', () => {
    const comparison = compareResults(run1, scaled(run1, 1.1));
    const row = comparison.rows[0]!;
    expect(row.verdict).toBe('regression');
    expect(row.ratio!).toBeCloseTo(1.1, 6);
    expect(row.ciLower!).toBeGreaterThan(1);
    expect(row.pValue!).toBeLessThan(0.05);
    expect(comparison.regressions).toBe(1);
    expect(renderComparison(comparison)).toMatch(/REGRESSION\n\n1 regression\(s\), 0 improvement\(s\) beyond 5\.0 % at p < 0\.05$/);
  });

  it('flags a 10 % regression on top of run-to-run noise, and an improvement the other way', () => {
    expect(compareResults(run1, scaled(run2, 1.1)).rows[0]!.verdict).toBe('regression');
    expect(compareResults(scaled(run1, 1.1), run1).rows[0]!.verdict).toBe('improvement');
    expect(compareResults(run1, scaled(run1, 1.03)).rows[0]!.verdict).toBe('unchanged'); // below the threshold
  });

  it('works from the medians\' intervals when samples were not kept', () => {
    const strip = (document: ResultsDocument) => {
      const copy = structuredClone(document);
      for (const r of copy.results) if (r.status === 'completed') delete r.measurement.samplesNs;
      return copy;
    };
    const row = compareResults(strip(run1), strip(scaled(run1, 1.2))).rows[0]!;
    expect(row.pValue).toBeUndefined();
    expect(row.verdict).toBe('regression');
  });

  it('reports configurations found in only one run', () => {
    const other = structuredClone(run1);
    other.results[0]!.configuration.id = 'runner=node-cpu model=resnet50 batch=2';
    expect(compareResults(run1, other).rows.map((r) => r.verdict)).toEqual(['missing', 'missing']);
  });
});
