import type { Runner, Tolerance } from '@ortbench/core';
import { allclose, formatAllcloseReport, InputMismatchError, InvalidArgumentError, TOLERANCE_PRESETS, validateFeeds } from '@ortbench/core';
import { loadArrays, syntheticFeeds } from '@ortbench/preprocess';
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
  const registry = await createDefaultRegistry();
  const runners = [];
  for (const name of flags.runner) runners.push(await registry.resolve(name));
  const model = await resolveModel(argument);
  if (flags.inputs !== undefined || flags.expect !== undefined) {
    if (flags.inputs === undefined || flags.expect === undefined) throw new InvalidArgumentError('--inputs and --expect go together: the arrays to feed, and the outputs they should give');
    return report(await againstReference(runners, model.path, flags.inputs, flags.expect, tolerance), flags.json);
  }
  const result = await verifyParity({
    runners,
    model: model.path,
    tolerance,
    feeds: (inputs) => syntheticFeeds(inputs, { batch: flags.batch, sequenceLength: flags.seq, seed: flags.seed ?? 0 }),
  });
  return report(result, flags.json);
}

function report(result: ParityResult, json: boolean | undefined): number {
  process.stdout.write(json ? `${JSON.stringify(result, null, 2)}\n` : `${formatParity(result)}\n`);
  return result.ok ? EXIT.ok : EXIT.checkFailed;
}

/**
 * The seed's assert_allclose step: feed arrays saved by the training framework (.npz, or .npy
 * for a one-input model) and compare each runner's outputs with the framework's own.
 */
async function againstReference(runners: Runner[], model: string, inputsFile: string, expectFile: string, tolerance: Tolerance): Promise<ParityResult> {
  const rows: ParityResult['rows'] = [];
  for (const runner of runners) {
    const session = await runner.load(model);
    try {
      const feeds = await loadArrays(inputsFile, session.inputs[0]?.name ?? 'input');
      validateFeeds(session.inputs, feeds);
      const expected = await loadArrays(expectFile, session.outputs[0]?.name ?? 'output');
      const outputNames = session.outputs.map((o) => o.name);
      for (const name of Object.keys(expected)) {
        if (!outputNames.includes(name)) throw new InputMismatchError(`${expectFile}: array "${name}" is not an output of the model (outputs: ${outputNames.join(', ')})`);
      }
      const { outputs } = await session.run(feeds, { outputNames: Object.keys(expected) });
      for (const [name, want] of Object.entries(expected)) {
        rows.push({ runner: session.info.runner, executionProvider: session.info.executionProvider, output: name, report: allclose(outputs[name]!, want, tolerance) });
      }
    } finally {
      await session.dispose();
    }
  }
  return { reference: { runner: expectFile, executionProvider: 'expected' }, tolerance, rows, ok: rows.every((r) => r.report.ok) };
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
