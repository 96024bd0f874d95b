import { readFile } from 'node:fs/promises';
import { unzipSync } from 'fflate';
import type { DType, Feeds, Tensor } from '@ortbench/core';
import { createTensor, ErrorCode, OrtbenchError } from '@ortbench/core';

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY

const DTYPES: Record<string, { dtype: Exclude<DType, 'string'>; size: number }> = {
  f4: { dtype: 'float32', size: 4 },
  f8: { dtype: 'float64', size: 8 },
  f2: { dtype: 'float16', size: 2 },
  i1: { dtype: 'int8', size: 1 },
  i2: { dtype: 'int16', size: 2 },
  i4: { dtype: 'int32', size: 4 },
  i8: { dtype: 'int64', size: 8 },
  u1: { dtype: 'uint8', size: 1 },
  u2: { dtype: 'uint16', size: 2 },
  u4: { dtype: 'uint32', size: 4 },
  u8: { dtype: 'uint64', size: 8 },
  b1: { dtype: 'bool', size: 1 },
};

const ARRAYS = {
  float32: Float32Array, float64: Float64Array, float16: Uint16Array, int8: Int8Array, int16: Int16Array, int32: Int32Array,
  int64: BigInt64Array, uint8: Uint8Array, uint16: Uint16Array, uint32: Uint32Array, uint64: BigUint64Array, bool: Uint8Array,
} as const;

/**
 * Parses a NumPy .npy file (format 1.0–3.0) into a tensor: numeric and bool dtypes, either byte
 * order (big-endian is converted), C or Fortran order (Fortran is transposed). Pickled object
 * arrays are refused — unpickling runs code. Errors are DATA_INVALID naming the source.
 */
export function parseNpy(bytes: Uint8Array, source = 'array.npy'): Tensor {
  const invalid = (why: string) => new OrtbenchError(ErrorCode.DATA_INVALID, `${source}: ${why}`);
  if (bytes.byteLength < 10 || MAGIC.some((b, i) => bytes[i] !== b)) throw invalid('not a NumPy .npy file (no \\x93NUMPY header)');
  const major = bytes[6] as number;
  if (major < 1 || major > 3) throw invalid(`unknown .npy format version ${major}`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  const headerStart = major === 1 ? 10 : 12;
  const header = new TextDecoder(major === 3 ? 'utf-8' : 'latin1').decode(bytes.subarray(headerStart, headerStart + headerLength));
  const descr = /'descr':\s*'([^']*)'/.exec(header)?.[1];
  const fortran = /'fortran_order':\s*(True|False)/.exec(header)?.[1] === 'True';
  const shapeText = /'shape':\s*\(([^)]*)\)/.exec(header)?.[1];
  if (descr === undefined || shapeText === undefined) throw invalid('malformed .npy header');
  if (descr.includes('O')) throw invalid('holds Python objects (a pickled array): only numeric and bool arrays can be read');
  const order = descr[0];
  const type = DTYPES[descr.slice(1)];
  if (!type || !['<', '>', '|', '='].includes(order ?? '')) throw invalid(`unsupported dtype ${descr} (numeric and bool dtypes are read)`);
  const dims = shapeText.split(',').map((d) => d.trim()).filter(Boolean).map(Number);
  if (dims.some((d) => !Number.isInteger(d) || d < 0)) throw invalid(`malformed shape (${shapeText})`);
  const count = dims.reduce((a, b) => a * b, 1);
  const dataStart = headerStart + headerLength;
  const expected = count * type.size;
  if (bytes.byteLength - dataStart < expected) throw invalid(`truncated: the shape [${dims.join(', ')}] needs ${expected} bytes of data, the file has ${bytes.byteLength - dataStart}`);
  // A copy, aligned for typed arrays (Buffer#slice would only give a view into a shared pool).
  const data = new Uint8Array(expected);
  data.set(bytes.subarray(dataStart, dataStart + expected));
  if (order === '>' && type.size > 1) swapBytes(data, type.size);
  let values = new ARRAYS[type.dtype](data.buffer) as Tensor['data'];
  if (fortran && dims.length > 1) values = toRowMajor(values, dims);
  return createTensor(type.dtype, values as never, dims);
}

/** Parses a NumPy .npz archive (np.savez or np.savez_compressed) into named tensors. */
export function parseNpz(bytes: Uint8Array, source = 'arrays.npz'): Feeds {
  let entries: Record<string, Uint8Array>;
  try {
    entries = unzipSync(bytes);
  } catch (error) {
    throw new OrtbenchError(ErrorCode.DATA_INVALID, `${source}: not a NumPy .npz archive (${(error as Error).message})`);
  }
  const arrays: Feeds = {};
  for (const [name, content] of Object.entries(entries)) {
    if (!name.endsWith('.npy')) continue;
    arrays[name.slice(0, -4)] = parseNpy(content, `${source}:${name}`);
  }
  if (Object.keys(arrays).length === 0) throw new OrtbenchError(ErrorCode.DATA_INVALID, `${source}: the archive holds no .npy arrays`);
  return arrays;
}

/**
 * Reads a .npz file as named arrays, or a .npy file as one array under `defaultName`.
 * Errors name the file: FILE_NOT_FOUND, or DATA_INVALID.
 */
export async function loadArrays(file: string, defaultName: string): Promise<Feeds> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new OrtbenchError(code === 'ENOENT' ? ErrorCode.FILE_NOT_FOUND : ErrorCode.DATA_INVALID, `${file}: ${code === 'ENOENT' ? 'no such file' : (error as Error).message}`);
  }
  return file.endsWith('.npz') ? parseNpz(bytes, file) : { [defaultName]: parseNpy(bytes, file) };
}

function swapBytes(data: Uint8Array, size: number): void {
  for (let i = 0; i < data.length; i += size) data.subarray(i, i + size).reverse();
}

function toRowMajor(values: Tensor['data'], dims: readonly number[]): Tensor['data'] {
  const result = new (values.constructor as new (n: number) => Tensor['data'])(values.length);
  const rank = dims.length;
  const index = new Array<number>(rank).fill(0);
  for (let f = 0; f < values.length; f++) {
    // f walks Fortran order (first axis fastest); compute the C-order position of the same index.
    let c = 0;
    for (let axis = 0; axis < rank; axis++) c = c * (dims[axis] as number) + (index[axis] as number);
    (result as unknown as unknown[])[c] = (values as unknown as unknown[])[f];
    for (let axis = 0; axis < rank; axis++) {
      index[axis] = (index[axis] as number) + 1;
      if ((index[axis] as number) < (dims[axis] as number)) break;
      index[axis] = 0;
    }
  }
  return result;
}
