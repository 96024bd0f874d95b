import { mkdtemp, readFile, rm, writeFile, readdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ErrorCode } from '@ortbench/core';
import { buildResNet50, encodeModel, hasExternalData, inspectModel, onnx, presetSpec, readModel, saveModel } from '../src/index';
import type { ResNetOptions } from '../src/index';
import { imageData, runInOrt } from './ort';

const directory = await mkdtemp(path.join(os.tmpdir(), 'ortbench-models-'));
afterAll(() => rm(directory, { recursive: true, force: true }));
const tiny = buildResNet50(presetSpec('resnet50-tiny').options as ResNetOptions);
const input = { input: { data: imageData(3 * 32 * 32), dims: [1, 3, 32, 32] } };

async function write(name: string, bytes: Uint8Array | string): Promise<string> {
  const file = path.join(directory, name);
  await writeFile(file, bytes);
  return file;
}

describe('readModel refuses what is not a model, naming the file', () => {
  const invalid = (file: string) => expect(readModel(file)).rejects.toMatchObject({ code: ErrorCode.MODEL_INVALID, message: expect.stringContaining(file) });

  it('empty, truncated and random bytes', async () => {
    await invalid(await write('empty.onnx', ''));
    const full = encodeModel(tiny).model;
    await invalid(await write('truncated.onnx', full.subarray(0, Math.floor(full.byteLength / 2))));
    await invalid(await write('random.onnx', Uint8Array.from({ length: 4096 }, (_, i) => (i * 2654435761) >>> 24)));
  });

  it('an image renamed .onnx, and a valid protobuf that is not a model', async () => {
    const png = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 0, 0, 0, 1, 0, 0, 0, 1, 8, 2, 0, 0, 0]);
    await invalid(await write('photo.onnx', png));
    const tensorOnly = onnx.TensorProto.encode({ name: 'w', dims: [2], dataType: 1, floatData: [1, 2] }).finish();
    await invalid(await write('tensor.onnx', tensorOnly));
    const noGraph = onnx.ModelProto.encode({ irVersion: 8, producerName: 'not-a-model' }).finish();
    await expect(readModel(await write('nograph.onnx', noGraph))).rejects.toThrow(/nograph\.onnx: not a valid ONNX model: no ONNX graph/);
  });

  it('a missing file and a directory', async () => {
    await expect(readModel(path.join(directory, 'none.onnx'))).rejects.toMatchObject({ code: ErrorCode.FILE_NOT_FOUND });
    await expect(readModel(directory)).rejects.toMatchObject({ code: ErrorCode.INVALID_ARGUMENT, message: expect.stringContaining('is a directory') });
  });
});

describe('external data', () => {
  it('writes large initializers to a data file that ORT loads, and reads them back', async () => {
    const file = path.join(directory, 'ext', 'model.onnx');
    await saveModel(file, tiny, { location: 'model.onnx.data', thresholdBytes: 256 });
    expect((await readdir(path.dirname(file))).sort()).toEqual(['model.onnx', 'model.onnx.data']);
    const shallow = await readModel(file);
    expect(hasExternalData(shallow)).toBe(true);
    const inspected = inspectModel(shallow);
    expect(inspected.parameters.count).toBe(inspectModel(tiny).parameters.count);
    expect(inspected.parameters.externalTensors).toBeGreaterThan(0);
    const [fromFile, inMemory] = await Promise.all([runInOrt(file, input), runInOrt(tiny, input)]);
    expect(Array.from(fromFile.output!.data as Float32Array)).toEqual(Array.from(inMemory.output!.data as Float32Array));
    const loaded = await readModel(file, { loadExternalData: true });
    expect(hasExternalData(loaded)).toBe(false);
    const rewritten = await runInOrt(onnx.ModelProto.encode(loaded).finish(), input);
    expect(Array.from(rewritten.output!.data as Float32Array)).toEqual(Array.from(inMemory.output!.data as Float32Array));
  });

  it('names a missing data file, and refuses data paths outside the model folder', async () => {
    const file = path.join(directory, 'lost', 'model.onnx');
    await saveModel(file, tiny, { location: 'weights.bin', thresholdBytes: 256 });
    await rm(path.join(directory, 'lost', 'weights.bin'));
    await expect(readModel(file, { loadExternalData: true })).rejects.toThrow(/external data file weights\.bin .* is missing/);
    const escaping = path.join(directory, 'escape', 'model.onnx');
    await saveModel(escaping, tiny, { location: '../../etc/passwd', thresholdBytes: 1e12 });
    const model = await readModel(escaping);
    model.graph!.initializer![0]!.dataLocation = onnx.TensorProto.DataLocation.EXTERNAL;
    model.graph!.initializer![0]!.externalData = [{ key: 'location', value: '../../etc/passwd' }];
    await writeFile(escaping, onnx.ModelProto.encode(model).finish());
    await expect(readModel(escaping, { loadExternalData: true })).rejects.toThrow(/points outside the model's folder/);
  });

  it('saves atomically: no temporary files remain', async () => {
    const file = path.join(directory, 'atomic', 'model.onnx');
    await saveModel(file, tiny);
    expect(await readdir(path.dirname(file))).toEqual(['model.onnx']);
    expect((await readFile(file)).byteLength).toBe(encodeModel(tiny).model.byteLength);
  });
});
