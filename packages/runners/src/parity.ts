import type { AllcloseReport, FedInputRecord, Feeds, ModelSource, Runner, RunnerOptions, Tolerance, ValueInfo } from '@ortbench/core';
import { allclose, InvalidArgumentError, TOLERANCE_PRESETS } from '@ortbench/core';

/** One row of a parity table: an output of a candidate runner against the reference. */
export interface ParityRow {
  output: string;
  report: AllcloseReport;
}

/**
 * Compares every output of `candidate` with `reference` by allclose (fp32 tolerances by
 * default). An output missing on either side is a failed row, not an exception.
 */
export function compareOutputs(reference: Feeds, candidate: Feeds, tolerance: Tolerance = TOLERANCE_PRESETS.fp32): ParityRow[] {
  const names = [...new Set([...Object.keys(reference), ...Object.keys(candidate)])];
  return names.map((output) => {
    const expected = reference[output];
    const actual = candidate[output];
    if (!expected || !actual) {
      return {
        output,
        report: {
          ok: false,
          ...tolerance,
          total: 0,
          mismatched: 0,
          mismatchedPercent: 0,
          maxAbsDiff: Number.NaN,
          maxRelDiff: Number.NaN,
          shapeMismatch: { actual: actual ? [...actual.dims] : [], expected: expected ? [...expected.dims] : [] },
        },
      };
    }
    return { output, report: allclose(actual, expected, tolerance) };
  });
}

/** Options for {@link verifyParity}. */
export interface ParityOptions {
  /** The first is the reference; every other is compared with it. */
  runners: readonly Runner[];
  model: ModelSource;
  /** The feeds, or a function of the model's inputs that builds them. */
  feeds: Feeds | ((inputs: readonly ValueInfo[]) => Feeds);
  tolerance?: Tolerance;
  /** Options per runner name. */
  runnerOptions?: Record<string, RunnerOptions>;
}

/** Every output of every runner against the reference runner. */
export interface ParityResult {
  reference: { runner: string; executionProvider: string };
  tolerance: Tolerance;
  /** A row per runner and output; a runner that failed has one row with its error instead of a comparison. */
  rows: (ParityRow & { runner: string; executionProvider: string; error?: { code: string; message: string } })[];
  ok: boolean;
  /** What was fed (set by callers that know how the feeds were made). */
  inputs?: FedInputRecord[];
  /** The model verified, as callers name it (a model folder's variant: `minilm (q8)`). */
  model?: string;
}

/**
 * Runs the same feeds on several runners and compares every output with the first runner's
 * by allclose (fp32 tolerances by default). Sessions are loaded one at a time and disposed.
 * A runner that fails keeps its row, with its error; when the first fails, the next that
 * runs is the reference. The result is not ok when any runner failed.
 */
export async function verifyParity(options: ParityOptions): Promise<ParityResult> {
  if (options.runners.length < 2) throw new InvalidArgumentError('parity needs at least two runners: a reference and one to compare');
  const tolerance = options.tolerance ?? TOLERANCE_PRESETS.fp32;
  let feeds: Feeds | undefined = typeof options.feeds === 'function' ? undefined : options.feeds;
  const run = async (runner: Runner) => {
    const session = await runner.load(options.model, options.runnerOptions?.[runner.name]);
    try {
      feeds ??= (options.feeds as (inputs: readonly ValueInfo[]) => Feeds)(session.inputs);
      return { outputs: (await session.run(feeds)).outputs, info: session.info };
    } finally {
      await session.dispose();
    }
  };
  let reference: { outputs: Feeds; info: { runner: string; executionProvider: string } } | undefined;
  const rows: ParityResult['rows'] = [];
  for (const runner of options.runners) {
    let outcome;
    try {
      outcome = await run(runner);
    } catch (error) {
      rows.push(failedRow(runner.name, error, tolerance));
      continue;
    }
    if (!reference) {
      reference = outcome;
      continue;
    }
    for (const row of compareOutputs(reference.outputs, outcome.outputs, tolerance)) {
      rows.push({ runner: outcome.info.runner, executionProvider: outcome.info.executionProvider, ...row });
    }
  }
  return {
    reference: reference ? { runner: reference.info.runner, executionProvider: reference.info.executionProvider } : { runner: 'none', executionProvider: 'none (every runner failed)' },
    tolerance,
    rows,
    ok: reference !== undefined && rows.every((row) => row.report.ok),
  };
}

/** The row of a runner that could not load or run the model: its error instead of a comparison. */
export function failedRow(runner: string, error: unknown, tolerance: Tolerance): ParityResult['rows'][number] {
  const code = typeof (error as { code?: unknown })?.code === 'string' ? (error as { code: string }).code : 'INTERNAL';
  const message = (error instanceof Error ? error.message : String(error)).split('\n', 1)[0] ?? '';
  return {
    runner,
    executionProvider: '—',
    output: '—',
    error: { code, message },
    report: { ok: false, ...tolerance, total: 0, mismatched: 0, mismatchedPercent: 0, maxAbsDiff: Number.NaN, maxRelDiff: Number.NaN },
  };
}
