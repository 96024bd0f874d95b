import { describe, expect, it } from 'vitest';
import { buildBert, buildResNet50, inspectModel, decodeModel, encodeModel, presetSpec, buildModel } from '../src/index';
import type { BertOptions, ResNetOptions } from '../src/index';
import { imageData, runInOrt, scan, tokenIds } from './ort';

const tinyResNet = presetSpec('resnet50-tiny').options as ResNetOptions;
const tinyBert = presetSpec('bert-tiny').options as BertOptions;
const inspect = (model: ReturnType<typeof buildBert>, dims: Record<string, number> = {}) => inspectModel(decodeModel(encodeModel(model).model, 'built'), dims);

/** Parameters of a BN-folded ResNet: every conv's weights and bias, plus the classifier. */
function resnetParameters(o: { stemWidth: number; stageWidths: number[]; stageBlocks: number[]; numClasses: number }): number {
  const conv = (cin: number, cout: number, k: number) => cout * cin * k * k + cout;
  let total = conv(3, o.stemWidth, 7);
  let channels = o.stemWidth;
  o.stageWidths.forEach((width, stage) => {
    for (let block = 0; block < o.stageBlocks[stage]!; block++) {
      total += conv(channels, width, 1) + conv(width, width, 3) + conv(width, width * 4, 1);
      if (block === 0) total += conv(channels, width * 4, 1);
      channels = width * 4;
    }
  });
  return total + channels * o.numClasses + o.numClasses;
}

describe('resnet50 builder', () => {
  it('gives the torchvision ResNet-50 parameter count with BN folded', () => {
    expect(resnetParameters({ stemWidth: 64, stageWidths: [64, 128, 256, 512], stageBlocks: [3, 4, 6, 3], numClasses: 1000 })).toBe(25_530_472);
  });

  it('builds the tiny preset with the parameters the topology implies, and runs it', async () => {
    const model = buildResNet50(tinyResNet);
    expect(inspect(model).parameters.count).toBe(resnetParameters({ stemWidth: 8, stageWidths: [8, 16, 32, 64], stageBlocks: [1, 1, 1, 1], numClasses: 10 }));
    const out = await runInOrt(model, { input: { data: imageData(3 * 3 * 32 * 32), dims: [3, 3, 32, 32] } });
    expect(out.output!.dims).toEqual([3, 10]);
    expect(scan(out.output!.data as Float32Array)).toMatchObject({ finite: true, denormals: 0 });
  });

  it('declares a fixed or dynamic batch and the opset asked for', () => {
    const fixed = inspect(buildResNet50({ ...tinyResNet, batch: 128, opset: 13 }));
    expect(fixed.inputs).toEqual([{ name: 'input', dtype: 'float32', dims: [128, 3, 32, 32] }]);
    expect(fixed.outputs).toEqual([{ name: 'output', dtype: 'float32', dims: [128, 10] }]);
    expect(fixed.opsets).toEqual([{ domain: 'ai.onnx', version: 13 }]);
    expect(inspect(buildResNet50(tinyResNet)).inputs[0]!.dims[0]).toBe('batch_size');
    expect(() => buildResNet50({ opset: 12 })).toThrow(/opset must be an integer ≥ 13/);
  });

  it('is deterministic per seed', () => {
    const a = Buffer.from(encodeModel(buildResNet50(tinyResNet)).model);
    expect(a.equals(encodeModel(buildResNet50(tinyResNet)).model)).toBe(true);
    expect(a.equals(encodeModel(buildResNet50({ ...tinyResNet, seed: 1 })).model)).toBe(false);
  });
});

