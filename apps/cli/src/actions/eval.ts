import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Session } from '@ortbench/core';
import { ErrorCode, firstLineOf, InvalidArgumentError, OrtbenchError } from '@ortbench/core';
import { bertFeeds, BertTokenizer, imageFeeds, preprocessImages, softmax, topK } from '@ortbench/preprocess';
import type { EvalFlags } from '../commands/eval';
import { imageConfigForModel, imageFiles } from '../images';
import { resolveModel } from '../model-source';
import { createDefaultRegistry } from '../registry';

/** Accuracy of one model over labelled images, and how often it disagrees with a reference. */
interface Evaluation {
  model: string;
  images: number;
  top1: number;
  top5: number;
  reference?: string;
  /** Images whose top-1 class differs from the reference model's. */
  differing?: number;
}

/** `ortbench eval`: top-1 / top-5 over labelled images, and predictions that differ from a reference. */
export async function evaluate(argument: string, flags: EvalFlags): Promise<number> {
  if (flags.texts) return evaluateTexts(argument, flags);
  if (!flags.images) throw new InvalidArgumentError('say what to evaluate on: --images DIR (image models) or --texts FILE (BERT)');
  const labelled = await labelledImages(flags.images, flags.labels);
  const predictions = await predict(argument, labelled.map((l) => l.file), flags.runner);
  const result: Evaluation = {
    model: argument,
    images: labelled.length,
    top1: labelled.filter((l, i) => l.classes.includes(predictions[i]![0]!)).length / labelled.length,
    top5: labelled.filter((l, i) => predictions[i]!.slice(0, 5).some((c) => l.classes.includes(c))).length / labelled.length,
  };
  if (flags.reference) {
    const reference = await predict(flags.reference, labelled.map((l) => l.file), flags.runner);
    result.reference = flags.reference;
    result.differing = predictions.filter((p, i) => p[0] !== reference[i]![0]).length;
  }
  if (flags.json) process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  else {
    const lines = [`${result.model}: top-1 ${result.top1.toFixed(3)}, top-5 ${result.top5.toFixed(3)} over ${result.images} images`];
    if (result.reference) lines.push(`top-1 differs from ${result.reference} on ${result.differing} of ${result.images} images`);
    process.stdout.write(`${lines.join('\n')}\n`);
  }
  return 0;
}

/** Each image's top-5 class indices, best first. */
async function predict(argument: string, files: readonly string[], runnerName: string): Promise<number[][]> {
  const model = await resolveModel(argument);
  const session: Session = await (await (await createDefaultRegistry()).resolve(runnerName)).load(model.path);
  try {
    return await rank(session, files);
  } finally {
    await session.dispose();
  }
}

/** Top-5 class indices of each image on an open session (batches of the model's fixed batch, or 8). */
export async function rank(session: Session, files: readonly string[]): Promise<number[][]> {
  const config = imageConfigForModel(session, 'imagenet');
  const fixed = session.inputs[0]?.dims[0];
  const size = typeof fixed === 'number' ? fixed : 8;
  const ranked: number[][] = [];
  for (let start = 0; start < files.length; start += size) {
    const chunk = files.slice(start, start + size);
    const padded = typeof fixed === 'number' ? [...chunk, ...new Array<string>(size - chunk.length).fill(chunk[0]!)] : chunk;
    const { outputs } = await session.run(imageFeeds(session.inputs, await preprocessImages(padded, config)));
    const logits = Object.values(outputs)[0]!;
    const classes = logits.dims.at(-1)!;
    chunk.forEach((_, i) => ranked.push(topK(softmax((logits.data as Float32Array).subarray(i * classes, (i + 1) * classes)), 5).map((r) => r.index)));
  }
  return ranked;
}

/** Top-1 and top-5 accuracy of an open session over labelled images. */
export async function accuracyOf(session: Session, labelled: readonly { file: string; classes: number[] }[]): Promise<{ top1: number; top5: number; images: number }> {
  const ranked = await rank(session, labelled.map((l) => l.file));
  return {
    top1: labelled.filter((l, i) => l.classes.includes(ranked[i]![0]!)).length / labelled.length,
    top5: labelled.filter((l, i) => ranked[i]!.some((c) => l.classes.includes(c))).length / labelled.length,
    images: labelled.length,
  };
}

/**
 * Images and their accepted classes: from a JSON file mapping file names to a class index, a
 * list of them, or `{ "expect_top1_any_of": [...] }`; or, without one, sub-folders named by class index.
 */
