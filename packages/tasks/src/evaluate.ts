import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Session } from '@ortbench/core';
import { ErrorCode, firstLineOf, InvalidArgumentError, OrtbenchError } from '@ortbench/core';
import type { HfImageSteps, ImagePreset } from '@ortbench/preprocess';
import { bertFeeds, BertTokenizer } from '@ortbench/preprocess';
import { rankImages } from './classify';
import { decodableImages, imageFiles } from './images';
import { folderImageSteps, folderTokenizer } from './folder-inputs';
import type { FolderChoice, ModelOverrides } from './model-source';
import { folderOverrides, modelLabel, resolveModel } from './model-source';
import type { RunnerSource } from './registry';
import { runnerRegistry } from './registry';

/** Accuracy of one model over labelled images, and how often it disagrees with a reference. */
export interface ImageEvaluation {
  model: string;
  images: number;
  top1: number;
  top5: number;
  reference?: string;
  /** Images whose top-1 class differs from the reference model's. */
  differing?: number;
}

/** What `evaluateImages` needs besides the model. */
export interface EvaluateImagesOptions extends RunnerSource, FolderChoice {
  /** A folder of images: labelled by `labels`, or in sub-folders named by class index. */
  images: string;
  /** JSON: image file name → class index, a list of accepted indices, or { "expect_top1_any_of": [...] }. */
  labels?: string;
  /** Count images whose top-1 differs from this model's (e.g. the fp32 original). */
  reference?: string;
  runner?: string;
  /** The image input's symbolic dims (height, width, by name or `input:axis`): the photos are prepared to them. */
  dims?: Record<string, number>;
  /** Leave unreadable images out (a warning each) instead of stopping at the first. */
  skipBad?: boolean;
  onWarning?: (message: string) => void;
}

/** Top-1 / top-5 of an image classifier over labelled images, and predictions that differ from a reference. */
export async function evaluateImages(model: string, options: EvaluateImagesOptions): Promise<ImageEvaluation> {
  const all = await labelledImages(options.images, options.labels);
  const usable = options.skipBad ? new Set((await decodableImages(all.map((l) => l.file), { skipBad: true, ...(options.onWarning ? { onWarning: options.onWarning } : {}) })).files) : undefined;
  const labelled = usable ? all.filter((l) => usable.has(l.file)) : all;
  const files = labelled.map((l) => l.file);
  const { label, predictions } = await predict(model, files, options, folderOverrides(options));
  const result: ImageEvaluation = { model: label, ...accuracy(labelled, predictions) };
  if (options.reference) {
    const reference = await predict(options.reference, files, options, {});
    result.reference = reference.label;
    result.differing = predictions.filter((p, i) => p[0] !== reference.predictions[i]![0]).length;
  }
  return result;
}

/** The evaluation as text. */
export function formatImageEvaluation(result: ImageEvaluation): string {
  const lines = [`${result.model}: top-1 ${result.top1.toFixed(3)}, top-5 ${result.top5.toFixed(3)} over ${result.images} images`];
  if (result.reference) lines.push(`top-1 differs from ${result.reference} on ${result.differing} of ${result.images} images`);
  return lines.join('\n');
}

/** Each image's top-5 class indices, best first. */
async function predict(argument: string, files: readonly string[], options: RunnerSource & { runner?: string; dims?: Record<string, number> }, choice: ModelOverrides): Promise<{ label: string; predictions: number[][] }> {
  const model = await resolveModel(argument, choice);
  // A model folder's photos are prepared as its preprocessor_config.json says (as transformers.js would).
  const steps = await folderImageSteps(model.folder);
  const session: Session = await (await (await runnerRegistry(options)).resolve(options.runner ?? 'node-cpu')).load(model.path);
  try {
    const input = session.inputs[0];
    for (const key of Object.keys(options.dims ?? {})) {
      if (!input?.dims.some((d, axis) => (d ?? `${input.name}:${axis}`) === key)) throw new InvalidArgumentError(`--dim ${key}: the image input ${input?.name ?? ''} has no symbolic dimension "${key}"`);
    }
    const shape = input?.dims.map((d, axis) => (typeof d === 'number' ? d : (options.dims?.[d ?? `${input.name}:${axis}`] ?? 0)));
    const ranked = await rankImages(session, files, 5, steps ?? 'imagenet', {}, shape?.map((d) => d || undefined) as number[] | undefined);
    return { label: modelLabel(argument, model), predictions: ranked.map((r) => r.ranked.map((x) => x.index)) };
  } finally {
    await session.dispose();
  }
}

