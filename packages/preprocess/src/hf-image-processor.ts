import { readFile } from 'node:fs/promises';
import sharp from 'sharp';
import type { Sharp } from 'sharp';
import { ErrorCode, firstLineOf, OrtbenchError } from '@ortbench/core';
import type { ImageSource } from './image-decode';
import { describeImage } from './image-decode';

/** Pillow's filter numbers, as preprocessor_config.json's `resample` writes them. */
const RESAMPLE = { 0: 'nearest', 1: 'lanczos', 2: 'bilinear', 3: 'bicubic', 4: 'bilinear', 5: 'bilinear' } as const;

/** The steps of a preprocessor_config.json, read as transformers.js's base ImageProcessor reads them. */
export interface HfImageSteps {
  /** image_processor_type (or feature_extractor_type), when the file names one. */
  processorType?: string;
  resize?: { shortestEdge?: number; longestEdge?: number } | { width: number; height: number };
  /** Pillow's filter by name; box (4) and hamming (5) are bilinear in transformers.js. */
  resample: 'nearest' | 'lanczos' | 'bilinear' | 'bicubic';
  crop?: { width: number; height: number };
  /** Multiplies each 0–255 value (do_rescale; 1/255 unless rescale_factor says otherwise). */
  rescale?: number;
  normalize?: { mean: number[]; std: number[] };
  /** RGB → BGR (MobileViT's do_flip_channel_order). */
  flipChannels: boolean;
}

/**
 * Image processors whose transformers.js class changes the base class's steps (its own resize,
 * padding, patching): ortbench would prepare other tensors than transformers.js does, so they
 * are refused rather than approximated.
 */
const OWN_STEPS = new Set(['ConvNextImageProcessor', 'DetrImageProcessor', 'DonutImageProcessor', 'Gemma4ImageProcessor', 'Glm46VImageProcessor', 'GroundingDinoImageProcessor', 'Idefics3ImageProcessor', 'Lfm2VlImageProcessor', 'Lfm3VlImageProcessor', 'Phi3VImageProcessor', 'PixtralImageProcessor', 'Qwen2VLImageProcessor', 'SamImageProcessor', 'Swin2SRImageProcessor', 'VLMImageProcessor', 'VitMatteImageProcessor']);

/** Settings the base class acts on that ortbench does not reproduce: refused with the reason. */
const UNSUPPORTED = ['do_pad', 'do_thumbnail', 'do_crop_margin', 'size_divisibility', 'size_divisor', 'keep_aspect_ratio'] as const;

/**
 * Reads a preprocessor_config.json's steps: size (an integer, `shortest_edge`/`longest_edge`, or
 * `height`/`width`), resample, crop_size, do_rescale/rescale_factor, do_normalize with
 * image_mean/image_std, do_flip_channel_order — with transformers.js's defaults (rescale on,
 * normalise only when asked). A processor or setting whose tensors ortbench cannot reproduce is
 * INVALID_ARGUMENT naming it, never approximated.
 */
