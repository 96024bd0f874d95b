import type { Session } from '@ortbench/core';
import type { HfImageSteps, ImageConfig, ImagePreset } from '@ortbench/preprocess';
import { IMAGENET_LABELS, imageConfig, imageFeeds, loadLabels, preprocessImages, softmax, topK } from '@ortbench/preprocess';
import { decodableImages, hfImageBatch, imageConfigForModel, imageFiles, isHfSteps } from './images';
import { folderImageSteps } from './folder-inputs';
import type { FolderChoice } from './model-source';
import { folderOverrides, resolveModel } from './model-source';
import type { RunnerSource } from './registry';
import { runnerRegistry } from './registry';

/** What `classifyImages` needs besides the images. */
export interface ClassifyOptions extends RunnerSource, FolderChoice {
  /** A built-in model or an .onnx file of an image classifier. */
  model: string;
  /** Default node-cpu. */
  runner?: string;
  /** Preprocessing preset (torchvision-exact imagenet by default, or a model folder's preprocessor_config.json); crop follows the model's input size. */
  preset?: ImagePreset;
  /** Preprocessing options over the preset, e.g. `{ exifOrientation: true }` for phone photos, `{ fast: true }`. */
  image?: Partial<ImageConfig>;
  /** Class names: a file (text, JSON array, Keras index, JSON map) or the names themselves; default ImageNet's for 1000 classes. */
  labels?: string | readonly string[];
  /**
   * Several label sets shown together (e.g. English and Chinese): each a file, `imagenet` for
   * the built-in English names, or the names themselves. Takes the place of `labels`.
   */
  labelSets?: readonly (string | readonly string[])[];
  /** Classes per image, default 5. */
  topk?: number;
  /** Leave unreadable images out (a warning each, through `onWarning`) instead of stopping at the first. */
  skipBad?: boolean;
  onWarning?: (message: string) => void;
}

/** One image's ranking. */
export interface Classification {
  file: string;
  /** `label` is every set's name joined by " / "; `labels` one per set. */
  top: { index: number; label: string; labels: string[]; probability: number }[];
}

/**
 * Image files (or folders of them) → the top-k classes of each, with softmax probabilities:
 * decoded and preprocessed with sharp, run in batches of the model's fixed batch (padded) or 8.
 *
 * @example
 *   const [cat] = await classifyImages(['cat.jpg'], { model: 'mobilenetv2.onnx', topk: 3 });
 */
export async function classifyImages(inputs: readonly string[], options: ClassifyOptions): Promise<Classification[]> {
  const listed = await imageFiles(inputs);
  const files = options.skipBad ? (await decodableImages(listed, { skipBad: true, ...(options.onWarning ? { onWarning: options.onWarning } : {}) })).files : listed;
  const model = await resolveModel(options.model, folderOverrides(options));
  // A model folder prepares its images as its preprocessor_config.json says, unless a preset is asked for.
  const steps = options.preset === undefined ? await folderImageSteps(model.folder) : undefined;
  if (model.preset) options.onWarning?.(`the built-in ${model.preset} has random weights, so its labels mean nothing; pass a trained model`);
  const sets = options.labelSets ?? (options.labels ? [options.labels] : []);
  const labelSets = await Promise.all(sets.map((set) => (set === 'imagenet' ? IMAGENET_LABELS : typeof set === 'string' ? loadLabels(set) : set)));
  const session = await (await (await runnerRegistry(options)).resolve(options.runner ?? 'node-cpu')).load(model.path);
  try {
    const ranked = await rankImages(session, files, options.topk ?? 5, steps ?? options.preset ?? 'imagenet', options.image);
    return ranked.map((top, i) => {
      const classes = top.classes;
      const names = labelSets.length > 0 ? labelSets : classes === 1000 ? [IMAGENET_LABELS] : [];
      return {
        file: files[i]!,
        top: top.ranked.map(({ index, score }) => {
          const labels = names.length > 0 ? names.map((set) => set[index] ?? `class ${index}`) : [`class ${index}`];
          return { index, label: labels.join(' / '), labels, probability: score };
        }),
      };
    });
  } finally {
    await session.dispose();
  }
}

/**
 * The top-k classes of each image on an open session: batches of the model's fixed batch
 * (the last one padded) or 8. The one classification loop of classify, eval and accuracy.
 */
export async function rankImages(
  session: Session,
  files: readonly string[],
  k: number,
  preset: ImagePreset | HfImageSteps = 'imagenet',
  overrides: Partial<ImageConfig> = {},
  shape?: readonly number[],
): Promise<{ classes: number; ranked: { index: number; score: number }[] }[]> {
  // A model folder's preprocessor_config.json, or one of ortbench's presets sized for the model.
  let prepare: (files: string[]) => ReturnType<typeof hfImageBatch>;
  if (isHfSteps(preset)) prepare = (files) => hfImageBatch(files, preset, session);
  else {
    const config = imageConfig(imageConfigForModel(session, preset, shape), overrides);
    prepare = (files) => preprocessImages(files, config);
  }
  const fixed = session.inputs[0]?.dims[0];
  const size = typeof fixed === 'number' ? fixed : 8;
  const out: { classes: number; ranked: { index: number; score: number }[] }[] = [];
  for (let start = 0; start < files.length; start += size) {
    const chunk = files.slice(start, start + size);
    const padded = typeof fixed === 'number' ? [...chunk, ...new Array<string>(size - chunk.length).fill(chunk[0]!)] : chunk;
    const { outputs } = await session.run(imageFeeds(session.inputs, await prepare(padded)));
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