function accuracy(labelled: readonly { classes: number[] }[], ranked: readonly number[][]): { top1: number; top5: number; images: number } {
  return {
    top1: labelled.filter((l, i) => l.classes.includes(ranked[i]![0]!)).length / labelled.length,
    top5: labelled.filter((l, i) => ranked[i]!.slice(0, 5).some((c) => l.classes.includes(c))).length / labelled.length,
    images: labelled.length,
  };
}

/** Top-1 and top-5 accuracy of an open session over labelled images. */
export async function accuracyOf(session: Session, labelled: readonly { file: string; classes: number[] }[], shape?: readonly number[], recipe: ImagePreset | HfImageSteps = 'imagenet'): Promise<{ top1: number; top5: number; images: number }> {
  const ranked = await rankImages(session, labelled.map((l) => l.file), 5, recipe, {}, shape);
  return accuracy(labelled, ranked.map((r) => r.ranked.map((x) => x.index)));
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

/** What `evaluateTexts` needs besides the model. */
export interface EvaluateTextsOptions extends RunnerSource, FolderChoice {
  /** A file of texts, one per line. */
  texts: string;
  /** The BERT vocab.txt or tokenizer.json; a model folder's own tokenizer when not given. */
  vocab?: string;
  /** The model to compare with (e.g. the fp32 original). */
  reference: string;
  runner?: string;
}

/** A token model's outputs against a reference's over texts. */
export interface TextEvaluation {
  model: string;
  reference: string;
  texts: number;
  outputs: { output: string; meanCosine: number; minCosine: number; maxAbsDiff: number }[];
}

/** BERT: every output of the model against the reference's over the texts of a file (cosine similarity, max |difference|). */
export async function evaluateTexts(model: string, options: EvaluateTextsOptions): Promise<TextEvaluation> {
  let texts: string[];
  try {
    texts = (await readFile(options.texts, 'utf8')).split(/\r?\n/).filter((line) => line.trim());
  } catch {
    throw new OrtbenchError(ErrorCode.FILE_NOT_FOUND, `${options.texts}: no such file`);
  }
  if (texts.length === 0) throw new InvalidArgumentError(`${options.texts}: no texts (one per line)`);
  const resolved = await resolveModel(model, folderOverrides(options));
  let encoding;
  if (options.vocab) encoding = (await BertTokenizer.fromFile(options.vocab)).encode(texts, { maxLength: 128 });
  else {
    // A model folder tokenises with its own tokenizer.json (any type) or vocab.txt, as transformers.js would.
    const own = resolved.folder ? await folderTokenizer(resolved.folder) : undefined;
    if (!own) throw new InvalidArgumentError(`--vocab FILE is required: ${model} is ${resolved.folder ? 'a model folder with no tokenizer.json or vocab.txt' : 'not a model folder with a tokenizer'}`);
    encoding = own.encode(texts, 128);
  }
  const registry = await runnerRegistry(options);
  const labels: string[] = [];
  const run = async (argument: string, choice: ModelOverrides) => {
    const source = await resolveModel(argument, choice);
    labels.push(modelLabel(argument, source));
    const session = await (await registry.resolve(options.runner ?? 'node-cpu')).load(source.path);
    try {
      return (await session.run(bertFeeds(session.inputs, encoding))).outputs;
    } finally {
      await session.dispose();
    }
  };
  const [outputs, reference] = [await run(model, folderOverrides(options)), await run(options.reference, {})];
  const rows = Object.keys(reference).filter((name) => outputs[name]).map((name) => {
    const a = outputs[name]!.data as Float32Array;
    const b = reference[name]!.data as Float32Array;
    const width = a.length / texts.length;
    const cosines = texts.map((_, row) => cosine(a.subarray(row * width, (row + 1) * width), b.subarray(row * width, (row + 1) * width)));
    let maxAbsDiff = 0;
    for (let i = 0; i < a.length; i++) maxAbsDiff = Math.max(maxAbsDiff, Math.abs((a[i] as number) - (b[i] as number)));
    return { output: name, meanCosine: cosines.reduce((x, y) => x + y, 0) / cosines.length, minCosine: Math.min(...cosines), maxAbsDiff };
  });
  return { model: labels[0]!, reference: labels[1]!, texts: texts.length, outputs: rows };
}

/** The text evaluation as text. */
export function formatTextEvaluation(result: TextEvaluation): string {
  const lines = result.outputs.map((r) => `${r.output}: cosine similarity mean ${r.meanCosine.toFixed(5)}, min ${r.minCosine.toFixed(5)}; max |difference| ${r.maxAbsDiff.toPrecision(3)}`);
  return `${result.model} against ${result.reference} over ${result.texts} texts\n${lines.join('\n')}`;
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
