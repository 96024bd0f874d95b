import { InvalidArgumentError } from '@ortbench/core';
import { GraphBuilder, tensorProto } from './graph-builder';
import { onnx } from './onnx-types';
import { uniformWeights } from './weights';

/**
 * Small models with the input features of the real models users bring — for testing that a
 * benchmark feeds them as deployed, not for measuring. Each is a few nodes, and each fails at
 * run time if it is fed wrongly (a width of 1, ids past its vocabulary, a mask of the wrong
 * length), so a test that runs it proves the feeds fit.
 *
 * - `detector`: an OCR text detector's input `x [N, 3, H, W]`, every dim symbolic, weights in
 *   Constant nodes (as some exporters store them).
 * - `recogniser`: `x [N, 3, 48, W]`: fixed height, symbolic width.
 * - `voice-activity`: a voice-activity model: an audio chunk with unnamed dims (at least 64
 *   samples, or Pad reflect fails), an int64 scalar sample rate, a recurrent state `[2, ?, 16]`.
 * - `decoder`: one decoder step: int64 ids into a 50-row embedding (ids ≥ 50 fail), a bool
 *   mask over `past_sequence_length + sequence_length`, a past state; its embedding table is
 *   the one large weight, so it goes to external data when saved so.
 * - `custom-op`: an op of domain `com.example` that no runtime has.
 * - `if-branches`: a MatMul in each branch of an If (the larger 8×32, the other 8×4).
 */
export type InputFixture = 'detector' | 'recogniser' | 'voice-activity' | 'decoder' | 'custom-op' | 'if-branches';

/** The fixtures' names, for tests that run each. */
export const INPUT_FIXTURES: readonly InputFixture[] = ['detector', 'recogniser', 'voice-activity', 'decoder', 'custom-op', 'if-branches'];

/** Builds one of the {@link InputFixture} models. */
export function buildInputFixture(kind: InputFixture): onnx.IModelProto {
  switch (kind) {
    case 'detector':
      return convolution(['N', 3, 'H', 'W'], 'detector');
    case 'recogniser':
      return convolution([null, 3, 48, null], 'recogniser');
    case 'voice-activity':
      return voiceActivity();
    case 'decoder':
      return decoder();
    case 'custom-op':
      return customOp();
    case 'if-branches':
      return ifBranches();
    default:
      throw new InvalidArgumentError(`unknown input fixture "${String(kind)}"`);
  }
}

function convolution(dims: (string | number | null)[], name: string): onnx.IModelProto {
  const g = new GraphBuilder(name);
  const x = g.input('x', 'float32', dims);
  const weight = g.constant('float32', [4, 3, 3, 3], uniformWeights(1, `${name}.w`, 108, 0.5), 'weight');
  const conv = g.op('Conv', [x, weight], { pads: [1, 1, 1, 1] });
  // A 3×3 max pool with no padding: an input smaller than 3×3 fails, as a real detector does.
  const pooled = g.op('MaxPool', [g.op('Relu', [conv])], { kernel_shape: [3, 3] }, 'y');
  g.output(pooled, 'float32', [dims[0] ?? null, 4, null, null]);
  return g.toModel({ opset: 18, producerName: 'ortbench-fixture' });
}

function voiceActivity(): onnx.IModelProto {
  const g = new GraphBuilder('voice-activity');
  const audio = g.input('input', 'float32', [null, null]);
  const rate = g.input('sr', 'int64', []);
  const state = g.input('state', 'float32', [2, null, 16]);
  // Reflect padding of 32 needs at least 33 samples per chunk: a chunk of 1 fails, as silero's does.
  const padded = g.op('Pad', [audio, g.ints([0, 32, 0, 32], 'pads')], { mode: 'reflect' });
  const energy = g.op('ReduceMean', [g.op('Mul', [padded, padded]), g.ints([1], 'axes')], { keepdims: 1 });
  const scale = g.op('Div', [g.op('Cast', [rate], { to: onnx.TensorProto.DataType.FLOAT }), g.scalar(16000, 'reference_rate')]);
  g.op('Mul', [energy, scale], {}, 'output');
  g.output('output', 'float32', [null, 1]);
  g.op('Add', [g.op('Mul', [state, g.scalar(0.5)]), g.op('ReduceMean', [energy])], {}, 'stateN');
  g.output('stateN', 'float32', [2, null, 16]);
  return g.toModel({ opset: 18, producerName: 'ortbench-fixture' });
}

