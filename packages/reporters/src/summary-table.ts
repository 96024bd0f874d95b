import type { ConfigurationResult, ResultsDocument } from '@ortbench/core';
import type { TableOptions } from './figures';
import { formatCell } from './figures';

/** The seed scripts' table: one row per batch size (× sequence length), one column per runner. */
export interface SummaryTable {
  /** Row-label headers, then one header per column. */
  header: string[];
  rows: string[][];
}

/**
 * Builds the summary table of a results document. A cell holds the median latency with its
 * precision and the throughput it implies (see CELL_LEGEND); an errored configuration shows
 * `OOM` or `error`, a skipped one `skipped`.
 * Columns are runners (prefixed by model when the document holds several models).
 */
export function buildSummaryTable(document: ResultsDocument, options: TableOptions = {}): SummaryTable {
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
  const cells = new Map(results.map((r) => [`${rowOf(r).join('\u0000')}\u0001${columnOf(r)}`, formatCell(r, options)]));
  const header = ['batch', ...(hasSeq ? ['seq'] : []), ...(hasThreads ? ['threads'] : []), ...optionKeys, ...columns];
  const rows = rowKeys.map((key) => [...key.split('\u0000'), ...columns.map((column) => cells.get(`${key}\u0001${column}`) ?? '')]);
  return { header, rows };
}

function unique<T>(values: T[]): T[] {
  return [...new Set(values)];
}