export async function labelledImages(directory: string, labelsFile: string | undefined): Promise<{ file: string; classes: number[] }[]> {
  if (labelsFile) {
    let map: Record<string, unknown>;
    try {
      map = JSON.parse(await readFile(labelsFile, 'utf8')) as Record<string, unknown>;
    } catch (error) {
      const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
      throw new OrtbenchError(missing ? ErrorCode.FILE_NOT_FOUND : ErrorCode.VOCAB_INVALID, `${labelsFile}: ${missing ? 'no such file' : `not a JSON map of image to class (${firstLineOf(error)})`}`);
    }
    const files = await imageFiles([directory]);
    const labelled = files.flatMap((file) => {
      const entry = map[path.basename(file)];
      const classes = typeof entry === 'number' ? [entry] : Array.isArray(entry) ? entry : (entry as { expect_top1_any_of?: number[] } | undefined)?.expect_top1_any_of;
      return classes ? [{ file, classes: classes.map(Number) }] : [];
    });
    if (labelled.length === 0) throw new InvalidArgumentError(`${labelsFile}: names none of the images in ${directory}`);
    return labelled;
  }
  const entries = await readdir(directory);
  const labelled: { file: string; classes: number[] }[] = [];
  for (const entry of entries.filter((e) => /^\d+$/.test(e))) {
    if (!(await stat(path.join(directory, entry))).isDirectory()) continue;
    for (const file of await imageFiles([path.join(directory, entry)])) labelled.push({ file, classes: [Number(entry)] });
  }
  if (labelled.length === 0) throw new InvalidArgumentError(`${directory}: no labels: pass --labels FILE, or put images in sub-folders named by class index`);
  return labelled;
}

/** BERT: every output of the model against the reference's, over the texts of a file. */
async function evaluateTexts(argument: string, flags: EvalFlags): Promise<number> {
  if (!flags.vocab || !flags.reference) throw new InvalidArgumentError('--texts needs --vocab FILE and --reference MODEL (e.g. the fp32 original)');
  let texts: string[];
  try {
    texts = (await readFile(flags.texts!, 'utf8')).split(/\r?\n/).filter((line) => line.trim());
  } catch {
    throw new OrtbenchError(ErrorCode.FILE_NOT_FOUND, `${flags.texts}: no such file`);
  }
  if (texts.length === 0) throw new InvalidArgumentError(`${flags.texts}: no texts (one per line)`);
  const tokenizer = await BertTokenizer.fromFile(flags.vocab);
  const encoding = tokenizer.encode(texts, { maxLength: 128 });
  const run = async (model: string) => {
    const session = await (await (await createDefaultRegistry()).resolve(flags.runner)).load((await resolveModel(model)).path);
    try {
      return (await session.run(bertFeeds(session.inputs, encoding))).outputs;
    } finally {
      await session.dispose();
    }
  };
  const [outputs, reference] = [await run(argument), await run(flags.reference)];
  const rows = Object.keys(reference).filter((name) => outputs[name]).map((name) => {
    const a = outputs[name]!.data as Float32Array;
    const b = reference[name]!.data as Float32Array;
    const width = a.length / texts.length;
    const cosines = texts.map((_, row) => cosine(a.subarray(row * width, (row + 1) * width), b.subarray(row * width, (row + 1) * width)));
    let maxAbsDiff = 0;
    for (let i = 0; i < a.length; i++) maxAbsDiff = Math.max(maxAbsDiff, Math.abs((a[i] as number) - (b[i] as number)));
    return { output: name, meanCosine: cosines.reduce((x, y) => x + y, 0) / cosines.length, minCosine: Math.min(...cosines), maxAbsDiff };
  });
  if (flags.json) process.stdout.write(`${JSON.stringify({ model: argument, reference: flags.reference, texts: texts.length, outputs: rows }, null, 2)}\n`);
  else {
    const lines = rows.map((r) => `${r.output}: cosine similarity mean ${r.meanCosine.toFixed(5)}, min ${r.minCosine.toFixed(5)}; max |difference| ${r.maxAbsDiff.toPrecision(3)}`);
    process.stdout.write(`${argument} against ${flags.reference} over ${texts.length} texts\n${lines.join('\n')}\n`);
  }
  return 0;
}

function cosine(a: Float32Array, b: Float32Array): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += (a[i] as number) * (b[i] as number);
    na += (a[i] as number) ** 2;
    nb += (b[i] as number) ** 2;
  }
  return na === 0 || nb === 0 ? (na === nb ? 1 : 0) : dot / Math.sqrt(na * nb);
}
