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
 * - `seq2seq-decoder`: an encoder–decoder's merged decoder, as Optimum exports one
 *   (`decoder_model_merged.onnx`): ids into a 60-row embedding, the encoder's hidden states and
 *   mask over `encoder_sequence_length` (the mask must match them), the decoder's past over
 *   `past_decoder_sequence_length`, the encoder's past over `encoder_sequence_length_out`, and a
 *   `use_cache_branch` flag; MatMuls, so it quantises.
 * - `custom-op`: an op of domain `com.example` that no runtime has.
 * - `if-branches`: a MatMul in each branch of an If (the larger 8×32, the other 8×4).
 */
export type InputFixture = 'detector' | 'recogniser' | 'voice-activity' | 'decoder' | 'seq2seq-decoder' | 'custom-op' | 'if-branches';

/** The fixtures' names, for tests that run each. */
export const INPUT_FIXTURES: readonly InputFixture[] = ['detector', 'recogniser', 'voice-activity', 'decoder', 'seq2seq-decoder', 'custom-op', 'if-branches'];

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
    case 'seq2seq-decoder':
      return seq2seqDecoder();
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

function seq2seqDecoder(): onnx.IModelProto {
  const g = new GraphBuilder('seq2seq-decoder');
  const mask = g.input('encoder_attention_mask', 'int64', ['batch_size', 'encoder_sequence_length']);
  const ids = g.input('input_ids', 'int64', ['batch_size', 'decoder_sequence_length']);
  const encoded = g.input('encoder_hidden_states', 'float32', ['batch_size', 'encoder_sequence_length', 8]);
  const pastDecoder = g.input('past_key_values.0.decoder.key', 'float32', ['batch_size', 2, 'past_decoder_sequence_length', 4]);
  const pastEncoder = g.input('past_key_values.0.encoder.key', 'float32', ['batch_size', 2, 'encoder_sequence_length_out', 4]);
  const useCache = g.input('use_cache_branch', 'bool', [1]);
  const table = g.initializer('embed_tokens.weight', 'float32', [60, 8], uniformWeights(3, 'seq2seq.embed', 480, 1));
  const embedded = g.op('Gather', [table, ids]); // [b, d, 8]
  // Cross-attention in miniature: scores over the encoder's positions, masked (the mask must cover them).
  const scores = g.op('MatMul', [embedded, g.op('Transpose', [encoded], { perm: [0, 2, 1] })]); // [b, d, e]
  const weights = g.op('Unsqueeze', [g.op('Cast', [mask], { to: onnx.TensorProto.DataType.FLOAT }), g.ints([1], 'mask_axes')]); // [b, 1, e]
  const context = g.op('MatMul', [g.op('Mul', [scores, weights]), encoded]); // [b, d, 8]
  const head = g.initializer('lm_head.weight', 'float32', [8, 60], uniformWeights(4, 'seq2seq.head', 480, 0.5));
  const logits = g.op('MatMul', [context, head]); // [b, d, 60]
  g.op('Where', [useCache, logits, g.op('Neg', [logits])], {}, 'logits');
  g.output('logits', 'float32', ['batch_size', 'decoder_sequence_length', 60]);
  const heads = g.op('Transpose', [g.op('Reshape', [embedded, g.ints([0, 0, 2, 4], 'head_shape')])], { perm: [0, 2, 1, 3] }); // [b, 2, d, 4]
  g.op('Concat', [pastDecoder, heads], { axis: 2 }, 'present.0.decoder.key');
  g.output('present.0.decoder.key', 'float32', ['batch_size', 2, 'past_decoder_sequence_length + decoder_sequence_length', 4]);
  g.op('Identity', [pastEncoder], {}, 'present.0.encoder.key');
  g.output('present.0.encoder.key', 'float32', ['batch_size', 2, 'encoder_sequence_length_out', 4]);
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
