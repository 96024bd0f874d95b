import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import type { ResultsDocument } from '@ortbench/core';
import { computeStatistics, parseResults } from '@ortbench/core';
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

describe('a verdict that agrees with its interval', () => {
  it('says unsure, never unchanged, when the interval excludes 1 but the autocorrelation-inflated test does not reject', () => {
    // Ten samples in two long bursts each (strongly autocorrelated), B about 2.5× A: the block
    // bootstrap's interval lies above 1, the inflated Mann-Whitney test has too little evidence.
    const burst = (low: number, high: number) => [...Array(5).fill(low), ...Array(5).fill(high)].map((ms, i) => (ms + i * 0.01) * 1e6);
    const withSamples = (samplesNs: number[]): ResultsDocument => {
      const copy = structuredClone(run1);
      const m = (copy.results[0] as Extract<(typeof copy.results)[0], { status: 'completed' }>).measurement;
      const stats = computeStatistics(samplesNs.map((ns) => ns / 1e6));
      m.samplesNs = samplesNs;
      m.latencyMs = stats;
      return copy;
    };
    const row = compareResults(withSamples(burst(10, 20)), withSamples(burst(25, 50))).rows[0]!;
    expect(row.ciLower).toBeGreaterThan(1);
    expect(row.pValue).toBeGreaterThanOrEqual(0.05);
    expect(row.verdict).toBe('unsure');
    expect(renderComparison(compareResults(withSamples(burst(10, 20)), withSamples(burst(25, 50))))).toContain('unsure (the interval excludes 1, the test does not reject');
  });
});

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
    expect(renderComparison(comparison)).toMatch(/REGRESSION\n\ninterval: 95 % CI of the ratio of medians \(block bootstrap on the samples\)\n1 regression\(s\), 0 improvement\(s\) beyond 5\.0 % at p < 0\.05$/);
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

  it('reports configurations found in only one run, and errored candidates', () => {
    const extra = structuredClone(run1.results[0]!);
    extra.configuration.id = 'runner=node-cpu model=resnet50 batch=2';
    const baseline = { ...run1, results: [...run1.results, extra] };
    const candidate = structuredClone(run1);
    candidate.results[0] = { status: 'errored', configuration: run1.results[0]!.configuration, error: { code: 'OUT_OF_MEMORY', message: 'node-cpu: out of memory' } };
    const comparison = compareResults(baseline, candidate);
    expect(comparison.rows.map((r) => r.verdict)).toEqual(['errored', 'missing']);
    expect(comparison).toMatchObject({ missing: 1, errored: 1, regressions: 0 });
    expect(renderComparison(comparison)).toMatch(/1 missing from the candidate; 1 errored in the candidate$/);
  });

  it('refuses two runs with no configuration in common (a gate that would pass vacuously)', () => {
    const other = structuredClone(run1);
    other.results[0]!.configuration.id = 'runner=node-cpu model=bert batch=1 seq=128';
    expect(() => compareResults(run1, other)).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT', message: expect.stringMatching(/^the two runs have no configuration in common/) }));
  });

  it('says when the runs come from different machines or runtimes', () => {
    const other = scaled(run1, 1);
    other.environment.cpu.model = 'Another CPU';
    other.environment.packages['onnxruntime-node'] = '9.9.9';
    const comparison = compareResults(run1, other);
    expect(comparison.environmentNotes).toEqual([
      `different CPUs: ${run1.environment.cpu.model} (${run1.environment.cpu.logicalCores} cores) vs Another CPU (${run1.environment.cpu.logicalCores} cores)`,
      `different onnxruntime-node: ${run1.environment.packages['onnxruntime-node']} vs 9.9.9`,
    ]);
    expect(renderComparison(comparison)).toContain('warning: different CPUs');
  });

  it('says when the machine itself ran at another speed in the candidate run', () => {
    const base = structuredClone(run1);
    base.environment.machine = { loadAverageStart: [0.1], loadAverageEnd: [0.1], busy: false, referenceMs: { start: 3.1, end: 3.2 } };
    const slower = structuredClone(base);
    slower.environment.machine = { ...base.environment.machine, referenceMs: { start: 5.2, end: 5.4 }, speedChanged: false };
    const notes = compareResults(base, slower).environmentNotes;
    expect(notes[0]).toBe('the machine itself ran 68 % slower in the candidate run (a fixed reference workload took 3.15 vs 5.30 ms): differences of that size may be the machine, not the change');
    // …and says the verdict is unreliable, naming the paired command.
    expect(notes[1]).toMatch(/this verdict is unreliable; measure the two paired in one process instead — `ortbench ab A\.onnx B\.onnx`/);
    expect(renderComparison(compareResults(base, slower))).toContain('ortbench ab');
    const same = structuredClone(base);
    same.environment.machine = { ...base.environment.machine, referenceMs: { start: 3.3, end: 3.2 } };
    expect(compareResults(base, same).environmentNotes).toEqual([]);
  });

  it('labels the interval from medians alone as conservative, and runs no test on fewer than 8 samples', () => {
    const few = structuredClone(run1);
    const m = (few.results[0] as Extract<(typeof few.results)[0], { status: 'completed' }>).measurement;
    m.samplesNs = m.samplesNs!.slice(0, 5);
    const row = compareResults(few, few).rows[0]!;
    expect(row.ciKind).toBe('conservative');
    expect(row.pValue).toBeUndefined();
  });
});