export function hfImageSteps(config: Record<string, unknown>, source = 'preprocessor_config.json'): HfImageSteps {
  const fail = (message: string) => new OrtbenchError(ErrorCode.INVALID_ARGUMENT, `${source}: ${message}`);
  const type = (config.image_processor_type ?? config.feature_extractor_type) as string | undefined;
  const processorType = type?.replace(/Fast$/, '');
  if (processorType && OWN_STEPS.has(processorType)) throw fail(`${processorType} prepares images with steps of its own that ortbench does not reproduce; feed prepared arrays with --inputs`);
  for (const key of UNSUPPORTED) {
    // Divisors act whenever they are set; the flags only when true.
    const acts = key === 'size_divisibility' || key === 'size_divisor' ? config[key] !== undefined && config[key] !== null : Boolean(config[key]);
    if (acts) {
      throw fail(`${key} is set, and ortbench does not reproduce it; feed prepared arrays with --inputs`);
    }
  }
  const size = config.size ?? config.image_size;
  const doResize = (config.do_resize as boolean | undefined) ?? size !== undefined;
  const steps: HfImageSteps = { resample: resampleOf(config.resample ?? 2, fail), flipChannels: Boolean(config.do_flip_channel_order) };
  if (processorType) steps.processorType = processorType;
  if (doResize) steps.resize = sizeOf(size, config, fail);
  if (config.do_center_crop) {
    const crop = config.crop_size;
    if (Number.isInteger(crop)) steps.crop = { width: crop as number, height: crop as number };
    else if (isSize(crop)) steps.crop = { width: crop.width, height: crop.height };
    else throw fail(`crop_size ${JSON.stringify(crop)} is not an integer or {height, width}`);
  }
  if ((config.do_rescale as boolean | undefined) ?? true) steps.rescale = (config.rescale_factor as number | undefined) ?? 1 / 255;
  if (config.do_normalize) {
    const mean = config.image_mean ?? config.mean;
    let std = config.image_std ?? config.std;
    const three = (value: unknown, key: string): number[] => {
      const list = Array.isArray(value) ? value : [value, value, value];
      if (list.length !== 3 || list.some((v) => typeof v !== 'number')) throw fail(`${key} ${JSON.stringify(value)} is not a number or three numbers`);
      return list as number[];
    };
    // transformers.js's EfficientNetImageProcessor squares the std when include_top (its default).
    if (processorType === 'EfficientNetImageProcessor' && (config.include_top ?? true)) std = three(std, 'image_std').map((s) => s * s);
    steps.normalize = { mean: three(mean, 'image_mean'), std: three(std, 'image_std') };
  }
  return steps;
}

/** Reads and parses a preprocessor_config.json file. */
export async function readHfImageSteps(file: string): Promise<HfImageSteps> {
  let config: Record<string, unknown>;
  try {
    config = JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>;
  } catch (error) {
    const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
    throw new OrtbenchError(missing ? ErrorCode.FILE_NOT_FOUND : ErrorCode.INVALID_ARGUMENT, `${file}: ${missing ? 'no such file' : `not JSON (${firstLineOf(error)})`}`);
  }
  return hfImageSteps(config, file);
}

/** The output's height and width when every image gets the same (an exact resize, or a crop). */
export function hfOutputSize(steps: HfImageSteps): { width: number; height: number } | undefined {
  if (steps.crop) return steps.crop;
  if (steps.resize && 'width' in steps.resize) return steps.resize;
  return undefined;
}

/**
 * One image as transformers.js prepares it in Node: decoded by sharp with its EXIF orientation
 * applied, grey replicated and alpha dropped, resized by sharp's affine transform with the
 * filter's interpolator (lanczos by sharp's lanczos3 resize), centre-cropped at the floored
 * offset (padded with black where the image is smaller), rescaled and normalised in float32,
 * channels first. Returns [3, height, width] values.
 */
export async function hfProcessImage(source: ImageSource, steps: HfImageSteps, maxPixels = 100_000_000): Promise<{ data: Float32Array; width: number; height: number }> {
  const label = describeImage(source);
  let image: RawRgb;
  try {
    image = await load(sharp(source, { limitInputPixels: maxPixels }));
    if (steps.resize) image = await resize(image, outputSizeOf(image, steps.resize), steps.resample);
    if (steps.crop) image = await centreCrop(image, steps.crop);
  } catch (error) {
    throw new OrtbenchError(ErrorCode.IMAGE_INVALID, `${label}: cannot read image: ${firstLineOf(error)}`, { cause: error });
  }
  const { width, height, data: pixels } = image;
  const plane = width * height;
  const values = Float32Array.from(pixels);
  if (steps.rescale !== undefined) for (let i = 0; i < values.length; i++) values[i] = steps.rescale * values[i]!;
  if (steps.normalize) {
    const { mean, std } = steps.normalize;
    for (let i = 0; i < values.length; i += 3) for (let c = 0; c < 3; c++) values[i + c] = (values[i + c]! - mean[c]!) / std[c]!;
  }
  const data = new Float32Array(values.length);
  for (let p = 0; p < plane; p++) {
    for (let c = 0; c < 3; c++) data[(steps.flipChannels ? 2 - c : c) * plane + p] = values[p * 3 + c]!;
  }
  return { data, width, height };
}

interface RawRgb {
  data: Uint8Array;
  width: number;
  height: number;
}