describe('bert builder', () => {
  const hfInputs = (n: number, s: number, valid = s) => ({
    input_ids: { data: tokenIds(n * s, 30522), dims: [n, s] },
    attention_mask: { data: BigInt64Array.from({ length: n * s }, (_, i) => (i % s < valid ? 1n : 0n)), dims: [n, s] },
    token_type_ids: { data: new BigInt64Array(n * s), dims: [n, s] },
  });

  it('counts bert-base-uncased at 109,482,240 parameters by its formula, and the tiny preset likewise', () => {
    const count = (o: Required<Pick<BertOptions, 'layers' | 'hidden' | 'intermediate' | 'vocabSize' | 'maxPositions'>>) => {
      const h = o.hidden;
      const embeddings = (o.vocabSize + o.maxPositions + 2) * h + 2 * h;
      const layer = 4 * (h * h + h) + 2 * h + (h * o.intermediate + o.intermediate) + (o.intermediate * h + h) + 2 * h;
      return embeddings + o.layers * layer + h * h + h;
    };
    expect(count({ layers: 12, hidden: 768, intermediate: 3072, vocabSize: 30522, maxPositions: 512 })).toBe(109_482_240);
    expect(inspect(buildBert(tinyBert)).parameters.count).toBe(count({ layers: 2, hidden: 64, intermediate: 256, vocabSize: 30522, maxPositions: 512 }));
  });

  it('runs with the Hugging Face inputs and gives both outputs', async () => {
    const out = await runInOrt(buildBert(tinyBert), hfInputs(2, 16));
    expect(out.last_hidden_state!.dims).toEqual([2, 16, 64]);
    expect(out.pooler_output!.dims).toEqual([2, 64]);
    expect(scan(out.last_hidden_state!.data as Float32Array)).toMatchObject({ finite: true, denormals: 0 });
  });

  it('honours the attention mask: padding does not change the real tokens', async () => {
    const model = buildBert(tinyBert);
    const short = await runInOrt(model, hfInputs(1, 10));
    const padded = hfInputs(1, 16, 10);
    padded.input_ids.data.set(hfInputs(1, 10).input_ids.data);
    const long = await runInOrt(model, padded);
    const a = short.last_hidden_state!.data as Float32Array;
    const b = (long.last_hidden_state!.data as Float32Array).subarray(0, 10 * 64);
    let maxDiff = 0;
    for (let i = 0; i < a.length; i++) maxDiff = Math.max(maxDiff, Math.abs(a[i]! - b[i]!));
    expect(maxDiff).toBeLessThan(1e-4);
    // …while without the mask the padding would leak in
    const unmasked = { ...padded, attention_mask: { data: new BigInt64Array(16).fill(1n), dims: [1, 16] } };
    const leaked = (await runInOrt(model, unmasked)).last_hidden_state!.data as Float32Array;
    expect(Math.abs(leaked[0]! - a[0]!)).toBeGreaterThan(1e-3);
  });

  it('offers TF-Hub and ids-only inputs, fixed axes, and decomposed LayerNorm below opset 17', async () => {
    expect(inspect(buildBert({ ...tinyBert, inputs: 'tf-hub' })).inputs.map((i) => i.name)).toEqual(['input_word_ids', 'input_mask', 'input_type_ids']);
    const idsOnly = buildBert({ ...tinyBert, inputs: 'ids-only', batch: 1, sequence: 8 });
    expect(inspect(idsOnly).inputs).toEqual([{ name: 'input_ids', dtype: 'int64', dims: [1, 8] }]);
    expect((await runInOrt(idsOnly, { input_ids: { data: tokenIds(8, 30522), dims: [1, 8] } })).pooler_output!.dims).toEqual([1, 64]);
    const v13 = buildBert({ ...tinyBert, opset: 13 });
    expect(inspect(v13).opCounts.LayerNormalization).toBeUndefined();
    const [a, b] = await Promise.all([runInOrt(v13, hfInputs(1, 8)), runInOrt(buildBert(tinyBert), hfInputs(1, 8))]);
    const x = a.pooler_output!.data as Float32Array;
    const y = b.pooler_output!.data as Float32Array;
    expect(Math.max(...x.map((v, i) => Math.abs(v - y[i]!)))).toBeLessThan(1e-4);
  });

  it('rejects impossible configurations', () => {
    expect(() => buildBert({ hidden: 100, heads: 12 })).toThrow(/divisible/);
    expect(() => buildBert({ ...tinyBert, sequence: 513 })).toThrow(/exceeds maxPositions 512/);
  });

  it('builds the bert-base-chinese preset with its vocabulary size', () => {
    const spec = presetSpec('bert-base-chinese', { layers: 1 });
    const embedding = buildModel(spec).graph!.initializer!.find((t) => t.name === 'embeddings.word_embeddings.weight')!;
    expect(embedding.dims!.map(Number)).toEqual([21128, 768]);
  });
});

describe('torchvision image classifiers', () => {
  it('runs mobilenet-v2-tiny at a fixed batch and gives logits of that batch', async () => {
    const model = buildModel(presetSpec('mobilenet-v2-tiny', { batch: 3 }));
    expect(model.graph!.input![0]!.type!.tensorType!.shape!.dim![0]).toEqual({ dimValue: 3 });
    const out = await runInOrt(model, { input: { data: imageData(3 * 3 * 32 * 32), dims: [3, 3, 32, 32] } });
    expect(out.output!.dims).toEqual([3, 10]);
    expect(scan(out.output!.data as Float32Array).finite).toBe(true);
  });

  it('refuses input sizes whose feature maps do not pool evenly, naming the architecture', () => {
    expect(() => buildModel(presetSpec('alexnet', { imageSize: 260 }))).toThrow(/alexnet: the input gives a 7×7 feature map, which does not pool evenly to 6×6/);
    expect(() => buildModel(presetSpec('inception-v3', { imageSize: 64 }))).toThrow(/inception-v3: imageSize must be at least 75/);
    expect(() => buildModel(presetSpec('vgg16', { batch: 0 }))).toThrow(/vgg16: batch must be a positive integer/);
  });

  it('pools evenly at twice the usual size (alexnet at 416: 12×12 → 6×6)', () => {
    expect(inspectModel(buildModel(presetSpec('alexnet', { imageSize: 416 }))).opCounts.AveragePool).toBe(1);
  });
});
