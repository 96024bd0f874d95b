import type { ConfigurationResult, ResultsDocument } from '@ortbench/core';
import { bootstrapRatioOfMedians, mannWhitneyU, quantileSorted } from '@ortbench/core';

/**
 * A configuration's verdict: slower or faster beyond the threshold, significantly, with the fast
 * end of the distribution moving too; `noisy` when only the median moved (interference: rerun).
 */
export type Verdict = 'regression' | 'improvement' | 'noisy' | 'unchanged' | 'missing' | 'not comparable';

/** One configuration of two runs, compared. */
export interface ComparisonRow {
  id: string;
  baselineMedianMs?: number;
  candidateMedianMs?: number;
  /** candidate median / baseline median: above 1 is slower. */
  ratio?: number;
  /** 95 % confidence interval of the ratio (bootstrap on raw samples, else from the medians' own intervals). */
  ciLower?: number;
  ciUpper?: number;
  /** Two-sided Mann-Whitney U p-value, when both runs kept their samples. */
  pValue?: number;
  /** Ratio of the fast end: p10 of the samples, or the minimum when samples were not kept. */
  fastEndRatio?: number;
  verdict: Verdict;
}

/** Options of {@link compareResults}. */
export interface CompareOptions {
  /** Relative change that counts: 0.05 flags a configuration 5 % slower. Default 0.05. */
  threshold?: number;
  /** Significance level of the test. Default 0.05. */
  alpha?: number;
}

/** The comparison of two runs. */
export interface Comparison {
  threshold: number;
  alpha: number;
  rows: ComparisonRow[];
  regressions: number;
  improvements: number;
}

/**
 * Compares two results documents configuration by configuration (matched by id). A change is
 * flagged when the ratio of medians exceeds the threshold and is significant — by a Mann-Whitney
 * U test on the raw samples with a bootstrap interval of the ratio, or, without samples, when the
 * conservative interval from the two medians' own intervals lies beyond 1 — and the fast end of
 * the distribution (p10) moved beyond the threshold too. Interference from other processes only
 * adds time, so it moves the median but not the fast end: on a shared 2-core machine two runs of
 * the same configuration differed by 13 % in median and 1.6 % in p10. Such rows read `noisy`.
 */
export function compareResults(baseline: ResultsDocument, candidate: ResultsDocument, options: CompareOptions = {}): Comparison {
  const threshold = options.threshold ?? 0.05;
  const alpha = options.alpha ?? 0.05;
  const before = new Map(baseline.results.map((r) => [r.configuration.id, r]));
  const after = new Map(candidate.results.map((r) => [r.configuration.id, r]));
  const ids = [...new Set([...before.keys(), ...after.keys()])];
  const rows = ids.map((id) => compareOne(id, before.get(id), after.get(id), threshold, alpha));
  return {
    threshold,
    alpha,
    rows,
    regressions: rows.filter((r) => r.verdict === 'regression').length,
    improvements: rows.filter((r) => r.verdict === 'improvement').length,
  };
}

function compareOne(id: string, a: ConfigurationResult | undefined, b: ConfigurationResult | undefined, threshold: number, alpha: number): ComparisonRow {
  if (!a || !b) return { id, verdict: 'missing' };
  if (a.status !== 'completed' || b.status !== 'completed') return { id, verdict: 'not comparable' };
  const x = a.measurement.latencyMs;
  const y = b.measurement.latencyMs;
  const row: ComparisonRow = { id, baselineMedianMs: x.median, candidateMedianMs: y.median, ratio: y.median / x.median, verdict: 'unchanged' };
  let significant: boolean;
  const samplesA = a.measurement.samplesNs;
  const samplesB = b.measurement.samplesNs;
  if (samplesA && samplesB && samplesA.length > 1 && samplesB.length > 1) {
    const interval = bootstrapRatioOfMedians(samplesA, samplesB);
    row.ciLower = interval.lower;
    row.ciUpper = interval.upper;
    row.pValue = mannWhitneyU(samplesA, samplesB).p;
    row.fastEndRatio = p10(samplesB) / p10(samplesA);
    significant = row.pValue < alpha && (interval.lower > 1 || interval.upper < 1);
  } else {
    row.ciLower = y.medianCiLower / x.medianCiUpper;
    row.ciUpper = y.medianCiUpper / x.medianCiLower;
    row.fastEndRatio = y.min / x.min;
    significant = row.ciLower > 1 || row.ciUpper < 1;
  }
  const slower = row.ratio! > 1 + threshold;
  const faster = row.ratio! < 1 / (1 + threshold);
  if (significant && (slower || faster)) {
    const fastEndMoved = slower ? row.fastEndRatio > 1 + threshold : row.fastEndRatio < 1 / (1 + threshold);
    row.verdict = fastEndMoved ? (slower ? 'regression' : 'improvement') : 'noisy';
  }
  return row;
}

/** The comparison as a text table, one configuration a line, flagged rows marked. */
export function renderComparison(comparison: Comparison): string {
  const header = ['configuration', 'baseline ms', 'candidate ms', 'ratio', '95 % CI', 'p', 'fast end', 'verdict'];
  const body = comparison.rows.map((r) => [
    r.id,
    r.baselineMedianMs?.toFixed(3) ?? '—',
    r.candidateMedianMs?.toFixed(3) ?? '—',
    r.ratio === undefined ? '—' : `${r.ratio.toFixed(3)}×`,
    r.ciLower === undefined ? '—' : `${r.ciLower.toFixed(3)}–${r.ciUpper!.toFixed(3)}`,
    r.pValue === undefined ? '—' : r.pValue < 0.001 ? '<0.001' : r.pValue.toFixed(3),
    r.fastEndRatio === undefined ? '—' : `${r.fastEndRatio.toFixed(3)}×`,
    r.verdict === 'regression' ? 'REGRESSION' : r.verdict === 'noisy' ? 'noisy (median moved, fast end did not: rerun)' : r.verdict,
  ]);
  const widths = header.map((_, c) => Math.max(...[header, ...body].map((row) => row[c]!.length)));
  const line = (row: string[]) => row.map((cell, c) => cell.padEnd(widths[c]!)).join('  ').trimEnd();
  return [
    line(header),
    ...body.map(line),
    '',
    `${comparison.regressions} regression(s), ${comparison.improvements} improvement(s) beyond ${(comparison.threshold * 100).toFixed(1)} % at p < ${comparison.alpha}`,
  ].join('\n');
}

function p10(samples: readonly number[]): number {
  return quantileSorted(Float64Array.from(samples).sort(), 0.1);
}
