import path from 'node:path';
import { InvalidArgumentError, percentage } from '@ortbench/core';
import { readResultsFile } from '@ortbench/core/node';
import type { ResultsDocument } from '@ortbench/core';
import type { ReportFormat } from '@ortbench/reporters';
import { compareResults, renderComparison, resultsOfMachine, renderConsoleTable, writeReports } from '@ortbench/reporters';
import { EXIT } from '../exit-codes';

const FORMATS: ReportFormat[] = ['json', 'csv', 'md', 'html', 'svg', 'png'];

/** `ortbench report`: re-render a results file. */
export async function renderReport(file: string, flags: { out?: string; format: string }): Promise<void> {
  const formats = flags.format.split(',').map((f) => f.trim());
  const unknown = formats.filter((f) => !FORMATS.includes(f as ReportFormat));
  if (unknown.length) throw new InvalidArgumentError(`--format: unknown format ${unknown.join(', ')} (formats: ${FORMATS.join(', ')})`);
  const document = await readResultsFile(file);
  const written = await writeReports(document, path.resolve(flags.out ?? path.dirname(file)), formats as ReportFormat[]);
  process.stdout.write(`${renderConsoleTable(document)}\n`);
  process.stderr.write(`reports: ${Object.values(written).flat().join(', ')}\n`);
}

/**
 * `ortbench compare`: exit 1 when a configuration regressed beyond the threshold, errored in the
 * candidate, or is missing from it (unless --allow-missing); runs with nothing in common are a
 * usage error, never a vacuous pass.
 */
export async function compareFiles(a: string, b: string | undefined, flags: { failAbove: string; failAboveMemory?: string; allowMissing?: boolean; json?: boolean; machines?: string }): Promise<number> {
  const threshold = percentage(flags.failAbove, '--fail-above');
  const memoryThreshold = flags.failAboveMemory === undefined ? undefined : percentage(flags.failAboveMemory, '--fail-above-memory');
  const [baseline, candidate] = await documentsToCompare(a, b, flags.machines);
  const comparison = compareResults(baseline, candidate, { threshold, ...(memoryThreshold === undefined ? {} : { memoryThreshold }) });
  process.stdout.write(flags.json ? `${JSON.stringify(comparison, null, 2)}\n` : `${renderComparison(comparison)}\n`);
  const failed = comparison.regressions > 0 || comparison.memoryRegressions > 0 || comparison.errored > 0 || (comparison.missing > 0 && !flags.allowMissing);
  return failed ? EXIT.checkFailed : EXIT.ok;
}

/** Two files, or — with --machines — two machines of one fleet sweep's file. */
async function documentsToCompare(a: string, b: string | undefined, machines: string | undefined): Promise<[ResultsDocument, ResultsDocument]> {
  if (machines === undefined) {
    if (b === undefined) throw new InvalidArgumentError('compare needs a candidate results file (or --machines BASE,CANDIDATE with one fleet results file)');
    return [await readResultsFile(a), await readResultsFile(b)];
  }
  const names = machines.split(',').map((m) => m.trim());
  if (b !== undefined || names.length !== 2 || names.some((m) => !m)) throw new InvalidArgumentError('--machines: give two worker names, BASE,CANDIDATE, and one results file');
  const document = await readResultsFile(a);
  return [resultsOfMachine(document, names[0]!), resultsOfMachine(document, names[1]!)];
}