function decoder(): onnx.IModelProto {
  const g = new GraphBuilder('decoder');
  const ids = g.input('input_ids', 'int64', ['batch_size', 'sequence_length']);
  const mask = g.input('attention_mask', 'bool', ['batch_size', 'past_sequence_length + sequence_length']);
  const past = g.input('past_key', 'float32', ['batch_size', 2, 'past_sequence_length', 8]);
  const table = g.initializer('embed_tokens.weight', 'float32', [50, 8], uniformWeights(2, 'embed', 400, 1));
  const embedded = g.op('Unsqueeze', [g.op('Gather', [table, ids]), g.ints([1], 'axes')]); // [b, 1, s, 8]
  const heads = g.op('Concat', [embedded, embedded], { axis: 1 }); // [b, 2, s, 8]
  const present = g.op('Concat', [past, heads], { axis: 2 }, 'present_key'); // [b, 2, past + s, 8]
  const weights = g.op('Unsqueeze', [g.op('Cast', [mask], { to: onnx.TensorProto.DataType.FLOAT }), g.ints([1, 3], 'mask_axes')]); // [b, 1, total, 1]
  // Mul broadcasts only when the mask covers exactly past + current positions.
  g.op('ReduceSum', [g.op('Mul', [present, weights]), g.ints([1, 2], 'sum_axes')], { keepdims: 0 }, 'logits');
  g.output('logits', 'float32', ['batch_size', 8]);
  g.output(present, 'float32', ['batch_size', 2, 'past_sequence_length + sequence_length', 8]);
  return g.toModel({ opset: 18, producerName: 'ortbench-fixture' });
}

function customOp(): onnx.IModelProto {
  const g = new GraphBuilder('custom-op');
  const x = g.input('x', 'float32', [1, 4]);
  g.node('Frobnicate', [x], {}, { outputs: ['y'], domain: 'com.example' });
  g.output('y', 'float32', [1, 4]);
  return g.toModel({ opset: 18, domains: { 'com.example': 1 }, producerName: 'ortbench-fixture' });
}

function ifBranches(): onnx.IModelProto {
  const branch = (name: string, columns: number): onnx.IGraphProto => ({
    name,
    node: [{ opType: 'MatMul', name: `${name}_matmul`, input: ['x', `${name}.w`], output: [`${name}_y`] }],
    initializer: [tensorProto(`${name}.w`, 'float32', [8, columns], uniformWeights(3, name, 8 * columns, 1))],
    input: [],
    output: [{ name: `${name}_y`, type: { tensorType: { elemType: onnx.TensorProto.DataType.FLOAT, shape: { dim: [{ dimValue: 1 }, { dimValue: columns }] } } } }],
  });
  const g = new GraphBuilder('if-branches');
  const x = g.input('x', 'float32', [1, 8]);
  const condition = g.input('wide', 'bool', []);
  const [y] = g.node('If', [condition], {}, { outputs: ['y'] });
  g.output(y as string, 'float32', [1, null]);
  const model = g.toModel({ opset: 18, producerName: 'ortbench-fixture' });
  const node = model.graph!.node!.find((n) => n.opType === 'If')!;
  void x;
  node.attribute = [
    { name: 'then_branch', type: onnx.AttributeProto.AttributeType.GRAPH, g: branch('wide', 32) },
    { name: 'else_branch', type: onnx.AttributeProto.AttributeType.GRAPH, g: branch('narrow', 4) },
  ];
  return model;
}
