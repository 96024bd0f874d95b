import type { Feeds, Runner, Tolerance } from '@ortbench/core';
import { allclose, ErrorCode, formatAllcloseReport, InputMismatchError, InvalidArgumentError, OrtbenchError, symbolicDims, TOLERANCE_PRESETS } from '@ortbench/core';
import { loadArrays } from '@ortbench/preprocess';
import type { ParityResult } from '@ortbench/runners';
import { failedRow, verifyParity } from '@ortbench/runners';
import { singleRunInputs } from './model-inputs';
import { describeModel, folderOverrides, modelLabel } from './model-source';
import type { FolderChoice } from './model-source';
import { isTorchRunner, pairForTorch, torchRunnerOptions } from './torch-pair';
import type { RunnerSource } from './registry';
import { runnerRegistry } from './registry';
import { textTable } from './text-table';

/** What `verifyModel` needs besides the model. */
export interface VerifyOptions extends RunnerSource, FolderChoice {
  /** Runners to compare; the first is the reference (unless `expect` is given). Default node-cpu, web-wasm. */
  runners?: readonly string[];
  /** Tolerance preset (fp32: rtol 1e-3, atol 1e-5); rtol/atol override it. */
  precision?: 'fp32' | 'fp16' | 'int8';
  rtol?: number;
  atol?: number;
  /** Synthetic feeds: symbolic batch and sequence axes (the sequence only for a model that has one), and the seed. */
  batch?: number;
  seq?: number;
  seed?: number;
  /** Values of symbolic dims by name (or `input:axis` when unnamed). */
  dims?: Record<string, number>;
  /** Whole shapes by input name. */
  shapes?: Record<string, number[]>;
  /** The value every element of an input takes (a sample rate, a flag). */
  values?: Record<string, number | boolean>;
  /** The vocabulary of ids inputs whose embedding table ortbench cannot find. */
  vocabSize?: number;
  /** Feed these NumPy arrays (.npz, .npy for the first input, or a folder of `<input>.npy`) instead of seeded ones… */
  inputs?: string;
  /** …and compare every runner with these outputs (e.g. the training framework's); without it, with the first runner. */
  expect?: string;
  /** torch runners: the TorchScript file paired with a model file (built-in models get theirs built). */
  torchModel?: string;
  /** torch runners: the Python interpreter with PyTorch. */
  python?: string;
}

/**
 * Do the runners agree? The same feeds on each, every output compared with allclose (numpy
 * assert_allclose semantics) — against the first runner, or against saved reference outputs.
 */
export async function verifyModel(argument: string, options: VerifyOptions = {}): Promise<ParityResult> {
  const precision = options.precision ?? 'fp32';
  const preset = TOLERANCE_PRESETS[precision];
  if (!preset) throw new InvalidArgumentError(`--precision: expected fp32, fp16 or int8, got "${precision}"`);
  const tolerance = { rtol: options.rtol ?? preset.rtol, atol: options.atol ?? preset.atol };
  const registry = await runnerRegistry(options);
  const runners: Runner[] = [];
  const model = await describeModel(argument, folderOverrides(options));
  for (const name of options.runners ?? ['node-cpu', 'web-wasm']) {
    const runner = await registry.resolve(name);
    if (!isTorchRunner(name)) {
      runners.push(runner);
      continue;
    }
    // PyTorch's side of the seeds' check: the same weights as TorchScript, loaded with the pairing options.
    await pairForTorch(argument, model.path, {}, options);
    const extra = torchRunnerOptions(options);
    runners.push({ ...runner, name, load: (source, runnerOptions) => runner.load(source, { ...runnerOptions, ...extra }) });
  }
  const tokens = model.kind === 'token' || symbolicDims(model.inputs).some((d) => d.role === 'sequence');
  if (options.seq !== undefined && !tokens) throw new InvalidArgumentError(`--seq: ${argument} has no sequence axis; set its dimensions with --dim or --shape`);
  const { feeds, fed } = await singleRunInputs(model.inputs, model.embeddings, tokens, options);
  const label = modelLabel(argument, model);
  if (options.expect !== undefined) return { ...(await againstReference(runners, model.path, feeds, options.expect, tolerance)), inputs: fed, model: label };
  return { ...(await verifyParity({ runners, model: model.path, tolerance, feeds })), inputs: fed, model: label };
}

