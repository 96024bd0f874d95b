import path from 'node:path';
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
  component?: string;
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
    .description('inputs, outputs, opsets, op counts, parameters and MACs/FLOPs of a built-in model, an .onnx file or a model folder (its components and variants)')
    .option('--batch <n>', 'value of the batch axis for MACs', (v) => positiveInteger(v, '--batch'))
    .option('--seq <n>', 'value of the sequence axis for MACs', (v) => positiveInteger(v, '--seq'))
    .option('--dim <name=value>', 'value of any symbolic dim (repeatable)', dimAssignment)
    .option('--component <name>', "a model folder's graph: encoder_model, decoder_model_merged, … (default model, else the encoder)")
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
    .command('export-folder <model>')
    .description('write a model folder as transformers.js and Optimum lay one out — onnx/model.onnx and a file per variant (fp16, q8, int8, q4), config.json, tokenizer or preprocessor config — from a built-in or an fp32 .onnx')
    .requiredOption('--out <dir>', 'the folder to write (new, or empty)')
    .option('--variant <list>', 'variants to write: fp32, fp16, q8 (dynamic int8), int8 (static, image models), q4 (4-bit MatMul weights); default: all that apply')
    .option('--vocab <file>', 'token models: a BERT vocab.txt, written as tokenizer.json and tokenizer_config.json')
    .option('--calibrate <dir>', 'image models: photos to calibrate int8 on (default: seeded synthetic images)')
    .option('--json', 'print what was written as JSON')
    .addHelpText('after', '\nExamples:\n  $ ortbench models export-folder bert-tiny --out minibert --vocab vocab.txt\n  $ ortbench models export-folder mobilenetv2-fp32.onnx --out mobilenet --calibrate photos/\n  $ ortbench bench minibert --runner node-cpu,web-wasm   # every variant, paired against fp32')
    .action(async (argument: string, flags: { out: string; variant?: string; vocab?: string; calibrate?: string; json?: boolean }) => {
      const { EXPORTABLE_VARIANTS, exportModelFolder } = await import('@ortbench/tasks');
      const variants = flags.variant?.split(',').map((v) => oneOf(v.trim(), [...EXPORTABLE_VARIANTS], '--variant'));
      const calibration = flags.calibrate === undefined ? undefined : await (await import('@ortbench/tasks')).imageFiles([flags.calibrate]);
      const written = await exportModelFolder(argument, {
        out: flags.out,
        ...(variants ? { variants } : {}),
        ...(flags.vocab !== undefined ? { vocab: flags.vocab } : {}),
        ...(calibration ? { calibration } : {}),
        onWarning: (message) => process.stderr.write(`warning: ${message}\n`),
      });
      print(flags.json ? JSON.stringify(written, null, 2) : [...written.variants.map((v) => `${path.relative(process.cwd(), v.file)}  ${(v.bytes / 1048576).toFixed(2)} MiB  ${v.variant}: ${v.how}`), ...written.files.map((f) => path.join(path.relative(process.cwd(), written.dir), f))].join('\n'));
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

