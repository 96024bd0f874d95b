/** `@ortbench/reporters`: console, JSON, CSV, Markdown, HTML with charts, chart images, and run-to-run comparison. */
export { chartSpecs, label } from './chart-options';
export { renderChartSvg } from './charts';
export { compareResults, renderComparison } from './compare';
export { consoleDefaults, createProgressReporter, renderConsoleTable } from './console';
export { renderCsv } from './csv';
export { escapeHtml } from './escape';
export { fleetHeading, machineDifferences, resultsOfMachine, workerLines } from './fleet';
export { renderHtml } from './html';
export { formatFedInput, inputLines } from './inputs-fed';
export { renderMarkdown } from './markdown';
export { CELL_LEGEND, detailLines, formatCell, formatMs, formatPercent, formatPercentile, formatRate, tailNote } from './figures';
export { buildSummaryTable } from './summary-table';
export { writeReports } from './write-reports';

export type { ChartSpec } from './chart-options';
export type { TableOptions } from './figures';
export type { CompareOptions, Comparison, ComparisonRow, Verdict } from './compare';
export type { ConsoleOptions, ProgressReporter } from './console';
export type { SummaryTable } from './summary-table';
export type { ReportFormat, WrittenReports } from './write-reports';
export { alternationLines, baselineName, comparisonDetail, comparisonText } from './paired';
