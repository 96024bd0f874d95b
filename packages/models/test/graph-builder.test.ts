import { describe, expect, it } from 'vitest';
import { ErrorCode } from '@ortbench/core';
import { buildMatMul, decodeModel, encodeModel, float, GraphBuilder, inspectModel } from '../src/index';
import { runInOrt } from './ort';

describe('GraphBuilder', () => {
  it('builds a model onnxruntime-node runs: y = relu(x·W + b) · 0.5', async () => {
    const g = new GraphBuilder('tiny');
    const x = g.input('x', 'float32', ['n', 2]);
    const w = g.initializer('w', 'float32', [2, 3], Float32Array.from([1, 0, -1, 0, 1, 1]));
    const b = g.initializer('b', 'float32', [3], Float32Array.from([0, 0, -10]));
    const hidden = g.op('Relu', [g.op('Add', [g.op('MatMul', [x, w]), b])]);
    g.node('Mul', [hidden, g.scalar(0.5)], {}, { outputs: ['y'] });
    g.output('y', 'float32', ['n', 3]);
    const model = g.toModel({ opset: 13 });
    const outputs = await runInOrt(model, { x: { data: Float32Array.from([2, 3, -1, 4]), dims: [2, 2] } });
    expect(Array.from(outputs.y!.data as Float32Array)).toEqual([1, 1.5, 0, 0, 2, 0]);
    expect(outputs.y!.dims).toEqual([2, 3]);
    // Constants are nodes, not initializers: only w and b count as parameters.
    expect(inspectModel(decodeModel(encodeModel(model).model, 'tiny')).parameters.count).toBe(9);
  });

  it('types attributes: integers are INT, floats must be marked', () => {
    const g = new GraphBuilder();
    const x = g.input('x', 'float32', [1]);
    expect(() => g.op('LeakyRelu', [x], { alpha: 0.1 })).toThrow(/use float\(0.1\)/);
    expect(() => g.op('LeakyRelu', [x], { alpha: float(0.1) })).not.toThrow();
  });

  it('refuses a value defined twice', () => {
    const g = new GraphBuilder();
    g.input('x', 'float32', [1]);
    expect(() => g.initializer('x', 'float32', [1], new Float32Array(1))).toThrow(expect.objectContaining({ code: ErrorCode.INVALID_ARGUMENT }));
  });

  it('checks initializer sizes against their dims', () => {
    expect(() => new GraphBuilder().initializer('w', 'float32', [2, 2], new Float32Array(3))).toThrow(/needs 4 elements, got 3/);
  });
});

describe('buildMatMul', () => {
  it('is one MatMul of 2·m·k·n FLOPs that ORT runs', async () => {
    const model = buildMatMul({ m: 8, k: 16, n: 4 });
    expect(inspectModel(model).compute.flops).toBe(2 * 8 * 16 * 4);
    const out = await runInOrt(model, { a: { data: new Float32Array(8 * 16).fill(1), dims: [8, 16] } });
    expect(out.c!.dims).toEqual([8, 4]);
  });
});
