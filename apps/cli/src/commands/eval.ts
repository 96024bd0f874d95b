import type { Command } from 'commander';
import { InvalidArgumentError } from '@ortbench/core';
import type { CliContext } from '../context';
import { collect } from './bench';
import { shapeFlags } from './verify';
import { print, printJson, warn } from '../output';

/** Flags of `ortbench eval`. */
export interface EvalFlags {
  images?: string;
  texts?: string;
  vocab?: string;
  labels?: string;
  reference?: string;
  runner: string;
  dim?: string[];
  skipBad?: boolean;
  json?: boolean;
  variant?: string;
  component?: string;
}

/** `ortbench eval`. */
export function registerEvalCommand(program: Command, cli: CliContext): void {
  program
    .command('eval <model>')
    .description('accuracy of a variant: image classifiers over labelled images (top-1, top-5, predictions that differ from a reference); BERT over texts (cosine similarity and max abs difference of outputs against a reference)')
    .option('--images <dir>', 'image models: the images (with --labels), or sub-folders named by class index')
    .option('--texts <file>', 'BERT: one text per line; compares every output with --reference (cosine similarity, max abs difference)')
    .option('--vocab <file>', "BERT: the vocab.txt or tokenizer.json for --texts (default: a model folder's own tokenizer)")
    .option('--labels <file>', 'JSON: image file name → class index, a list of accepted indices, or { "expect_top1_any_of": [...] }')
    .option('--reference <model>', 'count images whose top-1 differs from this model (e.g. the fp32 original)')
    .option('--runner <name>', 'runner to use', 'node-cpu')
    .option('--skip-bad', 'image models: leave unreadable images out (a warning each) instead of stopping at the first')
    .option('--dim <name=value>', "image models: a symbolic height or width of the image input (by name, or input:axis when unnamed); repeatable", collect)
    .option('--variant <name>', "a model folder's variant to evaluate (q8, q4, …; default fp32); compared with the folder's fp32 unless --reference")
    .option('--component <name>', "a model folder's graph (default model, else the encoder)")
    .option('--json', 'print JSON on stdout')
    .addHelpText('after', '\nExamples:\n  $ ortbench eval mobilenet-int8.onnx --images photos/ --labels expected.json --reference mobilenet-fp32.onnx\n  $ ortbench eval bert-int8.onnx --texts sentences.txt --vocab vocab.txt --reference bert')
    .action(async (model: string, flags: EvalFlags) => {
      const tasks = await import('@ortbench/tasks');
      const runners = { runner: flags.runner, plugins: cli.plugins(), ...(flags.variant ? { variant: flags.variant } : {}), ...(flags.component ? { component: flags.component } : {}) };
      // A model folder's variant is compared with the same folder's fp32 unless --reference says otherwise.
      const reference = flags.reference ?? (flags.variant ? model : undefined);
      if (flags.texts) {
        if (!reference) throw new InvalidArgumentError('--texts needs --reference MODEL (e.g. the fp32 original), or a model folder with --variant (compared with its fp32)');
        const result = await tasks.evaluateTexts(model, { ...runners, texts: flags.texts, ...(flags.vocab ? { vocab: flags.vocab } : {}), reference });
        return flags.json ? printJson(result) : print(tasks.formatTextEvaluation(result));
      }
      if (!flags.images) throw new InvalidArgumentError('say what to evaluate on: --images DIR (image models) or --texts FILE (BERT)');
      const result = await tasks.evaluateImages(model, { ...runners, images: flags.images, ...(flags.labels ? { labels: flags.labels } : {}), ...(reference ? { reference } : {}), ...shapeFlags(flags.dim), ...(flags.skipBad ? { skipBad: true, onWarning: warn } : {}) });
      return flags.json ? printJson(result) : print(tasks.formatImageEvaluation(result));
    });
}
