import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseGraphName, readModelFolder, variantFile, variantsOf } from '../src/model-folder';

const scratch = await mkdtemp(path.join(os.tmpdir(), 'ortbench-folder-'));
afterAll(() => rm(scratch, { recursive: true, force: true }));

/** A folder laid out as transformers.js expects, with files of the given sizes. */
async function folder(name: string, files: Record<string, number>, top: Record<string, string> = {}): Promise<string> {
  const dir = path.join(scratch, name);
  await mkdir(path.join(dir, 'onnx'), { recursive: true });
  for (const [file, size] of Object.entries(files)) await writeFile(path.join(dir, 'onnx', file), Buffer.alloc(size));
  for (const [file, text] of Object.entries(top)) await writeFile(path.join(dir, file), text);
  return dir;
}

describe('model folders', () => {
  it('names variants by the suffixes transformers.js uses, the longest first', () => {
    expect(parseGraphName('model.onnx')).toEqual({ component: 'model', variant: 'fp32' });
    expect(parseGraphName('model_quantized.onnx')).toEqual({ component: 'model', variant: 'q8' });
    expect(parseGraphName('model_q4f16.onnx')).toEqual({ component: 'model', variant: 'q4f16' });
    expect(parseGraphName('model_q4.onnx')).toEqual({ component: 'model', variant: 'q4' });
    expect(parseGraphName('decoder_model_merged_uint8.onnx')).toEqual({ component: 'decoder_model_merged', variant: 'uint8' });
    expect(parseGraphName('encoder_model_bnb4.onnx')).toEqual({ component: 'encoder_model', variant: 'bnb4' });
  });

  it('finds every variant of every component, fp32 first, with external data counted in its size', async () => {
    const dir = await folder('minilm', { 'model_q4.onnx': 10, 'model.onnx': 100, 'model.onnx_data': 900, 'model_quantized.onnx': 30, 'model_fp16.onnx': 50 }, { 'config.json': '{"model_type":"bert","hidden_size":384}', 'tokenizer.json': '{}' });
    const read = await readModelFolder(dir);
    expect(read.main).toBe('model');
    expect(variantsOf(read).map((v) => [v.variant, v.bytes])).toEqual([['fp32', 1000], ['fp16', 50], ['q8', 30], ['q4', 10]]);
    expect(variantsOf(read)[0]!.externalData).toEqual([path.join(dir, 'onnx', 'model.onnx_data')]);
    expect(read.config).toEqual({ model_type: 'bert', hidden_size: 384 });
    expect(read.files.tokenizer).toBe(path.join(dir, 'tokenizer.json'));
    expect(read.files.preprocessor).toBeUndefined();
  });

  it('measures the encoder of an encoder–decoder folder, and recognises its decoder', async () => {
    const read = await readModelFolder(await folder('t5', { 'encoder_model.onnx': 10, 'encoder_model_quantized.onnx': 5, 'decoder_model_merged.onnx': 20 }));
    expect(read.main).toBe('encoder_model');
    expect([...read.components.keys()].sort()).toEqual(['decoder_model_merged', 'encoder_model']);
  });

  it('a variant the folder lacks, an empty folder and a bad config.json are errors naming the file', async () => {
    const read = await readModelFolder(await folder('two', { 'model.onnx': 1, 'model_fp16.onnx': 1 }));
    expect(() => variantFile(read, 'q4')).toThrow(/--variant q4: .*two has no model_q4\.onnx \(its variants: fp32, fp16\)/);
    await expect(readModelFolder(await folder('empty', {}))).rejects.toThrow(/is a directory with no \.onnx graph in it or in onnx\/, not an \.onnx file or a model folder/);
    await expect(readModelFolder(await folder('badconfig', { 'model.onnx': 1 }, { 'config.json': '{nope' }))).rejects.toThrow(/config\.json: not JSON/);
  });
});
