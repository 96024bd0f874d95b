import type { AllcloseReport, Feeds, Tolerance } from '@ortbench/core';
import { allclose, TOLERANCE_PRESETS } from '@ortbench/core';

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
