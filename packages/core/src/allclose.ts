import type { Tensor } from './tensor';

/** Tolerances in numpy.testing.assert_allclose terms: |actual − expected| ≤ atol + rtol·|expected|. */
export interface Tolerance {
  rtol: number;
  atol: number;
}

/**
 * Tolerances by precision. fp32 is what the seed scripts used against the training framework;
 * fp16 and int8 are looser because their rounding error is expected, not a bug.
 */
export const TOLERANCE_PRESETS = {
  fp32: { rtol: 1e-3, atol: 1e-5 },
  fp16: { rtol: 1e-2, atol: 1e-3 },
  int8: { rtol: 5e-2, atol: 5e-2 },
} as const satisfies Record<string, Tolerance>;

/** Options of {@link allclose}; defaults are numpy's (rtol 1e-7, atol 0, NaNs equal). */
export interface AllcloseOptions extends Partial<Tolerance> {
  /** Treat NaN in both arrays at the same index as equal (numpy's `equal_nan`, default true). */
  equalNan?: boolean;
}

/** Values with an optional shape: a tensor, or a plain numeric array (treated as 1-D). */
export type Comparable = Tensor | ArrayLike<number> | ArrayLike<bigint>;

/** The outcome of a comparison, enough to print numpy's assert_allclose report. */
export interface AllcloseReport {
  ok: boolean;
  rtol: number;
  atol: number;
  /** Set when shapes differ; then nothing else was compared. */
  shapeMismatch?: { actual: number[]; expected: number[] };
  total: number;
  mismatched: number;
  mismatchedPercent: number;
  /** Largest |actual − expected| over elements where both are finite. */
  maxAbsDiff: number;
  /**
   * Largest |actual − expected| / |expected| over those elements whose expected value is not 0
   * (relative to 0 any difference is infinite, and says nothing: atol governs there).
   */
  maxRelDiff: number;
  /** The worst violation: non-finite mismatches first, then the largest absolute difference. */
  worst?: { index: number; position: number[]; actual: number; expected: number };
}

/**
 * Compares element-wise with numpy.testing.assert_allclose semantics, but returns a report
 * instead of throwing. NaN equals NaN only when `equalNan`; ±Infinity equals only itself.
 */
export function allclose(actual: Comparable, expected: Comparable, options: AllcloseOptions = {}): AllcloseReport {
  const rtol = options.rtol ?? 1e-7;
  const atol = options.atol ?? 0;
  const equalNan = options.equalNan ?? true;
  if (!(rtol >= 0) || !(atol >= 0)) throw new RangeError(`tolerances must be non-negative (rtol ${rtol}, atol ${atol})`);
  const a = asShaped(actual);
  const e = asShaped(expected);
  const base = { rtol, atol, maxAbsDiff: 0, maxRelDiff: 0, mismatched: 0, mismatchedPercent: 0 };
  if (a.dims.length !== e.dims.length || a.dims.some((dim, axis) => dim !== e.dims[axis])) {
    return { ...base, ok: false, total: 0, shapeMismatch: { actual: a.dims, expected: e.dims } };
  }
  const total = a.values.length;
  let mismatched = 0;
  let maxAbsDiff = 0;
  let maxRelDiff = 0;
  let worstIndex = -1;
  let worstScore = -1;
  for (let i = 0; i < total; i++) {
    const x = Number(a.values[i]);
    const y = Number(e.values[i]);
    if (Number.isFinite(x) && Number.isFinite(y)) {
      const diff = Math.abs(x - y);
      const rel = diff === 0 || y === 0 ? 0 : diff / Math.abs(y);
      if (diff > maxAbsDiff) maxAbsDiff = diff;
      if (rel > maxRelDiff) maxRelDiff = rel;
      if (diff > atol + rtol * Math.abs(y)) {
        mismatched++;
        if (diff > worstScore) [worstScore, worstIndex] = [diff, i];
      }
    } else if (!nonFiniteEqual(x, y, equalNan)) {
      mismatched++;
      if (worstScore !== Number.POSITIVE_INFINITY) [worstScore, worstIndex] = [Number.POSITIVE_INFINITY, i];
    }
  }
  const report: AllcloseReport = {
    ...base,
    ok: mismatched === 0,
    total,
    mismatched,
    mismatchedPercent: total === 0 ? 0 : (mismatched / total) * 100,
    maxAbsDiff,
    maxRelDiff,
  };
  if (worstIndex >= 0) {
    report.worst = {
      index: worstIndex,
      position: unravel(worstIndex, a.dims),
      actual: Number(a.values[worstIndex]),
      expected: Number(e.values[worstIndex]),
    };
  }
  return report;
}

/** The report as numpy prints it, one fact per line, for `ortbench verify`. */
export function formatAllcloseReport(report: AllcloseReport, label = ''): string {
  const head = `${label ? `${label}: ` : ''}${report.ok ? 'equal' : 'Not equal'} to tolerance rtol=${report.rtol}, atol=${report.atol}`;
  if (report.shapeMismatch) {
    return `${head}\n(shapes (${report.shapeMismatch.actual.join(', ')}), (${report.shapeMismatch.expected.join(', ')}) mismatch)`;
  }
  const lines = [
    head,
    `Mismatched elements: ${report.mismatched} / ${report.total} (${round(report.mismatchedPercent)}%)`,
    `Max absolute difference: ${report.maxAbsDiff.toPrecision(6)}`,
    `Max relative difference: ${report.maxRelDiff.toPrecision(6)}`,
  ];
  if (report.worst) {
    lines.push(`Worst at [${report.worst.position.join(', ')}]: actual ${report.worst.actual}, expected ${report.worst.expected}`);
  }
  return lines.join('\n');
}

function nonFiniteEqual(x: number, y: number, equalNan: boolean): boolean {
  if (Number.isNaN(x) || Number.isNaN(y)) return equalNan && Number.isNaN(x) && Number.isNaN(y);
  return x === y; // ±Infinity only matches itself
}

function asShaped(value: Comparable): { dims: number[]; values: ArrayLike<number | bigint | string> } {
  if (isTensor(value)) return { dims: [...value.dims], values: value.data };
  return { dims: [value.length], values: value };
}

function isTensor(value: Comparable): value is Tensor {
  return typeof value === 'object' && value !== null && 'dims' in value && 'data' in value;
}

function unravel(index: number, dims: readonly number[]): number[] {
  const position = new Array<number>(dims.length).fill(0);
  let rest = index;
  for (let axis = dims.length - 1; axis >= 0; axis--) {
    const size = dims[axis] as number;
    position[axis] = rest % size;
    rest = Math.floor(rest / size);
  }
  return position;
}

function round(percent: number): string {
  return Number(percent.toPrecision(4)).toString();
}
