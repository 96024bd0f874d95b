import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildBert, buildResNet50, inspectModel, presetSpec, readModel } from '../src/index';
import type { BertOptions, ResNetOptions } from '../src/index';
import { SHARED } from '@ortbench/tools/test-support/shared-data';

describe('inspectModel on built models', () => {
  it('reports I/O, opsets, op counts and metadata', () => {
    const report = inspectModel(buildResNet50({ ...(presetSpec('resnet50-tiny').options as ResNetOptions), opset: 15 }));
    expect(report.irVersion).toBe(8);
    expect(report.producer.name).toBe('ortbench');
    expect(report.opCounts).toMatchObject({ Conv: 1 + 4 * 3 + 4, MaxPool: 1, GlobalAveragePool: 1, Gemm: 1, Add: 4 });
    expect(report.metadata).toMatchObject({ architecture: 'resnet50', seed: '0' });
  });

  it('counts ResNet-50 MACs per image from its shapes (torchvision: 4.1 G)', () => {
    const { compute } = inspectModel(buildResNet50(), { batch_size: 1 });
    expect(compute.complete).toBe(true);
    expect(compute.macs.total / 1e9).toBeCloseTo(4.09, 2);
    expect(compute.macs.dense).toBe(2048 * 1000); // the classifier
    expect(compute.flops).toBe(2 * compute.macs.total);
    // MACs scale with batch
    expect(inspectModel(buildResNet50(), { batch_size: 8 }).compute.macs.total).toBe(8 * compute.macs.total);
  });

  it('splits BERT MACs into dense layers and attention at a given sequence length', () => {
    const o = presetSpec('bert-tiny').options as BertOptions;
    const { compute } = inspectModel(buildBert(o), { batch_size: 2, sequence_length: 32 });
    const h = 64;
    const i = 256;
    expect(compute.complete).toBe(true);
    // per layer: Q, K, V, output (4·h²) and the feed-forward (2·h·i) per token; the pooler per sequence
    expect(compute.macs.dense).toBe(2 * (2 * 32 * (4 * h * h + 2 * h * i) + h * h));
    // per layer: QKᵀ and PV, each S²·h per sequence
    expect(compute.macs.attention).toBe(2 * 2 * 2 * 32 * 32 * h);
    expect(compute.assumedDims).toEqual([]);
  });

  it('says which symbolic dims it assumed', () => {
    const { compute } = inspectModel(buildBert(presetSpec('bert-tiny').options as BertOptions), { batch_size: 1 });
    expect(compute.assumedDims).toEqual(['sequence_length']);
  });
});

describe.skipIf(!SHARED)('inspectModel on the shared MobileNetV2 files', () => {
  const file = (name: string) => path.join(SHARED!, 'models/mobilenetv2', name);

  it('counts the fp32 rewrite: 3.49 M parameters, about 300 M MACs', async () => {
    const report = inspectModel(await readModel(file('mobilenetv2-12-dequantized-fp32.onnx')), { batch_size: 1 });
    expect(report.inputs).toEqual([{ name: 'input', dtype: 'float32', dims: ['batch_size', 3, 224, 224] }]);
    expect(report.parameters.count / 1e6).toBeCloseTo(3.49, 2);
    // float32 weights, plus one small int64 shape tensor
    expect(report.parameters.bytes - report.parameters.count * 4).toBeGreaterThanOrEqual(0);
    expect(report.parameters.bytes - report.parameters.count * 4).toBeLessThan(64);
    expect(report.compute.complete).toBe(true);
    expect(report.compute.macs.total / 1e6).toBeGreaterThan(295);
    expect(report.compute.macs.total / 1e6).toBeLessThan(305);
  });

  it('infers through the int8 model\'s com.microsoft QLinear ops to the same MACs', async () => {
    const [int8, fp32] = await Promise.all([
      readModel(file('mobilenetv2-12-int8.onnx')),
      readModel(file('mobilenetv2-12-dequantized-fp32.onnx')),
    ]);
    const q = inspectModel(int8, { batch_size: 1 });
    expect(q.opCounts).toMatchObject({ QLinearConv: 52, 'com.microsoft.QLinearAdd': 11, 'com.microsoft.QLinearGlobalAveragePool': 1 });
    expect(q.compute.complete).toBe(true);
    expect(q.compute.macs.total).toBe(inspectModel(fp32, { batch_size: 1 }).compute.macs.total);
    expect(q.parameters.count / 1e6).toBeCloseTo(3.52, 2);
    expect(q.parameters.bytes).toBeLessThan(q.parameters.count * 1.1); // mostly 8-bit
  });
});
