import type { AllcloseReport, Feeds, ModelSource, Runner, RunnerOptions, Tolerance, ValueInfo } from '@ortbench/core';
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
  rows: (ParityRow & { runner: string; executionProvider: string })[];
  ok: boolean;
}

/**
 * Runs the same feeds on several runners and compares every output with the first runner's
 * by allclose (fp32 tolerances by default). Sessions are loaded one at a time and disposed.
 */
export async function verifyParity(options: ParityOptions): Promise<ParityResult> {
  const [first, ...others] = options.runners;
  if (!first || others.length === 0) throw new InvalidArgumentError('parity needs at least two runners: a reference and one to compare');
  const tolerance = options.tolerance ?? TOLERANCE_PRESETS.fp32;
  const run = async (runner: Runner, feeds?: Feeds) => {
    const session = await runner.load(options.model, options.runnerOptions?.[runner.name]);
    try {
      const used = feeds ?? (typeof options.feeds === 'function' ? options.feeds(session.inputs) : options.feeds);
      return { feeds: used, outputs: (await session.run(used)).outputs, info: session.info };
    } finally {
      await session.dispose();
    }
  };
  const reference = await run(first);
  const rows: ParityResult['rows'] = [];
  for (const runner of others) {
    const candidate = await run(runner, reference.feeds);
    for (const row of compareOutputs(reference.outputs, candidate.outputs, tolerance)) {
      rows.push({ runner: candidate.info.runner, executionProvider: candidate.info.executionProvider, ...row });
    }
  }
  return {
    reference: { runner: reference.info.runner, executionProvider: reference.info.executionProvider },
    tolerance,
    rows,
    ok: rows.every((row) => row.report.ok),
  };
}
