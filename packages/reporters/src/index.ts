/** `@ortbench/reporters`: tables and files from results documents. */
export { renderMarkdown } from './markdown';
export { buildSummaryTable, formatCell, formatMs, formatRate } from './summary-table';

export type { SummaryTable } from './summary-table';
