import path from 'node:path';
import sharp from 'sharp';
import { writeFileAtomic } from '@ortbench/core/node';
import { IMAGENET_LABELS, imageFeeds, loadLabels, preprocessImages, softmax, topK } from '@ortbench/preprocess';
import { escapeHtml } from '@ortbench/reporters';
import type { ClassifyFlags } from '../commands/classify';
import { imageConfigForModel, imageFiles } from '../images';
import { resolveModel } from '../model-source';
import { createDefaultRegistry } from '../registry';

/** One image's ranking. */
interface Classification {
  file: string;
  top: { index: number; label: string; probability: number }[];
}

/** `ortbench classify`: top-k classes of each image, optionally drawn onto a copy of it. */
export async function classify(inputs: string[], flags: ClassifyFlags): Promise<void> {
  const files = await imageFiles(inputs);
  const model = await resolveModel(flags.model);
  if (model.preset) process.stderr.write(`warning: the built-in ${model.preset} has random weights, so its labels mean nothing; pass --model for a trained model\n`);
  const session = await (await (await createDefaultRegistry()).resolve(flags.runner)).load(model.path);
  try {
    const config = imageConfigForModel(session, flags.preset);
    const labels = flags.labels ? await loadLabels(flags.labels) : undefined;
    const fixedBatch = session.inputs[0]?.dims[0];
    const batchSize = typeof fixedBatch === 'number' ? fixedBatch : 8;
    const results: Classification[] = [];
    for (let start = 0; start < files.length; start += batchSize) {
      const chunk = files.slice(start, start + batchSize);
      if (chunk.length !== batchSize && typeof fixedBatch === 'number') chunk.push(...new Array<string>(batchSize - chunk.length).fill(chunk[0]!)); // pad a fixed batch
      const batch = await preprocessImages(chunk, config);
      const { outputs } = await session.run(imageFeeds(session.inputs, batch));
      const logits = Object.values(outputs)[0]!;
      const classes = logits.dims.at(-1)!;
      const scores = logits.data as Float32Array;
      const names = labels ?? (classes === 1000 ? IMAGENET_LABELS : undefined);
      chunk.slice(0, Math.min(batchSize, files.length - start)).forEach((file, i) => {
        const ranked = topK(softmax(scores.subarray(i * classes, (i + 1) * classes)), flags.topk);
        results.push({ file, top: ranked.map(({ index, score }) => ({ index, label: names?.[index] ?? `class ${index}`, probability: score })) });
      });
    }
    if (flags.annotate) for (const result of results) await annotate(result, flags.annotate);
    if (flags.json) process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
    else process.stdout.write(`${results.map(format).join('\n\n')}\n`);
  } finally {
    await session.dispose();
  }
}

function format(result: Classification): string {
  return [result.file, ...result.top.map((t, i) => `  ${i + 1}. ${(t.probability * 100).toFixed(1).padStart(5)} %  ${String(t.index).padStart(4)}  ${t.label}`)].join('\n');
}

/** The seed's figure: the image with its top-5 written on it, via an SVG overlay composited by sharp. */
async function annotate(result: Classification, directory: string): Promise<void> {
  const { data, info } = await sharp(result.file, { autoOrient: true }).resize({ width: 640, height: 640, fit: 'inside' }).png().toBuffer({ resolveWithObject: true });
  const width = info.width;
  const lineHeight = 22;
  const height = 16 + lineHeight * result.top.length;
  const lines = result.top
    .map((t, i) => `<text x="10" y="${24 + i * lineHeight}" font-family="sans-serif" font-size="16" fill="#fff">${i + 1}. ${escapeHtml(t.label.split(',')[0])} — ${(t.probability * 100).toFixed(1)} %</text>`)
    .join('');
  const overlay = Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"><rect width="100%" height="100%" fill="#000" fill-opacity="0.6"/>${lines}</svg>`);
  const output = await sharp(data).composite([{ input: overlay, gravity: 'south' }]).png().toBuffer();
  await writeFileAtomic(path.join(directory, `${path.parse(result.file).name}.top${result.top.length}.png`), output);
}
