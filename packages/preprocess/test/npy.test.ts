import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { ErrorCode } from '@ortbench/core';
import { fromFloat16Bits, loadArrays, parseNpy, parseNpz } from '../src/index';

// Files written by numpy 2.4 (test/fixtures/npy): the arrays' values are known.
const fixture = (name: string) => new URL(`./fixtures/npy/${name}`, import.meta.url);
const npy = async (name: string) => parseNpy(await readFile(fixture(name)), name);

describe('NumPy .npy and .npz', () => {
  it('reads every numeric dtype numpy writes', async () => {
    expect(await npy('float32.npy')).toMatchObject({ dtype: 'float32', dims: [2, 3], data: Float32Array.from([0, 0.25, 0.5, 0.75, 1, 1.25]) });
    expect(await npy('float64.npy')).toMatchObject({ dtype: 'float64', dims: [1, 2], data: Float64Array.from([1.5, -2.25]) });
    expect(Array.from((await npy('float16.npy')).data as Uint16Array, fromFloat16Bits)).toEqual([0.5, -1, 65504]);
    expect(await npy('int64.npy')).toMatchObject({ dtype: 'int64', dims: [1, 4], data: BigInt64Array.from([101n, 7592n, 2088n, 102n]) });
    expect(Array.from((await npy('int32.npy')).data as Int32Array)).toEqual([-1, 0, 2 ** 31 - 1]);
    expect(Array.from((await npy('uint8.npy')).data as Uint8Array)).toEqual([0, 128, 255]);
    expect(await npy('bool.npy')).toMatchObject({ dtype: 'bool', data: Uint8Array.from([1, 0, 1]) });
    expect(await npy('scalar.npy')).toMatchObject({ dims: [], data: Float32Array.from([3.5]) });
  });

  it('converts Fortran order and big-endian data', async () => {
    expect(Array.from((await npy('fortran.npy')).data as Float32Array)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(Array.from((await npy('bigendian.npy')).data as Float32Array)).toEqual([1, 2]);
  });

  it('reads compressed and plain .npz archives by name', async () => {
    const pair = parseNpz(await readFile(fixture('pair-compressed.npz')), 'pair-compressed.npz');
    expect(Object.keys(pair).sort()).toEqual(['a', 'b']);
    expect(pair.a).toMatchObject({ dtype: 'float32', dims: [2, 4], data: Float32Array.from([0, 1, 2, 3, 4, 5, 6, 7]) });
    expect(pair.b).toMatchObject({ dtype: 'int64', data: BigInt64Array.from([1n, 2n]) });
    expect((await loadArrays(fixture('single.npz').pathname, 'unused')).y!.dims).toEqual([2, 3]);
    expect(Object.keys(await loadArrays(fixture('float32.npy').pathname, 'logits'))).toEqual(['logits']);
  });

  it('refuses pickles, truncation and other files with DATA_INVALID naming them', async () => {
    await expect(npy('object.npy')).rejects.toMatchObject({ code: ErrorCode.DATA_INVALID, message: expect.stringContaining('object.npy: holds Python objects') });
    const bytes = await readFile(fixture('float32.npy'));
    expect(() => parseNpy(bytes.subarray(0, bytes.length - 4), 'cut.npy')).toThrow(/cut\.npy: truncated: the shape \[2, 3\] needs 24 bytes of data, the file has 20/);
    expect(() => parseNpy(new TextEncoder().encode('x,y\n1,2\n'), 'table.csv')).toThrow(/table\.csv: not a NumPy \.npy file/);
    expect(() => parseNpz(bytes, 'fake.npz')).toThrow(expect.objectContaining({ code: ErrorCode.DATA_INVALID, message: expect.stringContaining('fake.npz: not a NumPy .npz archive') }));
    await expect(loadArrays('/nonexistent/in.npz', 'x')).rejects.toMatchObject({ code: ErrorCode.FILE_NOT_FOUND });
  });
});
