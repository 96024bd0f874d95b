import type { Command } from 'commander';
import { fraction, InvalidArgumentError, oneOf, positiveInteger, positiveNumber } from '@ortbench/core';
import type { AbOutcome, AbSide } from '@ortbench/tasks';
import type { CliContext } from '../context';
import { print, printJson } from '../output';
import { collect } from './bench';
import { shapeFlags } from './verify';

/** Exit codes of `ortbench ab`, for a CI gate: same or faster passes, slower fails, unsure says "measure again". */
export const AB_EXIT = { same: 0, faster: 0, slower: 1, unsure: 4 } as const;

interface AbFlags {
  runner?: string;
  threads?: number;
  optLevel?: string;
  b?: string[];
  batch?: number;
  seq?: number;
  dim?: string[];
  shape?: string[];
  input?: string[];
  inputs?: string;
  vocabSize?: number;
  threshold: string;
  maxDuration?: number;
  seed?: number;
  json?: boolean;
}

/** `ortbench ab A [B]`: two models, two option sets or two runners, measured paired in one process, with a verdict. */
export function registerAbCommand(program: Command, cli: CliContext): void {
  program
    .command('ab <a> [b]')
    .description('A/B regression gate: run A and B alternately, run by run, in one process, and say whether B is faster, slower, the same or unsure')
    .option('--runner <name>', 'the runner of both sides (default node-cpu)')
    .option('--threads <n>', 'intra-op threads of both sides', (v) => positiveInteger(v, '--threads'))
    .option('--opt-level <level>', 'graph optimisation level of both sides: disabled, basic, extended, all')
    .option('--b <key=value>', "B's own runner, threads or opt-level, when B is A run differently (e.g. --b runner=web-wasm, --b threads=1); repeatable", collect)
    .option('--batch <n>', 'batch size (default 1)', (v) => positiveInteger(v, '--batch'))
    .option('--seq <n>', 'sequence length of token models (default 128)', (v) => positiveInteger(v, '--seq'))
    .option('--dim <name=value>', "a symbolic dimension's value (e.g. --dim height=640); repeatable", collect)
    .option('--shape <input=AxB>', "an input's whole shape; repeatable", collect)
    .option('--input <name=value>', 'the value every element of an input takes; repeatable', collect)
    .option('--inputs <file|dir>', 'feed these arrays to both sides: .npz, .npy or a folder of <input>.npy')
    .option('--vocab-size <n>', 'the vocabulary of ids inputs whose embedding table ortbench cannot find', (v) => positiveInteger(v, '--vocab-size'))
    .option('--threshold <pct>', 'a change smaller than this is "same"', '2%')
    .option('--max-duration <s>', "the most seconds of runs per side (default 25: a verdict in under a minute)", (v) => positiveNumber(v, '--max-duration'))
    .option('--seed <n>', 'seed of the run order and the synthetic feeds', (v) => positiveInteger(v, '--seed'))
    .option('--json', 'print the outcome as JSON on stdout')
    .addHelpText(
      'after',
      '\nThe ratio is B\'s time over A\'s: the Hodges–Lehmann estimate of the per-pair log ratio with its 95 % Wilcoxon signed-rank interval (pairs: one run of each in the same round, order balanced). Verdict: same if the interval lies within ±threshold; slower if it lies above 1 and the estimate is a change of at least the threshold, faster likewise below; else unsure. At least 30 pairs, then until the interval is within ±threshold/2, or the time cap.\n\nExit code 0 same or faster, 1 slower, 4 unsure (measure again, or raise --max-duration), 2 usage error, 3 runtime error.\n\nExamples:\n  $ ortbench ab main.onnx branch.onnx\n  $ ortbench ab model.onnx --b runner=web-wasm\n  $ ortbench ab model.onnx --threads 2 --b threads=1 --json',
    )
    .action(async (a: string, b: string | undefined, flags: AbFlags) => {
      const shared: Omit<AbSide, 'model'> = {};
      if (flags.runner !== undefined) shared.runner = flags.runner;
      if (flags.threads !== undefined) shared.threads = flags.threads;
      if (flags.optLevel !== undefined) shared.graphOptimizationLevel = oneOf(flags.optLevel, ['disabled', 'basic', 'extended', 'all'], '--opt-level') as AbSide['graphOptimizationLevel'];
      const sideB: AbSide = { model: b ?? a, ...shared, ...bSide(flags.b ?? []) };
      if (b === undefined && (flags.b ?? []).length === 0) throw new InvalidArgumentError('ab needs two models (ab A B), or one model and what B changes (--b runner=web-wasm, --b threads=1)');
      const { ab } = await import('@ortbench/tasks');
      const controller = new AbortController();
      const interrupt = () => controller.abort();
      process.once('SIGINT', interrupt);
      let outcome: AbOutcome;
      try {
        outcome = await ab({
          a: { model: a, ...shared },
          b: sideB,
          ...(flags.batch !== undefined ? { batch: flags.batch } : {}),
          ...(flags.seq !== undefined ? { seq: flags.seq } : {}),
          ...shapeFlags(flags.dim, flags.shape, flags.input),
          ...(flags.inputs !== undefined ? { inputs: flags.inputs } : {}),
          ...(flags.vocabSize !== undefined ? { vocabSize: flags.vocabSize } : {}),
          threshold: fraction(flags.threshold, '--threshold'),
          ...(flags.maxDuration !== undefined ? { maxDuration: flags.maxDuration } : {}),
          ...(flags.seed !== undefined ? { seed: flags.seed } : {}),
          plugins: cli.plugins(),
          signal: controller.signal,
          onProgress: (pairs) => process.stderr.write(`\r${pairs} pairs`),
        });
      } finally {
        process.removeListener('SIGINT', interrupt);
        process.stderr.write('\r\x1b[2K');
      }
      if (flags.json) printJson(outcome);
      else print(formatAb(outcome));
      cli.setExitCode(outcome.stop === 'interrupted' ? 130 : AB_EXIT[outcome.verdict]);
    });
}

