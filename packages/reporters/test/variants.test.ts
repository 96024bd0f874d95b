import type { ConfigurationResult, Measurement } from '@ortbench/core';
import { describe, expect, it } from 'vitest';
import { detailLines, formatCell, renderConsoleTable, renderCsv, renderHtml, renderMarkdown } from '../src/index';
import { variantLines } from '../src/variants';
import { completed, document } from './results-fixture';

/** A folder variant on `runner` with its paired ratio to fp32 and its outputs' fidelity. */
function variant(name: string, runner: string, ratio?: [number, number, number], fidelity?: Measurement['fidelity'], bytes = 1024 * 1024): ConfigurationResult {
  const result = completed({ runner, model: 'minilm', batchSize: 1, sequenceLength: 128, options: { variant: name } }, 10);
  if (result.status !== 'completed') throw new Error('fixture');
  result.measurement.modelFile = { path: `minilm/onnx/model_${name}.onnx`, bytes };
  if (ratio) result.measurement.comparisons = [{ axis: 'opt.variant', baseline: 'fp32 id', baselineValue: 'fp32', ratio: ratio[0], lower: ratio[1], upper: ratio[2], level: 0.95, pairs: 60, excluded: 0 }];
  if (fidelity) result.measurement.fidelity = fidelity;
  return result;
}
const close = (cosineMin: number) => ({ reference: 'fp32', output: 'last_hidden_state', items: 8, pooled: true, cosineMin, cosineMean: cosineMin, maxAbsDiff: 0.01 });

describe('which variant to ship', () => {
  const sweep = document([
    variant('fp32', 'node-cpu', undefined, undefined, 90 * 1024 * 1024),
    variant('fp16', 'node-cpu', [1.4, 1.3, 1.5], close(0.9999), 45 * 1024 * 1024),
    variant('q8', 'node-cpu', [0.55, 0.52, 0.58], close(0.995), 23 * 1024 * 1024),
    variant('q4', 'node-cpu', [0.45, 0.42, 0.48], close(0.95), 15 * 1024 * 1024),
    variant('fp32', 'web-wasm'),
    variant('q8', 'web-wasm', [0.97, 0.9, 1.04], close(0.995)),
  ]);

  it('recommends the fastest variant within 0.99 cosine of fp32, only where its interval is wholly below 1', () => {
    const lines = variantLines(sweep);
    // q4 is faster still, but its outputs are further than 0.99 from fp32's.
    expect(lines[0]).toBe('Which variant on node-cpu, batch 1, sequence 128: fastest within 0.99 cosine of fp32: q8, 1.82× faster (1.72–1.92) than fp32. Files: fp32 90.0 MiB, fp16 45.0 MiB, q8 23.0 MiB, q4 15.0 MiB.');
    // 0.90–1.04 reaches 1: no claim.
    expect(lines[1]).toMatch(/^Which variant on web-wasm, batch 1, sequence 128: no variant within 0\.99 cosine of fp32 is measurably faster than fp32/);
  });

  it('a top-1 that changed keeps a variant out of the recommendation, and every format carries the fidelity', () => {
    const classifier = document([
      variant('fp32', 'node-cpu'),
      variant('q8', 'node-cpu', [0.5, 0.45, 0.55], { reference: 'fp32', output: 'logits', items: 8, cosineMin: 0.999, cosineMean: 0.9995, maxAbsDiff: 0.2, top1Changed: 1 }),
    ]);
    expect(variantLines(classifier)[0]).toMatch(/no variant within 0\.99 cosine of fp32 is measurably faster/);
    // On photos (--images) no top-1 changed: the one change on the seeded timing input does not count.
    const onPhotos = document([variant('fp32', 'node-cpu'), variant('q8', 'node-cpu', [0.5, 0.45, 0.55], { reference: 'fp32', output: 'logits', items: 1, cosineMin: 0.999, cosineMean: 0.999, maxAbsDiff: 0.2, top1Changed: 1 })]);
    (onPhotos.results[1] as Extract<ConfigurationResult, { status: 'completed' }>).measurement.agreement = { reference: 'fp32', differing: 0, images: 15 };
    expect(variantLines(onPhotos)[0]).toMatch(/fastest within 0\.99 cosine of fp32: q8, 2\.00× faster/);
    // One top-1 count per cell: the photos' when there are photos.
    expect(formatCell(onPhotos.results[1]!)).toContain('≠fp32 0/15 · cos ≥ 0.9990');
    expect(formatCell(onPhotos.results[1]!)).not.toContain('top-1 ≠fp32 1/1');
    expect(formatCell(classifier.results[1]!)).toContain('cos ≥ 0.9990 · top-1 ≠fp32 1/8');
    expect(detailLines(classifier.results[1]!)).toContain('outputs against fp32 on the inputs timed ("logits", per item): cosine ≥ 0.999000 (mean 0.999500) over 8 item(s), max |Δ| 0.200; top-1 changed for 1 of 8');
    const [header, , q8] = renderCsv(classifier).split('\n');
    const column = (name: string) => q8!.split(',')[header!.split(',').indexOf(name)];
    expect(column('fidelity_cosine_min')).toBe('0.999');
    expect(column('fidelity_top1_changed')).toBe('1');
    for (const text of [renderConsoleTable(classifier), renderMarkdown(classifier), renderHtml(classifier)]) expect(text).toContain('Which variant on node-cpu');
  });

  it('a comparison that could not be made says why', () => {
    const missing = document([variant('fp32', 'node-cpu'), variant('q8', 'node-cpu', undefined, { reference: 'fp32', unavailable: 'the folder has no fp32 model (model.onnx) to compare with' })]);
    expect(formatCell(missing.results[1]!)).toContain('vs fp32 —');
    expect(detailLines(missing.results[1]!)).toContain('outputs not compared with fp32: the folder has no fp32 model (model.onnx) to compare with');
  });
});
