import type { Command } from 'commander';
import { dimAssignment, inputValueAssignment, InvalidArgumentError, nameList, nonNegativeNumber, positiveInteger, shapeAssignment } from '@ortbench/core';
import type { VerifyOptions } from '@ortbench/tasks';
import type { CliContext } from '../context';
import { EXIT } from '../exit-codes';
import { print, printJson } from '../output';
import { collect } from './bench';

/** --dim, --shape and --input of a single run (one value each) as the library's records. */
export function shapeFlags(dim: string[] = [], shape: string[] = [], input: string[] = []): { dims?: Record<string, number>; shapes?: Record<string, number[]>; values?: Record<string, number | boolean> } {
  const dims = dim.reduce<Record<string, number>>((all, text) => dimAssignment(text, all), {});
  const shapes: Record<string, number[]> = {};
  for (const text of shape) {
    const { name, shapes: list } = shapeAssignment(text);
    if (list.length !== 1) throw new InvalidArgumentError(`--shape ${name}: one shape here (a list is a sweep axis of bench)`);
    shapes[name] = list[0]!;
  }
  const values = Object.fromEntries(input.map((text) => Object.values(inputValueAssignment(text)))) as Record<string, number | boolean>;
  return { ...(dim.length ? { dims } : {}), ...(shape.length ? { shapes } : {}), ...(input.length ? { values } : {}) };
}

/** The flags of `ortbench verify`: the library's options, with the runners as one comma-separated flag. */
type VerifyFlags = Omit<VerifyOptions, 'runners' | 'registry' | 'plugins' | 'dims' | 'shapes' | 'values'> & { runner: string[]; json?: boolean; dim?: string[]; shape?: string[]; input?: string[] };

/** `ortbench verify`: the same feeds on several runners, every output compared by allclose. */
export function registerVerifyCommand(program: Command, cli: CliContext): void {
  program
    .command('verify <model>')
    .description('check that runners agree: run the same seeded feeds on each and compare every output with the first (numpy assert_allclose semantics)')
    .option('--runner <names>', 'comma-separated runners; the first is the reference', (v) => nameList(v, '--runner'), ['node-cpu', 'web-wasm'])
    .option('--precision <fp32|fp16|int8>', 'tolerance preset (fp32: rtol 1e-3, atol 1e-5)', 'fp32')
    .option('--rtol <x>', 'relative tolerance (overrides the preset)', (v) => nonNegativeNumber(v, '--rtol'))
    .option('--atol <x>', 'absolute tolerance (overrides the preset)', (v) => nonNegativeNumber(v, '--atol'))
    .option('--batch <n>', 'batch size for symbolic batch axes', (v) => positiveInteger(v, '--batch'), 1)
    .option('--seq <n>', 'sequence length for symbolic token axes (default 128; refused for a model with no sequence axis)', (v) => positiveInteger(v, '--seq'))
    .option('--dim <name=value>', "a symbolic dimension's value, by name or input:axis when unnamed (e.g. --dim height=640); repeatable", collect)
    .option('--shape <input=AxB>', "an input's whole shape (e.g. --shape images=1x3x640x640); repeatable", collect)
    .option('--input <name=value>', 'the value every element of an input takes (--input sr=16000); repeatable', collect)
    .option('--vocab-size <n>', 'the vocabulary of ids inputs whose embedding table ortbench cannot find', (v) => positiveInteger(v, '--vocab-size'))
    .option('--seed <n>', 'seed of the synthetic feeds', (v) => positiveInteger(v, '--seed'))
    .option('--inputs <file|dir>', 'feed these arrays instead of seeded ones: a NumPy .npz (one array per input), a .npy (the first input) or a folder of <input>.npy')
    .option('--expect <file>', 'compare with these outputs, e.g. the training framework\'s: .npz (by output name) or .npy (first output); without it, every runner is compared with the first')
    .option('--variant <name>', "a model folder's variant to verify across runners (q8, q4, …; default fp32)")
    .option('--component <name>', "a model folder's graph (default model, else the encoder)")
    .option('--json', 'print the result as JSON on stdout')
    .option('--torch-model <file.pt>', 'torch runner: the TorchScript model paired with a model file (resnet50 and bert get their PyTorch twin with the same weights built)')
    .option('--python <path>', 'torch runner: the Python with PyTorch (default ORTBENCH_PYTHON, python3, /usr/bin/python3)')
    .addHelpText('after', '\nExit code 1 when any output differs beyond tolerance.\n\nExamples:\n  $ ortbench verify resnet50 --runner node-cpu,web-wasm,browser\n  $ ortbench verify resnet50 --runner node-cpu,torch\n  $ ortbench verify model.onnx --runner node-cpu,torch --torch-model model.pt\n  $ ortbench verify model.onnx --runner node-cpu,node-cuda --precision fp16\n  $ ortbench verify model.onnx --inputs inputs.npz --expect torch_outputs.npz --rtol 1e-3 --atol 1e-5\n  $ ortbench verify detector.onnx --dim height=640 --dim width=640 --runner node-cpu,web-wasm,browser\n  $ ortbench verify model.onnx --inputs real.npz --runner node-cpu,web-wasm')
    .action(async (argument: string, flags: VerifyFlags) => {
      const { formatParity, verifyModel } = await import('@ortbench/tasks');
      const { runner, json, dim, shape, input, ...rest } = flags;
      const result = await verifyModel(argument, { ...rest, ...shapeFlags(dim, shape, input), runners: runner, plugins: cli.plugins() });
      if (json) printJson(result);
      else print(formatParity(result));
      cli.setExitCode(result.ok ? EXIT.ok : EXIT.checkFailed);
    });
}
