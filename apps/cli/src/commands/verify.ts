import { formatAllcloseReport, InvalidArgumentError, TOLERANCE_PRESETS } from '@ortbench/core';
import type { ParityResult } from '@ortbench/runners';
import { verifyParity } from '@ortbench/runners';
import { syntheticFeeds } from '@ortbench/preprocess';
import type { Command } from 'commander';
import { EXIT } from '../exit-codes';
import { resolveModel } from '../model-source';
import { nonNegativeNumber, positiveInteger, runnerList } from '../parse';
import { createDefaultRegistry } from '../registry';
import { table } from '../table';

interface VerifyFlags {
  runner: string[];
  precision: keyof typeof TOLERANCE_PRESETS;
  rtol?: number;
  atol?: number;
  batch?: number;
  seq?: number;
  seed?: number;
  json?: boolean;
}

/** `ortbench verify`: the same feeds on several runners, every output compared by allclose. */
export function registerVerifyCommand(program: Command, setExitCode: (code: number) => void): void {
  program
    .command('verify <model>')
    .description('check that runners agree: run the same seeded feeds on each and compare every output with the first (numpy assert_allclose semantics)')
    .option('--runner <names>', 'comma-separated runners; the first is the reference', runnerList, ['node-cpu', 'web-wasm'])
    .option('--precision <fp32|fp16|int8>', 'tolerance preset (fp32: rtol 1e-3, atol 1e-5)', 'fp32')
    .option('--rtol <x>', 'relative tolerance (overrides the preset)', (v) => nonNegativeNumber(v, '--rtol'))
    .option('--atol <x>', 'absolute tolerance (overrides the preset)', (v) => nonNegativeNumber(v, '--atol'))
    .option('--batch <n>', 'batch size for symbolic batch axes', (v) => positiveInteger(v, '--batch'), 1)
    .option('--seq <n>', 'sequence length for symbolic token axes', (v) => positiveInteger(v, '--seq'), 128)
    .option('--seed <n>', 'seed of the synthetic feeds', (v) => positiveInteger(v, '--seed'))
    .option('--json', 'print the result as JSON on stdout')
    .addHelpText('after', '\nExit code 1 when any output differs beyond tolerance.\n\nExamples:\n  $ ortbench verify resnet50 --runner node-cpu,web-wasm,browser\n  $ ortbench verify model.onnx --runner node-cpu,node-cuda --precision fp16')
    .action(async (argument: string, flags: VerifyFlags) => {
      const preset = TOLERANCE_PRESETS[flags.precision];
      if (!preset) throw new InvalidArgumentError(`--precision: expected fp32, fp16 or int8, got "${flags.precision}"`);
      const tolerance = { rtol: flags.rtol ?? preset.rtol, atol: flags.atol ?? preset.atol };
      const registry = createDefaultRegistry();
      const runners = [];
      for (const name of flags.runner) runners.push(await registry.resolve(name));
      const model = await resolveModel(argument);
      const result = await verifyParity({
        runners,
        model: model.path,
        tolerance,
        feeds: (inputs) => syntheticFeeds(inputs, { batch: flags.batch, sequenceLength: flags.seq, seed: flags.seed ?? 0 }),
      });
      process.stdout.write(flags.json ? `${JSON.stringify(result, null, 2)}\n` : `${formatParity(result)}\n`);
      if (!result.ok) setExitCode(EXIT.checkFailed);
    });
}

function formatParity(result: ParityResult): string {
  const { rtol, atol } = result.tolerance;
  const rows = result.rows.map((row) => [
    row.runner,
    row.executionProvider,
    row.output,
    row.report.ok ? 'ok' : 'MISMATCH',
    row.report.shapeMismatch ? 'shape' : `${row.report.mismatched} / ${row.report.total}`,
    difference(row.report.maxAbsDiff),
    difference(row.report.maxRelDiff),
  ]);
  const lines = [
    `reference ${result.reference.runner} (${result.reference.executionProvider}), tolerance rtol=${rtol} atol=${atol}`,
    '',
    table([['runner', 'provider', 'output', 'result', 'mismatched', 'max abs diff', 'max rel diff'], ...rows]),
  ];
  for (const row of result.rows.filter((r) => !r.report.ok)) lines.push('', formatAllcloseReport(row.report, `${row.runner} ${row.output}`));
  lines.push('', result.ok ? 'all outputs agree' : 'outputs differ beyond tolerance');
  return lines.join('\n');
}

function difference(value: number): string {
  return value !== 0 && Math.abs(value) < 1e-3 ? value.toExponential(2) : value.toPrecision(3);
}
