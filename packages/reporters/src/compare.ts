import type { ConfigurationResult, ResultsDocument } from '@ortbench/core';
import { machineDifferences } from './fleet';
import { bootstrapRatioOfMedians, ErrorCode, formatBytes, mannWhitneyU, OrtbenchError, quantileSorted, SPEED_CHANGE_WARNING, speedChange } from '@ortbench/core';

/**
 * A configuration's verdict: slower or faster beyond the threshold, significantly, with the fast
 * end of the distribution moving too; `noisy` when only the median moved (interference: rerun);
 * `unsure` when the interval lies beyond 1 but the test does not reject (the figures disagree:
 * never called `unchanged`).
 */
export type Verdict = 'regression' | 'improvement' | 'noisy' | 'unsure' | 'unchanged' | 'missing' | 'added' | 'errored' | 'not comparable';

/** One configuration of two runs, compared. */
export interface ComparisonRow {
  id: string;
  baselineMedianMs?: number;
  candidateMedianMs?: number;
  /** candidate median / baseline median: above 1 is slower. */
  ratio?: number;
  /** Interval of the ratio: a 95 % block-bootstrap CI on raw samples, else the conservative span of the medians' own CIs. */
  ciLower?: number;
  ciUpper?: number;
  /** `bootstrap`: a 95 % CI; `conservative`: the span of the two medians' CIs, which is not one. */
  ciKind?: 'bootstrap' | 'conservative';
  /** Two-sided Mann-Whitney U p-value, when both runs kept at least 8 samples. */
  pValue?: number;
  /** Ratio of the fast end: p10 of the samples, or the minimum when samples were not kept. */
  fastEndRatio?: number;
  verdict: Verdict;
  /** Peak memory each configuration needed (bytes: above the memory before loading, where it was read). */
  baselinePeakBytes?: number;
  candidatePeakBytes?: number;
  /** candidate peak / baseline peak. */
  memoryRatio?: number;
  /**
   * `more`/`less`: beyond the memory threshold; `same` within it; `leak`: the candidate's memory
   * kept rising with the run count and the baseline's did not; `not comparable`: a side was not
   * measured, or was measured together with other configurations in one process (the reason).
   */
  memoryVerdict?: 'more' | 'less' | 'same' | 'leak' | 'not comparable';
  memoryReason?: string;
}

/** Options of {@link compareResults}. */
export interface CompareOptions {
  /** Relative change that counts: 0.05 flags a configuration 5 % slower. Default 0.05. */
  threshold?: number;
  /** Significance level of the test. Default 0.05. */
  alpha?: number;
  /** Relative growth of peak memory that counts as a memory regression: 0.1 flags 10 % more. Memory is compared only when set. */
  memoryThreshold?: number;
}

/** The comparison of two runs. */
export interface Comparison {
  threshold: number;
  alpha: number;
  rows: ComparisonRow[];
  regressions: number;
  /** The memory threshold, when memory was compared. */
  memoryThreshold?: number;
  /** Configurations that needed more memory than the threshold allows, or started leaking. */
  memoryRegressions: number;
  improvements: number;
  /** Configurations the baseline has and the candidate lacks. */
  missing: number;
  /** Configurations that completed in the baseline and errored in the candidate. */
  errored: number;
  /** How the two runs' machines and software differ: their figures then differ for that reason too. */
  environmentNotes: string[];
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
  // Configuration ids carry the full identity (scenario, precision, options): only like is matched with like.
  const before = new Map(baseline.results.map((r) => [r.configuration.id, r]));
  const after = new Map(candidate.results.map((r) => [r.configuration.id, r]));
  const ids = [...new Set([...before.keys(), ...after.keys()])];
  if (!ids.some((id) => before.has(id) && after.has(id))) {
    throw new OrtbenchError(
      ErrorCode.INVALID_ARGUMENT,
      `the two runs have no configuration in common (baseline: ${describeIds(before)}; candidate: ${describeIds(after)})`,
    );
  }
  const rows = ids.map((id) => compareOne(id, before.get(id), after.get(id), threshold, alpha));
  if (options.memoryThreshold !== undefined) for (const row of rows) compareMemory(row, before.get(row.id), after.get(row.id), options.memoryThreshold);
  return {
    threshold,
    alpha,
    rows,
    ...(options.memoryThreshold === undefined ? {} : { memoryThreshold: options.memoryThreshold }),
    memoryRegressions: rows.filter((r) => r.memoryVerdict === 'more' || r.memoryVerdict === 'leak').length,
    regressions: rows.filter((r) => r.verdict === 'regression').length,
    improvements: rows.filter((r) => r.verdict === 'improvement').length,
    missing: rows.filter((r) => r.verdict === 'missing').length,
    errored: rows.filter((r) => r.verdict === 'errored').length,
    environmentNotes: [
      // Fleet runs were measured on their workers: compare those, pair by pair, not the submitting machines.
      ...(baseline.fleet && candidate.fleet ? [] : environmentDifferences(baseline, candidate)),
      ...machineDifferences(ids.flatMap((id) => (before.has(id) && after.has(id) ? [[before.get(id)!, after.get(id)!] as const] : []))),
    ],
  };
}