/** --b key=value flags as B's own settings. */
function bSide(texts: string[]): Omit<AbSide, 'model'> {
  const side: Omit<AbSide, 'model'> = {};
  for (const text of texts) {
    const match = /^([a-z-]+)=(.+)$/.exec(text.trim());
    if (!match) throw new InvalidArgumentError(`--b ${text}: expected key=value with key runner, threads or opt-level`);
    const [, key, value] = match as unknown as [string, string, string];
    if (key === 'runner') side.runner = value;
    else if (key === 'threads') side.threads = positiveInteger(value, '--b threads');
    else if (key === 'opt-level') side.graphOptimizationLevel = oneOf(value, ['disabled', 'basic', 'extended', 'all'], '--b opt-level') as AbSide['graphOptimizationLevel'];
    else throw new InvalidArgumentError(`--b ${key}: B can change runner, threads or opt-level`);
  }
  return side;
}

/** The outcome for a terminal: both sides, the ratio with its interval, the verdict and the rule. */
export function formatAb(outcome: AbOutcome): string {
  const ms = (value: number) => value.toFixed(value < 10 ? 3 : 2);
  const lines = [
    `A: ${outcome.a.label} — median ${ms(outcome.a.medianMs)} ms over ${outcome.a.runs} runs`,
    `B: ${outcome.b.label} — median ${ms(outcome.b.medianMs)} ms over ${outcome.b.runs} runs`,
    `B/A time: ${outcome.ratio.toFixed(4)}× (95 % CI ${outcome.lower.toFixed(4)}–${outcome.upper.toFixed(4)}), ${outcome.pairs} pairs alternated run by run${outcome.excluded ? `, ${outcome.excluded} left out as a speed change within the pair` : ''}${outcome.orderEffect !== undefined ? `, order effect ${outcome.orderEffect.toFixed(3)}` : ''}`,
    `verdict: ${outcome.verdict}${outcome.stop === 'cap' ? ' (the time cap came before the interval reached its target)' : outcome.stop === 'interrupted' ? ' (interrupted)' : ''}`,
    `rule: ${outcome.rule}`,
  ];
  return lines.join('\n');
}
