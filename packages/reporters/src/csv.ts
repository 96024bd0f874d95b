import type { ConfigurationResult, ResultsDocument, Statistics } from '@ortbench/core';

const STATISTICS: (keyof Statistics)[] = ['count', 'min', 'max', 'mean', 'sd', 'cv', 'median', 'p90', 'p95', 'p99', 'p999', 'mad', 'medianCiLower', 'medianCiUpper', 'medianCiCoverage'];

const COLUMNS: [string, (r: ConfigurationResult) => unknown][] = [
  ['id', (r) => r.configuration.id],
  ['status', (r) => r.status],
  ['runner', (r) => r.configuration.runner],
  ['model', (r) => r.configuration.model],
  ['batch', (r) => r.configuration.batchSize],
  ['seq', (r) => r.configuration.sequenceLength],
  ['threads', (r) => r.configuration.threads],
  ['options', (r) => (Object.keys(r.configuration.options).length ? JSON.stringify(r.configuration.options) : '')],
  ['execution_provider', (r) => (r.status === 'completed' ? r.measurement.session.executionProvider : '')],
  ['runtime', (r) => (r.status === 'completed' ? r.measurement.session.runtime : '')],
  ['concurrency', (r) => (r.status === 'completed' ? r.measurement.concurrency : '')],
  ['load_ms', (r) => (r.status === 'completed' ? r.measurement.phases.loadMs : '')],
  ['first_run_ms', (r) => (r.status === 'completed' ? r.measurement.phases.firstRunMs : '')],
  ['warmup_ms', (r) => (r.status === 'completed' ? r.measurement.phases.warmupMs : '')],
  ['warmup_iterations', (r) => (r.status === 'completed' ? r.measurement.phases.warmupIterations : '')],
  ['steady_ms', (r) => (r.status === 'completed' ? r.measurement.phases.steadyMs : '')],
  ['iterations', (r) => (r.status === 'completed' ? r.measurement.phases.iterations : '')],
  ...STATISTICS.map((stat): [string, (r: ConfigurationResult) => unknown] => [
    stat === 'count' ? 'latency_count' : `latency_${snake(stat)}${stat === 'cv' ? '_pct' : stat === 'medianCiCoverage' ? '' : '_ms'}`,
    (r) => (r.status === 'completed' ? r.measurement.latencyMs[stat] : ''),
  ]),
  ['items_per_s', (r) => (r.status === 'completed' ? r.measurement.throughput.itemsPerSecond : '')],
  ['runs_per_s', (r) => (r.status === 'completed' ? r.measurement.throughput.runsPerSecond : '')],
  ['timing_source', (r) => (r.status === 'completed' ? r.measurement.timingSource : '')],
  ['error_code', (r) => (r.status === 'errored' ? r.error.code : '')],
  ['message', (r) => (r.status === 'errored' ? r.error.message : r.status === 'skipped' ? r.reason : '')],
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
