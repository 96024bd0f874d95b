import type { Feeds, Tensor, ValueInfo } from '@ortbench/core';
import { createTensor, InputMismatchError } from '@ortbench/core';
import type { BertEncoding } from './bert-tokenizer';

const ROLES = {
  ids: ['input_ids', 'input_word_ids', 'ids', 'input'],
  mask: ['attention_mask', 'input_mask', 'mask'],
  types: ['token_type_ids', 'input_type_ids', 'segment_ids'],
} as const;

/**
 * Maps a BERT encoding onto a model's inputs: Hugging Face names, TF-Hub names, or a lone
 * ids input, converted to the int64 or int32 the model declares. An input it cannot fill is
 * INPUT_MISMATCH naming it.
 */
export function bertFeeds(inputs: readonly ValueInfo[], encoding: BertEncoding): Feeds {
  const feeds: Feeds = {};
  for (const input of inputs) {
    const role = inputs.length === 1 ? 'ids' : (Object.keys(ROLES) as (keyof typeof ROLES)[]).find((r) => (ROLES[r] as readonly string[]).includes(input.name));
    if (!role) {
      throw new InputMismatchError(`model input "${input.name}" is not a BERT input (expected ${Object.values(ROLES).flat().join(', ')})`);
    }
    const values = role === 'ids' ? encoding.inputIds : role === 'mask' ? encoding.attentionMask : encoding.tokenTypeIds;
    feeds[input.name] = integerTensor(values, encoding.dims, input);
  }
  return feeds;
}

/** Feeds an image batch to a model with one image input, checking its dtype. */
export function imageFeeds(inputs: readonly ValueInfo[], batch: Tensor<'float32'> | Tensor<'float16'>): Feeds {
  if (inputs.length !== 1) {
    throw new InputMismatchError(`an image model has one input; this one has ${inputs.length} (${inputs.map((i) => i.name).join(', ')})`);
  }
  const input = inputs[0] as ValueInfo;
  if (input.dtype !== 'unknown' && input.dtype !== batch.dtype) {
    throw new InputMismatchError(`model input "${input.name}" is ${input.dtype}, the images were prepared as ${batch.dtype}`);
  }
  return { [input.name]: batch };
}

function integerTensor(values: BigInt64Array, dims: readonly number[], input: ValueInfo): Tensor {
  if (input.dtype === 'int64' || input.dtype === 'unknown') return createTensor('int64', values, dims);
  if (input.dtype === 'int32') return createTensor('int32', Int32Array.from(values, Number), dims);
  throw new InputMismatchError(`model input "${input.name}" is ${input.dtype}; BERT inputs are int64 or int32`);
}
