import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseResults } from '@ortbench/core';
import { SHARED } from '@ortbench/tools/test-support/shared-data';
import { cliSandbox } from './cli-sandbox';

const { scratch, ortbench } = await cliSandbox('precision');


describe('precision variants through the CLI', () => {
  it('converts to fp16 and quantizes dynamically; each variant runs on node-cpu and web-wasm, which agree', () => {
    const fp16 = path.join(scratch, 'bert-fp16.onnx');
    const int8 = path.join(scratch, 'bert-int8.onnx');
    expect(ortbench('models', 'convert', 'bert-tiny', '--fp16', '--out', fp16).code).toBe(0);
    expect(ortbench('models', 'quantize', 'bert-tiny', '--mode', 'dynamic', '--out', int8).code).toBe(0);
    expect(ortbench('models', 'inspect', int8, '--json').stdout).toContain('"MatMulInteger"');
    for (const model of [fp16, int8]) {
      const run = ortbench('verify', model, '--runner', 'node-cpu,web-wasm', '--precision', 'int8', '--batch', '2', '--seq', '16');
      expect(run.code, `${model}: ${run.stdout}${run.stderr}`).toBe(0);
    }
  }, 120_000);

  it('sweeps precisions in one table, int8 calibrated on synthetic images with a warning', () => {
    const { code, stdout, stderr } = ortbench('bench', 'resnet50-tiny', '--batch', '2', '--precision', 'fp32,fp16,int8', '--iterations', '3', '--json', '--out', path.join(scratch, 'p'));
    expect(code, stderr).toBe(0);
    expect(stderr).toContain('warning: int8-static calibrated on synthetic images');
    expect(parseResults(stdout).results.map((r) => `${r.configuration.options.precision}:${r.status}`)).toEqual(['fp32:completed', 'fp16:completed', 'int8-static:completed']);
  }, 120_000);

  it('refuses static quantization without calibration images', () => {
    const run = ortbench('models', 'quantize', 'resnet50-tiny', '--mode', 'static', '--out', path.join(scratch, 'x.onnx'));
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--mode static needs --calibrate DIR');
  });
});

describe('eval over texts (BERT)', () => {
  it('compares every output of a variant with the fp32 reference: cosine similarity and max difference', async () => {
    const { writeFile } = await import('node:fs/promises');
    const texts = path.join(scratch, 'texts.txt');
    const vocab = path.join(scratch, 'vocab.txt');
    await writeFile(texts, 'the cat sat\na dog ran\n\nthe end\n');
    await writeFile(vocab, ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]', 'the', 'cat', 'sat', 'a', 'dog', 'ran', 'end'].join('\n'));
    const int8 = path.join(scratch, 'bert-tiny-int8.onnx');
    expect(ortbench('models', 'quantize', 'bert-tiny', '--mode', 'dynamic', '--out', int8).code).toBe(0);
    const { code, stdout, stderr } = ortbench('eval', int8, '--texts', texts, '--vocab', vocab, '--reference', 'bert-tiny', '--json');
    expect(code, stderr).toBe(0);
    const result = JSON.parse(stdout);
    expect(result.texts).toBe(3);
    const pooled = result.outputs.find((o: { output: string }) => o.output === 'pooler_output');
    expect(pooled.meanCosine).toBeGreaterThan(0.99);
    expect(pooled.maxAbsDiff).toBeGreaterThan(0); // int8 is not bit-identical
    // Without --vocab a file has no tokenizer (a model folder would use its own).
    expect(ortbench('eval', int8, '--texts', texts, '--reference', 'bert-tiny').stderr).toBe(`ortbench: INVALID_ARGUMENT: --vocab FILE is required: ${int8} is not a model folder with a tokenizer\n`);
  }, 60_000);
});

describe.skipIf(!SHARED)('int8 and fp16 MobileNetV2 accuracy (ortbench eval)', () => {
  const fp32 = () => path.join(SHARED!, 'models/mobilenetv2/mobilenetv2-12-dequantized-fp32.onnx');

  it('static int8 calibrated on the photos (percentile) keeps top-1 on at least 14 of 15, and reports its differences', () => {
    const int8 = path.join(scratch, 'mobilenet-int8.onnx');
    const made = ortbench('models', 'quantize', fp32(), '--mode', 'static', '--calibrate', path.join(SHARED!, 'images'), '--method', 'percentile', '--out', int8);
    expect(made.code, made.stderr).toBe(0);
    const { code, stdout } = ortbench('eval', int8, '--images', path.join(SHARED!, 'images'), '--labels', path.join(SHARED!, 'images/expected.json'), '--reference', fp32(), '--json');
    expect(code).toBe(0);
    const result = JSON.parse(stdout);
    expect(result.images).toBe(15);
    expect(result.top1 * 15).toBeGreaterThanOrEqual(14);
    expect(result.differing).toBeLessThanOrEqual(15 - 13);
  }, 120_000);

  it('bench --precision shows throughput and accuracy per precision in one table', () => {
    const { code, stdout, stderr } = ortbench('bench', fp32(), '--batch', '8', '--precision', 'fp32,fp16,int8', '--images', path.join(SHARED!, 'images'), '--labels', path.join(SHARED!, 'images/expected.json'), '--iterations', '3', '--out', path.join(scratch, 'acc'));
    expect(code, stderr).toBe(0);
    // int8 on an image model is static QDQ, and says so.
    // fp32's cell has top-1 only; the others add their top-1 agreement with fp32 on the photos and their outputs' cosine to fp32's.
    expect(stdout).toMatch(/^\s+8\s+fp32\s+[\d.]+ ms \(3 runs, no CI\) · [\d.]+\/s · top-1 1\.000$/m);
    for (const precision of ['fp16', 'int8-static']) expect(stdout).toMatch(new RegExp(`^\\s+8\\s+${precision}\\s+[\\d.]+ ms \\(3 runs, no CI\\) · [\\d.]+/s · top-1 (1\\.000|0\\.933) · ≠fp32 \\d+/15 · cos ≥ [\\d.]+$`, 'm'));
  }, 180_000);
});
