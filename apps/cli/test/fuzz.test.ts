import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { createResultsDocument, isOrtbenchError, parseResults, SeededRandom, serializeResults } from '@ortbench/core';
import { collectEnvironment } from '@ortbench/core/node';
import { buildModel, decodeModel, encodeModel, inspectModel, presetSpec } from '@ortbench/models';
import { BertTokenizer, decodeRgb, imageConfig, parseLabels, parseNpy } from '@ortbench/preprocess';

// Random and mutated bytes into every parser: each must either succeed or throw ortbench's
// own error (a code and one line), never anything else. Seeded, so a failure reproduces.
const random = new SeededRandom('fuzz');
const scratch = await mkdtemp(path.join(os.tmpdir(), 'ortbench-fuzz-'));
afterAll(() => rm(scratch, { recursive: true, force: true }));

function bytes(length: number): Uint8Array {
  return random.fillIntegers(new Uint8Array(length), 0, 256);
}

/** A copy of `valid` with some bytes flipped, a slice cut out, or truncated. */
function mutate(valid: Uint8Array): Uint8Array {
  const copy = Uint8Array.from(valid);
  const kind = random.integer(0, 3);
  if (kind === 0) for (let i = 0; i < random.integer(1, 20); i++) copy[random.integer(0, copy.length)] = random.integer(0, 256);
  if (kind === 1) return copy.subarray(0, random.integer(0, copy.length));
  if (kind === 2) {
    const at = random.integer(0, copy.length);
    return Uint8Array.from([...copy.subarray(0, at), ...copy.subarray(at + random.integer(1, 64))]);
  }
  return copy;
}

async function survives(label: string, inputs: Uint8Array[], parse: (input: Uint8Array) => unknown): Promise<{ ok: number; refused: number }> {
  let ok = 0;
  let refused = 0;
  for (const [index, input] of inputs.entries()) {
    try {
      await parse(input);
      ok++;
    } catch (error) {
      if (!isOrtbenchError(error)) throw new Error(`${label} #${index}: ${String((error as Error)?.stack ?? error)}`);
      expect(error.message).not.toContain('\n');
      refused++;
    }
  }
  return { ok, refused };
}

const model = encodeModel(buildModel(presetSpec('resnet50-tiny', { batch: 1 }))).model;

describe('fuzzing the parsers', () => {
  it('models: random and mutated bytes are read or refused as MODEL_INVALID, inspection never throws otherwise', async () => {
    const inputs = [...Array.from({ length: 100 }, () => bytes(random.integer(0, 4096))), ...Array.from({ length: 300 }, () => mutate(model))];
    const result = await survives('model', inputs, (input) => inspectModel(decodeModel(input, 'fuzz.onnx'), { batch_size: 2 }));
    expect(result.refused).toBeGreaterThan(100);
  });

  it('images: random and mutated PNG/JPEG bytes decode or are refused as IMAGE_INVALID', async () => {
    const pixels = bytes(32 * 32 * 3);
    const png = await sharp(Buffer.from(pixels), { raw: { width: 32, height: 32, channels: 3 } }).png().toBuffer();
    const jpeg = await sharp(Buffer.from(pixels), { raw: { width: 32, height: 32, channels: 3 } }).jpeg().toBuffer();
    const inputs = [...Array.from({ length: 40 }, () => bytes(random.integer(0, 2048))), ...Array.from({ length: 60 }, () => mutate(png)), ...Array.from({ length: 60 }, () => mutate(jpeg))];
    const config = imageConfig('imagenet', { resize: { width: 16, height: 16 }, crop: 'none' });
    const result = await survives('image', inputs, (input) => decodeRgb(input, config));
    expect(result.refused).toBeGreaterThan(40);
  });

  it('vocabularies and labels: random text builds a tokenizer or is refused, and encoding never throws', async () => {
    const texts = Array.from({ length: 60 }, () => new TextDecoder().decode(bytes(random.integer(0, 600))));
    const withSpecials = texts.map((t, i) => (i % 2 ? `[PAD]\n[UNK]\n[CLS]\n[SEP]\n[MASK]\n${t}` : t));
    await survives('vocab', withSpecials.map((t) => new TextEncoder().encode(t)), (input) => {
      const tokenizer = BertTokenizer.fromVocab(new TextDecoder().decode(input), {}, 'fuzz.txt');
      return tokenizer.encode([new TextDecoder().decode(bytes(200)), ['a', new TextDecoder().decode(bytes(50))]]);
    });
    await survives('labels', texts.map((t) => new TextEncoder().encode(t)), (input) => parseLabels(new TextDecoder().decode(input), 'fuzz.json'));
  });

  it('results documents and .npy arrays: mutated bytes are refused with their own codes', async () => {
    const document = createResultsDocument({ tool: { name: 'ortbench', version: '0' }, environment: collectEnvironment() }, []);
    const json = new TextEncoder().encode(serializeResults(document));
    await survives('results', Array.from({ length: 200 }, () => mutate(json)), (input) => parseResults(new TextDecoder().decode(input), 'fuzz.json'));
    const header = new TextEncoder().encode("\x93NUMPY\x01\x00v\x00{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }");
    const npy = Uint8Array.from([...header, ...new Array(128 - header.length - 1).fill(0x20), 0x0a, ...bytes(24)]);
    await survives('npy', [...Array.from({ length: 200 }, () => mutate(npy)), ...Array.from({ length: 50 }, () => bytes(random.integer(0, 300)))], (input) => parseNpy(input, 'fuzz.npy'));
  });
});

describe('fuzzing the CLI end to end', () => {
  const bin = fileURLToPath(new URL('../bin/ortbench.js', import.meta.url));

  it('mutated models through both ONNX Runtimes: a clean exit code and one line, never a crash', async () => {
    for (let i = 0; i < 8; i++) {
      const file = path.join(scratch, `mutated-${i}.onnx`);
      await writeFile(file, mutate(model));
      const run = spawnSync(process.execPath, [bin, 'verify', file, '--runner', 'node-cpu,web-wasm'], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
      expect(run.signal, file).toBeNull();
      expect([0, 1, 2, 3], `${file}: ${run.stderr}`).toContain(run.status);
      if (run.status !== 0) expect(run.stderr.trim().split('\n'), run.stderr).toHaveLength(1);
    }
  }, 120_000);
});
