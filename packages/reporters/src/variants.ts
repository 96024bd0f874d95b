import type { ConfigurationResult, Measurement, PairedComparison, ResultsDocument } from '@ortbench/core';
import { formatBytes } from '@ortbench/core';

type Fidelity = NonNullable<Measurement['fidelity']>;
type Completed = Extract<ConfigurationResult, { status: 'completed' }>;

/** Outputs closer to fp32 than this (the smallest per-item cosine) count as "within" it for a recommendation. */
export const RECOMMEND_MIN_COSINE = 0.99;

/** A variant's fidelity in a cell: `cos ≥ 0.9993` (and `top-1 ≠ 1/8` when the top class changed), or `vs fp32 —`. */
export function fidelityText(fidelity: Fidelity, options: { top1?: boolean } = {}): string {
  if ('unavailable' in fidelity) return `vs ${fidelity.reference} —`;
  const top1 = fidelity.top1Changed && options.top1 !== false ? ` · top-1 ≠${fidelity.reference} ${fidelity.top1Changed}/${fidelity.items}` : '';
  // Close to 1 the digits that differ come late: 0.999994 is not 1.0000.
  return `cos ≥ ${fidelity.cosineMin.toFixed(fidelity.cosineMin >= 0.9999 ? 6 : 4)}${top1}`;
}

/** The fidelity in words, for the notes. */
export function fidelityDetail(fidelity: Fidelity): string {
  if ('unavailable' in fidelity) return `outputs not compared with ${fidelity.reference}: ${fidelity.unavailable}`;
  const what = fidelity.pooled ? `"${fidelity.output}" mean-pooled over its second axis` : `"${fidelity.output}"`;
  const top1 = fidelity.top1Changed === undefined ? '' : `; top-1 changed for ${fidelity.top1Changed} of ${fidelity.items}`;
  return `outputs against ${fidelity.reference} on ${fidelity.inputs ?? 'the inputs timed'} (${what}, per item): cosine ≥ ${fidelity.cosineMin.toFixed(6)} (mean ${fidelity.cosineMean.toFixed(6)}) over ${fidelity.items} item(s), max |Δ| ${fidelity.maxAbsDiff.toPrecision(3)}${top1}`;
}

/**
 * Which variant to ship, per runner and shape: a line each saying the fastest variant whose
 * outputs stay within {@link RECOMMEND_MIN_COSINE} cosine of fp32 (every item) with no top-1
 * changed (on the photos, when --images gave some; else on the inputs timed), and by how much
 * — claimed only when its paired interval against fp32 lies wholly below 1 (faster beyond the
 * uncertainty); otherwise that none is measurably faster. Variants are a model folder's files
 * (`variant`) or precisions made from one file (`precision`).
 */
export function variantLines(document: ResultsDocument): string[] {
  const results = document.results.filter((r): r is Completed => r.status === 'completed');
  const axis = results.some((r) => r.configuration.options.variant !== undefined) ? 'variant' : results.some((r) => r.configuration.options.precision !== undefined) ? 'precision' : undefined;
  if (!axis) return [];
  const groups = new Map<string, Completed[]>();
  for (const r of results) {
    const key = [r.configuration.model ?? '', r.configuration.runner, r.configuration.batchSize, r.configuration.sequenceLength ?? '', r.configuration.threads ?? ''].join('\u0000');
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  const lines: string[] = [];
  for (const group of groups.values()) {
    const name = (r: Completed) => String(r.configuration.options[axis]);
    if (!group.some((r) => name(r) === 'fp32') || group.length < 2) continue;
    const c = group[0]!.configuration;
    const where = `${c.runner}, batch ${c.batchSize}${c.sequenceLength === undefined ? '' : `, sequence ${c.sequenceLength}`}${c.threads === undefined ? '' : `, ${c.threads} threads`}`;
    const sizes = group.map((r) => `${name(r)} ${r.measurement.modelFile ? formatBytes(r.measurement.modelFile.bytes) : '?'}`).join(', ');
    const candidates = group.flatMap((r) => {
      const ratio = r.measurement.comparisons?.find((comparison) => comparison.axis === `opt.${axis}` && comparison.baselineValue === 'fp32');
      const fidelity = r.measurement.fidelity;
      // Top-1 changes count on the photos when there are some (--images), not on the seeded inputs the runs were timed with.
      const agreement = r.measurement.agreement;
      const top1Kept = agreement ? agreement.differing === 0 : !(fidelity && 'top1Changed' in fidelity && fidelity.top1Changed);
      const close = fidelity !== undefined && !('unavailable' in fidelity) && fidelity.cosineMin >= RECOMMEND_MIN_COSINE && top1Kept;
      return ratio && close && ratio.upper < 1 ? [{ r, ratio }] : [];
    });
    const best = candidates.sort((a, b) => a.ratio.ratio - b.ratio.ratio)[0];
    const claim = best
      ? `fastest within ${RECOMMEND_MIN_COSINE} cosine of fp32: ${name(best.r)}, ${speedup(best.ratio)} fp32`
      : `no ${axis} within ${RECOMMEND_MIN_COSINE} cosine of fp32 is measurably faster than fp32 (every interval reaches 1, or no paired ratio)`;
    lines.push(`Which ${axis} on ${where}: ${claim}. Files: ${sizes}.`);
  }
  return lines;
}

function speedup(ratio: PairedComparison): string {
  return `${(1 / ratio.ratio).toFixed(2)}× faster (${(1 / ratio.upper).toFixed(2)}–${(1 / ratio.lower).toFixed(2)}) than`;
}
