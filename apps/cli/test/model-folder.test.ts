import { existsSync, readFileSync } from 'node:fs';
import { copyFile, mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseResults } from '@ortbench/core';
import { buildInputFixture, convertToFloat16, decodeModel, encodeModel, ensureModel, presetSpec, quantizeDynamic, readModel, saveModel } from '@ortbench/models';
import { byteLevelBpeTokenizerJson } from '@ortbench/tools/test-support/tokenizer-json';
import { cliSandbox } from './cli-sandbox';

const { scratch, ortbench } = await cliSandbox('model-folder');
const SHARED_MOBILENET = path.resolve(fileURLToPath(new URL('../../../../shared/models/mobilenetv2/mobilenetv2-12-dequantized-fp32.onnx', import.meta.url)));
if (!existsSync(SHARED_MOBILENET)) {
  if (process.env.CI) throw new Error(`${SHARED_MOBILENET} is missing; CI runs with ../shared beside the checkout`);
  console.log(`skipping the MobileNetV2 folder test: ${SHARED_MOBILENET} is missing (../shared beside the checkout)`);
}

// A folder as transformers.js and Optimum lay one out: config.json beside onnx/ with one file per
// variant, made here from the built bert-tiny (fp32, fp16, and dynamic int8 as model_quantized).
const folder = path.join(scratch, 'minibert');
await mkdir(path.join(folder, 'onnx'), { recursive: true });
process.env.ORTBENCH_CACHE_DIR = path.join(scratch, 'cache');
const fp32 = await readModel((await ensureModel(presetSpec('bert-tiny'))).path);
await saveModel(path.join(folder, 'onnx', 'model.onnx'), fp32);
await saveModel(path.join(folder, 'onnx', 'model_fp16.onnx'), convertToFloat16(fp32));
await saveModel(path.join(folder, 'onnx', 'model_quantized.onnx'), quantizeDynamic(fp32));
await writeFile(path.join(folder, 'config.json'), JSON.stringify({ model_type: 'bert', hidden_size: 64, max_position_embeddings: 512 }));

/** A folder laid out by hand: fp32 and q8 of bert-tiny with a byte-level BPE tokenizer.json (RoBERTa's template) and config.json. */
async function bpeFolder(name: string): Promise<void> {
  const dir = path.join(scratch, name);
  await mkdir(path.join(dir, 'onnx'), { recursive: true });
  await saveModel(path.join(dir, 'onnx', 'model.onnx'), fp32);
  await saveModel(path.join(dir, 'onnx', 'model_quantized.onnx'), quantizeDynamic(fp32));
  const { json, config } = byteLevelBpeTokenizerJson();
  await writeFile(path.join(dir, 'tokenizer.json'), JSON.stringify(json));
  await writeFile(path.join(dir, 'tokenizer_config.json'), JSON.stringify(config));
  await writeFile(path.join(dir, 'config.json'), JSON.stringify({ model_type: 'roberta', hidden_size: 64, max_position_embeddings: 514 }));
}

