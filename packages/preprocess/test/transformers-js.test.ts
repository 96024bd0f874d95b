import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { ErrorCode } from '@ortbench/core';
import { hfImageSteps, hfProcessImage, TextTokenizer, wordPieceTokenizerJson } from '../src/index';
import { SHARED } from '@ortbench/tools/test-support/shared-data';
import { byteLevelBpeTokenizerJson, SAMPLE_CORPUS, unigramTokenizerJson } from '@ortbench/tools/test-support/tokenizer-json';

// transformers.js is a dev dependency of this package; where it is not installed, say so.
const installed = (() => {
  try {
    createRequire(import.meta.url).resolve('@huggingface/transformers');
    return true;
  } catch {
    console.warn('skipped: @huggingface/transformers is not installed, so inputs cannot be checked against it');
    return false;
  }
})();

const root = await mkdtemp(path.join(os.tmpdir(), 'ortbench-tjs-'));
afterAll(() => rm(root, { recursive: true, force: true }));

async function transformers() {
  const library = await import('@huggingface/transformers');
  library.env.allowRemoteModels = false;
  library.env.localModelPath = root;
  library.env.useFSCache = false;
  return library;
}

async function folder(name: string, files: Record<string, unknown>): Promise<string> {
  const dir = path.join(root, name);
  await mkdir(dir, { recursive: true });
  for (const [file, content] of Object.entries(files)) await writeFile(path.join(dir, file), JSON.stringify(content));
  return dir;
}

const SENTENCES = [...SAMPLE_CORPUS, 'Short.', 'A much longer sentence that goes on and on, with words the tokenizer has rarely or never seen: antidisestablishmentarianism!', 'Numbers 3.14159 and 2026-12-05, tabs\tand  double  spaces.'];

describe.skipIf(!installed)('text: the same ids as transformers.js', () => {
  const vocab = SHARED ? path.join(SHARED, 'vocab/bert-base-uncased/vocab.txt') : undefined;
  const kinds: [string, () => Promise<{ json: Record<string, unknown>; config: Record<string, unknown> }>][] = [
    ['byte-level BPE (RoBERTa template)', async () => byteLevelBpeTokenizerJson()],
    ['Unigram (Metaspace, T5 template)', async () => unigramTokenizerJson()],
  ];
  if (vocab) {
    kinds.push([
      'WordPiece (bert-base-uncased, written by ortbench)',
      async () => {
        const { json, config } = wordPieceTokenizerJson(await readFile(vocab, 'utf8'));
        // As export-folder writes it: BERT's template in tokenizer_config terms.
        return {
          json: { ...json, post_processor: { type: 'BertProcessing', sep: ['[SEP]', 102], cls: ['[CLS]', 101] } },
          config: { ...config, tokenizer_class: 'BertTokenizer', cls_token: '[CLS]', sep_token: '[SEP]', pad_token: '[PAD]', unk_token: '[UNK]', mask_token: '[MASK]' },
        };
      },
    ]);
  } else console.warn('skipped: WordPiece against transformers.js: ../shared (bert-base-uncased vocab) is absent');

  for (const [kind, make] of kinds) {
    it(`${kind}: each sentence, a padded batch, and truncation`, async () => {
      const { json, config } = await make();
      const name = kind.split(' ')[0]!.toLowerCase();
      const dir = await folder(name, { 'tokenizer.json': json, 'tokenizer_config.json': config });
      const { AutoTokenizer } = await transformers();
      const theirs = await AutoTokenizer.from_pretrained(name);
      const mine = await TextTokenizer.fromFiles(path.join(dir, 'tokenizer.json'), path.join(dir, 'tokenizer_config.json'));
      for (const sentence of SENTENCES) {
        const expected = theirs(sentence) as { input_ids: { data: BigInt64Array } };
        expect(Array.from(mine.encode([sentence]).inputIds, Number), sentence).toEqual(Array.from(expected.input_ids.data, Number));
      }
      for (const maxLength of [undefined, 8]) {
        const expected = theirs(SENTENCES, { padding: true, truncation: true, ...(maxLength ? { max_length: maxLength } : {}) }) as { input_ids: { data: BigInt64Array; dims: number[] }; attention_mask: { data: BigInt64Array } };
        const encoding = mine.encode(SENTENCES, maxLength ? { maxLength } : {});
        expect(encoding.dims).toEqual(expected.input_ids.dims);
        expect(Array.from(encoding.inputIds, Number)).toEqual(Array.from(expected.input_ids.data, Number));
        expect(Array.from(encoding.attentionMask, Number)).toEqual(Array.from(expected.attention_mask.data, Number));
      }
    });
  }

  it('a tokenizer.json that is not one is VOCAB_INVALID naming the file', async () => {
    const dir = await folder('broken', { 'tokenizer.json': { model: { type: 'NoSuchModel' } } });
    await expect(TextTokenizer.fromFiles(path.join(dir, 'tokenizer.json'))).rejects.toMatchObject({ code: ErrorCode.VOCAB_INVALID, message: expect.stringContaining(path.join(dir, 'tokenizer.json')) });
  });
});

