import { readdir, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { FedInputRecord, Feeds, ResolvedShapes, ValueInfo } from '@ortbench/core';
import { bytesPerElement, ErrorCode, InvalidArgumentError, OrtbenchError, resolveInputShapes, validateFeeds } from '@ortbench/core';
import { loadArrays, modelFeeds } from '@ortbench/preprocess';

/** Everything that decides what a model is fed: the sweep's sizes, the user's dims, shapes, values and arrays. */
export interface InputRequest {
  batch?: number;
  sequenceLength?: number;
  /** Symbolic dims by name, or `input:axis` when unnamed. */
  dims?: Record<string, number>;
  /** Whole shapes by input name. */
  shapes?: Record<string, readonly number[]>;
  /** The value every element of an input takes. */
  values?: Record<string, number | boolean>;
  /** Real arrays for some or all inputs, and where they came from. */
  arrays?: { feeds: Feeds; source: string };
  /** Rows of the embedding table each ids input indexes. */
  vocabularies?: Record<string, number>;
  vocabSize?: number;
  seed?: number;
}

/** Feeds for one configuration, what was fed, and every symbolic dim's value. */
export interface PreparedInputs {
  feeds: Feeds;
  fed: FedInputRecord[];
  dims: ResolvedShapes['dims'];
}

/**
 * The one place a model's feeds are made, for bench, tune and verify: shapes resolved from the
 * request (real arrays fix the shapes of their inputs), seeded values for the inputs no array
 * gives, then every feed checked against the model. Whatever cannot be known is an error
 * naming the dim or input — nothing is fed as a silent default.
 */
export function prepareInputs(inputs: readonly ValueInfo[], request: InputRequest): PreparedInputs {
  const arrays = request.arrays?.feeds ?? {};
  for (const name of Object.keys(arrays)) {
    if (!inputs.some((i) => i.name === name)) throw new OrtbenchError(ErrorCode.INPUT_MISMATCH, `feed "${name}" is not an input of the model (inputs: ${inputs.map((i) => i.name).join(', ')})`);
    if (request.shapes?.[name] || request.values?.[name] !== undefined) throw new InvalidArgumentError(`input "${name}" is given by ${request.arrays!.source} and by --shape/--input: give it once`);
  }
  // Arrays are checked as feeds (dtype, rank, fixed sizes) before their shapes decide any dim.
  validateFeeds(inputs.filter((input) => arrays[input.name]), arrays);
  const shapes: Record<string, readonly number[]> = { ...request.shapes };
  for (const [name, tensor] of Object.entries(arrays)) shapes[name] = tensor.dims;
  const resolved = resolveInputShapes(inputs, {
    ...(request.batch !== undefined ? { batch: request.batch } : {}),
    ...(request.sequenceLength !== undefined ? { sequenceLength: request.sequenceLength } : {}),
    ...(request.dims ? { dims: request.dims } : {}),
    shapes,
  });
  checkInputMemory(inputs.filter((input) => !arrays[input.name]), resolved.shapes, request.batch);
  const past = Object.entries(resolved.dims).find(([key]) => /past/i.test(key) && !/[+*]/.test(key))?.[1].value;
  const generated = modelFeeds(
    inputs.filter((input) => !arrays[input.name]),
    {
      shapes: resolved.shapes,
      ...(request.vocabularies ? { vocabularies: request.vocabularies } : {}),
      ...(request.vocabSize !== undefined ? { vocabSize: request.vocabSize } : {}),
      ...(request.values ? { values: request.values } : {}),
      ...(past !== undefined ? { pastLength: past } : {}),
      seed: request.seed ?? 0,
    },
  );
  const feeds: Feeds = {};
  const fed: FedInputRecord[] = [];
  for (const input of inputs) {
    const given = arrays[input.name];
    if (given) {
      feeds[input.name] = given;
      fed.push({ name: input.name, dtype: given.dtype, dims: [...given.dims], values: `from ${request.arrays!.source}` });
    } else {
      feeds[input.name] = generated.feeds[input.name]!;
      fed.push(generated.fed.find((f) => f.name === input.name)!);
    }
  }
  validateFeeds(inputs, feeds);
  return { feeds, fed, dims: resolved.dims };
}

/**
 * Real arrays for a model's inputs: a NumPy .npz (arrays by input name), a .npy (the first
 * input), or a folder of `<input>.npy` files (and .npz files, merged). A name twice is refused.
 */
export async function loadInputArrays(source: string, inputs: readonly ValueInfo[]): Promise<{ feeds: Feeds; source: string }> {
  const info = await stat(source).catch(() => undefined);
  if (!info) throw new OrtbenchError(ErrorCode.FILE_NOT_FOUND, `${source}: no such file or folder`);
  if (!info.isDirectory()) {
    if (!/\.(npz|npy)$/i.test(source)) throw new InvalidArgumentError(`${source}: --inputs takes a NumPy .npz or .npy file, or a folder of them`);
    return { feeds: await loadArrays(source, inputs[0]?.name ?? 'input'), source: path.basename(source) };
  }
  const files = (await readdir(source)).filter((name) => /\.(npz|npy)$/i.test(name)).sort();
  if (files.length === 0) throw new InvalidArgumentError(`${source}: no .npy or .npz files in this folder`);
  const feeds: Feeds = {};
  for (const name of files) {
    const loaded = await loadArrays(path.join(source, name), name.replace(/\.npy$/i, ''));
    for (const [input, tensor] of Object.entries(loaded)) {
      if (feeds[input]) throw new OrtbenchError(ErrorCode.DATA_INVALID, `${source}: input "${input}" is given by two files`);
      feeds[input] = tensor;
    }
  }
  return { feeds, source: `${path.basename(source)}/` };
}

/** What decides the inputs of one run (verify, ab): one batch and sequence length, the user's dims, shapes, values and arrays. */
export interface SingleRunInputs {
  batch?: number;
  seq?: number;
  dims?: Record<string, number>;
  shapes?: Record<string, readonly number[]>;
  values?: Record<string, number | boolean>;
  /** Arrays to feed: .npz, .npy or a folder of `<input>.npy`. */
  inputs?: string;
  vocabSize?: number;
  seed?: number;
}

/**
 * The feeds of one run at batch 1 (or `batch`) and, for a model with a sequence axis, sequence
 * length 128 (or `seq`) — {@link prepareInputs} with the defaults verify and ab share.
 */
export async function singleRunInputs(inputs: readonly ValueInfo[], embeddings: Record<string, number> | undefined, tokens: boolean, options: SingleRunInputs): Promise<PreparedInputs> {
  return prepareInputs(inputs, {
    batch: options.batch ?? 1,
    ...(tokens ? { sequenceLength: options.seq ?? 128 } : {}),
    ...(options.dims ? { dims: options.dims } : {}),
    ...(options.shapes ? { shapes: options.shapes } : {}),
    ...(options.values ? { values: options.values } : {}),
    ...(options.inputs !== undefined ? { arrays: await loadInputArrays(options.inputs, inputs) } : {}),
    ...(embeddings ? { vocabularies: embeddings } : {}),
    ...(options.vocabSize !== undefined ? { vocabSize: options.vocabSize } : {}),
    seed: options.seed ?? 0,
  });
}

/**
 * Refuses feeds that cannot fit before allocating them: `--batch 100000` on an image model once
 * died with "Invalid typed array length: 15052800000". The inputs alone must fit in this
 * machine's memory (the session needs more on top); the error says how much they need.
 */
function checkInputMemory(inputs: readonly ValueInfo[], shapes: Record<string, readonly number[]>, batch: number | undefined): void {
  let bytes = 0;
  const largest: string[] = [];
  for (const input of inputs) {
    const dims = shapes[input.name];
    if (!dims) continue;
    const size = dims.reduce((a, b) => a * b, 1) * ((input.dtype === 'unknown' ? undefined : bytesPerElement(input.dtype)) ?? 8);
    bytes += size;
    largest.push(`${input.name} ${input.dtype} [${dims.join(', ')}]`);
  }
  const total = os.totalmem();
  if (bytes <= total) return;
  const gib = (n: number) => `${(n / 2 ** 30).toFixed(1)} GiB`;
  throw new OrtbenchError(
    ErrorCode.OUT_OF_MEMORY,
    `${batch !== undefined ? `batch ${batch}` : 'these shapes'} need${batch !== undefined ? 's' : ''} ${gib(bytes)} of input (${largest.join(', ')}); this machine has ${gib(total)} of memory (${gib(os.freemem())} free): use a smaller batch or shape`,
  );
}