function describeIds(results: Map<string, unknown>): string {
  const ids = [...results.keys()];
  return ids.length <= 2 ? ids.join(', ') || 'none' : `${ids.slice(0, 2).join(', ')} and ${ids.length - 2} more`;
}

/** What differs between the machines and software of two runs (CPU, cores, Node, runtimes). */
function environmentDifferences(baseline: ResultsDocument, candidate: ResultsDocument): string[] {
  const [a, b] = [baseline.environment, candidate.environment];
  const notes: string[] = [];
  if (a.cpu.model !== b.cpu.model || a.cpu.logicalCores !== b.cpu.logicalCores) {
    notes.push(`different CPUs: ${a.cpu.model} (${a.cpu.logicalCores} cores) vs ${b.cpu.model} (${b.cpu.logicalCores} cores)`);
  }
  if (a.node !== b.node) notes.push(`different Node: ${a.node} vs ${b.node}`);
  for (const name of ['onnxruntime-node', 'onnxruntime-web', 'onnxruntime-common']) {
    if (a.packages[name] && b.packages[name] && a.packages[name] !== b.packages[name]) notes.push(`different ${name}: ${a.packages[name]} vs ${b.packages[name]}`);
  }
  const referenceA = meanReference(a);
  const referenceB = meanReference(b);
  if (referenceA !== undefined && referenceB !== undefined && Math.abs(speedChange(referenceA, referenceB)) > SPEED_CHANGE_WARNING) {
    const change = speedChange(referenceA, referenceB);
    notes.push(
      `the machine itself ran ${Math.abs(change * 100).toFixed(0)} % ${change > 0 ? 'slower' : 'faster'} in the candidate run (a fixed reference workload took ${referenceA.toFixed(2)} vs ${referenceB.toFixed(2)} ms): differences of that size may be the machine, not the change`,
    );
  }
  if (a.machine?.speedChanged) notes.push("the machine's speed changed during the baseline run");
  if (b.machine?.speedChanged) notes.push("the machine's speed changed during the candidate run");
  if (a.machine?.busy) notes.push(`the baseline's machine was busy (${a.machine.otherCpuCores?.toFixed(2)} cores taken by other processes)`);
  if (b.machine?.busy) notes.push(`the candidate's machine was busy (${b.machine.otherCpuCores?.toFixed(2)} cores taken by other processes)`);
  const speedMoved = notes.some((note) => /machine itself ran|speed changed/.test(note));
  if (speedMoved) {
    notes.push(
      'two runs measured at different moments on a machine whose speed changes cannot be compared reliably: this verdict is unreliable; measure the two paired in one process instead — `ortbench ab A.onnx B.onnx` (or `--b runner=…`/`--b threads=…`), whose runs alternate one by one',
    );
  }
  return notes;
}

function meanReference(environment: ResultsDocument['environment']): number | undefined {
  const reference = environment.machine?.referenceMs;
  return reference ? (reference.start + reference.end) / 2 : undefined;
}

