import type { Command } from 'commander';
import { nonNegativeNumber, positiveInteger, positiveIntegerList } from '../parse';

/** Flags of `ortbench tune`. */
export interface TuneFlags {
  latencyBudget: number;
  runner: string;
  batch: number[];
  threads: number[];
  concurrency: number[];
  seq: number;
  iterations: number;
  duration: number;
  json?: boolean;
}

/** `ortbench tune`. */
export function registerTuneCommand(program: Command, setExitCode: (code: number) => void): void {
  program
    .command('tune <model>')
    .description('search batch size, threads and runs in flight for the highest throughput whose p99 latency meets a budget')
    .requiredOption('--latency-budget <ms>', 'the p99 latency to stay within', (v) => nonNegativeNumber(v, '--latency-budget'))
    .option('--runner <name>', 'runner to tune', 'node-cpu')
    .option('--batch <list>', 'batch sizes to try', (v) => positiveIntegerList(v, '--batch'), [1, 2, 4, 8, 16, 32])
    .option('--threads <list>', 'intra-op threads to try', (v) => positiveIntegerList(v, '--threads'), [1, 2])
    .option('--concurrency <list>', 'runs in flight to try', (v) => positiveIntegerList(v, '--concurrency'), [1, 2])
    .option('--seq <n>', 'sequence length for token models', (v) => positiveInteger(v, '--seq'), 128)
    .option('--iterations <n>', 'at least this many runs per point', (v) => positiveInteger(v, '--iterations'), 10)
    .option('--duration <s>', 'and at least this many seconds', (v) => nonNegativeNumber(v, '--duration'), 0.5)
    .option('--json', 'print the recommendation and the evidence as JSON')
    .addHelpText('after', '\nExit code 1 when no configuration meets the budget.\n\nExamples:\n  $ ortbench tune resnet50 --latency-budget 200\n  $ ortbench tune bert --seq 128 --latency-budget 100 --batch 1,2,4,8 --threads 2')
    .action(async (model: string, flags: TuneFlags) => setExitCode(await (await import('../actions/tune')).runTune(model, flags)));
}
