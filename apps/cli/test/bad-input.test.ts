import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { buildModel, encodeModel, onnx, presetSpec } from '@ortbench/models';
import { pngHeaderOnly } from '@ortbench/tools/test-support/png';

// Every bad input of issue 10, through the built CLI: one line naming the file or value, a
// stable code, a non-zero exit, no stack trace, and no output left behind.
const bin = fileURLToPath(new URL('../bin/ortbench.js', import.meta.url));
const scratch = await mkdtemp(path.join(os.tmpdir(), 'ortbench-bad-'));
afterAll(() => rm(scratch, { recursive: true, force: true }));
const file = (name: string) => path.join(scratch, name);
const out = file('out');

const model = encodeModel(buildModel(presetSpec('resnet50-tiny', { batch: 1 }))).model;
const png = await sharp({ create: { width: 8, height: 8, channels: 3, background: '#ff0000' } }).png().toBuffer();
await mkdir(file('a-folder.onnx'));
await mkdir(file('no-images'));
await writeFile(file('empty.onnx'), '');
await writeFile(file('truncated.onnx'), model.subarray(0, model.length / 3));
await writeFile(file('random.onnx'), Buffer.from(Array.from({ length: 2048 }, (_, i) => (i * 7919) % 251)));
await writeFile(file('photo.onnx'), png);
await writeFile(file('tensor.onnx'), onnx.TensorProto.encode({ name: 'w', dims: [2], dataType: 1, floatData: [1, 2] }).finish());
await writeFile(file('model.onnx'), model);
await writeFile(file('empty.jpg'), '');
await writeFile(file('notes.png'), 'not a picture\n'.repeat(10));
await writeFile(file('empty-vocab.txt'), '');
await writeFile(file('empty-labels.txt'), '\n');
await writeFile(file('future.json'), JSON.stringify({ schema: 'ortbench/results', version: 3 }));
await writeFile(file('resnet.json'), resultsWith('runner=node-cpu model=resnet50 batch=1'));
await writeFile(file('server.json'), resultsWith('runner=node-cpu model=resnet50 batch=1 opt.scenario="server" opt.targetQps=10'));
await writeFile(file('bomb.png'), pngHeaderOnly(50_000, 50_000));
await writeFile(file('int-input.npy'), npy('<i4', [1, 3, 32, 32], 4));
await writeFile(file('rank-input.npy'), npy('<f4', [3, 32, 32], 4));
await writeFile(file('expected.npy'), npy('<f4', [1, 10], 4));