/** Preprocessor configurations of real model kinds, each through a different path of the base class. */
const PROCESSORS: Record<string, Record<string, unknown>> = {
  vit: { image_processor_type: 'ViTImageProcessor', do_resize: true, size: { height: 224, width: 224 }, resample: 2, do_rescale: true, rescale_factor: 1 / 255, do_normalize: true, image_mean: [0.5, 0.5, 0.5], image_std: [0.5, 0.5, 0.5] },
  mobilenet: { image_processor_type: 'MobileNetV2ImageProcessor', do_resize: true, size: { shortest_edge: 256 }, resample: 2, do_center_crop: true, crop_size: { height: 224, width: 224 }, do_normalize: true, image_mean: [0.485, 0.456, 0.406], image_std: [0.229, 0.224, 0.225] },
  clip: { image_processor_type: 'CLIPImageProcessor', do_resize: true, size: { shortest_edge: 224 }, resample: 3, do_center_crop: true, crop_size: 224, do_normalize: true, image_mean: [0.48145466, 0.4578275, 0.40821073], image_std: [0.26862954, 0.26130258, 0.27577711], do_convert_rgb: true },
  lanczos: { feature_extractor_type: 'DeiTFeatureExtractor', size: 200, resample: 1, do_center_crop: true, crop_size: { height: 120, width: 120 }, do_normalize: false },
  // No resize: the made images (120 × 90, 90 × 120 turned) are smaller than the crop, so they are padded with black.
  // (A crop larger on one side only fails in transformers.js 4.3 in Node: sharp extracts before it extends.)
  padded: { do_resize: false, do_center_crop: true, crop_size: { height: 130, width: 128 }, do_rescale: false },
  mobilevit: { image_processor_type: 'MobileViTImageProcessor', size: { shortest_edge: 288 }, resample: 0, do_center_crop: true, crop_size: { height: 256, width: 256 }, do_flip_channel_order: true, do_rescale: true },
};

describe.skipIf(!installed)('images: the same tensors as transformers.js', async () => {
  const made = path.join(root, 'images');
  await mkdir(made, { recursive: true });
  // Paths the photos do not take: alpha, grey, an image smaller than the crop, EXIF rotation.
  const gradient = Buffer.alloc(120 * 90 * 4);
  for (let i = 0; i < 120 * 90; i++) gradient.set([(i * 7) % 256, (i >> 3) % 256, (i * 13) % 256, 128 + (i % 128)], i * 4);
  await sharp(gradient, { raw: { width: 120, height: 90, channels: 4 } }).png().toFile(path.join(made, 'alpha.png'));
  await sharp(gradient, { raw: { width: 120, height: 90, channels: 4 } }).greyscale().jpeg({ quality: 90 }).toFile(path.join(made, 'grey.jpg'));
  await sharp(gradient, { raw: { width: 120, height: 90, channels: 4 } }).removeAlpha().jpeg().withMetadata({ orientation: 6 }).toFile(path.join(made, 'rotated.jpg'));
  const photos = SHARED ? ['cat-tabby.png', 'dog-rottweiler.png', 'cat-grey-white-5360x3560.jpg'].map((f) => path.join(SHARED!, 'images', f)) : [];
  if (!SHARED) console.warn('skipped: the shared photos against transformers.js: ../shared is absent (made images still run)');
  const images = [...['alpha.png', 'grey.jpg', 'rotated.jpg'].map((f) => path.join(made, f)), ...photos];

  for (const [name, config] of Object.entries(PROCESSORS)) {
    it(`${name}: every image within float rounding`, async () => {
      await folder(`proc-${name}`, { 'preprocessor_config.json': config });
      const { AutoImageProcessor, RawImage } = await transformers();
      const processor = await AutoImageProcessor.from_pretrained(`proc-${name}`);
      const steps = hfImageSteps(config);
      for (const image of images) {
        const expected = (await processor(await RawImage.read(image))) as { pixel_values: { data: Float32Array; dims: number[] } };
        const mine = await hfProcessImage(image, steps);
        expect([1, 3, mine.height, mine.width], `${name} ${path.basename(image)}`).toEqual(expected.pixel_values.dims);
        let worst = 0;
        for (let i = 0; i < mine.data.length; i++) worst = Math.max(worst, Math.abs(mine.data[i]! - expected.pixel_values.data[i]!));
        expect(worst, `${name} ${path.basename(image)}`).toBeLessThan(1e-5);
      }
    });
  }

  it('a processor with steps of its own, or a setting ortbench does not reproduce, is refused naming it', () => {
    expect(() => hfImageSteps({ image_processor_type: 'ConvNextImageProcessor' }, 'p.json')).toThrow(/p\.json: ConvNextImageProcessor prepares images with steps of its own/);
    expect(() => hfImageSteps({ size: 224, do_pad: true }, 'p.json')).toThrow(/p\.json: do_pad is set/);
    expect(() => hfImageSteps({ size: 224, size_divisibility: 32 }, 'p.json')).toThrow(/size_divisibility/);
    expect(() => hfImageSteps({ size: 'big' }, 'p.json')).toThrow(/size "big" is not/);
    expect(() => hfImageSteps({ size: 224, resample: 9 }, 'p.json')).toThrow(/resample 9/);
  });
});
