import type { Command } from 'commander';
import { InvalidArgumentError } from '@ortbench/core';
import { nonNegativeNumber, positiveInteger, positiveIntegerList } from '../parse';

/** Flags of `ortbench tune`. */
export interface TuneFlags {
  latencyBudget: number;
  runner: string;
  batch: number[];
  threads: number[];
  concurrency: number[];
  seq: number;
  percentile: 'p90' | 'p95' | 'p99';
  maxDuration: number;
  json?: boolean;
}

/** `ortbench tune`. */
export function registerTuneCommand(program: Command, setExitCode: (code: number) => void): void {
  program
    .command('tune <model>')
    .description('search batch size, threads and runs in flight for the highest throughput whose latency percentile meets a budget')
    .requiredOption('--latency-budget <ms>', 'the latency percentile to stay within', (v) => nonNegativeNumber(v, '--latency-budget'))
    .option('--percentile <p>', 'p90, p95 or p99; each point runs the samples it needs (29, 59, 299)', (v) => percentileOf(v), 'p90')
    .option('--runner <name>', 'runner to tune', 'node-cpu')
    .option('--batch <list>', 'batch sizes to try', (v) => positiveIntegerList(v, '--batch'), [1, 2, 4, 8, 16, 32])
    .option('--threads <list>', 'intra-op threads to try', (v) => positiveIntegerList(v, '--threads'), [1, 2])
    .option('--concurrency <list>', 'runs in flight to try (sessions measured at once)', (v) => positiveIntegerList(v, '--concurrency'), [1, 2])
    .option('--seq <n>', 'sequence length for token models', (v) => positiveInteger(v, '--seq'), 128)
    .option('--max-duration <s>', 'at most this many seconds per point', (v) => nonNegativeNumber(v, '--max-duration'), 10)
    .option('--json', 'print the recommendation and the evidence as JSON')
    .addHelpText('after', '\nExit code 1 when no configuration meets the budget.\n\nExamples:\n  $ ortbench tune resnet50 --latency-budget 200\n  $ ortbench tune bert --seq 128 --latency-budget 100 --batch 1,2,4,8 --threads 2')
    .action(async (model: string, flags: TuneFlags) => setExitCode(await (await import('../actions/tune')).runTune(model, flags)));
}

function percentileOf(value: string): 'p90' | 'p95' | 'p99' {
  if (value !== 'p90' && value !== 'p95' && value !== 'p99') throw new InvalidArgumentError(`--percentile: expected p90, p95 or p99, got "${value}"`);
  return value;
}
