import path from 'node:path';
import { InvalidArgumentError, percentage } from '@ortbench/core';
import { readResultsFile } from '@ortbench/core/node';
import type { ReportFormat } from '@ortbench/reporters';
import { compareResults, renderComparison, renderConsoleTable, writeReports } from '@ortbench/reporters';
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
export async function compareFiles(a: string, b: string, flags: { failAbove: string; allowMissing?: boolean; json?: boolean }): Promise<number> {
  const threshold = percentage(flags.failAbove, '--fail-above');
  const comparison = compareResults(await readResultsFile(a), await readResultsFile(b), { threshold });
  process.stdout.write(flags.json ? `${JSON.stringify(comparison, null, 2)}\n` : `${renderComparison(comparison)}\n`);
  const failed = comparison.regressions > 0 || comparison.errored > 0 || (comparison.missing > 0 && !flags.allowMissing);
  return failed ? EXIT.checkFailed : EXIT.ok;
}
