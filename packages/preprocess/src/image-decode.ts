import sharp from 'sharp';
import { ErrorCode, OrtbenchError } from '@ortbench/core';
import type { ImageConfig } from './image-config';

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

/**
 * Decodes an image and applies the geometric steps with sharp (libvips), never per-pixel
 * JavaScript: first frame only, EXIF orientation, alpha dropped, grey and CMYK to sRGB,
 * then resize and centre crop. Anything unreadable is IMAGE_INVALID naming the source.
 */
export async function decodeRgb(source: ImageSource, config: Pick<ImageConfig, 'resize' | 'crop' | 'interpolation' | 'maxPixels'>): Promise<RgbImage> {
  const label = describeImage(source);
  try {
    const input = sharp(source, { pages: 1, autoOrient: true, limitInputPixels: config.maxPixels, failOn: 'error' });
    const meta = await input.metadata();
    // Width and height after EXIF orientation: 5–8 swap them.
    const swapped = (meta.orientation ?? 1) >= 5;
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
      ({ width, height } = config.crop);
    }
    const { data, info } = await pipeline.raw().toBuffer({ resolveWithObject: true });
    if (info.channels !== 3) throw new Error(`decoded to ${info.channels} channels, not 3`);
    return { pixels: new Uint8Array(data.buffer, data.byteOffset, data.byteLength), width: info.width, height: info.height };
  } catch (error) {
    if (error instanceof OrtbenchError) throw error;
    throw new OrtbenchError(ErrorCode.IMAGE_INVALID, `${label}: cannot read image: ${explain(error, config.maxPixels)}`, { cause: error });
  }
}

/** torchvision's Resize(n): the shorter side becomes n, the longer one keeps the aspect ratio (truncated). */
export function resizedSize(width: number, height: number, resize: Exclude<ImageConfig['resize'], 'none'>): [number, number] {
  if ('width' in resize) return [resize.width, resize.height];
  const edge = resize.shortestEdge;
  return width <= height ? [edge, Math.floor((edge * height) / width)] : [Math.floor((edge * width) / height), edge];
}

/** torchvision's CenterCrop origin: round((size − crop) / 2). */
export function centreCropOrigin(width: number, height: number, crop: { width: number; height: number }, label: string): { left: number; top: number } {
  if (crop.width > width || crop.height > height) {
    throw new OrtbenchError(ErrorCode.IMAGE_INVALID, `${label}: ${width}×${height} after resizing is smaller than the ${crop.width}×${crop.height} crop`);
  }
  return { left: Math.round((width - crop.width) / 2), top: Math.round((height - crop.height) / 2) };
}

function explain(error: unknown, maxPixels: number): string {
  const message = error instanceof Error ? error.message : String(error);
  if (/pixel limit/i.test(message)) return `larger than the ${maxPixels.toLocaleString('en-US')}-pixel limit (a decompression bomb?)`;
  if (/unsupported image format/i.test(message)) return 'not an image in a supported format';
  if (/empty/i.test(message)) return 'the file is empty';
  if (/missing|ENOENT|no such file/i.test(message)) return 'no such file';
  return message.split('\n', 1)[0] ?? message;
}
