import type { ConfigurationResult, ResultsDocument } from '@ortbench/core';

/** The seed scripts' table: one row per batch size (× sequence length), one column per runner. */
export interface SummaryTable {
  /** Row-label headers, then one header per column. */
  header: string[];
  rows: string[][];
}

/**
 * Builds the summary table of a results document. A cell holds the median latency and the
 * throughput; an errored configuration shows `OOM` or `error`, a skipped one `skipped`.
 * Columns are runners (prefixed by model when the document holds several models).
 */
export function buildSummaryTable(document: ResultsDocument): SummaryTable {
  const results = document.results;
  const hasSeq = results.some((r) => r.configuration.sequenceLength !== undefined);
  const hasThreads = new Set(results.map((r) => r.configuration.threads)).size > 1;
  // Option axes that vary (batchMode, concurrency, …) become row columns too, or their cells would collide.
  const optionKeys = [...new Set(results.flatMap((r) => Object.keys(r.configuration.options)))].filter(
    (key) => new Set(results.map((r) => JSON.stringify(r.configuration.options[key]))).size > 1,
  );
  const models = new Set(results.map((r) => r.configuration.model));
  const columnOf = (r: ConfigurationResult) => (models.size > 1 ? `${r.configuration.model} · ${r.configuration.runner}` : r.configuration.runner);
  const rowOf = (r: ConfigurationResult) => {
    const cells = [String(r.configuration.batchSize)];
    if (hasSeq) cells.push(String(r.configuration.sequenceLength ?? '—'));
    if (hasThreads) cells.push(String(r.configuration.threads ?? '—'));
    for (const key of optionKeys) cells.push(String(r.configuration.options[key] ?? '—'));
    return cells;
  };
  const columns = unique(results.map(columnOf));
  const rowKeys = unique(results.map((r) => rowOf(r).join('\u0000')));
  const cells = new Map(results.map((r) => [`${rowOf(r).join('\u0000')}\u0001${columnOf(r)}`, formatCell(r)]));
  const header = ['batch', ...(hasSeq ? ['seq'] : []), ...(hasThreads ? ['threads'] : []), ...optionKeys, ...columns];
  const rows = rowKeys.map((key) => [...key.split('\u0000'), ...columns.map((column) => cells.get(`${key}\u0001${column}`) ?? '')]);
  return { header, rows };
}

/** One cell: `12.34 ms · 81.0/s`, or why there is no measurement. */
export function formatCell(result: ConfigurationResult): string {
  switch (result.status) {
    case 'completed': {
      const { accuracy } = result.measurement;
      return `${formatMs(result.measurement.latencyMs.median)} ms · ${formatRate(result.measurement.throughput.itemsPerSecond)}/s${accuracy ? ` · top-1 ${accuracy.top1.toFixed(3)}` : ''}`;
    }
    case 'errored':
      return /out of memory|\bOOM\b|bad_alloc/i.test(result.error.message) ? 'OOM' : 'error';
    case 'skipped':
      return 'skipped';
  }
}

/** Milliseconds with precision that suits their size. */
export function formatMs(ms: number): string {
  return ms.toFixed(ms < 1 ? 3 : ms < 100 ? 2 : 1);
}

/** Items per second, one decimal below 100. */
export function formatRate(rate: number): string {
  return rate < 100 ? rate.toFixed(1) : Math.round(rate).toString();
}

function unique<T>(values: T[]): T[] {
  return [...new Set(values)];
}
