import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { preprocessImages, softmax, syntheticTokens, topK } from '@ortbench/preprocess';
import { SHARED } from '@ortbench/tools/test-support/shared-data';
import type { onnx, Range } from '../src/index';
import { buildModel, calibrationTensors, convertToFloat16, encodeModel, inspectModel, packWeights, presetSpec, quantize4Bit, quantizeDynamic, quantizeStatic, readModel, withExtraOutputs } from '../src/index';

async function session(model: Parameters<typeof encodeModel>[0]) {
  return ort.InferenceSession.create(encodeModel(model).model, { intraOpNumThreads: 2 });
}

describe.skipIf(!SHARED)('precision variants of the shared MobileNetV2 keep its top-1', async () => {
  const images = path.join(SHARED!, 'images');
  const expected = JSON.parse(await readFile(path.join(images, 'expected.json'), 'utf8')) as Record<string, { expect_top1_any_of?: number[] }>;
  const files = (await readdir(images)).filter((f) => expected[f]?.expect_top1_any_of).sort();
  const batch = await preprocessImages(files.map((f) => path.join(images, f)), 'imagenet');
  const input = new ort.Tensor('float32', batch.data as Float32Array, batch.dims);
  const fp32 = await readModel(path.join(SHARED!, 'models/mobilenetv2/mobilenetv2-12-dequantized-fp32.onnx'));

  async function correct(model: Parameters<typeof encodeModel>[0]): Promise<number> {
    const s = await session(model);
    try {
      const logits = (await s.run({ input })).output!.data as Float32Array;
      return files.filter((file, i) => expected[file]!.expect_top1_any_of!.includes(topK(softmax(logits.subarray(i * 1000, (i + 1) * 1000)), 1)[0]!.index)).length;
    } finally {
      await s.release();
    }
  }

  it('fp16: at least 14 of 15 photos', async () => {
    const fp16 = convertToFloat16(fp32);
    expect(inspectModel(fp16).inputs[0]!.dtype).toBe('float32'); // casts at the edges
    expect(await correct(fp16)).toBeGreaterThanOrEqual(14);
  }, 120_000);

  it('int8, static QDQ calibrated on the photos (min-max): at least 14 of 15, on integer kernels', async () => {
    const names = calibrationTensors(fp32);
    const probe = await session(withExtraOutputs(fp32, names));
    const ranges: Record<string, Range> = {};
    try {
      const outputs = await probe.run({ input });
      for (const name of names) {
        const data = outputs[name]!.data as Float32Array;
        let min = Infinity;
        let max = -Infinity;
        for (const v of data) {
          if (v < min) min = v;
          if (v > max) max = v;
        }
        ranges[name] = { min, max };
      }
    } finally {
      await probe.release();
    }
    const int8 = quantizeStatic(fp32, ranges);
    const ops = inspectModel(int8).opCounts;
    expect(ops.QuantizeLinear).toBeGreaterThan(50);
    expect(ops.DequantizeLinear).toBeGreaterThan(100);
    expect(await correct(int8)).toBeGreaterThanOrEqual(14);
  }, 120_000);
});

describe('dynamic int8 quantization of BERT', () => {
  it('replaces every weighted MatMul and stays close to float32 (cosine of pooled outputs > 0.99)', async () => {
    const model = buildModel(presetSpec('bert-tiny'));
    const dynamic = quantizeDynamic(model);
    const ops = inspectModel(dynamic).opCounts;
    expect(ops.MatMulInteger).toBe(inspectModel(model).opCounts.MatMul! - 4); // QKᵀ and PV per layer stay float
    const { cosine } = await compareOnTokens(model, dynamic, 'pooler_output');
    expect(cosine).toBeGreaterThan(0.99);
  });
});

describe('block-wise 4-bit weights (q4, MatMulNBits)', () => {
  it('packs two values a byte, low nibble first, and dequantizes within half a step of each block', () => {
    // K = 40 (one full block of 32 and a padded one of 8), N = 3.
    const k = 40;
    const columns = 3;
    const weights = Float32Array.from({ length: k * columns }, (_, i) => Math.sin(i * 1.7) * (1 + (i % 5)));
    const { values, scales, zeroPoints, blocks } = packWeights(weights, k, columns, 32);
    expect(blocks).toBe(2);
    expect(values.length).toBe(columns * blocks * 16);
    for (let n = 0; n < columns; n++) {
      for (let i = 0; i < k; i++) {
        const b = Math.floor(i / 32);
        const j = i % 32;
        const q = (values[(n * blocks + b) * 16 + (j >> 1)]! >> ((j & 1) * 4)) & 15;
        const zero = (zeroPoints[n + (b >> 1)]! >> ((b & 1) * 4)) & 15;
        const scale = scales[n * blocks + b]!;
        expect(Math.abs((q - zero) * scale - weights[i * columns + n]!)).toBeLessThanOrEqual(scale / 2 + 1e-6);
      }
    }
  });

  it('on the built BERT: every weighted MatMul becomes MatMulNBits, and ONNX Runtime runs it within 0.999 cosine of float32', async () => {
    const model = buildModel(presetSpec('bert-tiny'));
    const q4 = quantize4Bit(model);
    const ops = inspectModel(q4).opCounts;
    expect(ops['com.microsoft.MatMulNBits']).toBe(inspectModel(model).opCounts.MatMul! - 4); // QKᵀ and PV per layer stay float
    expect(ops.MatMul).toBe(4);
    const { cosine, maxDiff } = await compareOnTokens(model, q4, 'last_hidden_state');
    // The stated tolerance of q4 against fp32 (docs/VARIANTS.md): cosine ≥ 0.999, max |Δ| < 0.05.
    expect(cosine).toBeGreaterThan(0.999);
    expect(maxDiff).toBeLessThan(0.05);
  });
});

/** Runs two BERTs on the same seeded token ids: the cosine and the largest difference of one output. */
async function compareOnTokens(a: onnx.IModelProto, b: onnx.IModelProto, output: string): Promise<{ cosine: number; maxDiff: number }> {
  const encoding = syntheticTokens(2, 16, { seed: 4 });
  const feeds = {
    input_ids: new ort.Tensor('int64', encoding.inputIds, encoding.dims),
    attention_mask: new ort.Tensor('int64', encoding.attentionMask, encoding.dims),
    token_type_ids: new ort.Tensor('int64', encoding.tokenTypeIds, encoding.dims),
  };
  const sessions = await Promise.all([session(a), session(b)]);
  try {
    const [x, y] = await Promise.all(sessions.map(async (s) => (await s.run(feeds))[output]!.data as Float32Array));
    let dot = 0;
    let nx = 0;
    let ny = 0;
    let maxDiff = 0;
    x!.forEach((v, i) => {
      dot += v * y![i]!;
      nx += v * v;
      ny += y![i]! * y![i]!;
      maxDiff = Math.max(maxDiff, Math.abs(v - y![i]!));
    });
    return { cosine: dot / Math.sqrt(nx * ny), maxDiff };
  } finally {
    await Promise.all(sessions.map((s) => s.release()));
  }
}
