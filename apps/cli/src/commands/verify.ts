import type { Command } from 'commander';
import { nameList, nonNegativeNumber, positiveInteger } from '@ortbench/core';
import type { VerifyOptions } from '@ortbench/tasks';
import type { CliContext } from '../context';
import { EXIT } from '../exit-codes';
import { print, printJson } from '../output';

/** The flags of `ortbench verify`: the library's options, with the runners as one comma-separated flag. */
type VerifyFlags = Omit<VerifyOptions, 'runners' | 'registry' | 'plugins'> & { runner: string[]; json?: boolean };

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
    .option('--seq <n>', 'sequence length for symbolic token axes', (v) => positiveInteger(v, '--seq'), 128)
    .option('--seed <n>', 'seed of the synthetic feeds', (v) => positiveInteger(v, '--seed'))
    .option('--inputs <file>', 'feed these arrays instead of seeded ones: a NumPy .npz (one array per input) or .npy (one-input model)')
    .option('--expect <file>', 'compare with these outputs, e.g. the training framework\'s: .npz (by output name) or .npy (first output)')
    .option('--json', 'print the result as JSON on stdout')
    .option('--torch-model <file.pt>', 'torch runner: the TorchScript model paired with a model file (resnet50 and bert get their PyTorch twin with the same weights built)')
    .option('--python <path>', 'torch runner: the Python with PyTorch (default ORTBENCH_PYTHON, python3, /usr/bin/python3)')
    .addHelpText('after', '\nExit code 1 when any output differs beyond tolerance.\n\nExamples:\n  $ ortbench verify resnet50 --runner node-cpu,web-wasm,browser\n  $ ortbench verify resnet50 --runner node-cpu,torch\n  $ ortbench verify model.onnx --runner node-cpu,torch --torch-model model.pt\n  $ ortbench verify model.onnx --runner node-cpu,node-cuda --precision fp16\n  $ ortbench verify model.onnx --inputs inputs.npz --expect torch_outputs.npz --rtol 1e-3 --atol 1e-5')
    .action(async (argument: string, flags: VerifyFlags) => {
      const { formatParity, verifyModel } = await import('@ortbench/tasks');
      const { runner, json, ...rest } = flags;
      const result = await verifyModel(argument, { ...rest, runners: runner, plugins: cli.plugins() });
      if (json) printJson(result);
      else print(formatParity(result));
      cli.setExitCode(result.ok ? EXIT.ok : EXIT.checkFailed);
    });
}
