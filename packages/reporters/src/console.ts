import type { BenchmarkProgress, Configuration, ConfigurationResult, ResultsDocument } from '@ortbench/core';
import { label } from './chart-options';
import type { TableOptions } from './figures';
import { detailLines, formatCell } from './figures';
import { workerLines } from './fleet';
import { inputLines } from './inputs-fed';
import { alternationLines } from './paired';
import { variantLines } from './variants';
import { buildSummaryTable } from './summary-table';

/** Where and how the console reporter writes. */
export interface ConsoleOptions {
  stream?: NodeJS.WritableStream & { isTTY?: boolean };
  /** A live, rewritten status line (TTY and not CI), else plain lines. */
  interactive?: boolean;
  /** ANSI colours; off with NO_COLOR or without a TTY. */
  color?: boolean;
  now?: () => number;
}

/** Progress of a sweep on stderr: configuration n of m, what runs, iterations and ETA. */
export interface ProgressReporter {
  start(configuration: Configuration, index: number, total: number): void;
  progress(progress: BenchmarkProgress): void;
  result(result: ConfigurationResult, index: number, total: number): void;
  /** A status of the whole sweep (the alternation's round): the live line, or a plain line at most every 5 s. */
  note(line: string): void;
  finish(): void;
}

/** Whether output should be interactive and coloured by default, from the stream and the environment. */
export function consoleDefaults(stream: { isTTY?: boolean }, env: Record<string, string | undefined> = process.env): { interactive: boolean; color: boolean } {
  const tty = Boolean(stream.isTTY);
  return { interactive: tty && !env.CI, color: tty && env.NO_COLOR === undefined };
}

/** A progress reporter for the console. */
export function createProgressReporter(options: ConsoleOptions = {}): ProgressReporter {
  const stream = options.stream ?? process.stderr;
  const defaults = consoleDefaults(stream);
  const interactive = options.interactive ?? defaults.interactive;
  const paint = colours(options.color ?? defaults.color);
  const now = options.now ?? (() => performance.now());
  const started = now();
  let done = 0;
  let current = '';
  let counter = '';
  let live = false;
  const eta = (total: number, index: number) => {
    if (done === 0) return '';
    const perConfiguration = (now() - started) / done;
    return ` · ETA ${seconds(perConfiguration * (total - index))}`;
  };
  const clear = () => {
    if (live) stream.write('\r\x1b[2K');
    live = false;
  };
  let total = 0;
  let index = 0;
  let lastNote: number | undefined;
  return {
    start(configuration, i, n) {
      [index, total] = [i, n];
      counter = `[${i + 1}/${n}]`;
      current = label({ status: 'skipped', configuration, reason: '' });
      if (!interactive) stream.write(`${counter} ${current}${eta(n, i)}\n`);
    },
    progress(progress) {
      if (!interactive) return;
      clear();
      stream.write(`${paint.dim(counter)} ${current} · ${progress.phase} ${progress.iterations} runs · ${seconds(progress.elapsedMs)}${eta(total, index)}`);
      live = true;
    },
    note(line) {
      if (interactive) {
        clear();
        stream.write(`${paint.dim(line)}`);
        live = true;
        return;
      }
      if (lastNote !== undefined && now() - lastNote < 5_000) return;
      lastNote = now();
      stream.write(`${line}\n`);
    },
    result(result, i, n) {
      done++;
      clear();
      const cell = formatCell(result);
      const text = result.status === 'completed' ? paint.green(cell) : result.status === 'errored' ? paint.red(`${cell}: ${result.error.message}`) : paint.dim(`${cell}: ${result.reason}`);
      stream.write(`${paint.dim(`[${i + 1}/${n}]`)} ${label(result)} → ${text}\n`);
    },
    finish() {
      clear();
    },
  };
}

/**
 * The summary table for a terminal, columns aligned, then each configuration's further figures
 * and warnings (roofline, pipeline stages, scenario, unstable medians, tails on too few runs).
 */
export function renderConsoleTable(document: ResultsDocument, options: { color?: boolean } & TableOptions = {}): string {
  const { header, rows } = buildSummaryTable(document, options);
  const paint = colours(options.color ?? false);
  const widths = header.map((_, c) => Math.max(...[header, ...rows].map((row) => row[c]!.length)));
  const line = (row: string[]) => row.map((cell, c) => (c === 0 ? cell.padStart(widths[c]!) : cell.padEnd(widths[c]!))).join('   ').trimEnd();
  const body = rows.map((row) => {
    const text = line(row);
    return /\b(error|OOM)\b/.test(text) ? paint.red(text) : text;
  });
  const details = document.results.flatMap((r) => {
    const lines = r.status === 'completed' ? detailLines(r, { brief: true }) : [];
    return lines.length ? [`${label(r)}:`, ...lines.map((text) => `  ${/^unstable/.test(text) ? paint.red(text) : text}`)] : [];
  });
  // Advice only where it applies: the cap's to configurations the cap stopped, resuming to interrupted ones.
  const stops = new Set(document.results.flatMap((r) => (r.status === 'completed' && r.measurement.stability.unstable ? [r.measurement.stability.stop] : [])));
  const hint = [
    ...(stops.has('cap') ? [paint.dim('unstable: the median did not reach its CI target within the cap (machine noise?): rerun, raise --max-duration, or widen --ci-target')] : []),
    ...(stops.has('interrupted') ? [paint.dim('interrupted: those configurations stopped early; --resume results.json measures them again')] : []),
  ];
  if (hint.length) hint.unshift('');
  const workers = workerLines(document);
  const inputs = inputLines(document);
  const alternation = alternationLines(document);
  const variants = variantLines(document);
  return [paint.bold(line(header)), ...body, ...(variants.length ? ['', ...variants] : []), ...(alternation.length ? ['', ...alternation.map((a) => paint.dim(a))] : []), ...(inputs.length ? ['', 'inputs fed:', ...inputs.map((i) => `  ${i}`)] : []), ...(workers.length ? ['', 'measured by:', ...workers.map((w) => `  ${w}`)] : []), ...(details.length ? ['', ...details] : []), ...hint].join('\n');
}

function colours(enabled: boolean) {
  const wrap = (code: string) => (text: string) => (enabled ? `\x1b[${code}m${text}\x1b[0m` : text);
  return { bold: wrap('1'), dim: wrap('2'), red: wrap('31'), green: wrap('32') };
}

function seconds(ms: number): string {
  return ms < 60_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
}
