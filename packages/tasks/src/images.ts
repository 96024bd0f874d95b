import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Session, Tensor } from '@ortbench/core';
import { createTensor, ErrorCode, formatDims, InvalidArgumentError, OrtbenchError, toFloat16Bits } from '@ortbench/core';
import type { HfImageSteps, ImageConfig, ImagePreset } from '@ortbench/preprocess';
import { hfProcessImage, imageConfig, outputSize } from '@ortbench/preprocess';

const IMAGE_EXTENSIONS = /\.(jpe?g|png|webp|gif|tiff?|avif)$/i;

/**
 * An image preset, sized for the model: each of height and width from the model's fixed dims,
 * else from `shape` (the shape the input is fed at), else the preset's own. A square size keeps
 * the preset's resize-then-crop ratio; any other is resized to it exactly. A model whose first
 * input is not an RGB image (rank 4, 3 channels) is INPUT_MISMATCH before any image is read.
 */
export function imageConfigForModel(session: Session, preset: string, shape?: readonly number[]): ImageConfig {
  const base = imageConfig(preset as ImagePreset);
  const input = session.inputs[0];
  const dims = input?.dims ?? [];
  const nchw = dims[1] === 3;
  if (dims.length !== 4 || (!nchw && dims[3] !== 3)) {
    throw new OrtbenchError(ErrorCode.INPUT_MISMATCH, `the model's input ${input?.name ?? '(none)'} ${formatDims(dims)} is not an RGB image (rank 4 with 3 channels): images cannot be fed to it`);
  }
  const [hAxis, wAxis] = nchw ? [2, 3] : [1, 2];
  const crop = outputSize(base);
  const sizeAt = (axis: number, fallback: number | undefined) => (typeof dims[axis] === 'number' ? (dims[axis] as number) : (shape?.[axis] ?? fallback));
  const height = sizeAt(hAxis, crop?.height);
  const width = sizeAt(wAxis, crop?.width);
  if (height === undefined || width === undefined) return { ...base, layout: nchw ? 'nchw' : base.layout };
  if (height !== width || base.resize === 'none' || 'width' in base.resize) return imageConfig(base, { layout: nchw ? 'nchw' : 'nhwc', resize: { width, height }, crop: 'none' });
  const resize = { shortestEdge: Math.round((base.resize.shortestEdge * height) / (crop?.height ?? 224)) };
  return imageConfig(base, { layout: nchw ? 'nchw' : 'nhwc', resize, crop: base.crop === 'none' ? 'none' : { width, height } });
}

/** The image files named: files as given, folders expanded to their images (sorted). */
export async function imageFiles(inputs: readonly string[]): Promise<string[]> {
  if (inputs.length === 0) throw new InvalidArgumentError('no images: name image files or folders');
  const files: string[] = [];
  for (const input of inputs) {
    const info = await stat(input).catch(() => undefined);
    if (!info) throw new OrtbenchError(ErrorCode.FILE_NOT_FOUND, `${input}: no such file or folder`);
    if (info.isDirectory()) {
      const found = (await readdir(input)).filter((name) => IMAGE_EXTENSIONS.test(name)).sort();
      if (found.length === 0) throw new InvalidArgumentError(`${input}: no images in this folder (${IMAGE_EXTENSIONS.source})`);
      files.push(...found.map((name) => path.join(input, name)));
    } else files.push(input);
  }
  return files;
}

/**
 * The images that decode, checked once before anything is measured. Without `skipBad` the
 * first that does not is IMAGE_INVALID naming it (one line, never a stack); with it, each bad
 * one is a warning and left out, and the count is returned. None left is IMAGE_INVALID too.
 */
export async function decodableImages(files: readonly string[], options: { skipBad?: boolean; onWarning?: (message: string) => void } = {}): Promise<{ files: string[]; skipped: number }> {
  const { default: sharp } = await import('sharp');
  const good: string[] = [];
  for (const file of files) {
    try {
      await sharp(file, { pages: 1, failOn: 'error' }).raw().toBuffer();
      good.push(file);
    } catch (error) {
      const problem = `${file}: cannot read image: ${firstLine(error)}`;
      if (!options.skipBad) throw new OrtbenchError(ErrorCode.IMAGE_INVALID, `${problem} (--skip-bad leaves unreadable images out)`);
      options.onWarning?.(`${problem}: skipped (--skip-bad)`);
    }
  }
  if (good.length === 0) throw new OrtbenchError(ErrorCode.IMAGE_INVALID, `none of the ${files.length} images can be read`);
  return { files: good, skipped: files.length - good.length };
}

function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n', 1)[0] ?? '';
}

/**
 * Images prepared by a model folder's preprocessor_config.json (as transformers.js prepares them)
 * as one batch for `session`'s image input: NCHW, in the input's float type. Images of different
 * sizes (no crop, no exact size) cannot share a batch, nor can a size the model's fixed dims
 * refuse: both are INPUT_MISMATCH naming the sizes.
 */
export async function hfImageBatch(files: readonly string[], steps: HfImageSteps, session: Session): Promise<Tensor<'float32'> | Tensor<'float16'>> {
  const input = session.inputs[0];
  const dims = input?.dims ?? [];
  if (dims.length !== 4 || dims[1] !== 3) {
    throw new OrtbenchError(ErrorCode.INPUT_MISMATCH, `the model's input ${input?.name ?? '(none)'} ${formatDims(dims)} is not channels-first RGB (N, 3, H, W), which preprocessor_config.json prepares`);
  }
  const images = [];
  for (const file of files) images.push(await hfProcessImage(file, steps));
  const { width, height } = images[0]!;
  const odd = images.find((image) => image.width !== width || image.height !== height);
  if (odd) throw new OrtbenchError(ErrorCode.INPUT_MISMATCH, `preprocessor_config.json prepares images of different sizes (${width}×${height}, ${odd.width}×${odd.height}): they cannot share a batch`);
  if ((typeof dims[2] === 'number' && dims[2] !== height) || (typeof dims[3] === 'number' && dims[3] !== width)) {
    throw new OrtbenchError(ErrorCode.INPUT_MISMATCH, `preprocessor_config.json prepares ${width}×${height} images; the model's input ${input!.name} takes ${formatDims(dims)}`);
  }
  const data = new Float32Array(images.length * 3 * width * height);
  images.forEach((image, i) => data.set(image.data, i * image.data.length));
  const shape = [images.length, 3, height, width];
  return input!.dtype === 'float16' ? createTensor('float16', Uint16Array.from(data, toFloat16Bits), shape) : createTensor('float32', data, shape);
}

/** A preprocessor config's steps rather than a preset name. */
export function isHfSteps(recipe: unknown): recipe is HfImageSteps {
  return typeof recipe === 'object' && recipe !== null && 'resample' in recipe && 'flipChannels' in recipe;
}
