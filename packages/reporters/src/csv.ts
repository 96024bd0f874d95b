import { formatFedInput } from './inputs-fed';
import type { ConfigurationResult, Measurement, ResultsDocument, Statistics } from '@ortbench/core';
import { supportsPercentile } from '@ortbench/core';

const STATISTICS = ['count', 'min', 'max', 'mean', 'sd', 'cv', 'median', 'p90', 'p95', 'p99', 'p999', 'mad', 'medianCiLower', 'medianCiUpper', 'medianCiCoverage', 'autocorrelation'] as const satisfies readonly (keyof Statistics)[];
const TAILS = new Set(['p90', 'p95', 'p99', 'p999']);

/** A completed result's measurement field, or empty. */
const of = (pick: (m: Measurement) => unknown) => (r: ConfigurationResult) => (r.status === 'completed' ? pick(r.measurement) : '');

const COLUMNS: [string, (r: ConfigurationResult) => unknown][] = [
  ['id', (r) => r.configuration.id],
  ['status', (r) => r.status],
  ['runner', (r) => r.configuration.runner],
  ['model', (r) => r.configuration.model],
  ['batch', (r) => r.configuration.batchSize],
  ['seq', (r) => r.configuration.sequenceLength],
  ['threads', (r) => r.configuration.threads],
  ['options', (r) => (Object.keys(r.configuration.options).length ? JSON.stringify(r.configuration.options) : '')],
  ['measured_by', (r) => r.measuredBy?.worker ?? ''],
  ['execution_provider', (r) => (r.status === 'completed' ? r.measurement.session.executionProvider : '')],
  ['runtime', (r) => (r.status === 'completed' ? r.measurement.session.runtime : '')],
  ['concurrency', (r) => (r.status === 'completed' ? r.measurement.concurrency : '')],
  ['load_ms', (r) => (r.status === 'completed' ? r.measurement.phases.loadMs : '')],
  ['first_run_ms', (r) => (r.status === 'completed' ? r.measurement.phases.firstRunMs : '')],
  ['warmup_ms', (r) => (r.status === 'completed' ? r.measurement.phases.warmupMs : '')],
  ['warmup_iterations', (r) => (r.status === 'completed' ? r.measurement.phases.warmupIterations : '')],
  ['steady_ms', (r) => (r.status === 'completed' ? r.measurement.phases.steadyMs : '')],
  ['iterations', (r) => (r.status === 'completed' ? r.measurement.phases.iterations : '')],
  ['sessions', of((m) => m.sessions)],
  ...STATISTICS.map((stat): [string, (r: ConfigurationResult) => unknown] => [
    stat === 'count' ? 'latency_count' : stat === 'autocorrelation' ? 'latency_autocorrelation' : `latency_${snake(stat)}${stat === 'cv' ? '_pct' : stat === 'medianCiCoverage' ? '' : '_ms'}`,
    // A tail percentile from too few runs is left empty (the notes column says why).
    of((m) => (TAILS.has(stat) && !supportsPercentile(m.latencyMs.count, stat as 'p90') ? '' : m.latencyMs[stat])),
  ]),
  ['outliers_low_severe', of((m) => m.latencyMs.outliers.lowSevere)],
  ['outliers_low_mild', of((m) => m.latencyMs.outliers.lowMild)],
  ['outliers_high_mild', of((m) => m.latencyMs.outliers.highMild)],
  ['outliers_high_severe', of((m) => m.latencyMs.outliers.highSevere)],
  ['ci_half_width_pct', of((m) => m.stability.ciHalfWidth * 100)],
  ['ci_target_pct', of((m) => (m.stability.ciTarget === undefined ? '' : m.stability.ciTarget * 100))],
  ['stop', of((m) => m.stability.stop)],
  ['unstable', of((m) => m.stability.unstable)],
  ['rounds', of((m) => m.rounds?.count)],
  ['round_spread_pct', of((m) => (m.rounds ? m.rounds.spread * 100 : ''))],
  ['items_per_s', of((m) => m.throughput.itemsPerSecond)],
  // The seeds' unit: timeit(number=1000) printed the total, i.e. the mean × 1000 runs.
  ['seconds_per_1000_runs', of((m) => m.latencyMs.mean)],
  ['runs_per_s', of((m) => m.throughput.runsPerSecond)],
  ['throughput_basis', of((m) => m.throughput.basis)],
  ['wall_items_per_s', of((m) => m.throughput.wallItemsPerSecond)],
  ['wall_runs_per_s', of((m) => m.throughput.wallRunsPerSecond)],
  ['timing_source', of((m) => m.timingSource)],
  ['host_round_trip_ms', of((m) => m.hostRoundTripMs)],
  ['flops_per_run', of((m) => m.compute?.flopsPerRun)],
  ['gflops', of((m) => m.compute?.gflops)],
  ['peak_gflops', of((m) => m.compute?.peakGflops)],
  ['fraction_of_peak', of((m) => m.compute?.fractionOfPeak)],
  ['scenario', of((m) => m.scenario?.name)],
  ['scenario_target_qps', of((m) => m.scenario?.targetQps)],
  ['scenario_qps', of((m) => m.scenario?.queriesPerSecond)],
  ['scenario_metric', of((m) => m.scenario?.reported.metric)],
  ['scenario_value', of((m) => m.scenario?.reported.value)],
  ['preprocess_items_per_s', of((m) => m.pipeline?.preprocessItemsPerSecond)],
  ['end_to_end_items_per_s', of((m) => m.pipeline?.endToEndItemsPerSecond)],
  ['pipeline_efficiency', of((m) => m.pipeline?.efficiency)],
  ['top1', of((m) => m.accuracy?.top1)],
  ['top5', of((m) => m.accuracy?.top5)],
  ['top1_differs_from_fp32', of((m) => m.agreement?.differing)],
  ['agreement_images', of((m) => m.agreement?.images)],
  ['model_file', of((m) => m.modelFile?.path)],
  ['model_file_bytes', of((m) => m.modelFile?.bytes)],
  ['fidelity_output', of((m) => (m.fidelity && 'output' in m.fidelity ? m.fidelity.output : ''))],
  ['fidelity_cosine_min', of((m) => (m.fidelity && 'output' in m.fidelity ? m.fidelity.cosineMin : ''))],
  ['fidelity_cosine_mean', of((m) => (m.fidelity && 'output' in m.fidelity ? m.fidelity.cosineMean : ''))],
  ['fidelity_max_abs_diff', of((m) => (m.fidelity && 'output' in m.fidelity ? m.fidelity.maxAbsDiff : ''))],
  ['fidelity_top1_changed', of((m) => (m.fidelity && 'output' in m.fidelity ? m.fidelity.top1Changed : ''))],
  ['fidelity_unavailable', of((m) => (m.fidelity && 'unavailable' in m.fidelity ? m.fidelity.unavailable : ''))],
  ['memory_source', of((m) => m.memory?.source)],
  ['memory_before_load_bytes', of((m) => m.memory?.beforeLoadBytes)],
  ['memory_after_load_bytes', of((m) => m.memory?.afterLoadBytes)],
  ['memory_loaded_bytes', of((m) => m.memory?.loadedBytes)],
  ['memory_peak_bytes', of((m) => m.memory?.peakBytes)],
  ['memory_peak_is_high_water', of((m) => m.memory?.peakIsHighWater)],
  ['memory_peak_above_base_bytes', of((m) => m.memory?.peakAboveBaseBytes)],
  ['memory_end_bytes', of((m) => m.memory?.endBytes)],
  ['memory_steady_growth_bytes', of((m) => m.memory?.steadyGrowthBytes)],
  ['memory_leak_bytes_per_run', of((m) => m.memory?.leak?.bytesPerRun)],
  ['memory_shared', of((m) => m.memory?.shared)],
  ['error_code', (r) => (r.status === 'errored' ? r.error.code : '')],
  ['inputs', of((m) => (m.inputs ?? []).map(formatFedInput).join('; '))],
  ['alternation', of((m) => m.alternation?.mode)],
  ['paired_ratios', of((m) => (m.comparisons ?? []).map((c) => `${c.axis}=${c.baselineValue}: ${c.ratio.toFixed(4)} [${c.lower.toFixed(4)}, ${c.upper.toFixed(4)}] n=${c.pairs}`).join('; '))],
  ['message', (r) => (r.status === 'errored' ? r.error.message : r.status === 'skipped' ? r.reason : '')],
  ['notes', of((m) => [...m.stability.notes, ...(m.scenario?.insufficient ? [m.scenario.insufficient] : [])].join('; '))],
];

/** One row per configuration with every statistic, RFC 4180 quoting, `\n` line ends. */
export function renderCsv(document: ResultsDocument): string {
  const lines = [COLUMNS.map(([name]) => name).join(',')];
  for (const result of document.results) lines.push(COLUMNS.map(([, value]) => field(value(result))).join(','));
  return `${lines.join('\n')}\n`;
}

function field(value: unknown): string {
  if (value === undefined || value === null) return '';
  const text = typeof value === 'number' ? String(value) : String(value);
  return /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

function snake(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}
