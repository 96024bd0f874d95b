import type { ConfigurationResult, Measurement, Statistics } from '@ortbench/core';
import { formatBytes, MIN_RUNS_FOR_MEDIAN_CI, minimumSamplesForQuantile, supportsPercentile, TAIL_PERCENTILES } from '@ortbench/core';
import { comparisonDetail, comparisonText } from './paired';
import { fidelityDetail, fidelityText } from './variants';

/** Milliseconds with precision that suits their size. */
export function formatMs(ms: number): string {
  return ms.toFixed(ms < 1 ? 3 : ms < 100 ? 2 : 1);
}

/** Items per second, one decimal below 100. */
export function formatRate(rate: number): string {
  return rate < 100 ? rate.toFixed(1) : Math.round(rate).toString();
}

/** A fraction as a percentage: `2.1 %`. */
export function formatPercent(fraction: number, digits = 1): string {
  return Number.isFinite(fraction) ? `${(fraction * 100).toFixed(digits)} %` : '∞';
}

/** What the cells' figures are, said once beside every table. */
export const CELL_LEGEND =
  'Cells: median latency per run ± the half-width of its 95 % CI ("n runs, no CI" below 6 runs, too few for one) · throughput in items/s — items × 1000 / median with one run in flight, wall clock over a common window with several · peak memory the configuration needed (above what was in use before loading; for a runner with its own processes — a browser, a Python worker — all of theirs; "leaking" when it kept rising with the run count; none where the configurations shared one process: see the notes) · the outputs of a variant against those of fp32 on the same inputs ("cos ≥ x": the smallest per-item cosine similarity) · with paired runs, time per item against the baseline of each axis ("1.07× faster (1.06–1.08) than batch 1", 95 % CI; "same within ±x %" when the interval covers 1). "unstable": the median is less precise than asked.';

/** A tail percentile, or `—` when the sample is too small for it (with the rule in `tailNote`). */
export function formatPercentile(latency: Statistics, percentile: keyof typeof TAIL_PERCENTILES): string {
  return supportsPercentile(latency.count, percentile) ? formatMs(latency[percentile]) : '—';
}

/** Why a percentile shows `—`, or undefined. */
export function tailNote(latency: Statistics, percentile: keyof typeof TAIL_PERCENTILES): string | undefined {
  return supportsPercentile(latency.count, percentile) ? undefined : `${percentile} needs ≥ ${minimumSamplesForQuantile(TAIL_PERCENTILES[percentile])} runs (has ${latency.count})`;
}

/** One summary cell: `12.34 ms ±1.2 % · 81.0/s`, flagged when unstable, or why there is no measurement. */
export function formatCell(result: ConfigurationResult, options: TableOptions = {}): string {
  switch (result.status) {
    case 'completed':
      return completedCell(result.measurement, options);
    case 'errored':
      return result.error.code === 'OUT_OF_MEMORY' || /out of memory|\bOOM\b|bad_alloc|failed to allocate/i.test(result.error.message) ? 'OOM' : 'error';
    case 'skipped':
      return 'skipped';
  }
}

/** How tables show a cell. */
export interface TableOptions {
  /** Add the seeds' unit: total seconds for 1000 runs (what `timeit(number=1000)` printed: the mean × 1000). */
  per1000Runs?: boolean;
}

function completedCell(m: Measurement, options: TableOptions): string {
  const { latencyMs, throughput, accuracy, agreement, scenario, stability } = m;
  const parts = scenario
    ? [`${scenario.reported.metric} ${formatMetric(scenario.reported.value)}`, `${formatRate(throughput.itemsPerSecond)}/s`]
    : [`${formatMs(latencyMs.median)} ms ${precisionLabel(m)}`, `${formatRate(throughput.itemsPerSecond)}/s`];
  if (options.per1000Runs && !scenario) parts.push(`1000 runs ${formatMs(latencyMs.mean)} s`);
  if (accuracy) parts.push(`top-1 ${accuracy.top1.toFixed(3)}`);
  if (agreement) parts.push(`≠${agreement.reference} ${agreement.differing}/${agreement.images}`);
  // With photos (--images) top-1 agreement is theirs: the seeded timing input's top-1 would be a second, different count.
  if (m.fidelity) parts.push(fidelityText(m.fidelity, { top1: !agreement }));
  // Figures taken with other configurations' sessions loaded in the same process are not this one's: no number in the cell.
  if (m.memory && !m.memory.shared) parts.push(`peak ${formatBytes(m.memory.peakAboveBaseBytes ?? m.memory.peakBytes)}${m.memory.leak ? ' (leaking)' : ''}`);
  for (const comparison of m.comparisons ?? []) parts.push(comparisonText(comparison));
  return `${parts.join(' · ')}${stability.unstable ? ' (unstable)' : ''}`;
}

