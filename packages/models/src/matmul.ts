import { InvalidArgumentError } from '@ortbench/core';
import { GraphBuilder } from './graph-builder';
import type { onnx } from './onnx-types';
import { uniformWeights } from './weights';

/**
 * A single MatMul, `a` [m, k] × weight [k, n] → `c` [m, n]: 2·m·k·n FLOPs per run. Run through
 * a runner it measures the machine's achievable GFLOP/s there (the roofline's ceiling).
 */
export function buildMatMul(options: { m?: number; k?: number; n?: number; seed?: number } = {}): onnx.IModelProto {
  const { m = 1024, k = 1024, n = 1024, seed = 0 } = options;
  for (const [label, value] of [['m', m], ['k', k], ['n', n]] as const) {
    if (!Number.isInteger(value) || value < 1) throw new InvalidArgumentError(`matmul: ${label} must be a positive integer, got ${value}`);
  }
  const g = new GraphBuilder('matmul');
  const a = g.input('a', 'float32', [m, k]);
  const b = g.initializer('b', 'float32', [k, n], uniformWeights(seed, 'b', k * n, 1));
  g.node('MatMul', [a, b], {}, { outputs: ['c'] });
  g.output('c', 'float32', [m, n]);
  return g.toModel({ opset: 13, metadata: { architecture: 'matmul', m: String(m), k: String(k), n: String(n) } });
}
