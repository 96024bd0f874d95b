import type { Feeds, Tensor, ValueInfo } from '@ortbench/core';
import { createTensor, ErrorCode, InputMismatchError, InvalidArgumentError, OrtbenchError, SeededRandom, toFloat16Bits } from '@ortbench/core';

/** How {@link modelFeeds} fills a model's inputs once their shapes are known. */
export interface ModelFeedOptions {
  /** The concrete shape of every input (from `resolveInputShapes`). */
  shapes: Readonly<Record<string, readonly number[]>>;
  /** Rows of the embedding table each ids input indexes (`inspectModel(model).embeddings`). */
  vocabularies?: Readonly<Record<string, number>>;
  /** The vocabulary of ids inputs whose table is not known. */
  vocabSize?: number;
  /** The value every element of an input takes (`--input sr=16000`). */
  values?: Readonly<Record<string, number | boolean>>;
  /** Tokens already in the cache: position ids start there, and a `use_cache` flag is true when > 0. */
  pastLength?: number;
  seed?: number;
}

/** What was fed to one input: its name, dtype, shape and how its values were made. */
export interface FedInput {
  name: string;
  dtype: string;
  dims: number[];
  /** `random in [-2, 2]`, `token ids in [1, 50)`, `ones (mask)`, `zeros (state)`, `16000 (--input)`, … */
  values: string;
}

const STATE = /state|past|cache|hidden|memory|^[hc]n?\d*$/i;

/**
 * Seeded values for every input, each as a deployment would feed it: ids inside the
 * vocabulary they index, masks of ones (over past + current tokens: the shape says how many),
 * token types of zeros, position ids counting on from the past length, recurrent and cache
 * state of zeros, booleans true, other floats uniform in [−2, 2] (the range of normalised
 * images), and any value the caller set. A value ortbench cannot know — a scalar such as a
 * sample rate, ids whose vocabulary is unknown — is INPUT_UNSET naming the input and the flag
 * that sets it, never a guess. The same seed gives the same feeds on every run.
 */
export function modelFeeds(inputs: readonly ValueInfo[], options: ModelFeedOptions): { feeds: Feeds; fed: FedInput[] } {
  const feeds: Feeds = {};
  const fed: FedInput[] = [];
  for (const name of Object.keys(options.values ?? {})) {
    if (!inputs.some((i) => i.name === name)) throw new InvalidArgumentError(`--input ${name}: the model has no input "${name}" (inputs: ${inputs.map((i) => i.name).join(', ')})`);
  }
  inputs.forEach((input, index) => {
    const dims = [...(options.shapes[input.name] ?? missingShape(input))];
    const count = dims.reduce((a, b) => a * b, 1);
    const random = new SeededRandom(`feeds:${options.seed ?? 0}:${index}`);
    const dtype = input.dtype === 'unknown' ? 'float32' : input.dtype;
    const { numbers, values } = contentOf(input, dims, count, random, options);
    feeds[input.name] = tensorOf(dtype, numbers, dims, input.name);
    fed.push({ name: input.name, dtype, dims, values });
  });
  return { feeds, fed };
}

function missingShape(input: ValueInfo): never {
  throw new InvalidArgumentError(`no shape was resolved for input "${input.name}"`);
}

function contentOf(input: ValueInfo, dims: number[], count: number, random: SeededRandom, options: ModelFeedOptions): { numbers: Float64Array; values: string } {
  const given = options.values?.[input.name];
  if (given !== undefined) return { numbers: new Float64Array(count).fill(Number(given)), values: `${String(given)} (--input)` };
  const name = input.name;
  const integer = /^u?int/.test(input.dtype);
  if (input.dtype === 'bool') {
    if (dims.length === 0 || /use_cache/i.test(name)) {
      if (!/use_cache/i.test(name)) throw unset(input, `a boolean flag`);
      const on = (options.pastLength ?? 0) > 0;
      return { numbers: new Float64Array(count).fill(on ? 1 : 0), values: `${on} (past length ${options.pastLength ?? 0})` };
    }
    return { numbers: new Float64Array(count).fill(1), values: /mask/i.test(name) ? 'true (mask)' : 'true' };
  }
  if (dims.length === 0) throw unset(input, `a scalar ${input.dtype}`);
  if (integer) {
    if (/mask/i.test(name)) return { numbers: new Float64Array(count).fill(1), values: 'ones (mask)' };
    if (/type|segment/i.test(name)) return { numbers: new Float64Array(count), values: 'zeros (token types)' };
    if (/position/i.test(name)) {
      const past = options.pastLength ?? 0;
      const length = dims.at(-1) ?? 1;
      return { numbers: Float64Array.from({ length: count }, (_, i) => past + (i % length)), values: `positions ${past}…${past + length - 1}` };
    }
    const vocabulary = options.vocabularies?.[name] ?? options.vocabSize;
    if (vocabulary === undefined) {
      throw new OrtbenchError(
        ErrorCode.INPUT_UNSET,
        `input "${name}" (${input.dtype}) indexes no embedding table ortbench can find, so the range of its ids is unknown: set --vocab-size N, a value with --input ${name}=V, or real arrays with --inputs`,
      );
    }
    const low = vocabulary > 1 ? 1 : 0;
    return { numbers: random.fillIntegers(new Float64Array(count), low, vocabulary), values: `token ids in [${low}, ${vocabulary})` };
  }
  if (STATE.test(name)) return { numbers: new Float64Array(count), values: 'zeros (state)' };
  return { numbers: random.fillUniform(new Float64Array(count), -2, 2), values: 'random in [-2, 2]' };
}

function unset(input: ValueInfo, what: string): OrtbenchError {
  return new OrtbenchError(ErrorCode.INPUT_UNSET, `input "${input.name}" is ${what} whose value ortbench cannot guess: set it with --input ${input.name}=VALUE`);
}

function tensorOf(dtype: string, numbers: Float64Array, dims: number[], name: string): Tensor {
  switch (dtype) {
    case 'float32':
      return createTensor('float32', Float32Array.from(numbers), dims);
    case 'float64':
      return createTensor('float64', numbers, dims);
    case 'float16':
      return createTensor('float16', Uint16Array.from(numbers, toFloat16Bits), dims);
    case 'int64':
      return createTensor('int64', BigInt64Array.from(numbers, (n) => BigInt(Math.trunc(n))), dims);
    case 'uint64':
      return createTensor('uint64', BigUint64Array.from(numbers, (n) => BigInt(Math.trunc(n))), dims);
    case 'int32':
      return createTensor('int32', Int32Array.from(numbers), dims);
    case 'uint32':
      return createTensor('uint32', Uint32Array.from(numbers), dims);
    case 'int16':
      return createTensor('int16', Int16Array.from(numbers), dims);
    case 'uint16':
      return createTensor('uint16', Uint16Array.from(numbers), dims);
    case 'int8':
      return createTensor('int8', Int8Array.from(numbers), dims);
    case 'uint8':
      return createTensor('uint8', Uint8Array.from(numbers), dims);
    case 'bool':
      return createTensor('bool', Uint8Array.from(numbers, (n) => (n ? 1 : 0)), dims);
    default:
      throw new InputMismatchError(`cannot make synthetic values for input "${name}" of type ${dtype}`);
  }
}

/** The fed inputs as one short line: `x float32 [1, 3, 640, 640]; sr int64 [] = 16000 (--input)`. */
export function describeFed(fed: readonly FedInput[]): string {
  return fed.map((f) => `${f.name} ${f.dtype} [${f.dims.join(', ')}]`).join('; ');
}