/** transformers.js's loadImageFunction then rgb(): rotate() by EXIF, raw pixels, grey → RGB, alpha dropped. */
async function load(input: Sharp): Promise<RawRgb> {
  const { data, info } = await input.rotate().raw().toBuffer({ resolveWithObject: true });
  const { width, height, channels } = info;
  if (channels === 3) return { data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength), width, height };
  const rgb = new Uint8Array(width * height * 3);
  for (let p = 0; p < width * height; p++) {
    for (let c = 0; c < 3; c++) rgb[p * 3 + c] = data[p * channels + (channels >= 3 ? c : 0)]!;
  }
  return { data: rgb, width, height };
}

function raw(image: RawRgb): Sharp {
  return sharp(image.data, { raw: { width: image.width, height: image.height, channels: 3 } });
}

async function resize(image: RawRgb, [width, height]: [number, number], resample: HfImageSteps['resample']): Promise<RawRgb> {
  if (image.width === width && image.height === height) return image;
  const resized = resample === 'lanczos' ? raw(image).resize({ width, height, fit: 'fill', kernel: 'lanczos3' }) : raw(image).affine([width / image.width, 0, 0, height / image.height], { interpolator: resample });
  return load(resized);
}

async function centreCrop(image: RawRgb, crop: { width: number; height: number }): Promise<RawRgb> {
  if (image.width === crop.width && image.height === crop.height) return image;
  const dx = (image.width - crop.width) / 2;
  const dy = (image.height - crop.height) / 2;
  if (dx >= 0 && dy >= 0) return load(raw(image).extract({ left: Math.floor(dx), top: Math.floor(dy), width: crop.width, height: crop.height }));
  // Smaller than the crop on some side: padded with black there (as transformers.js pads), cropped on the other.
  const top = dy < 0 ? Math.floor(-dy) : 0;
  const left = dx < 0 ? Math.floor(-dx) : 0;
  const padded = await load(
    raw(image).extend({ top, left, bottom: dy < 0 ? crop.height - image.height - top : 0, right: dx < 0 ? crop.width - image.width - left : 0, background: { r: 0, g: 0, b: 0 } }),
  );
  return load(raw(padded).extract({ left: dx < 0 ? 0 : Math.floor(dx), top: dy < 0 ? 0 : Math.floor(dy), width: crop.width, height: crop.height }));
}

/** transformers.js's get_resize_output_image_size for the sizes the base class handles. */
function outputSizeOf(image: RawRgb, resize: NonNullable<HfImageSteps['resize']>): [number, number] {
  if ('width' in resize) return [resize.width, resize.height];
  const { shortestEdge, longestEdge } = resize;
  const up = shortestEdge === undefined ? 1 : Math.max(shortestEdge / image.width, shortestEdge / image.height);
  const [w, h] = [image.width * up, image.height * up];
  const down = longestEdge === undefined ? 1 : Math.min(longestEdge / w, longestEdge / h);
  // transformers.js rounds to two decimals before flooring, against floating-point noise.
  return [Math.floor(Number((w * down).toFixed(2))), Math.floor(Number((h * down).toFixed(2)))];
}

function sizeOf(size: unknown, config: Record<string, unknown>, fail: (message: string) => Error): NonNullable<HfImageSteps['resize']> {
  if (Number.isInteger(size)) return { shortestEdge: size as number, longestEdge: (config.max_size as number | undefined) ?? (size as number) };
  if (size && typeof size === 'object') {
    const { shortest_edge: shortest, longest_edge: longest } = size as { shortest_edge?: number; longest_edge?: number };
    if (shortest !== undefined || longest !== undefined) return { ...(shortest !== undefined ? { shortestEdge: shortest } : {}), ...(longest !== undefined ? { longestEdge: longest } : {}) };
    if (isSize(size)) return { width: size.width, height: size.height };
  }
  throw fail(`size ${JSON.stringify(size)} is not an integer, {shortest_edge}, {longest_edge} or {height, width}`);
}

function isSize(value: unknown): value is { width: number; height: number } {
  return typeof value === 'object' && value !== null && Number.isInteger((value as { width?: unknown }).width) && Number.isInteger((value as { height?: unknown }).height);
}

function resampleOf(value: unknown, fail: (message: string) => Error): HfImageSteps['resample'] {
  const named = RESAMPLE[value as keyof typeof RESAMPLE];
  if (!named) throw fail(`resample ${JSON.stringify(value)} is not one of Pillow's filters 0–5`);
  return named;
}
