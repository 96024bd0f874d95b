import { describe, expect, it } from 'vitest';
import { allclose, createTensor, formatAllcloseReport, TOLERANCE_PRESETS } from '../src/index';

describe('allclose (numpy.testing.assert_allclose semantics)', () => {
  it('uses |a − e| ≤ atol + rtol·|e|, inclusive at the boundary', () => {
    expect(allclose([1.5], [1], { rtol: 0.25, atol: 0.25 }).ok).toBe(true); // 0.5 ≤ 0.25 + 0.25·1
    expect(allclose([1.51], [1], { rtol: 0.25, atol: 0.25 }).ok).toBe(false);
    // rtol scales with the expected value, not the actual one
    expect(allclose([2], [1], { rtol: 0.6, atol: 0 }).ok).toBe(false);
    expect(allclose([1], [2], { rtol: 0.6, atol: 0 }).ok).toBe(true);
  });

  it('demands exact equality with zero tolerance (numpy defaults rtol 1e-7, atol 0)', () => {
    expect(allclose([1, 2, 3], [1, 2, 3], { rtol: 0, atol: 0 }).ok).toBe(true);
    const report = allclose([1, 2, 3 + 1e-12], [1, 2, 3], { rtol: 0, atol: 0 });
    expect(report).toMatchObject({ ok: false, mismatched: 1, total: 3 });
    expect(allclose([1 + 1e-6], [1]).ok).toBe(false); // default rtol 1e-7 allows 1e-7·1
    expect(allclose([1 + 1e-8], [1]).ok).toBe(true);
  });

  it('treats NaN as equal to NaN unless equalNan is false', () => {
    expect(allclose([NaN, 1], [NaN, 1]).ok).toBe(true);
    expect(allclose([NaN, 1], [NaN, 1], { equalNan: false })).toMatchObject({ ok: false, mismatched: 1 });
    expect(allclose([NaN], [1])).toMatchObject({ ok: false, worst: { index: 0 } });
    expect(allclose([1], [NaN]).ok).toBe(false);
  });

  it('matches infinities only with the same infinity, whatever the tolerance', () => {
    expect(allclose([Infinity, -Infinity], [Infinity, -Infinity]).ok).toBe(true);
    expect(allclose([Infinity], [-Infinity], { atol: 1e300 }).ok).toBe(false);
    expect(allclose([Infinity], [1e308], { rtol: 10 }).ok).toBe(false);
  });

  it('reports a shape mismatch without comparing values', () => {
    const report = allclose(createTensor('float32', new Float32Array(6), [2, 3]), createTensor('float32', new Float32Array(6), [3, 2]));
    expect(report.ok).toBe(false);
    expect(report.shapeMismatch).toEqual({ actual: [2, 3], expected: [3, 2] });
    expect(allclose([1, 2], [1, 2, 3]).shapeMismatch).toEqual({ actual: [2], expected: [3] });
  });

  it('counts mismatches, max differences and the worst position of a 2-D tensor', () => {
    const actual = createTensor('float32', Float32Array.from([1, 2, 3, 4, 5, 6]), [2, 3]);
    const expected = createTensor('float32', Float32Array.from([1, 2.5, 3, 4, 9, 6]), [2, 3]);
    const report = allclose(actual, expected, TOLERANCE_PRESETS.fp32);
    expect(report).toMatchObject({ ok: false, total: 6, mismatched: 2 });
    expect(report.mismatchedPercent).toBeCloseTo(33.333, 2);
    expect(report.maxAbsDiff).toBe(4);
    expect(report.maxRelDiff).toBeCloseTo(4 / 9, 6);
    expect(report.worst).toEqual({ index: 4, position: [1, 1], actual: 5, expected: 9 });
  });

  it('leaves elements whose expected value is zero out of the relative difference', () => {
    expect(allclose([1e-6], [0], { atol: 1e-5 })).toMatchObject({ ok: true, maxRelDiff: 0 }); // relative to 0 says nothing: never Infinity beside "ok"
    expect(allclose([1e-6, 2.2], [0, 2], { atol: 1e-5 })).toMatchObject({ ok: false, maxRelDiff: expect.closeTo(0.1, 9) });
  });

  it('compares int64 tensors', () => {
    const a = createTensor('int64', BigInt64Array.from([1n, 2n]), [2]);
    expect(allclose(a, createTensor('int64', BigInt64Array.from([1n, 3n]), [2]), { rtol: 0, atol: 0 }).mismatched).toBe(1);
  });

  it('formats a numpy-style report', () => {
    const text = formatAllcloseReport(allclose([1, 2, 3, 4], [1, 2, 3, 5], { rtol: 1e-3, atol: 1e-5 }), 'logits');
    expect(text).toContain('logits: Not equal to tolerance rtol=0.001, atol=0.00001');
    expect(text).toContain('Mismatched elements: 1 / 4 (25%)');
    expect(text).toContain('Max absolute difference: 1.00000');
    expect(text).toContain('Worst at [3]: actual 4, expected 5');
  });

  it('rejects negative tolerances', () => {
    expect(() => allclose([1], [1], { rtol: -1 })).toThrow(RangeError);
  });
});