describe('a model folder is a model', { timeout: 120_000 }, () => {
  it('bench measures every variant it has, alternated, each paired against fp32', () => {
    const run = ortbench('bench', 'minibert', '--batch', '1', '--seq', '16', '--iterations', '30', '--out', 'all');
    expect(run.code, run.stderr).toBe(0);
    const { results } = parseResults(readFileSync(path.join(scratch, 'all', 'results.json'), 'utf8'));
    expect(results.map((r) => r.configuration.options.variant)).toEqual(['fp32', 'fp16', 'q8']);
    for (const r of results) {
      expect(r.status).toBe('completed');
      if (r.status !== 'completed') continue;
      expect(r.measurement.alternation?.mode).toBe('runs');
      expect(r.measurement.modelFile?.bytes).toBeGreaterThan(0);
      if (r.configuration.options.variant === 'fp32') continue;
      expect(r.measurement.comparisons?.[0]).toMatchObject({ axis: 'opt.variant', baselineValue: 'fp32' });
      // Outputs against fp32's on the same inputs: the encoder's hidden state, pooled over the sequence.
      // This folder has no tokenizer: the inputs timed, and the figures say so.
      expect(r.measurement.fidelity).toMatchObject({ reference: 'fp32', output: 'last_hidden_state', items: 1, pooled: true, inputs: 'the inputs timed (seeded: the folder has no tokenizer.json or vocab.txt)' });
      expect((r.measurement.fidelity as { cosineMin: number }).cosineMin).toBeGreaterThan(0.99);
    }
    const bytes = results.map((r) => (r.status === 'completed' ? r.measurement.modelFile!.bytes : 0));
    expect(bytes[1]).toBeLessThan(bytes[0]! * 0.6); // fp16 weights take half the room
    expect(run.stdout).toMatch(/^Which variant on node-cpu, batch 1, sequence 16: .*\. Files: fp32 [\d.]+ MiB, fp16 [\d.]+ MiB, q8 [\d.]+ MiB\.$/m);
    expect(run.stdout).toMatch(/^\s+1\s+16\s+q8\s+.* (than|as) variant fp32$/m);
  });

  it('--variant picks some; one it lacks, --precision on a folder, and --variant on a file are one-line errors', () => {
    const two = ortbench('bench', 'minibert', '--variant', 'q8,fp32', '--batch', '1', '--seq', '16', '--iterations', '10', '--out', 'two');
    expect(two.code, two.stderr).toBe(0);
    const { results } = parseResults(readFileSync(path.join(scratch, 'two', 'results.json'), 'utf8'));
    expect(results.map((r) => r.configuration.options.variant)).toEqual(['fp32', 'q8']); // fp32 first: the baseline
    const missing = ortbench('bench', 'minibert', '--variant', 'q4');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/^ortbench: INVALID_ARGUMENT: --variant q4: minibert has no model_q4\.onnx \(its variants: fp32, fp16, q8\)\n$/);
    const precision = ortbench('bench', 'minibert', '--precision', 'fp32,int8');
    expect(precision.stderr).toBe('ortbench: INVALID_ARGUMENT: --precision: minibert is a model folder, whose files are its precisions: use --variant fp32,fp16,q8\n');
    const file = ortbench('bench', path.join('minibert', 'onnx', 'model.onnx'), '--variant', 'q8');
    expect(file.stderr).toMatch(/^ortbench: INVALID_ARGUMENT: --variant: .* is not a model folder/);
    expect(ortbench('bench', 'minibert', '--variant', 'q9').stderr).toMatch(/--variant.*q9/);
  });
});

describe('verify, eval and tune take a folder and one of its variants', { timeout: 300_000 }, () => {
  it('each names the variant it ran, and eval compares a variant with the folder fp32 on texts tokenised by its own tokenizer', async () => {
    await bpeFolder('with-tokenizer');
    const texts = path.join(scratch, 'eval-texts.txt');
    await writeFile(texts, 'The quick brown fox.\nWhich variant should we ship?\n');

    const evaluated = ortbench('eval', 'with-tokenizer', '--variant', 'q8', '--texts', texts, '--json');
    expect(evaluated.code, evaluated.stderr).toBe(0);
    const evaluation = JSON.parse(evaluated.stdout) as { model: string; reference: string; texts: number; outputs: { output: string; minCosine: number }[] };
    expect(evaluation).toMatchObject({ model: 'with-tokenizer (q8)', reference: 'with-tokenizer (fp32)', texts: 2 });
    expect(evaluation.outputs.find((o) => o.output === 'last_hidden_state')!.minCosine).toBeGreaterThan(0.99);
    expect(ortbench('eval', 'with-tokenizer', '--texts', texts).stderr).toMatch(/--texts needs --reference MODEL .* or a model folder with --variant/);

    const verified = ortbench('verify', 'with-tokenizer', '--variant', 'q8', '--precision', 'int8', '--seq', '16');
    expect(verified.code, verified.stderr).toBe(0);
    expect(verified.stdout).toMatch(/^model {5}with-tokenizer \(q8\)$/m);
    expect(verified.stdout).toContain('all outputs agree');

    const tuned = ortbench('tune', 'with-tokenizer', '--variant', 'q8', '--latency-budget', '1000', '--batch', '1,2', '--threads', '1', '--concurrency', '1', '--seq', '16', '--max-duration', '1', '--json');
    expect(tuned.code, tuned.stderr).toBe(0);
    expect(JSON.parse(tuned.stdout)).toMatchObject({ model: 'with-tokenizer (q8)', best: { batch: expect.any(Number) } });
    expect(ortbench('verify', 'with-tokenizer', '--variant', 'q4').stderr).toBe('ortbench: INVALID_ARGUMENT: --variant q4: with-tokenizer has no model_q4.onnx (its variants: fp32, q8)\n');
    expect(ortbench('verify', path.join('with-tokenizer', 'onnx', 'model.onnx'), '--variant', 'q8').stderr).toMatch(/^ortbench: INVALID_ARGUMENT: --variant: .* is a file, not a model folder\n$/);
  });
});