const CASES: [string, string[], number, string, string][] = [
  ['missing file', ['bench', file('none.onnx'), '--out', out], 2, 'FILE_NOT_FOUND', 'none.onnx: no such file, and not a built-in model'],
  ['a misspelled flag', ['bench', 'resnet50-tiny', '--iteration', '5', '--out', out], 2, 'INVALID_ARGUMENT', "unknown option '--iteration' (did you mean --iterations?); run ortbench --help for usage"],
  ['a misspelled command', ['bnch', 'resnet50-tiny'], 2, 'INVALID_ARGUMENT', "unknown command 'bnch' (did you mean bench?)"],
  ['two ways to say how long', ['bench', 'resnet50-tiny', '--iterations', '10', '--duration', '2', '--out', out], 2, 'INVALID_ARGUMENT', '--iterations 10 and --duration 2 each say how long to measure instead of the precision target: give one'],
  ['--seq on a model with no sequence axis', ['bench', 'resnet50-tiny', '--seq', '640', '--out', out], 2, 'INVALID_ARGUMENT', '--seq: resnet50-tiny has no sequence axis'],
  ['a directory instead of a file', ['bench', file('a-folder.onnx'), '--out', out], 2, 'INVALID_ARGUMENT', 'a-folder.onnx: is a directory with no .onnx graph in it, not an .onnx file or a model folder'],
  ['zero-byte .onnx', ['bench', file('empty.onnx'), '--out', out], 3, 'MODEL_INVALID', 'empty.onnx: not a valid ONNX model: the file is empty'],
  ['truncated .onnx', ['bench', file('truncated.onnx'), '--out', out], 3, 'MODEL_INVALID', 'truncated.onnx: not a valid ONNX model: cannot decode the protobuf'],
  ['random bytes as .onnx', ['bench', file('random.onnx'), '--out', out], 3, 'MODEL_INVALID', 'random.onnx: not a valid ONNX model'],
  ['an image renamed .onnx', ['models', 'inspect', file('photo.onnx')], 3, 'MODEL_INVALID', 'photo.onnx: not a valid ONNX model'],
  ['a protobuf that is not a model', ['models', 'inspect', file('tensor.onnx')], 3, 'MODEL_INVALID', 'tensor.onnx: not a valid ONNX model'],
  ['feeds with the wrong names', ['verify', file('model.onnx'), '--runner', 'node-cpu', '--inputs', fileURLToPath(new URL('./fixtures/affine-expected.npz', import.meta.url)), '--expect', file('expected.npy')], 3, 'INPUT_MISMATCH', 'feed "y" is not an input of the model (inputs: input)'],
  ['feeds of the wrong dtype', ['verify', file('model.onnx'), '--runner', 'node-cpu', '--inputs', file('int-input.npy'), '--expect', file('expected.npy')], 3, 'INPUT_MISMATCH', 'feed "input" is int32, the model expects float32'],
  ['feeds of the wrong rank', ['verify', file('model.onnx'), '--runner', 'node-cpu', '--inputs', file('rank-input.npy'), '--expect', file('expected.npy')], 3, 'INPUT_MISMATCH', 'feed "input" has rank 3'],
  ['batch 0', ['bench', 'resnet50-tiny', '--batch', '0', '--out', out], 2, 'INVALID_ARGUMENT', '--batch: expected a positive integer, got "0"'],
  ['a negative batch', ['bench', 'resnet50-tiny', '--batch=-4', '--out', out], 2, 'INVALID_ARGUMENT', '--batch: expected a positive integer, got "-4"'],
  ['a non-numeric list', ['bench', 'resnet50-tiny', '--batch', '1,two', '--out', out], 2, 'INVALID_ARGUMENT', '--batch: expected a positive integer, got "two"'],
  ['a sequence length above the position limit', ['encode', 'hi', '--vocab', file('vocab.txt'), '--model', 'bert-tiny', '--max-length', '600'], 2, 'INVALID_ARGUMENT', "maxLength 600 exceeds the model's 512 positions"],
  ['an unknown runner', ['bench', 'resnet50-tiny', '--runner', 'gpu', '--out', out], 2, 'RUNNER_UNKNOWN', 'unknown runner "gpu"'],
  ['an unknown preset', ['bench', '--preset', 'imagenet', '--out', out], 2, 'INVALID_ARGUMENT', '--preset: unknown preset "imagenet"'],
  ['an empty image file', ['classify', file('empty.jpg'), '--model', 'resnet50-tiny'], 3, 'IMAGE_INVALID', 'empty.jpg: cannot read image'],
  ['a non-image file', ['classify', file('notes.png'), '--model', 'resnet50-tiny'], 3, 'IMAGE_INVALID', 'notes.png: cannot read image: not an image in a supported format'],
  ['a folder without images', ['classify', file('no-images'), '--model', 'resnet50-tiny'], 2, 'INVALID_ARGUMENT', 'no-images: no images in this folder'],
  ['a decompression bomb', ['classify', file('bomb.png'), '--model', 'resnet50-tiny'], 3, 'IMAGE_INVALID', 'bomb.png: cannot read image: larger than the 100,000,000-pixel limit (a decompression bomb?)'],
  ['a missing vocabulary', ['encode', 'hi', '--vocab', file('none.txt')], 2, 'FILE_NOT_FOUND', 'none.txt: no such vocabulary file'],
  ['an empty vocabulary', ['encode', 'hi', '--vocab', file('empty-vocab.txt')], 3, 'VOCAB_INVALID', 'empty-vocab.txt: the vocabulary is empty'],
  ['a missing labels file', ['classify', file('photo.png'), '--model', 'resnet50-tiny', '--labels', file('none.txt')], 2, 'FILE_NOT_FOUND', 'none.txt: no such labels file'],
  ['an empty labels file', ['classify', file('photo.png'), '--model', 'resnet50-tiny', '--labels', file('empty-labels.txt')], 3, 'VOCAB_INVALID', 'empty-labels.txt: the labels file is empty'],
  ['.npy of the wrong shape for --expect', ['verify', file('model.onnx'), '--runner', 'node-cpu', '--inputs', file('expected.npy'), '--expect', file('expected.npy')], 3, 'INPUT_MISMATCH', 'feed "input" has rank 2'],
  ['a results file from a future schema', ['report', file('future.json')], 3, 'RESULTS_VERSION_UNSUPPORTED', 'future.json: written with results schema version 3; this ortbench reads up to version 2'],
  ['a sweep none of whose configurations can run', ['bench', 'bert-tiny', '--seq', '100000', '--out', out], 2, 'INVALID_ARGUMENT', "no configuration of this sweep can run: sequence length 100000 exceeds the model's 512 positions"],
  ['a fixed-batch model asked only for another batch', ['bench', file('model.onnx'), '--batch', '4', '--out', out], 2, 'INVALID_ARGUMENT', "no configuration of this sweep can run: the model's input input has a fixed batch of 1 ([1, 3, 32, 32]): batch 4 cannot be fed"],
  ['runs with no configuration in common (a server run against a single-stream one)', ['compare', file('resnet.json'), file('server.json'), '--fail-above', '5%'], 2, 'INVALID_ARGUMENT', 'the two runs have no configuration in common'],
  ['a CI target of 0', ['bench', 'resnet50-tiny', '--ci-target', '0', '--out', out], 2, 'INVALID_ARGUMENT', '--ci-target: expected a percentage such as 2% (or a fraction such as 0.02), got "0"'],
  ['interleaved rounds with --isolate', ['bench', 'resnet50-tiny', '--rounds', '3', '--isolate', '--out', out], 2, 'INVALID_ARGUMENT', '--rounds 3: --isolate measures each configuration in its own process in one visit; drop --rounds'],
];

