import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { ErrorCode, OrtbenchError } from '@ortbench/core';

// A TensorProto's external_data entry { key: "location", value: … } as protobuf writes it:
// field 1 (key) as 8 bytes "location", then field 2 (value) as a length-prefixed string.
const LOCATION_KEY = new Uint8Array([0x0a, 0x08, ...new TextEncoder().encode('location'), 0x12]);

/**
 * The external data files a serialised ONNX model names, in the order first met. Found by
 * the protobuf encoding of the `location` entry, so the runners need no ONNX decoder (a match
 * inside weight bytes is only a name that is looked for and, absent, reported).
 */
export function externalDataLocations(model: Uint8Array): string[] {
  const found = new Set<string>();
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let from = 0;
  for (;;) {
    const at = indexOf(model, LOCATION_KEY, from);
    if (at < 0) break;
    let position = at + LOCATION_KEY.length;
    let length = 0;
    for (let shift = 0; position < model.length && shift < 35; shift += 7) {
      const byte = model[position++] as number;
      length |= (byte & 0x7f) << shift;
      if (byte < 0x80) break;
    }
    from = at + 1;
    if (length <= 0 || length > 4096 || position + length > model.length) continue;
    try {
      found.add(decoder.decode(model.subarray(position, position + length)));
    } catch {
      // not UTF-8: weight bytes that happened to match, not a location
    }
  }
  return [...found];
}

function indexOf(haystack: Uint8Array, needle: Uint8Array, from: number): number {
  const first = needle[0] as number;
  for (let i = haystack.indexOf(first, from); i >= 0 && i <= haystack.length - needle.length; i = haystack.indexOf(first, i + 1)) {
    let match = true;
    for (let j = 1; j < needle.length && match; j++) match = haystack[i + j] === needle[j];
    if (match) return i;
  }
  return -1;
}

/** An external data file as onnxruntime-web takes it: the name the model uses, and its bytes or URL. */
export interface ExternalDataFile {
  path: string;
  data: Uint8Array;
}

/**
 * Reads the external data files a model names, from beside the model file. A missing one is
 * FILE_NOT_FOUND naming it and where it was looked for.
 */
export async function readExternalData(modelPath: string, model: Uint8Array): Promise<ExternalDataFile[]> {
  const files: ExternalDataFile[] = [];
  for (const location of externalDataLocations(model)) {
    const file = path.resolve(path.dirname(modelPath), location);
    try {
      files.push({ path: location, data: await readFile(file) });
    } catch {
      throw missingExternalData(modelPath, location, file);
    }
  }
  return files;
}

/** FILE_NOT_FOUND for an external data file the model names but that is not there. */
export function missingExternalData(modelPath: string, location: string, file: string): OrtbenchError {
  return new OrtbenchError(ErrorCode.FILE_NOT_FOUND, `${modelPath}: its external data file ${location} is missing (looked for ${file}); keep it beside the model`);
}