describe('an encoder–decoder folder', { timeout: 300_000 }, () => {
  it('is inspected by component, its encoder benchmarked by default, and its decoder single step at a past length', async () => {
    const dir = path.join(scratch, 'seq2seq');
    await mkdir(path.join(dir, 'onnx'), { recursive: true });
    await saveModel(path.join(dir, 'onnx', 'encoder_model.onnx'), fp32);
    await saveModel(path.join(dir, 'onnx', 'encoder_model_quantized.onnx'), quantizeDynamic(fp32));
    const decoder = decodeModel(encodeModel(buildInputFixture('seq2seq-decoder')).model, 'decoder');
    await saveModel(path.join(dir, 'onnx', 'decoder_model_merged.onnx'), decoder);
    await saveModel(path.join(dir, 'onnx', 'decoder_model_merged_quantized.onnx'), quantizeDynamic(decoder));
    await writeFile(path.join(dir, 'config.json'), JSON.stringify({ model_type: 't5', is_encoder_decoder: true, d_model: 64 }));

    const inspected = ortbench('models', 'inspect', 'seq2seq');
    expect(inspected.code, inspected.stderr).toBe(0);
    expect(inspected.stdout).toMatch(/^folder {4}seq2seq \(t5\), with config\.json$/m);
    expect(inspected.stdout).toMatch(/^ {10}encoder_model \(inspected below\): fp32 [\d.]+ MiB, q8 [\d.]+ MiB$/m);
    expect(inspected.stdout).toMatch(/^ {10}decoder_model_merged: fp32 [\d.]+ MiB, q8 [\d.]+ MiB$/m);
    const decoderInspected = ortbench('models', 'inspect', 'seq2seq', '--component', 'decoder_model_merged', '--json');
    expect(decoderInspected.code, decoderInspected.stderr).toBe(0);
    expect(JSON.parse(decoderInspected.stdout).inputs.map((i: { name: string }) => i.name)).toContain('past_key_values.0.decoder.key');

    const encoder = ortbench('bench', 'seq2seq', '--batch', '1', '--seq', '16', '--iterations', '10', '--out', 'seq2seq-encoder');
    expect(encoder.code, encoder.stderr).toBe(0);
    expect(encoder.stderr).toContain('seq2seq has 2 components; measuring encoder_model (--component decoder_model_merged measures the other');
    const encoded = parseResults(readFileSync(path.join(scratch, 'seq2seq-encoder', 'results.json'), 'utf8')).results;
    expect(encoded.map((r) => [r.status, r.configuration.options.variant])).toEqual([['completed', 'fp32'], ['completed', 'q8']]);

    // The decoder's step: its past length is the user's to say, never a guess.
    const unset = ortbench('bench', 'seq2seq', '--component', 'decoder_model_merged', '--batch', '1', '--seq', '1', '--dim', 'encoder_sequence_length=16', '--dim', 'encoder_sequence_length_out=16');
    expect(unset.code).not.toBe(0);
    expect(unset.stderr).toMatch(/past_decoder_sequence_length/);
    const step = ortbench('bench', 'seq2seq', '--component', 'decoder_model_merged', '--batch', '1', '--seq', '1', '--dim', 'past_decoder_sequence_length=32', '--dim', 'encoder_sequence_length=16', '--dim', 'encoder_sequence_length_out=16', '--iterations', '10', '--out', 'seq2seq-decoder');
    expect(step.code, step.stderr).toBe(0);
    const stepped = parseResults(readFileSync(path.join(scratch, 'seq2seq-decoder', 'results.json'), 'utf8')).results;
    expect(stepped.map((r) => [r.status, r.configuration.options.variant])).toEqual([['completed', 'fp32'], ['completed', 'q8']]);
    for (const r of stepped) {
      if (r.status !== 'completed') continue;
      const fed = Object.fromEntries(r.measurement.inputs!.map((f) => [f.name, f.dims]));
      expect(fed).toMatchObject({ input_ids: [1, 1], 'past_key_values.0.decoder.key': [1, 2, 32, 4], encoder_hidden_states: [1, 16, 8], encoder_attention_mask: [1, 16] });
      expect(r.measurement.modelFile?.path).toMatch(/decoder_model_merged(_quantized)?\.onnx$/);
    }
    const q8 = stepped[1]!;
    if (q8.status === 'completed') {
      expect(q8.measurement.comparisons?.[0]).toMatchObject({ axis: 'opt.variant', baselineValue: 'fp32' });
      expect(q8.measurement.fidelity).toMatchObject({ output: 'logits', inputs: 'the inputs timed (seeded: the folder has no tokenizer.json or vocab.txt)' });
    }
    expect(ortbench('bench', 'seq2seq', '--component', 'decoder').stderr).toBe(`ortbench: INVALID_ARGUMENT: --component decoder: seq2seq has no decoder*.onnx (its components: decoder_model_merged, encoder_model)\n`);
  });
});

