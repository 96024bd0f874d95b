import type { ResultsDocument } from '@ortbench/core';
import { buildSummaryTable } from './summary-table';

/** Renders the summary table as GitHub Markdown, with the environment it was measured on. */
export function renderMarkdown(document: ResultsDocument): string {
  const { header, rows } = buildSummaryTable(document);
  const env = document.environment;
  const lines = [
    `# ortbench results${document.partial ? ' (partial: the run was interrupted)' : ''}`,
    '',
    `${env.cpu.model}, ${env.cpu.physicalCores} physical / ${env.cpu.logicalCores} logical cores, Node ${env.node}, ${document.createdAt}`,
    '',
    'Cells: median latency per run · throughput in items/s.',
    '',
    row(header),
    row(header.map(() => '---')),
    ...rows.map(row),
    '',
  ];
  return lines.join('\n');
}

function row(cells: string[]): string {
  return `| ${cells.map((cell) => cell.replaceAll('|', '\\|')).join(' | ')} |`;
}
