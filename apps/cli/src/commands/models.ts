import type { Command } from 'commander';
import { batchOrDynamic, dimAssignment, positiveInteger } from '../parse';

/** Flags of `ortbench models build`. */
export interface BuildFlags {
  batch?: number | 'dynamic';
  sequence?: number | 'dynamic';
  opset?: number;
  seed?: number;
  out?: string;
}

/** Flags of `ortbench models inspect`. */
export interface InspectFlags {
  batch?: number;
  seq?: number;
  dim?: Record<string, number>;
  json?: boolean;
}

/** `ortbench models list|build|inspect`. */
export function registerModelsCommand(program: Command): void {
  const models = program
    .command('models')
    .description('list, build and inspect models')
    .addHelpText('after', '\nExamples:\n  $ ortbench models list\n  $ ortbench models inspect bert --batch 8 --seq 128');

  models
    .command('list')
    .description('list the built-in models')
    .option('--json', 'print JSON on stdout')
    .addHelpText('after', '\nExamples:\n  $ ortbench models list\n  $ ortbench models list --json')
    .action(async (flags: { json?: boolean }) => (await import('../actions/models')).listModels(flags));

  models
    .command('build <name>')
    .description('build a built-in model (cached) or write it to --out')
    .option('--batch <n|dynamic>', 'batch axis: a size or dynamic', (v) => batchOrDynamic(v, '--batch'))
    .option('--sequence <n|dynamic>', 'BERT sequence axis', (v) => batchOrDynamic(v, '--sequence'))
    .option('--opset <n>', 'default-domain opset (≥ 13)', (v) => positiveInteger(v, '--opset'))
    .option('--seed <n>', 'weight seed', (v) => positiveInteger(v, '--seed'))
    .option('--out <file>', 'write the model here instead of the cache')
    .addHelpText('after', '\nExamples:\n  $ ortbench models build resnet50 --batch 1\n  $ ortbench models build bert --opset 14 --out bert14.onnx')
    .action(async (name: string, flags: BuildFlags) => (await import('../actions/models')).buildModelCommand(name, flags));

  models
    .command('inspect <model>')
    .description('inputs, outputs, opsets, op counts, parameters and MACs/FLOPs of a built-in model or .onnx file')
    .option('--batch <n>', 'value of the batch axis for MACs', (v) => positiveInteger(v, '--batch'))
    .option('--seq <n>', 'value of the sequence axis for MACs', (v) => positiveInteger(v, '--seq'))
    .option('--dim <name=value>', 'value of any symbolic dim (repeatable)', dimAssignment)
    .option('--json', 'print JSON on stdout')
    .addHelpText('after', '\nExamples:\n  $ ortbench models inspect resnet50 --batch 8\n  $ ortbench models inspect model.onnx --dim batch=1 --dim seq=128 --json')
    .action(async (argument: string, flags: InspectFlags) => (await import('../actions/models')).inspectModelCommand(argument, flags));
}