describe('models export-folder', { timeout: 600_000 }, () => {
  it('writes the built BERT as a folder of fp32, fp16, q8 and q4 with its tokenizer, and bench measures every variant on node-cpu, web-wasm and browser', async () => {
    const vocab = path.join(scratch, 'vocab.txt');
    await writeFile(vocab, ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]', 'the', 'cat', 'sat', '##s'].join('\n'));
    const exported = ortbench('models', 'export-folder', 'bert-tiny', '--out', 'exported', '--vocab', vocab, '--json');
    expect(exported.code, exported.stderr).toBe(0);
    const written = JSON.parse(exported.stdout) as { variants: { variant: string; bytes: number }[]; files: string[] };
    expect(written.variants.map((v) => v.variant)).toEqual(['fp32', 'fp16', 'q8', 'q4']);
    expect(written.files).toEqual(['config.json', 'tokenizer.json', 'tokenizer_config.json']);
    const tokenizer = JSON.parse(readFileSync(path.join(scratch, 'exported', 'tokenizer.json'), 'utf8')) as { model: { type: string; vocab: Record<string, number> }; post_processor: { type: string } };
    expect(tokenizer.model).toMatchObject({ type: 'WordPiece', vocab: { '[CLS]': 2, cat: 6 } });
    expect(tokenizer.post_processor.type).toBe('BertProcessing');
    expect(JSON.parse(readFileSync(path.join(scratch, 'exported', 'config.json'), 'utf8'))).toMatchObject({ model_type: 'bert', hidden_size: 64, vocab_size: 30522 });

    const run = ortbench('bench', 'exported', '--runner', 'node-cpu,web-wasm,browser', '--batch', '1', '--seq', '16', '--iterations', '10', '--out', 'exported-bench');
    expect(run.code, run.stderr).toBe(0);
    const { results } = parseResults(readFileSync(path.join(scratch, 'exported-bench', 'results.json'), 'utf8'));
    expect(results.filter((r) => r.status === 'completed')).toHaveLength(12);
    // 4-bit MatMulNBits runs on every runtime, close to fp32 (the stated tolerance: cosine ≥ 0.999).
    for (const r of results.filter((r) => r.configuration.options.variant === 'q4')) {
      if (r.status !== 'completed') continue;
      expect((r.measurement.fidelity as { cosineMin: number }).cosineMin, r.configuration.runner).toBeGreaterThan(0.999);
    }
    for (const runner of ['node-cpu', 'web-wasm', 'browser']) expect(run.stdout).toContain(`Which variant on ${runner}, batch 1, sequence 16:`);
    // With a tokenizer in the folder, outputs are compared on the built-in sentences, one at a time.
    for (const r of results.filter((r) => r.configuration.options.variant !== 'fp32')) {
      if (r.status === 'completed') expect(r.measurement.fidelity).toMatchObject({ items: 8, inputs: "8 built-in sentences, tokenised by the folder's tokenizer.json (WordPiece)" });
    }
  });

  it('a folder laid out by hand with a byte-level BPE tokenizer.json: its texts (--texts) tokenised as transformers.js would, on every runner', async () => {
    await bpeFolder('roberta-like');
    const texts = path.join(scratch, 'texts.txt');
    await writeFile(texts, 'The quick brown fox.\n\nWhich variant should we ship?\nCafé — 🙂\n');
    const run = ortbench('bench', 'roberta-like', '--runner', 'node-cpu,web-wasm,browser', '--batch', '1', '--seq', '16', '--iterations', '10', '--texts', texts, '--out', 'bpe-bench');
    expect(run.code, run.stderr).toBe(0);
    const { results } = parseResults(readFileSync(path.join(scratch, 'bpe-bench', 'results.json'), 'utf8'));
    expect(results.filter((r) => r.status === 'completed')).toHaveLength(6);
    for (const r of results.filter((r) => r.configuration.options.variant === 'q8')) {
      if (r.status !== 'completed') continue;
      expect(r.measurement.fidelity, r.configuration.runner).toMatchObject({ items: 3, inputs: `3 text(s) of ${texts}, tokenised by the folder's tokenizer.json (BPE)` });
      expect((r.measurement.fidelity as { cosineMin: number }).cosineMin).toBeGreaterThan(0.99);
    }
    expect(readFileSync(path.join(scratch, 'bpe-bench', 'results.md'), 'utf8')).toContain(`on 3 text(s) of ${texts}, tokenised by the folder's tokenizer.json (BPE)`);
    // --texts errors: a missing file, an empty one, a folder without a tokenizer, a model file.
    expect(ortbench('bench', 'roberta-like', '--texts', 'nope.txt').stderr).toBe('ortbench: FILE_NOT_FOUND: --texts nope.txt: no such file\n');
    await writeFile(path.join(scratch, 'empty.txt'), '\n\n');
    expect(ortbench('bench', 'roberta-like', '--texts', 'empty.txt').stderr).toBe('ortbench: INVALID_ARGUMENT: --texts empty.txt: no text in it (one text per line)\n');
    expect(ortbench('bench', 'minibert', '--texts', texts).stderr).toBe('ortbench: INVALID_ARGUMENT: --texts: minibert has no tokenizer.json or vocab.txt to tokenise texts with\n');
    expect(ortbench('bench', path.join('roberta-like', 'onnx', 'model.onnx'), '--texts', texts).stderr).toMatch(/^ortbench: INVALID_ARGUMENT: --texts: .* is not a model folder/);
  });

  it('refuses a folder that is not empty, 4-bit weights for a model without MatMul, and leaves nothing half-written', async () => {
    await mkdir(path.join(scratch, 'taken'), { recursive: true });
    await writeFile(path.join(scratch, 'taken', 'keep.txt'), 'mine');
    const taken = ortbench('models', 'export-folder', 'bert-tiny', '--out', 'taken');
    expect(taken.code).toBe(2);
    expect(taken.stderr).toBe('ortbench: OUTPUT_UNWRITABLE: taken: already exists and is not empty; export-folder writes a new folder\n');
    expect(readFileSync(path.join(scratch, 'taken', 'keep.txt'), 'utf8')).toBe('mine');
    const noMatMul = ortbench('models', 'export-folder', 'resnet50-tiny', '--out', 'cnn', '--variant', 'fp32,q4');
    expect(noMatMul.stderr).toMatch(/^ortbench: INVALID_ARGUMENT: q4: resnet50-tiny has no MatMul/);
    expect(existsSync(path.join(scratch, 'cnn'))).toBe(false);
  });

  // Five of the photos: every variant on three runners compares each with fp32 one at a time and
  // runs the pipeline on them — with all 15 the test took over 10 minutes beside two busy loops.
  it.skipIf(!existsSync(SHARED_MOBILENET))('writes the shared MobileNetV2 as a folder (int8 calibrated on the photos) and bench measures every variant on every runner', { timeout: 900_000 }, async () => {
    const exported = ortbench('models', 'export-folder', SHARED_MOBILENET, '--out', 'mobilenet', '--calibrate', path.resolve(SHARED_MOBILENET, '../../../images'), '--json');
    expect(exported.code, exported.stderr).toBe(0);
    expect((JSON.parse(exported.stdout) as { files: string[] }).files).toEqual(['config.json', 'preprocessor_config.json']);
    const shared = path.resolve(SHARED_MOBILENET, '../../../images');
    const photos = path.join(scratch, 'five-photos');
    await mkdir(photos, { recursive: true });
    for (const name of ['cat-tabby.png', 'cat-persian.png', 'dog-rottweiler.png', 'dog-border-collie.png', 'cat-grey-white-5360x3560.jpg', 'expected.json']) await copyFile(path.join(shared, name), path.join(photos, name));
    const run = ortbench('bench', 'mobilenet', '--runner', 'node-cpu,web-wasm,browser', '--batch', '1', '--iterations', '8', '--images', photos, '--labels', path.join(photos, 'expected.json'), '--out', 'mobilenet-bench');
    expect(run.code, run.stderr).toBe(0);
    const { results } = parseResults(readFileSync(path.join(scratch, 'mobilenet-bench', 'results.json'), 'utf8'));
    // Each variant's top-1 on the photos against the folder's fp32 file: 5 photos compared, fp32 itself not.
    for (const r of results) {
      if (r.status !== 'completed') continue;
      if (r.configuration.options.variant === 'fp32') expect(r.measurement.agreement).toBeUndefined();
      else {
        expect(r.measurement.agreement, String(r.configuration.options.variant)).toMatchObject({ reference: 'fp32', images: 5 });
        // The photos, prepared as the folder's preprocessor_config.json says (as transformers.js would), one at a time.
        expect(r.measurement.fidelity).toMatchObject({ items: 5, inputs: "5 photo(s) of --images, prepared by the folder's preprocessor_config.json" });
      }
    }
    const variants = [...new Set(results.map((r) => r.configuration.options.variant))];
    expect(variants.slice(0, 3)).toEqual(['fp32', 'fp16', 'int8']);
    expect(results.every((r) => r.status === 'completed')).toBe(true);
    expect(run.stdout).toMatch(/^Which variant on browser, batch 1: /m);
    // classify and eval read the folder too: its preprocessor_config.json prepares the photos.
    const expected = JSON.parse(readFileSync(path.join(photos, 'expected.json'), 'utf8')) as Record<string, { expect_top1_any_of: number[] }>;
    const classified = ortbench('classify', path.join(photos, 'cat-tabby.png'), '--model', 'mobilenet', '--variant', 'fp16', '--json');
    expect(classified.code, classified.stderr).toBe(0);
    expect(expected['cat-tabby.png']!.expect_top1_any_of).toContain((JSON.parse(classified.stdout) as { top: { index: number }[] }[])[0]!.top[0]!.index);
    const evaluated = ortbench('eval', 'mobilenet', '--variant', 'int8', '--images', photos, '--labels', path.join(photos, 'expected.json'), '--json');
    expect(evaluated.code, evaluated.stderr).toBe(0);
    expect(JSON.parse(evaluated.stdout)).toMatchObject({ model: 'mobilenet (int8)', reference: 'mobilenet (fp32)', images: 5 });
  });
});
