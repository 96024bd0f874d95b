import { formatAllcloseReport, InvalidArgumentError, TOLERANCE_PRESETS } from '@ortbench/core';
import { syntheticFeeds } from '@ortbench/preprocess';
import type { ParityResult } from '@ortbench/runners';
import { verifyParity } from '@ortbench/runners';
import type { VerifyFlags } from '../commands/verify';
import { EXIT } from '../exit-codes';
import { resolveModel } from '../model-source';
import { createDefaultRegistry } from '../registry';
import { table } from '../table';

/** Runs the parity check and prints it; the exit code says whether the runners agree. */
export async function runVerify(argument: string, flags: VerifyFlags): Promise<number> {
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
  return result.ok ? EXIT.ok : EXIT.checkFailed;
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
