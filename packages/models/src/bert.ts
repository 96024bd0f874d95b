import { InvalidArgumentError } from '@ortbench/core';
import { float, GraphBuilder } from './graph-builder';
import type { onnx } from './onnx-types';
import { uniformWeights } from './weights';

/** Input naming conventions of exported BERT models. */
export type BertInputStyle = 'huggingface' | 'tf-hub' | 'ids-only';

/** Options of the BERT builder; the defaults are bert-base-uncased. */
export interface BertOptions {
  layers?: number;
  hidden?: number;
  heads?: number;
  intermediate?: number;
  vocabSize?: number;
  maxPositions?: number;
  typeVocabSize?: number;
  layerNormEps?: number;
  /** `huggingface`: input_ids, attention_mask, token_type_ids; `tf-hub`: input_word_ids, input_mask, input_type_ids; `ids-only`: input_ids. */
  inputs?: BertInputStyle;
  batch?: number | 'dynamic';
  sequence?: number | 'dynamic';
  /** Default-domain opset, at least 13; LayerNormalization is one op from 17, decomposed below. Default 17. */
  opset?: number;
  seed?: number;
}

/** bert-base-uncased. */
export const BERT_BASE_DEFAULTS: Required<BertOptions> = {
  layers: 12,
  hidden: 768,
  heads: 12,
  intermediate: 3072,
  vocabSize: 30522,
  maxPositions: 512,
  typeVocabSize: 2,
  layerNormEps: 1e-12,
  inputs: 'huggingface',
  batch: 'dynamic',
  sequence: 'dynamic',
  opset: 17,
  seed: 0,
};

const INPUT_NAMES: Record<BertInputStyle, { ids: string; mask?: string; types?: string }> = {
  huggingface: { ids: 'input_ids', mask: 'attention_mask', types: 'token_type_ids' },
  'tf-hub': { ids: 'input_word_ids', mask: 'input_mask', types: 'input_type_ids' },
  'ids-only': { ids: 'input_ids' },
};

// BERT's initializer_range: weights ~ N(0, 0.02); a uniform of the same variance.
const WEIGHT_BOUND = 0.02 * Math.sqrt(3);

/**
 * Hugging Face BertModel as exported to ONNX: word + position + token-type embeddings and
 * LayerNorm, N post-LN encoder layers (masked multi-head self-attention, exact-erf GELU
 * feed-forward), and the pooler (dense + tanh on [CLS]). Inputs int64 [N, S]; outputs
 * `last_hidden_state` [N, S, H] and `pooler_output` [N, H].
 */
