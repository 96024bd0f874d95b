import path from 'node:path';
import type { Session } from '@ortbench/core';
import { writeFileAtomic } from '@ortbench/core/node';
import type { ImagePreset } from '@ortbench/preprocess';
import { IMAGENET_LABELS, imageFeeds, loadLabels, preprocessImages, softmax, topK } from '@ortbench/preprocess';
import { escapeHtml } from '@ortbench/reporters';
import { imageConfigForModel, imageFiles } from './images';
import { resolveModel } from './model-source';
import type { RunnerSource } from './registry';
import { runnerRegistry } from './registry';

/** What `classifyImages` needs besides the images. */
export interface ClassifyOptions extends RunnerSource {
  /** A built-in model or an .onnx file of an image classifier. */
  model: string;
  /** Default node-cpu. */
  runner?: string;
  /** Preprocessing preset (torchvision-exact imagenet by default); crop follows the model's input size. */
  preset?: ImagePreset;
  /** Class names: a file (text, JSON array, Keras index, JSON map) or the names themselves; default ImageNet's for 1000 classes. */
  labels?: string | readonly string[];
  /** Classes per image, default 5. */
  topk?: number;
  onWarning?: (message: string) => void;
}

/** One image's ranking. */
export interface Classification {
  file: string;
  top: { index: number; label: string; probability: number }[];
}

/**
 * Image files (or folders of them) → the top-k classes of each, with softmax probabilities:
 * decoded and preprocessed with sharp, run in batches of the model's fixed batch (padded) or 8.
 *
 * @example
 *   const [cat] = await classifyImages(['cat.jpg'], { model: 'mobilenetv2.onnx', topk: 3 });
 */
export async function classifyImages(inputs: readonly string[], options: ClassifyOptions): Promise<Classification[]> {
  const files = await imageFiles(inputs);
  const model = await resolveModel(options.model);
  if (model.preset) options.onWarning?.(`the built-in ${model.preset} has random weights, so its labels mean nothing; pass a trained model`);
  const labels = typeof options.labels === 'string' ? await loadLabels(options.labels) : options.labels;
  const session = await (await (await runnerRegistry(options)).resolve(options.runner ?? 'node-cpu')).load(model.path);
  try {
    const ranked = await rankImages(session, files, options.topk ?? 5, options.preset ?? 'imagenet');
    return ranked.map((top, i) => {
      const classes = top.classes;
      const names = labels ?? (classes === 1000 ? IMAGENET_LABELS : undefined);
      return { file: files[i]!, top: top.ranked.map(({ index, score }) => ({ index, label: names?.[index] ?? `class ${index}`, probability: score })) };
    });
  } finally {
    await session.dispose();
  }
}

/**
 * The top-k classes of each image on an open session: batches of the model's fixed batch
 * (the last one padded) or 8. The one classification loop of classify, eval and accuracy.
 */
export async function rankImages(session: Session, files: readonly string[], k: number, preset: ImagePreset = 'imagenet'): Promise<{ classes: number; ranked: { index: number; score: number }[] }[]> {
  const config = imageConfigForModel(session, preset);
  const fixed = session.inputs[0]?.dims[0];
  const size = typeof fixed === 'number' ? fixed : 8;
  const out: { classes: number; ranked: { index: number; score: number }[] }[] = [];
  for (let start = 0; start < files.length; start += size) {
    const chunk = files.slice(start, start + size);
    const padded = typeof fixed === 'number' ? [...chunk, ...new Array<string>(size - chunk.length).fill(chunk[0]!)] : chunk;
    const { outputs } = await session.run(imageFeeds(session.inputs, await preprocessImages(padded, config)));
    const logits = Object.values(outputs)[0]!;
    const classes = logits.dims.at(-1)!;
    const scores = logits.data as Float32Array;
    chunk.forEach((_, i) => out.push({ classes, ranked: topK(softmax(scores.subarray(i * classes, (i + 1) * classes)), Math.min(k, classes)) }));
  }
  return out;
}

/** The classifications as text: each file, then its classes with probabilities. */
export function formatClassifications(results: readonly Classification[]): string {
  return results.map((result) => [result.file, ...result.top.map((t, i) => `  ${i + 1}. ${(t.probability * 100).toFixed(1).padStart(5)} %  ${String(t.index).padStart(4)}  ${t.label}`)].join('\n')).join('\n\n');
}

/** The seed's figure: the image with its top-k written on it (an SVG overlay composited by sharp); returns the file written. */
export async function annotateClassification(result: Classification, directory: string): Promise<string> {
  const { default: sharp } = await import('sharp');
  const { data, info } = await sharp(result.file, { autoOrient: true }).resize({ width: 640, height: 640, fit: 'inside' }).png().toBuffer({ resolveWithObject: true });
  const width = info.width;
  const lineHeight = 22;
  const height = 16 + lineHeight * result.top.length;
  const lines = result.top
    .map((t, i) => `<text x="10" y="${24 + i * lineHeight}" font-family="sans-serif" font-size="16" fill="#fff">${i + 1}. ${escapeHtml(t.label.split(',')[0])} — ${(t.probability * 100).toFixed(1)} %</text>`)
    .join('');
  const overlay = Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"><rect width="100%" height="100%" fill="#000" fill-opacity="0.6"/>${lines}</svg>`);
  const output = await sharp(data).composite([{ input: overlay, gravity: 'south' }]).png().toBuffer();
  const file = path.join(directory, `${path.parse(result.file).name}.top${result.top.length}.png`);
  await writeFileAtomic(file, output);
  return file;
}
