import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ErrorCode, firstLineOf, InvalidArgumentError, OrtbenchError } from '@ortbench/core';
import { decodeModel, hasExternalData, isPresetName } from '@ortbench/models';
import type { Redis } from 'ioredis';
import type { ModelReference } from './protocol';
import { KEYS } from './protocol';

/** Model blobs outlive a crashed submitter by this long, then Redis drops them. */
const BLOB_TTL_SECONDS = 7 * 24 * 3600;

/** The default limit on a model file sent through the queue (Redis strings hold up to 512 MB). */
export const DEFAULT_MAX_MODEL_BYTES = 256 * 2 ** 20;

/**
 * Puts a model where workers can get it: a built-in goes by name (each worker builds it), a file
 * by the SHA-256 of its bytes, uploaded once (SET NX) and size-limited. A model whose weights sit
 * in external data files is refused: only the .onnx would travel.
 */
export async function publishModel(redis: Redis, model: string, maxBytes = DEFAULT_MAX_MODEL_BYTES): Promise<ModelReference> {
  if (isPresetName(model)) return { builtIn: model };
  const size = (await stat(model)).size;
  if (size > maxBytes) {
    throw new InvalidArgumentError(`${model}: ${mib(size)} is over the fleet's model size limit of ${mib(maxBytes)} (--max-model-size)`);
  }
  const bytes = await readFile(model);
  if (hasExternalData(decodeModel(bytes, model))) {
    throw new InvalidArgumentError(`${model}: its weights are in external data files, which cannot travel through the queue; save the model as one file`);
  }
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  await redis.set(KEYS.model(sha256), bytes, 'EX', BLOB_TTL_SECONDS, 'NX');
  return { sha256, bytes: bytes.length, name: path.basename(model) };
}

/** Removes a sweep's model blob once its results are collected. */
export async function unpublishModel(redis: Redis, reference: ModelReference): Promise<void> {
  if ('sha256' in reference) await redis.del(KEYS.model(reference.sha256));
}

/**
 * A worker's local copy of a model: a built-in name as it is; a file fetched once into `dir`
 * (named by its hash, so later jobs of the sweep reuse it), its size and hash verified first.
 */
export async function fetchModel(redis: Redis, reference: ModelReference, dir: string, maxBytes = DEFAULT_MAX_MODEL_BYTES): Promise<string> {
  if ('builtIn' in reference) {
    if (!isPresetName(reference.builtIn)) throw new OrtbenchError(ErrorCode.MODEL_INVALID, `built-in model "${reference.builtIn}" is unknown to this worker's ortbench — upgrade it`);
    return reference.builtIn;
  }
  const file = path.join(dir, `${reference.sha256}.onnx`);
  if (await exists(file)) return file;
  if (reference.bytes > maxBytes) {
    throw new OrtbenchError(ErrorCode.MODEL_INVALID, `${reference.name}: ${mib(reference.bytes)} is over this worker's model size limit of ${mib(maxBytes)}`);
  }
  const bytes = await redis.getBuffer(KEYS.model(reference.sha256));
  if (!bytes) throw new OrtbenchError(ErrorCode.MODEL_INVALID, `${reference.name}: not on the queue any more (its sweep was cleaned up, or it expired)`);
  const actual = createHash('sha256').update(bytes).digest('hex');
  if (bytes.length !== reference.bytes || actual !== reference.sha256) {
    throw new OrtbenchError(ErrorCode.MODEL_INVALID, `${reference.name}: the bytes on the queue do not match the job (sha256 ${actual.slice(0, 12)}…, expected ${reference.sha256.slice(0, 12)}…); refusing to run them`);
  }
  try {
    await mkdir(dir, { recursive: true });
    const partial = `${file}.${process.pid}.partial`;
    await writeFile(partial, bytes);
    await rename(partial, file);
  } catch (error) {
    throw new OrtbenchError(ErrorCode.RUNNER_FAILED, `${dir}: cannot store the model (${firstLineOf(error)})`);
  }
  return file;
}

async function exists(file: string): Promise<boolean> {
  try {
    await stat(file);
    return true;
  } catch {
    return false;
  }
}

function mib(bytes: number): string {
  return `${(bytes / 2 ** 20).toFixed(1)} MiB`;
}
