import { SeededRandom } from './seeded-random';
import { normalTail, quantileSorted } from './statistics';

export { normalTail } from './statistics';

/** The result of a two-sided Mann-Whitney U test. */
export interface MannWhitneyResult {
  /** U of the first sample. */
  u: number;
  /** The standard normal score (continuity- and tie-corrected). */
  z: number;
  /** Two-sided p-value from the normal approximation (sound for n ≥ 8 per sample). */
  p: number;
}

/**
 * Mann-Whitney U (Wilcoxon rank-sum) test of whether two samples come from the same
 * distribution: distribution-free, so skewed latency samples are fine. Ties get average ranks.
 */
export function mannWhitneyU(a: ArrayLike<number>, b: ArrayLike<number>, options: { varianceInflation?: number } = {}): MannWhitneyResult {
  const n1 = a.length;
  const n2 = b.length;
  if (n1 === 0 || n2 === 0) throw new RangeError('Mann-Whitney U needs two non-empty samples');
  const pooled = [...Array.from(a, (value) => ({ value, first: true })), ...Array.from(b, (value) => ({ value, first: false }))].sort((x, y) => x.value - y.value);
  const n = n1 + n2;
  let rankSumA = 0;
  let tieTerm = 0;
  for (let i = 0; i < n; ) {
    let j = i;
    while (j + 1 < n && pooled[j + 1]!.value === pooled[i]!.value) j++;
    const rank = (i + j + 2) / 2; // average of 1-based ranks i+1 … j+1
    const ties = j - i + 1;
    tieTerm += ties ** 3 - ties;
    for (let k = i; k <= j; k++) if (pooled[k]!.first) rankSumA += rank;
    i = j + 1;
  }
  const u = rankSumA - (n1 * (n1 + 1)) / 2;
  const mean = (n1 * n2) / 2;
  // Autocorrelated samples carry less information than their count: the caller may inflate the variance.
  const variance = ((n1 * n2) / 12) * (n + 1 - tieTerm / (n * (n - 1))) * Math.max(1, options.varianceInflation ?? 1);
  if (variance <= 0) return { u, z: 0, p: 1 };
  const difference = u - mean;
  const z = (difference - Math.sign(difference) * 0.5) / Math.sqrt(variance);
  return { u, z, p: Math.min(1, 2 * normalTail(Math.abs(z))) };
}

/** A bootstrap confidence interval. */
export interface BootstrapInterval {
  estimate: number;
  lower: number;
  upper: number;
  level: number;
}

/**
 * Percentile-bootstrap confidence interval of median(b) / median(a). Each resample draws both
 * samples with replacement in blocks of consecutive values (a moving-block bootstrap), so bursts
 * and drift — autocorrelation — widen the interval instead of being treated as independent
 * evidence; `blockLength` 1 is the plain bootstrap. Default block length: ⌈n^⅓⌉. Seeded, so
 * the same samples always give the same interval.
 */
export function bootstrapRatioOfMedians(
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  options: { resamples?: number; level?: number; seed?: number; blockLength?: number } = {},
): BootstrapInterval {
  if (a.length === 0 || b.length === 0) throw new RangeError('bootstrap needs two non-empty samples');
  const resamples = options.resamples ?? 2000;
  const level = options.level ?? 0.95;
  const random = new SeededRandom(options.seed ?? 1);
  const median = (values: ArrayLike<number>) => quantileSorted(Float64Array.from(values).sort(), 0.5);
  const draw = (values: ArrayLike<number>, into: Float64Array) => {
    const n = values.length;
    const block = Math.max(1, Math.min(n, options.blockLength ?? Math.ceil(Math.cbrt(n))));
    for (let filled = 0; filled < n; ) {
      const start = random.integer(0, n - block + 1);
      for (let k = 0; k < block && filled < n; k++) into[filled++] = values[start + k] as number;
    }
    return quantileSorted(into.sort(), 0.5);
  };
  const bufferA = new Float64Array(a.length);
  const bufferB = new Float64Array(b.length);
  const ratios = new Float64Array(resamples);
  for (let r = 0; r < resamples; r++) ratios[r] = draw(b, bufferB) / draw(a, bufferA);
  ratios.sort();
  const tail = (1 - level) / 2;
  return { estimate: median(b) / median(a), lower: quantileSorted(ratios, tail), upper: quantileSorted(ratios, 1 - tail), level };
}
