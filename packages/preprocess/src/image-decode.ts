import sharp from 'sharp';
import type { Sharp } from 'sharp';
import { ErrorCode, OrtbenchError } from '@ortbench/core';
import type { ImageConfig } from './image-config';
import type { PillowInterpolation } from './pillow-resample';
import { pillowResize } from './pillow-resample';

/** An image given by path or as encoded bytes (JPEG, PNG, WebP, GIF, TIFF, AVIF). */
export type ImageSource = string | Uint8Array;

/** Decoded, resized and cropped RGB pixels, interleaved H × W × 3. */
export interface RgbImage {
  pixels: Uint8Array;
  width: number;
  height: number;
}

/** How an image source is named in messages. */
export function describeImage(source: ImageSource): string {
  return typeof source === 'string' ? source : `<${source.byteLength}-byte image>`;
}

/** What {@link decodeRgb} needs of an image config. */
export type DecodeConfig = Pick<ImageConfig, 'resize' | 'crop' | 'interpolation' | 'maxPixels' | 'fast' | 'exifOrientation'>;

/**
 * Decodes an image (first frame, alpha dropped, grey and CMYK to RGB), resizes and centre
 * crops it. By default as torchvision does on a PIL image: full decode without colour
 * management, Pillow's resampling (only the cropped window is computed), torchvision's crop
 * origin. With `fast`, sharp resizes (shrink-on-load, ICC applied). Anything unreadable is
 * IMAGE_INVALID naming the source.
 */
export async function decodeRgb(source: ImageSource, config: DecodeConfig): Promise<RgbImage> {
  const label = describeImage(source);
  try {
    const input = sharp(source, { pages: 1, autoOrient: config.exifOrientation, ignoreIcc: !config.fast, limitInputPixels: config.maxPixels, failOn: 'error' });
    return config.fast ? await sharpResize(input, config, label) : await pillowExact(input, config, label);
  } catch (error) {
    if (error instanceof OrtbenchError) throw error;
    throw new OrtbenchError(ErrorCode.IMAGE_INVALID, `${label}: cannot read image: ${explain(error, config.maxPixels)}`, { cause: error });
  }
}

async function pillowExact(input: Sharp, config: DecodeConfig, label: string): Promise<RgbImage> {
  const { data, info } = await input.removeAlpha().toColourspace('srgb').raw().toBuffer({ resolveWithObject: true });
  if (info.channels !== 3) throw new Error(`decoded to ${info.channels} channels, not 3`);
  let pixels: Uint8Array = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  let { width, height } = info;
  const [outWidth, outHeight] = config.resize === 'none' ? [width, height] : resizedSize(width, height, config.resize);
  const window = { left: 0, top: 0, width: outWidth, height: outHeight };
  if (config.crop !== 'none') Object.assign(window, centreCropOrigin(outWidth, outHeight, config.crop, label), config.crop);
  if (outWidth !== width || outHeight !== height) {
    pixels = pillowResize(pixels, width, height, outWidth, outHeight, config.interpolation as PillowInterpolation, window);
  } else if (config.crop !== 'none') {
    pixels = cropRgb(pixels, width, window);
  }
  ({ width, height } = window);
  return { pixels, width, height };
}

async function sharpResize(input: Sharp, config: DecodeConfig, label: string): Promise<RgbImage> {
  const meta = await input.metadata();
  // Width and height after EXIF orientation: 5–8 swap them.
  const swapped = config.exifOrientation && (meta.orientation ?? 1) >= 5;
  let width = (swapped ? meta.height : meta.width) ?? 0;
  let height = (swapped ? meta.width : meta.height) ?? 0;
  if (width === 0 || height === 0) throw new Error('no pixels');
  let pipeline = input.removeAlpha().toColourspace('srgb');
  if (config.resize !== 'none') {
    [width, height] = resizedSize(width, height, config.resize);
    pipeline = pipeline.resize(width, height, { fit: 'fill', kernel: config.interpolation });
  }
  if (config.crop !== 'none') {
    const { left, top } = centreCropOrigin(width, height, config.crop, label);
    pipeline = pipeline.extract({ left, top, width: config.crop.width, height: config.crop.height });
  }
  const { data, info } = await pipeline.raw().toBuffer({ resolveWithObject: true });
  if (info.channels !== 3) throw new Error(`decoded to ${info.channels} channels, not 3`);
  return { pixels: new Uint8Array(data.buffer, data.byteOffset, data.byteLength), width: info.width, height: info.height };
}

function cropRgb(pixels: Uint8Array, width: number, window: { left: number; top: number; width: number; height: number }): Uint8Array {
  const out = new Uint8Array(window.width * window.height * 3);
  for (let y = 0; y < window.height; y++) {
    const from = ((window.top + y) * width + window.left) * 3;
    out.set(pixels.subarray(from, from + window.width * 3), y * window.width * 3);
  }
  return out;
}

/** torchvision's Resize(n): the shorter side becomes n, the longer one keeps the aspect ratio (truncated). */
export function resizedSize(width: number, height: number, resize: Exclude<ImageConfig['resize'], 'none'>): [number, number] {
  if ('width' in resize) return [resize.width, resize.height];
  const edge = resize.shortestEdge;
  return width <= height ? [edge, Math.floor((edge * height) / width)] : [Math.floor((edge * width) / height), edge];
}

/** torchvision's CenterCrop origin: Python's round((size − crop) / 2), which rounds half to even. */
export function centreCropOrigin(width: number, height: number, crop: { width: number; height: number }, label: string): { left: number; top: number } {
  if (crop.width > width || crop.height > height) {
    throw new OrtbenchError(ErrorCode.IMAGE_INVALID, `${label}: ${width}×${height} after resizing is smaller than the ${crop.width}×${crop.height} crop`);
  }
  return { left: roundHalfEven((width - crop.width) / 2), top: roundHalfEven((height - crop.height) / 2) };
}

/** Python 3's round(): halves go to the even neighbour (2.5 → 2, 3.5 → 4). */
export function roundHalfEven(value: number): number {
  const floor = Math.floor(value);
  const fraction = value - floor;
  if (fraction !== 0.5) return Math.round(value);
  return floor % 2 === 0 ? floor : floor + 1;
}

function explain(error: unknown, maxPixels: number): string {
  const message = error instanceof Error ? error.message : String(error);
  if (/pixel limit/i.test(message)) return `larger than the ${maxPixels.toLocaleString('en-US')}-pixel limit (a decompression bomb?)`;
  if (/unsupported image format/i.test(message)) return 'not an image in a supported format';
  if (/empty/i.test(message)) return 'the file is empty';
  if (/missing|ENOENT|no such file/i.test(message)) return 'no such file';
  return message.split('\n', 1)[0] ?? message;
}
