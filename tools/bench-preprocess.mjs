#!/usr/bin/env node
// Image preprocessing throughput: decode + resize + crop + float conversion, torchvision-exact
// and fast, on the shared photos (and transformers.js's image processor when installed), and the
// float conversion loop alone. Run after `npm run build`:
//   node tools/bench-preprocess.mjs            (needs ../shared beside the checkout)
import { readdir, readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { channelTransform, imageConfig, preprocessImages, writePixels } from '@ortbench/preprocess';

const shared = fileURLToPath(new URL('../../shared/images', import.meta.url));
const files = (await readdir(shared)).filter((f) => /\.(png|jpe?g)$/.test(f)).sort();
const buffers = await Promise.all(files.map((f) => readFile(path.join(shared, f))));
console.log(`node ${process.version}, ${os.cpus()[0]?.model}, ${os.availableParallelism()} CPUs, sharp ${sharp.versions.sharp} (libvips ${sharp.versions.vips}), ${files.length} photos from 46 kB to 951 kB`);

async function rate(label, run, seconds = 4) {
  await run(); // warm-up
  let items = 0;
  const start = performance.now();
  while (performance.now() - start < seconds * 1000) items += await run();
  const perSecond = items / ((performance.now() - start) / 1000);
  console.log(`${label.padEnd(58)} ${perSecond.toFixed(1).padStart(9)} images/s`);
  return perSecond;
}

const exact = imageConfig('imagenet');
const fast = imageConfig('imagenet', { fast: true });
const rates = {};
for (const [label, config] of [['imagenet (torchvision-exact)', exact], ['imagenet, fast (sharp resize)', fast]]) {
  for (const concurrency of [1, os.availableParallelism()]) {
    rates[`${label} ${concurrency}`] = await rate(`${label}, batch of ${files.length}, concurrency ${concurrency}`, async () => {
      await preprocessImages(buffers, config, { concurrency });
      return files.length;
    });
  }
}

// transformers.js's image processor with the same recipe (shortest edge 256, crop 224, ImageNet
// mean/std), when TRANSFORMERS_JS names an installed @huggingface/transformers (it is not a
// dependency of this repository):   TRANSFORMERS_JS=/tmp/tjs/node_modules/@huggingface/transformers
if (process.env.TRANSFORMERS_JS) {
  const { ImageProcessor, RawImage, env } = await import(path.join(process.env.TRANSFORMERS_JS, 'dist/transformers.node.mjs'));
  env.allowRemoteModels = false;
  const processor = new ImageProcessor({
    do_resize: true, size: { shortest_edge: 256 }, resample: 2, do_center_crop: true, crop_size: { height: 224, width: 224 },
    do_rescale: true, rescale_factor: 1 / 255, do_normalize: true, image_mean: [0.485, 0.456, 0.406], image_std: [0.229, 0.224, 0.225],
  });
  const theirs = await rate(`transformers.js ImageProcessor (read + process), batch of ${files.length}`, async () => {
    await processor(await Promise.all(files.map((f) => RawImage.read(path.join(shared, f)))));
    return files.length;
  });
  const ours = rates[`imagenet (torchvision-exact) ${os.availableParallelism()}`];
  console.log(`${''.padEnd(58)} ortbench exact / transformers.js: ${(ours / theirs).toFixed(2)}×`);
}

// The float conversion alone: one 224 × 224 RGB image into a batch slice.
const pixels = new Uint8Array(224 * 224 * 3).map((_, i) => (i * 31) & 255);
for (const [dtype, layout] of [['float32', 'nchw'], ['float32', 'nhwc'], ['float16', 'nchw']]) {
  const config = imageConfig('imagenet', { dtype, layout });
  const transform = channelTransform(config);
  const target = dtype === 'float16' ? new Uint16Array(224 * 224 * 3) : new Float32Array(224 * 224 * 3);
  const perSecond = await rate(`float conversion only, ${dtype} ${layout}`, () => {
    for (let i = 0; i < 100; i++) writePixels(pixels, 224, 224, transform, layout, target, 0);
    return 100;
  }, 2);
  console.log(`${''.padEnd(58)} ${((1e9 / perSecond) / (224 * 224)).toFixed(2).padStart(9)} ns/pixel`);
}

// For comparison: a naive per-pixel loop that allocates an array per pixel.
const naiveTarget = new Float32Array(224 * 224 * 3);
await rate('naive conversion (array per pixel), float32 nchw', () => {
  for (let n = 0; n < 20; n++)
    for (let i = 0; i < 224 * 224; i++) {
      const px = [pixels[i * 3], pixels[i * 3 + 1], pixels[i * 3 + 2]].map((v, c) => (v / 255 - [0.485, 0.456, 0.406][c]) / [0.229, 0.224, 0.225][c]);
      px.forEach((v, c) => (naiveTarget[c * 224 * 224 + i] = v));
    }
  return 20;
}, 2);
