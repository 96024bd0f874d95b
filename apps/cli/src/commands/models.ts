import type { Command } from 'commander';
import { batchOrDynamic, dimAssignment, InvalidArgumentError, oneOf, positiveInteger } from '@ortbench/core';
import { print, printJson } from '../output';

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

/** Flags of `ortbench models convert`. */
export interface ConvertFlags {
  fp16?: boolean;
  out: string;
}

/** Flags of `ortbench models quantize`. */
export interface QuantizeFlags {
  out: string;
  mode: 'dynamic' | 'static';
  calibrate?: string;
  method: 'minmax' | 'percentile';
  perTensor?: boolean;
}

/** `ortbench models list|build|inspect|convert|quantize`. */
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
    .action(async (flags: { json?: boolean }) => {
      const { builtInModels, formatBuiltInModels } = await import('@ortbench/tasks');
      if (flags.json) printJson(builtInModels());
      else print(formatBuiltInModels(builtInModels()));
    });

  models
    .command('build <name>')
    .description('build a built-in model (cached) or write it to --out')
    .option('--batch <n|dynamic>', 'batch axis: a size or dynamic', (v) => batchOrDynamic(v, '--batch'))
    .option('--sequence <n|dynamic>', 'BERT sequence axis', (v) => batchOrDynamic(v, '--sequence'))
    .option('--opset <n>', 'default-domain opset (≥ 13)', (v) => positiveInteger(v, '--opset'))
    .option('--seed <n>', 'weight seed', (v) => positiveInteger(v, '--seed'))
    .option('--out <file>', 'write the model here instead of the cache')
    .addHelpText('after', '\nExamples:\n  $ ortbench models build resnet50 --batch 1\n  $ ortbench models build bert --opset 14 --out bert14.onnx')
    .action(async (name: string, flags: BuildFlags) => print(await (await import('@ortbench/tasks')).buildBuiltInModel(name, flags)));

  models
    .command('inspect <model>')
    .description('inputs, outputs, opsets, op counts, parameters and MACs/FLOPs of a built-in model or .onnx file')
    .option('--batch <n>', 'value of the batch axis for MACs', (v) => positiveInteger(v, '--batch'))
    .option('--seq <n>', 'value of the sequence axis for MACs', (v) => positiveInteger(v, '--seq'))
    .option('--dim <name=value>', 'value of any symbolic dim (repeatable)', dimAssignment)
    .option('--json', 'print JSON on stdout')
    .addHelpText('after', '\nExamples:\n  $ ortbench models inspect resnet50 --batch 8\n  $ ortbench models inspect model.onnx --dim batch=1 --dim seq=128 --json')
    .action(async (argument: string, flags: InspectFlags) => {
      const { formatInspection, inspectModelAt } = await import('@ortbench/tasks');
      const report = await inspectModelAt(argument, { ...flags, ...(flags.dim ? { dims: flags.dim } : {}) });
      if (flags.json) printJson(report);
      else print(formatInspection(report));
    });

  models
    .command('convert <model>')
    .description('convert a float32 model to float16 (weights and compute; inputs and outputs stay float32)')
    .option('--fp16', 'to float16')
    .requiredOption('--out <file>', 'where to write the converted model')
    .addHelpText('after', '\nExamples:\n  $ ortbench models convert resnet50 --fp16 --out resnet50-fp16.onnx')
    .action(async (argument: string, flags: ConvertFlags) => {
      if (!flags.fp16) throw new InvalidArgumentError('say what to convert to: --fp16');
      print(await (await import('@ortbench/tasks')).convertModel(argument, flags.out));
    });

  models
    .command('optimize <model>')
    .description("save the graph ONNX Runtime runs after its optimisations, and count the operators before and after (which fusions happened)")
    .requiredOption('--out <file>', 'where to write the optimised model')
    .option('--level <level>', 'basic, extended (portable: constant folding and fusions, transformer ones where the graph matches) or all (adds layout changes for this CPU)', 'extended')
    .option('--json', 'print the histogram as JSON')
    .addHelpText('after', '\nExamples:\n  $ ortbench models optimize bert --out bert.opt.onnx\n  $ ortbench bench bert.opt.onnx --opt-level disabled   # measure the saved graph as it is')
    .action(async (argument: string, flags: { out: string; level: string; json?: boolean }) => {
      const { formatOptimize, optimizeModel } = await import('@ortbench/tasks');
      const outcome = await optimizeModel(argument, flags.out, { level: flags.level });
      print(flags.json ? JSON.stringify(outcome, null, 2) : formatOptimize(outcome));
    });

  models
    .command('quantize <model>')
    .description('int8 quantization: dynamic (MatMul weights; activations at run time) or static QDQ calibrated on images')
    .requiredOption('--out <file>', 'where to write the quantized model')
    .option('--mode <mode>', 'dynamic or static', (v) => oneOf(v, ['dynamic', 'static'], '--mode'), 'dynamic')
    .option('--calibrate <dir>', 'static: images to measure activation ranges on')
    .option('--method <method>', 'static: minmax or percentile (99.99 %)', (v) => oneOf(v, ['minmax', 'percentile'], '--method'), 'minmax')
    .option('--per-tensor', 'static: one weight scale per tensor instead of per channel')
    .addHelpText('after', '\nExamples:\n  $ ortbench models quantize bert --mode dynamic --out bert-int8.onnx\n  $ ortbench models quantize resnet50 --mode static --calibrate photos/ --out resnet50-int8.onnx')
    .action(async (argument: string, flags: QuantizeFlags) => {
      const { out, ...options } = flags;
      print(await (await import('@ortbench/tasks')).quantizeModel(argument, out, options));
    });
}