/**
 * The seed's assert_allclose step: feed arrays saved by the training framework (.npz, or .npy
 * for a one-input model) and compare each runner's outputs with the framework's own.
 */
async function againstReference(runners: Runner[], model: string, feeds: Feeds, expectFile: string, tolerance: Tolerance): Promise<ParityResult> {
  const rows: ParityResult['rows'] = [];
  for (const runner of runners) {
    let session;
    try {
      session = await runner.load(model);
    } catch (error) {
      rows.push(failedRow(runner.name, error, tolerance));
      continue;
    }
    try {
      const expected = await loadArrays(expectFile, session.outputs[0]?.name ?? 'output');
      const outputNames = session.outputs.map((o) => o.name);
      for (const name of Object.keys(expected)) {
        if (!outputNames.includes(name)) throw new InputMismatchError(`${expectFile}: array "${name}" is not an output of the model (outputs: ${outputNames.join(', ')})`);
      }
      const { outputs } = await session.run(feeds, { outputNames: Object.keys(expected) });
      for (const [name, want] of Object.entries(expected)) {
        rows.push({ runner: session.info.runner, executionProvider: session.info.executionProvider, output: name, report: allclose(outputs[name]!, want, tolerance) });
      }
    } catch (error) {
      if (error instanceof OrtbenchError && (error.code === ErrorCode.INPUT_MISMATCH || error.code === ErrorCode.FILE_NOT_FOUND || error.code === ErrorCode.DATA_INVALID)) throw error; // the files' fault, not the runner's
      rows.push(failedRow(runner.name, error, tolerance));
    } finally {
      await session.dispose();
    }
  }
  return { reference: { runner: expectFile, executionProvider: 'expected' }, tolerance, rows, ok: rows.every((r) => r.report.ok) };
}

/** The parity check as text: a row per runner and output, then the mismatches in detail. */
export function formatParity(result: ParityResult): string {
  const { rtol, atol } = result.tolerance;
  const rows = result.rows.map((row) =>
    row.error
      ? [row.runner, row.executionProvider, row.output, 'ERROR', row.error.code, '—', '—']
      : [
          row.runner,
          row.executionProvider,
          row.output,
          row.report.ok ? 'ok' : 'MISMATCH',
          row.report.shapeMismatch ? 'shape' : `${row.report.mismatched} / ${row.report.total}`,
          difference(row.report.maxAbsDiff),
          difference(row.report.maxRelDiff),
        ],
  );
  const lines = [
    ...(result.model ? [`model     ${result.model}`] : []),
    `reference ${result.reference.runner} (${result.reference.executionProvider}), tolerance rtol=${rtol} atol=${atol}`,
    ...(result.inputs ? result.inputs.map((f, i) => `${i === 0 ? 'inputs   ' : '         '} ${f.name} ${f.dtype} [${f.dims.join(', ')}] ${f.values}`) : []),
    '',
    textTable([['runner', 'provider', 'output', 'result', 'mismatched', 'max abs diff', 'max rel diff'], ...rows]),
  ];
  for (const row of result.rows.filter((r) => !r.report.ok)) lines.push('', row.error ? `${row.runner}: ${row.error.code}: ${row.error.message}` : formatAllcloseReport(row.report, `${row.runner} ${row.output}`));
  const failed = result.rows.some((r) => r.error);
  lines.push('', result.ok ? 'all outputs agree' : failed ? 'not verified: a runner failed (see above)' : 'outputs differ beyond tolerance');
  return lines.join('\n');
}

function difference(value: number): string {
  return value !== 0 && Math.abs(value) < 1e-3 ? value.toExponential(2) : value.toPrecision(3);
}