/** ±CI half-width, or the run count where too few runs give no 95 % interval of the median. */
export function precisionLabel(m: Measurement): string {
  const runs = m.latencyMs.count;
  if (runs < MIN_RUNS_FOR_MEDIAN_CI) return `(${runs} run${runs === 1 ? '' : 's'}, no CI)`;
  return `±${formatPercent(m.stability.ciHalfWidth).replace(' ', '')}`;
}

/** The memory figures in words: what was read, and what it means (a leak, figures shared with other configurations). */
export function memoryLines(memory: NonNullable<Measurement['memory']>): string[] {
  if (memory.shared) {
    const loaded = memory.loadedBytes === undefined ? '' : `loading it took ${formatBytes(memory.loadedBytes)}; `;
    return [`memory (${memory.source}) not reported for this configuration alone: ${loaded}the process held ${formatBytes(memory.endBytes)} at the end — ${memory.shared}`];
  }
  const peakKind = memory.peakIsHighWater ? 'high-water mark' : 'highest reading between runs';
  const base = memory.beforeLoadBytes === undefined ? '' : ` above the ${formatBytes(memory.beforeLoadBytes)} in use before loading`;
  const lines = [
    `memory (${memory.source}): peak ${formatBytes(memory.peakAboveBaseBytes ?? memory.peakBytes)}${base} (${peakKind})${memory.loadedBytes === undefined ? `, ${formatBytes(memory.afterLoadBytes)} once loaded` : `, loading took ${formatBytes(memory.loadedBytes)}`}, ${formatBytes(memory.endBytes)} at the end (${memory.steadyGrowthBytes >= 0 ? '+' : ''}${formatBytes(memory.steadyGrowthBytes)} over the steady state)`,
  ];
  if (memory.leak) lines.push(`memory leak? ${memory.leak.reason}`);
  for (const unmeasured of memory.unmeasured ?? []) lines.push(`not measured: ${unmeasured}`);
  return lines;
}

function formatMetric(value: number): string {
  return value < 1000 ? formatMs(value) : formatRate(value);
}

/**
 * The figures and warnings a table cell has no room for, one line each: stability notes, the
 * scenario's rate, roofline, the image pipeline's stages, runs in flight, errors' codes. `brief`
 * (the terminal) leaves out what only the files need: GFLOP/s without a roofline, outlier counts
 * and percentiles on too few runs.
 */
export function detailLines(result: ConfigurationResult, options: { brief?: boolean } = {}): string[] {
  if (result.status === 'errored') return [`${result.error.code}: ${result.error.message}`];
  if (result.status === 'skipped') return [`skipped: ${result.reason}`];
  const m = result.measurement;
  const lines: string[] = [];
  if (m.scenario) {
    lines.push(
      `scenario ${m.scenario.name}: ${m.scenario.reported.metric} ${formatMetric(m.scenario.reported.value)}, ${m.scenario.queriesPerSecond.toFixed(2)} queries/s${m.scenario.targetQps === undefined ? '' : ` (asked ${m.scenario.targetQps.toFixed(2)}/s)`}${m.scenario.insufficient ? ` — ${m.scenario.insufficient}` : ''}`,
    );
  }
  if (m.timingSource === 'runner' && m.hostRoundTripMs !== undefined && !options.brief) {
    lines.push(`timed by the runner itself; the host's round trip per run: median ${formatMs(m.hostRoundTripMs)} ms (+${formatMs(Math.max(0, m.hostRoundTripMs - m.latencyMs.median))} ms transport)`);
  }
  if (m.sessions) lines.push(`${m.sessions} sessions at once (one per worker thread): ${formatRate(m.throughput.itemsPerSecond)} items/s over their common window`);
  if (m.compute && !(options.brief && m.compute.peakGflops === undefined)) {
    const roofline = m.compute.peakGflops ? ` = ${formatPercent(m.compute.fractionOfPeak ?? 0)} of the runner's measured ${m.compute.peakGflops.toFixed(1)} GFLOP/s` : '';
    lines.push(`${m.compute.gflops.toFixed(1)} GFLOP/s (${(m.compute.flopsPerRun / 1e9).toFixed(2)} GFLOP a run, at the headline rate)${roofline}`);
  }
  if (m.pipeline) {
    const p = m.pipeline;
    lines.push(
      `images: preprocess only ${formatRate(p.preprocessItemsPerSecond)}/s, inference only ${formatRate(m.throughput.itemsPerSecond)}/s, end to end ${formatRate(p.endToEndItemsPerSecond)}/s (${formatPercent(p.efficiency, 0)} of the slower stage; ${p.images} photos)`,
    );
  }
  // The terminal says once, below the table, why shared figures are not reported; the files keep each one's note.
  if (m.fidelity) lines.push(fidelityDetail(m.fidelity));
  if (m.memory && !(options.brief && m.memory.shared)) lines.push(...memoryLines(m.memory));
  if (!options.brief) lines.push(...(m.comparisons ?? []).map(comparisonDetail));
  lines.push(...(options.brief ? m.stability.notes.filter((note) => !/outlier\(s\)|rest on too few runs/.test(note)) : m.stability.notes));
  return lines;
}