await writeFile(file('vocab.txt'), ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]', 'hi'].join('\n'));
await writeFile(file('photo.png'), png);

describe('bad input', () => {
  for (const [what, args, exit, code, message] of CASES) {
    it(`${what}: ${code}, exit ${exit}`, () => {
      const run = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', ORTBENCH_CACHE_DIR: file('cache') } });
      expect(run.status, run.stderr).toBe(exit);
      const lines = run.stderr.trim().split('\n').filter((line) => !line.startsWith('warning:'));
      expect(lines, run.stderr).toHaveLength(1);
      expect(lines[0]).toMatch(new RegExp(`^ortbench: ${code}: `));
      expect(lines[0]).toContain(message);
      expect(run.stderr).not.toMatch(/\n\s+at /);
      expect(existsSync(out), 'no output is left behind').toBe(false);
      if (process.env.ORTBENCH_PRINT_MESSAGES) console.log(`| ${what} | \`${lines[0]!.replace(scratch, '…')}\` | ${exit} |`);
    }, 30_000);
  }
});

/** A valid results document holding one skipped configuration of this id. */
function resultsWith(id: string): string {
  const environment = { os: { platform: 'linux', release: '6', arch: 'x64' }, cpu: { model: 'cpu', logicalCores: 2, physicalCores: 2 }, memoryBytes: 1, node: 'v20', packages: {} };
  const configuration = { id, runner: 'node-cpu', model: 'resnet50', batchSize: 1, options: {} };
  return JSON.stringify({ schema: 'ortbench/results', version: 2, createdAt: '2026-11-22T00:00:00.000Z', partial: false, tool: { name: 'ortbench', version: '0' }, environment, results: [{ status: 'skipped', configuration, reason: 'example' }] });
}

/** A .npy file of `descr` and `shape`, zero-filled. */
function npy(descr: string, shape: number[], itemSize: number): Buffer {
  let header = `{'descr': '${descr}', 'fortran_order': False, 'shape': (${shape.join(', ')}${shape.length === 1 ? ',' : ''}), }`;
  header = header.padEnd(64 * Math.ceil((header.length + 11) / 64) - 11, ' ') + '\n';
  const prefix = Buffer.from([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0, header.length & 0xff, header.length >> 8]);
  return Buffer.concat([prefix, Buffer.from(header, 'latin1'), Buffer.alloc(shape.reduce((a, b) => a * b, 1) * itemSize)]);
}
