import type { Tensor } from '@ortbench/core';
import { InvalidArgumentError } from '@ortbench/core';

const DESCR: Partial<Record<Tensor['dtype'], string>> = {
  float32: '<f4', float64: '<f8', float16: '<f2', int8: '|i1', int16: '<i2', int32: '<i4', int64: '<i8',
  uint8: '|u1', uint16: '<u2', uint32: '<u4', uint64: '<u8', bool: '|b1',
};

/**
 * A tensor as a NumPy .npy file (format 1.0, C order, little-endian), readable by
 * `numpy.load`: the header is padded so the data starts on a 64-byte boundary, as NumPy writes it.
 */
export function encodeNpy(tensor: Tensor): Uint8Array {
  const descr = DESCR[tensor.dtype];
  if (!descr || !ArrayBuffer.isView(tensor.data)) throw new InvalidArgumentError(`.npy: cannot write a ${tensor.dtype} tensor`);
  const shape = tensor.dims.length === 1 ? `(${tensor.dims[0]},)` : `(${tensor.dims.join(', ')})`;
  const dict = `{'descr': '${descr}', 'fortran_order': False, 'shape': ${shape}, }`;
  const unpadded = 10 + dict.length + 1; // magic, version, header length, dict, newline
  const header = `${dict}${' '.repeat((64 - (unpadded % 64)) % 64)}\n`;
  if (header.length > 0xffff) throw new InvalidArgumentError('.npy: shape too long for a version 1.0 header');
  const data = tensor.data as ArrayBufferView;
  const out = new Uint8Array(10 + header.length + data.byteLength);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0, header.length & 0xff, header.length >> 8]);
  out.set(new TextEncoder().encode(header), 10);
  out.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), 10 + header.length);
  return out;
}
