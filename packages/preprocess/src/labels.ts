import { readFile } from 'node:fs/promises';
import { IMAGENET_CLASSES } from '@tensorflow-models/mobilenet/dist/imagenet_classes';
import { ErrorCode, firstLineOf, OrtbenchError } from '@ortbench/core';

/**
 * The 1000 English ImageNet-1k class names, index = class id (synset-sorted order).
 * Bundled at build time from @tensorflow-models/mobilenet's imagenet_classes module
 * (Apache-2.0, © Google LLC), so installing this package does not pull in TensorFlow.js.
 */
export const IMAGENET_LABELS: readonly string[] = Object.freeze(
  Array.from({ length: 1000 }, (_, i) => (IMAGENET_CLASSES as Record<number, string>)[i] as string),
);

/**
 * Parses labels from text: one per line (.txt), a JSON array, a Keras class index
 * (`{"0": ["n01440764", "tench"], …}`) or a JSON map (`{"0": "tench", …}`). Missing indices
 * of a map read `#N`. UTF-8 is kept as is (Chinese labels too).
 */
export function parseLabels(text: string, source = 'labels'): string[] {
  const content = text.replace(/^\uFEFF/, '');
  if (content.trim() === '') throw new OrtbenchError(ErrorCode.VOCAB_INVALID, `${source}: the labels file is empty`);
  const trimmed = content.trimStart();
  if (trimmed.startsWith('[') || trimmed.startsWith('{')) return parseJsonLabels(content, source);
  const lines = content.split(/\r?\n/);
  if (lines.at(-1) === '') lines.pop(); // a final newline ends the last line, it adds none
  return lines;
}

/** Reads a labels file (see {@link parseLabels}); errors name the file. */
export async function loadLabels(file: string): Promise<string[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new OrtbenchError(
      code === 'ENOENT' ? ErrorCode.FILE_NOT_FOUND : ErrorCode.VOCAB_INVALID,
      `${file}: ${code === 'ENOENT' ? 'no such labels file' : code === 'EISDIR' ? 'is a directory, not a labels file' : (error as Error).message}`,
    );
  }
  return parseLabels(text, file);
}

function parseJsonLabels(text: string, source: string): string[] {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new OrtbenchError(ErrorCode.VOCAB_INVALID, `${source}: not valid JSON (${firstLineOf(error)})`);
  }
  const invalid = (why: string) => new OrtbenchError(ErrorCode.VOCAB_INVALID, `${source}: ${why}`);
  if (Array.isArray(json)) {
    if (!json.every((label) => typeof label === 'string')) throw invalid('a JSON labels array must hold only strings');
    if (json.length === 0) throw invalid('the labels array is empty');
    return json;
  }
  if (typeof json !== 'object' || json === null) throw invalid('expected an array of labels or an object mapping class index to label');
  const entries = Object.entries(json as Record<string, unknown>);
  if (entries.length === 0) throw invalid('the labels map is empty');
  const labels: string[] = [];
  for (const [key, value] of entries) {
    const index = Number(key);
    if (!Number.isInteger(index) || index < 0) throw invalid(`key "${key}" is not a class index`);
    // Keras class index: [synset id, name]
    const label = Array.isArray(value) && value.length === 2 && typeof value[1] === 'string' ? value[1] : value;
    if (typeof label !== 'string') throw invalid(`class ${key} has no string label`);
    labels[index] = label;
  }
  return Array.from(labels, (label, index) => label ?? `#${index}`);
}
