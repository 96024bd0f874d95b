import type { Command } from 'commander';
import { byteSize, nonNegativeNumber, oneOf, positiveInteger, positiveIntegerList } from '@ortbench/core';
import type { CliContext } from '../context';
import { EXIT } from '../exit-codes';
import { print, printJson } from '../output';
import { collect } from './bench';
import { shapeFlags } from './verify';

/** Flags of `ortbench tune`. */
export interface TuneFlags {
  latencyBudget: number;
  variant?: string;
  component?: string;
  runner: string;
  batch: number[];
  threads: number[];
  concurrency: number[];
  seq?: number;
  dim?: string[];
  shape?: string[];
  input?: string[];
  inputs?: string;
  vocabSize?: number;
  percentile: 'p90' | 'p95' | 'p99';
  maxDuration: number;
  memoryBudget?: number;
  json?: boolean;
}

/** `ortbench tune`. */
export function registerTuneCommand(program: Command, cli: CliContext): void {
  program
    .command('tune <model>')
    .description('search batch size, threads and runs in flight for the highest throughput whose latency percentile meets a budget')
    .requiredOption('--latency-budget <ms>', 'the latency percentile to stay within', (v) => nonNegativeNumber(v, '--latency-budget'))
    .option('--percentile <p>', 'p90, p95 or p99; each point runs the samples it needs (29, 59, 299)', (v) => oneOf(v, ['p90', 'p95', 'p99'], '--percentile'), 'p90')
    .option('--runner <name>', 'runner to tune', 'node-cpu')
    .option('--batch <list>', 'batch sizes to try', (v) => positiveIntegerList(v, '--batch'), [1, 2, 4, 8, 16, 32])
    .option('--threads <list>', 'intra-op threads to try', (v) => positiveIntegerList(v, '--threads'), [1, 2])
    .option('--concurrency <list>', 'runs in flight to try (sessions measured at once)', (v) => positiveIntegerList(v, '--concurrency'), [1, 2])
    .option('--seq <n>', 'sequence length for token models (default 128; refused for a model with no sequence axis)', (v) => positiveInteger(v, '--seq'))
    .option('--dim <name=value>', "a symbolic dimension's value, by name or input:axis when unnamed; repeatable", collect)
    .option('--shape <input=AxB>', "an input's whole shape; repeatable", collect)
    .option('--input <name=value>', 'the value every element of an input takes (--input sr=16000); repeatable', collect)
    .option('--inputs <file|dir>', 'feed real arrays: .npz, .npy, or a folder of <input>.npy')
    .option('--vocab-size <n>', 'the vocabulary of ids inputs whose embedding table ortbench cannot find', (v) => positiveInteger(v, '--vocab-size'))
    .option('--max-duration <s>', 'at most this many seconds per point', (v) => nonNegativeNumber(v, '--max-duration'), 10)
    .option('--memory-budget <size>', 'recommend only points whose peak memory stayed under this (2GiB, 512MiB); memory grows with the batch, so a climb stops where it breaks it', (v) => byteSize(v, '--memory-budget'))
    .option('--variant <name>', "a model folder's variant to tune (q8, q4, …; default fp32)")
    .option('--component <name>', "a model folder's graph (default model, else the encoder)")
    .option('--json', 'print the recommendation and the evidence as JSON')
    .addHelpText('after', '\nExit code 1 when no configuration meets the budget.\n\nExamples:\n  $ ortbench tune resnet50 --latency-budget 200\n  $ ortbench tune resnet50 --latency-budget 500 --memory-budget 1GiB\n  $ ortbench tune bert --seq 128 --latency-budget 100 --batch 1,2,4,8 --threads 2')
    .action(async (model: string, flags: TuneFlags) => {
      const { formatTune, formatTunePoint, tuneModel } = await import('@ortbench/tasks');
      const report = await tuneModel(model, {
        latencyBudgetMs: flags.latencyBudget,
        percentile: flags.percentile,
        runner: flags.runner,
        batches: flags.batch,
        threads: flags.threads,
        concurrencies: flags.concurrency,
        ...(flags.seq !== undefined ? { seq: flags.seq } : {}),
        ...shapeFlags(flags.dim, flags.shape, flags.input),
        ...(flags.inputs !== undefined ? { inputs: flags.inputs } : {}),
        ...(flags.vocabSize !== undefined ? { vocabSize: flags.vocabSize } : {}),
        maxDurationS: flags.maxDuration,
        ...(flags.memoryBudget !== undefined ? { memoryBudgetBytes: flags.memoryBudget } : {}),
        ...(flags.variant !== undefined ? { variant: flags.variant } : {}),
        ...(flags.component !== undefined ? { component: flags.component } : {}),
        plugins: cli.plugins(),
        onPoint: (point) => process.stderr.write(`${formatTunePoint(point, flags.percentile)}\n`),
      });
      if (flags.json) printJson(report);
      else print(formatTune(report));
      cli.setExitCode(report.best ? EXIT.ok : EXIT.checkFailed);
    });
}