export function buildBert(options: BertOptions = {}): onnx.IModelProto {
  const o = { ...BERT_BASE_DEFAULTS, ...options };
  validate(o);
  const g = new GraphBuilder('bert');
  const names = INPUT_NAMES[o.inputs];
  const N = o.batch === 'dynamic' ? 'batch_size' : o.batch;
  const S = o.sequence === 'dynamic' ? 'sequence_length' : o.sequence;
  const H = o.hidden;
  const headSize = H / o.heads;
  const weight = (name: string, dims: number[]) =>
    g.initializer(name, 'float32', dims, uniformWeights(o.seed, name, dims.reduce((a, b) => a * b, 1), WEIGHT_BOUND));
  const zeros = (name: string, size: number) => g.initializer(name, 'float32', [size], new Float32Array(size));
  const ones = (name: string, size: number) => g.initializer(name, 'float32', [size], new Float32Array(size).fill(1));
  // Linear layers store W as [in, out] for MatMul, as torch.onnx.export writes them.
  const linear = (x: string, name: string, inSize: number, outSize: number) =>
    g.op('Add', [g.op('MatMul', [x, weight(`${name}.weight`, [inSize, outSize])]), zeros(`${name}.bias`, outSize)]);
  const layerNorm = (x: string, name: string) => {
    const gamma = ones(`${name}.weight`, H);
    const beta = zeros(`${name}.bias`, H);
    if (o.opset >= 17) return g.op('LayerNormalization', [x, gamma, beta], { axis: -1, epsilon: float(o.layerNormEps) });
    const centred = g.op('Sub', [x, g.op('ReduceMean', [x], { axes: [-1], keepdims: 1 })]);
    const variance = g.op('ReduceMean', [g.op('Mul', [centred, centred])], { axes: [-1], keepdims: 1 });
    const normalised = g.op('Div', [centred, g.op('Sqrt', [g.op('Add', [variance, g.scalar(o.layerNormEps, 'eps')])])]);
    return g.op('Add', [g.op('Mul', [normalised, gamma]), beta]);
  };

  const ids = g.input(names.ids, 'int64', [N, S]);
  const mask = names.mask ? g.input(names.mask, 'int64', [N, S]) : undefined;
  const types = names.types ? g.input(names.types, 'int64', [N, S]) : undefined;

  // Embeddings: positions 0 … S−1 come from the ids' own length.
  const wordEmbeddings = weight('embeddings.word_embeddings.weight', [o.vocabSize, H]);
  const positionEmbeddings = weight('embeddings.position_embeddings.weight', [o.maxPositions, H]);
  const typeEmbeddings = weight('embeddings.token_type_embeddings.weight', [o.typeVocabSize, H]);
  const seqLength = g.op('Gather', [g.op('Shape', [ids]), g.ints([1], 'seq_axis', true)], { axis: 0 });
  const positions = g.op('Range', [g.ints([0], 'zero', true), seqLength, g.ints([1], 'one', true)]);
  let x = g.op('Add', [g.op('Gather', [wordEmbeddings, ids], { axis: 0 }), g.op('Gather', [positionEmbeddings, positions], { axis: 0 })]);
  // Without token types every token is type 0, as Hugging Face defaults them.
  const typeVectors = g.op('Gather', [typeEmbeddings, types ?? g.ints([0], 'type0', true)], { axis: 0 });
  x = layerNorm(g.op('Add', [x, typeVectors]), 'embeddings.LayerNorm');

  // Additive mask [N, 1, 1, S]: 0 where attended, −10000 where padded.
  const additiveMask = mask
    ? g.op('Unsqueeze', [
        g.op('Mul', [g.op('Sub', [g.scalar(1, 'one_f'), g.op('Cast', [mask], { to: 1 })]), g.scalar(-10000, 'mask_value')]),
        g.ints([1, 2], 'mask_axes'),
      ])
    : undefined;
  const splitHeads = g.ints([0, 0, o.heads, headSize], 'split_heads');
  const mergeHeads = g.ints([0, 0, H], 'merge_heads');
  const scale = g.scalar(Math.sqrt(headSize), 'sqrt_head_size');
  const invSqrt2 = g.scalar(Math.SQRT1_2, 'inv_sqrt2');
  const half = g.scalar(0.5, 'half');
  const one = g.scalar(1, 'one_g');

  for (let layer = 0; layer < o.layers; layer++) {
    const p = `encoder.layer.${layer}`;
    const heads = (name: string, perm: number[]) =>
      g.op('Transpose', [g.op('Reshape', [linear(x, `${p}.attention.self.${name}`, H, H), splitHeads])], { perm });
    const query = heads('query', [0, 2, 1, 3]); // [N, heads, S, d]
    const keyT = heads('key', [0, 2, 3, 1]); // [N, heads, d, S]
    const value = heads('value', [0, 2, 1, 3]);
    let scores = g.op('Div', [g.op('MatMul', [query, keyT]), scale]);
    if (additiveMask) scores = g.op('Add', [scores, additiveMask]);
    const probabilities = g.op('Softmax', [scores], { axis: -1 });
    const context = g.op('Reshape', [g.op('Transpose', [g.op('MatMul', [probabilities, value])], { perm: [0, 2, 1, 3] }), mergeHeads]);
    const attended = g.op('Add', [linear(context, `${p}.attention.output.dense`, H, H), x]);
    x = layerNorm(attended, `${p}.attention.output.LayerNorm`);
    const inner = linear(x, `${p}.intermediate.dense`, H, o.intermediate);
    const gelu = g.op('Mul', [g.op('Mul', [inner, half]), g.op('Add', [one, g.op('Erf', [g.op('Mul', [inner, invSqrt2])])])]);
    x = layerNorm(g.op('Add', [linear(gelu, `${p}.output.dense`, o.intermediate, H), x]), `${p}.output.LayerNorm`);
  }

  g.node('Identity', [x], {}, { outputs: ['last_hidden_state'] });
  const cls = g.op('Gather', [x, g.ints([0], 'cls_index', true)], { axis: 1 }); // [N, H]
  g.node('Tanh', [linear(cls, 'pooler.dense', H, H)], {}, { outputs: ['pooler_output'] });
  g.output('last_hidden_state', 'float32', [N, S, H]);
  g.output('pooler_output', 'float32', [N, H]);
  return g.toModel({
    opset: o.opset,
    docString: 'BERT (Hugging Face BertModel topology) with seeded random weights, built by @ortbench/models',
    metadata: {
      architecture: 'bert',
      seed: String(o.seed),
      max_position_embeddings: String(o.maxPositions),
      vocab_size: String(o.vocabSize),
    },
  });
}

function validate(o: Required<BertOptions>): void {
  const positive = ['layers', 'hidden', 'heads', 'intermediate', 'vocabSize', 'maxPositions', 'typeVocabSize'] as const;
  for (const key of positive) {
    if (!Number.isInteger(o[key]) || o[key] < 1) throw new InvalidArgumentError(`bert: ${key} must be a positive integer, got ${o[key]}`);
  }
  if (o.hidden % o.heads !== 0) throw new InvalidArgumentError(`bert: hidden (${o.hidden}) must be divisible by heads (${o.heads})`);
  if (!Number.isInteger(o.opset) || o.opset < 13) throw new InvalidArgumentError(`bert: opset must be an integer ≥ 13, got ${o.opset}`);
  if (!(o.inputs in INPUT_NAMES)) throw new InvalidArgumentError(`bert: inputs must be huggingface, tf-hub or ids-only, got ${o.inputs}`);
  for (const key of ['batch', 'sequence'] as const) {
    const value = o[key];
    if (value !== 'dynamic' && (!Number.isInteger(value) || value < 1)) {
      throw new InvalidArgumentError(`bert: ${key} must be a positive integer or "dynamic", got ${value}`);
    }
  }
  if (typeof o.sequence === 'number' && o.sequence > o.maxPositions) {
    throw new InvalidArgumentError(`bert: sequence ${o.sequence} exceeds maxPositions ${o.maxPositions}`);
  }
}
