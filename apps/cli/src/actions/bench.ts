import path from 'node:path';
import { consoleDefaults, createProgressReporter, renderConsoleTable, writeReports } from '@ortbench/reporters';
import type { ResultsDocument } from '@ortbench/core';
import { ErrorCode, OrtbenchError, serializeResults } from '@ortbench/core';
import type { TableOptions } from '@ortbench/reporters';
import type { BenchOptions } from '@ortbench/tasks';
import { bench, installedVersion } from '@ortbench/tasks';
import { EXIT } from '../exit-codes';
import { warn } from '../output';
import type { OutputFolder } from './output-folder';
import { claimOutputFolder, saveFallback } from './output-folder';

/** `ortbench bench`: the sweep with progress on stderr, Ctrl-C kept as partial results, the reports written, the table printed. */
export async function runBench(options: BenchOptions, command: string, plugins: string[]): Promise<number> {
  const controller = new AbortController();
  const interrupt = () => {
    process.stderr.write('\ninterrupted: finishing with the configurations measured so far\n');
    controller.abort();
  };
  process.once('SIGINT', interrupt);
  process.once('SIGTERM', interrupt);
  // The folder is checked and held before anything is measured: measuring for nothing is the worst outcome.
  const directory = path.resolve(options.out ?? (options.resume ? path.dirname(options.resume) : defaultDirectory(options.models && options.models.length > 1 ? `${options.models.length}-models` : options.model)));
  const folder = await claimOutputFolder(directory, { ...(options.force ? { force: true } : {}), ...(options.resume ? { resume: options.resume } : {}) });
  const progress = createProgressReporter({ stream: process.stderr });
  let outcome;
  try {
    outcome = await bench(options, {
      plugins,
      signal: controller.signal,
      command: `ortbench ${command}`,
      tool: { name: 'ortbench', version: installedVersion('ortbench') ?? '0.0.0' },
      onStart: (configuration, index, total) => progress.start(configuration, index, total),
      onProgress: progress.progress,
      onResult: (result, index, total) => progress.result(result, index, total),
      onRound: (round, minimum) => {
        if (round <= minimum) process.stderr.write(`round ${round} of ${minimum}\n`);
        else if (round === minimum + 1) process.stderr.write(`rounds ${round}+: the configurations whose median is not yet precise go on, up to their cap\n`);
      },
      onAlternate: (round, active) => progress.note(`alternating run by run: round ${round}, ${active} configuration${active === 1 ? '' : 's'} still measuring`),
      onWarning: warn,
      onNote: (line) => process.stderr.write(`  ${line}\n`),
    });
  } catch (error) {
    await folder.abandon();
    throw error;
  } finally {
    progress.finish();
    process.removeListener('SIGINT', interrupt);
    process.removeListener('SIGTERM', interrupt);
  }
  const { document } = outcome;
  try {
    await reportBench(document, directory, options.json, { per1000Runs: Boolean(options.per1000Runs) }, folder);
  } finally {
    await folder.release();
  }
  if (outcome.interrupted) return 130;
  return document.results.some((r) => r.status === 'errored') ? EXIT.runtime : EXIT.ok;
}

/** Writes the standard reports into `directory` and prints the table (or, with `json`, the document). */
export async function reportBench(document: ResultsDocument, directory: string, json: boolean, table: TableOptions = {}, folder?: OutputFolder): Promise<void> {
  let written;
  try {
    written = await writeReports(document, directory, undefined, table);
  } catch (error) {
    // Never lose what was measured: the document goes where it can, and the error says where.
    const fallback = await saveFallback(serializeResults(document));
    throw new OrtbenchError(ErrorCode.OUTPUT_UNWRITABLE, `cannot write the reports to ${directory} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}); the results were saved to ${fallback}`);
  }
  await folder?.pruneStale(Object.values(written).flat());
  if (json) process.stdout.write(`${JSON.stringify(document, null, 2)}\n`);
  else process.stdout.write(`${renderConsoleTable(document, { color: consoleDefaults(process.stdout).color, ...table })}\n`);
  if (document.environment.machine?.warning) warn(document.environment.machine.warning);
  process.stderr.write(`reports: ${Object.values(written).flat().join(', ')}\n`);
}

/** ortbench-results/<model>-<time>. */
export function defaultDirectory(model: string): string {
  return path.join('ortbench-results', `${path.basename(model, '.onnx')}-${stamp()}`);
}

function stamp(): string {
  return new Date().toISOString().replace(/[-:]/g, '').replace(/\..*$/, '').replace('T', '-');
}
