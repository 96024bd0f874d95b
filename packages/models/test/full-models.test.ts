import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import type { onnx } from '../src/index';
import { buildBert, buildModel, buildResNet50, encodeModel, inspectModel, presetSpec } from '../src/index';
import { imageData, scan, tokenIds } from './ort';

// Integration: the full-size architectures. Every intermediate float activation is made a
// graph output, so "finite, in normal float range, no denormals" is checked layer by layer.
function exposeActivations(model: onnx.IModelProto, ops: Set<string>): onnx.IModelProto {
  const graph = model.graph!;
  const declared = new Set(graph.output!.map((o) => o.name));
  const extra = graph.node!.filter((n) => ops.has(n.opType!)).flatMap((n) => n.output!).filter((name) => !declared.has(name));
  return { ...model, graph: { ...graph, output: [...graph.output!, ...extra.map((name) => ({ name, type: { tensorType: { elemType: 1 } } }))] } };
}

async function runAll(model: onnx.IModelProto, feeds: Record<string, ort.Tensor>) {
  const session = await ort.InferenceSession.create(encodeModel(model).model, { intraOpNumThreads: 2 });
  try {
    return (await session.run(feeds)) as Record<string, ort.Tensor>;
  } finally {
    await session.release();
  }
}

function expectHealthy(outputs: Record<string, ort.Tensor>, limit: number) {
  for (const [name, tensor] of Object.entries(outputs)) {
    const { finite, denormals, maxAbs } = scan(tensor.data as Float32Array);
    expect({ name, finite, denormals }).toEqual({ name, finite: true, denormals: 0 });
    expect(maxAbs, name).toBeLessThan(limit);
  }
}

describe('full-size models', () => {
  it('resnet50: 25,530,472 parameters, [2, 1000] logits, healthy activations in every layer', async () => {
    const model = buildResNet50();
    // torchvision's resnet50 has 25,557,032: 26,560 BatchNorm channels, two parameters each, now one.
    expect(inspectModel(model).parameters).toMatchObject({ count: 25_530_472, beforeFolding: 25_557_032 });
    const outputs = await runAll(exposeActivations(model, new Set(['Relu', 'Add', 'Conv'])), {
      input: new ort.Tensor('float32', imageData(2 * 3 * 224 * 224), [2, 3, 224, 224]),
    });
    expect(outputs.output!.dims).toEqual([2, 1000]);
    expect(Object.keys(outputs).length).toBeGreaterThan(100);
    expectHealthy(outputs, 1e4);
  }, 120_000);

  // torchvision's figures: parameters, BatchNorm-folded parameters, and GMACs per image (its "GFLOPS").
  const torchvision = [
    { name: 'alexnet', parameters: 61_100_840, folded: 61_100_840, gmacs: 0.71, size: 224 },
    { name: 'vgg16', parameters: 138_357_544, folded: 138_357_544, gmacs: 15.47, size: 224 },
    { name: 'inception-v3', parameters: 23_834_568, folded: 23_817_352, gmacs: 5.71, size: 299 },
    { name: 'mobilenet-v2', parameters: 3_504_872, folded: 3_487_816, gmacs: 0.3, size: 224 },
  ];
  for (const t of torchvision) {
    it(`${t.name}: ${t.parameters.toLocaleString('en-US')} parameters (${t.folded.toLocaleString('en-US')} folded), ${t.gmacs} GMACs, healthy activations in every layer`, async () => {
      const model = buildModel(presetSpec(t.name));
      const report = inspectModel(model, { batch_size: 1 });
      expect(report.parameters.count).toBe(t.folded);
      expect(report.parameters.beforeFolding ?? report.parameters.count).toBe(t.parameters);
      expect(report.compute.complete).toBe(true);
      expect(Math.abs(report.compute.macs.total / 1e9 / t.gmacs - 1)).toBeLessThan(0.03);
      const outputs = await runAll(exposeActivations(model, new Set(['Relu', 'Clip', 'Add', 'Conv', 'Concat', 'Gemm'])), {
        input: new ort.Tensor('float32', imageData(3 * t.size * t.size), [1, 3, t.size, t.size]),
      });
      expect(outputs.output!.dims).toEqual([1, 1000]);
      expectHealthy(outputs, 1e4);
    }, 180_000);
  }

  it('bert-base: 109,482,240 parameters, both outputs, healthy activations in every layer', async () => {
    const model = buildBert();
    expect(inspectModel(model).parameters.count).toBe(109_482_240);
    const n = 2;
    const s = 32;
    const outputs = await runAll(exposeActivations(model, new Set(['LayerNormalization', 'Softmax', 'Erf', 'Tanh'])), {
      input_ids: new ort.Tensor('int64', tokenIds(n * s, 30522), [n, s]),
      attention_mask: new ort.Tensor('int64', new BigInt64Array(n * s).fill(1n), [n, s]),
      token_type_ids: new ort.Tensor('int64', new BigInt64Array(n * s), [n, s]),
    });
    expect(outputs.last_hidden_state!.dims).toEqual([n, s, 768]);
    expect(outputs.pooler_output!.dims).toEqual([n, 768]);
    expectHealthy(outputs, 1e3);
  }, 120_000);
});
