import type { ResultsDocument } from '@ortbench/core';
import type { TableOptions } from './figures';
import { CELL_LEGEND, detailLines } from './figures';
import { buildSummaryTable } from './summary-table';
import { label } from './chart-options';
import { fleetHeading, workerLines } from './fleet';
import { inputLines, modelNames } from './inputs-fed';
import { alternationLines } from './paired';
import { variantLines } from './variants';

/** Renders the summary table as GitHub Markdown, with the environment and every configuration's notes. */
export function renderMarkdown(document: ResultsDocument, options: TableOptions = {}): string {
  const { header, rows } = buildSummaryTable(document, options);
  const env = document.environment;
  const details = document.results.flatMap((r) => {
    const lines = detailLines(r);
    return lines.length ? [`- **${escape(label(r))}**: ${lines.map(escape).join('; ')}`] : [];
  });
  const lines = [
    `# ortbench results${modelNames(document).length ? `: ${escape(modelNames(document).join(', '))}` : ''}${document.partial ? ' (partial: the run was interrupted)' : ''}`,
    '',
    ...(fleetHeading(document) ? [escape(fleetHeading(document)!), ''] : []),
    `${env.cpu.model}, ${env.cpu.physicalCores} physical / ${env.cpu.logicalCores} logical cores, Node ${env.node}, ${document.createdAt}`,
    ...(env.machine?.warning ? ['', `> **Warning:** ${escape(env.machine.warning)}`] : []),
    '',
    CELL_LEGEND,
    '',
    row(header),
    row(header.map(() => '---')),
    ...rows.map(row),
    ...(variantLines(document).length ? ['', ...variantLines(document).map((line) => `**${escape(line)}**`)] : []),
    ...(alternationLines(document).length ? ['', ...alternationLines(document).map(escape)] : []),
    ...(inputLines(document).length ? ['', '## Inputs fed', '', ...inputLines(document).map((line) => `- ${escape(line)}`)] : []),
    ...(workerLines(document).length ? ['', '## Workers', '', ...workerLines(document).map((line) => `- ${escape(line)}`)] : []),
    ...(details.length ? ['', '## Notes', '', ...details] : []),
    '',
  ];
  return lines.join('\n');
}

function row(cells: string[]): string {
  return `| ${cells.map(escape).join(' | ')} |`;
}

function escape(text: string): string {
  return text.replaceAll('|', '\\|');
}