function compareOne(id: string, a: ConfigurationResult | undefined, b: ConfigurationResult | undefined, threshold: number, alpha: number): ComparisonRow {
  if (!b) return { id, verdict: 'missing' };
  if (!a) return { id, verdict: 'added' };
  if (a.status === 'completed' && b.status === 'errored') return { id, verdict: 'errored' };
  if (a.status !== 'completed' || b.status !== 'completed') return { id, verdict: 'not comparable' };
  const x = a.measurement.latencyMs;
  const y = b.measurement.latencyMs;
  const row: ComparisonRow = { id, baselineMedianMs: x.median, candidateMedianMs: y.median, ratio: y.median / x.median, verdict: 'unchanged' };
  let significant: boolean;
  let beyond: boolean;
  const samplesA = a.measurement.samplesNs;
  const samplesB = b.measurement.samplesNs;
  // The normal approximation of the U test needs about 8 samples a side.
  if (samplesA && samplesB && samplesA.length >= 8 && samplesB.length >= 8) {
    const interval = bootstrapRatioOfMedians(samplesA, samplesB);
    row.ciLower = interval.lower;
    row.ciUpper = interval.upper;
    row.ciKind = 'bootstrap';
    // Bursts make neighbouring samples alike: inflate the test's variance by the AR(1) factor.
    const inflation = Math.max(inflationOf(x.autocorrelation), inflationOf(y.autocorrelation));
    row.pValue = mannWhitneyU(samplesA, samplesB, { varianceInflation: inflation }).p;
    row.fastEndRatio = p10(samplesB) / p10(samplesA);
    beyond = interval.lower > 1 || interval.upper < 1;
    significant = row.pValue < alpha && beyond;
  } else {
    row.ciLower = y.medianCiLower / x.medianCiUpper;
    row.ciUpper = y.medianCiUpper / x.medianCiLower;
    row.ciKind = 'conservative';
    row.fastEndRatio = y.min / x.min;
    significant = row.ciLower > 1 || row.ciUpper < 1;
    beyond = significant;
  }
  const slower = row.ratio! > 1 + threshold;
  const faster = row.ratio! < 1 / (1 + threshold);
  if (significant && (slower || faster)) {
    const fastEndMoved = slower ? row.fastEndRatio > 1 + threshold : row.fastEndRatio < 1 / (1 + threshold);
    row.verdict = fastEndMoved ? (slower ? 'regression' : 'improvement') : 'noisy';
  } else if (beyond && (slower || faster)) {
    // A 2.48× ratio whose interval (1.80–5.05) excludes 1 was once printed "unchanged" because the
    // autocorrelation-inflated test did not reject: when the figures disagree, say so.
    row.verdict = 'unsure';
  }
  return row;
}

/**
 * Peak memory of one configuration in both runs. A memory figure is one high-water mark, not a
 * sample of a distribution, and it moves little from run to run (the arena, the weights and the
 * feeds are what they are): the gate is the ratio against the threshold. Figures taken with other
 * configurations' sessions in the same process include theirs, so they are not compared.
 */
function compareMemory(row: ComparisonRow, a: ConfigurationResult | undefined, b: ConfigurationResult | undefined, threshold: number): void {
  if (a?.status !== 'completed' || b?.status !== 'completed') return;
  const [x, y] = [a.measurement.memory, b.measurement.memory];
  if (!x || !y) {
    row.memoryVerdict = 'not comparable';
    row.memoryReason = `no memory figure in the ${!x ? 'baseline' : 'candidate'}`;
    return;
  }
  row.baselinePeakBytes = x.peakAboveBaseBytes ?? x.peakBytes;
  row.candidatePeakBytes = y.peakAboveBaseBytes ?? y.peakBytes;
  row.memoryRatio = row.candidatePeakBytes / row.baselinePeakBytes;
  if (x.shared || y.shared || x.source !== y.source) {
    row.memoryVerdict = 'not comparable';
    row.memoryReason = x.source !== y.source ? `measured differently (${x.source} vs ${y.source})` : `the ${x.shared ? 'baseline' : 'candidate'} was measured with other configurations in one process (--isolate measures each alone)`;
    return;
  }
  if (y.leak && !x.leak) {
    row.memoryVerdict = 'leak';
    row.memoryReason = y.leak.reason;
    return;
  }
  row.memoryVerdict = row.memoryRatio > 1 + threshold ? 'more' : row.memoryRatio < 1 / (1 + threshold) ? 'less' : 'same';
}

/** The comparison as a text table, one configuration a line, flagged rows marked. */
export function renderComparison(comparison: Comparison): string {
  const memory = comparison.memoryThreshold !== undefined;
  const header = ['configuration', 'baseline ms', 'candidate ms', 'ratio', 'interval', 'p', 'fast end', ...(memory ? ['peak memory', 'memory'] : []), 'verdict'];
  const body = comparison.rows.map((r) => [
    r.id,
    r.baselineMedianMs?.toFixed(3) ?? '—',
    r.candidateMedianMs?.toFixed(3) ?? '—',
    r.ratio === undefined ? '—' : `${r.ratio.toFixed(3)}×`,
    r.ciLower === undefined ? '—' : `${r.ciLower.toFixed(3)}–${r.ciUpper!.toFixed(3)}${r.ciKind === 'conservative' ? ' *' : ''}`,
    r.pValue === undefined ? '—' : r.pValue < 0.001 ? '<0.001' : r.pValue.toFixed(3),
    r.fastEndRatio === undefined ? '—' : `${r.fastEndRatio.toFixed(3)}×`,
    ...(memory ? memoryCells(r) : []),
    r.verdict === 'regression'
      ? 'REGRESSION'
      : r.verdict === 'noisy'
        ? 'noisy (median moved, fast end did not: rerun)'
        : r.verdict === 'unsure'
          ? 'unsure (the interval excludes 1, the test does not reject: rerun longer, or measure paired with ortbench ab)'
        : r.verdict === 'missing'
          ? 'MISSING from the candidate'
          : r.verdict === 'errored'
            ? 'ERRORED in the candidate'
            : r.verdict,
  ]);
  const widths = header.map((_, c) => Math.max(...[header, ...body].map((row) => row[c]!.length)));
  const line = (row: string[]) => row.map((cell, c) => cell.padEnd(widths[c]!)).join('  ').trimEnd();
  return [
    line(header),
    ...body.map(line),
    '',
    ...(comparison.rows.some((r) => r.ciKind === 'bootstrap') ? ['interval: 95 % CI of the ratio of medians (block bootstrap on the samples)'] : []),
    ...(comparison.rows.some((r) => r.ciKind === 'conservative') ? ["* no samples kept (or fewer than 8): the span of the two medians' own CIs, wider than a 95 % CI and not one; no test"] : []),
    ...comparison.environmentNotes.map((note) => `warning: ${note}; differences include it`),
    ...comparison.rows.filter((r) => r.memoryVerdict === 'not comparable' || r.memoryVerdict === 'leak').map((r) => `memory of ${r.id}: ${r.memoryVerdict === 'leak' ? 'leaking in the candidate' : 'not compared'}: ${r.memoryReason}`),
    `${comparison.regressions} regression(s), ${comparison.improvements} improvement(s) beyond ${(comparison.threshold * 100).toFixed(1)} % at p < ${comparison.alpha}${memory ? `; ${comparison.memoryRegressions} memory regression(s) beyond ${(comparison.memoryThreshold! * 100).toFixed(1)} % more peak memory (or a new leak)` : ''}${comparison.missing ? `; ${comparison.missing} missing from the candidate` : ''}${comparison.errored ? `; ${comparison.errored} errored in the candidate` : ''}`,
  ].join('\n');
}

function memoryCells(r: ComparisonRow): string[] {
  const peaks = r.baselinePeakBytes === undefined ? '—' : `${formatBytes(r.baselinePeakBytes)} → ${formatBytes(r.candidatePeakBytes!)}`;
  const verdict = r.memoryVerdict === undefined ? '—' : r.memoryVerdict === 'more' ? `MORE (${r.memoryRatio!.toFixed(2)}×)` : r.memoryVerdict === 'leak' ? 'LEAK' : r.memoryVerdict === 'same' || r.memoryVerdict === 'less' ? `${r.memoryVerdict} (${r.memoryRatio!.toFixed(2)}×)` : 'not compared';
  return [peaks, verdict];
}

function inflationOf(rho: number | undefined): number {
  const r = Math.min(Math.max(rho ?? 0, 0), 0.95);
  return (1 + r) / (1 - r);
}

function p10(samples: readonly number[]): number {
  return quantileSorted(Float64Array.from(samples).sort(), 0.1);
}
