import path from 'node:path';
import { writeFileAtomic } from '@ortbench/core/node';
import type { ImageConfig, ImagePreset } from '@ortbench/preprocess';
import { encodeNpy, imageConfig, preprocessImages } from '@ortbench/preprocess';
import { decodableImages, imageFiles } from './images';

/** What {@link exportPreprocessed} writes. */
export interface PreprocessExportOptions {
  /** An image preset (default `imagenet`). */
  preset?: ImagePreset;
  /** Overrides of the preset (e.g. `{ fast: true }`). */
  overrides?: Partial<ImageConfig>;
  /** The .npy file to write. */
  out: string;
  /** Leave unreadable images out (a warning each) instead of stopping at the first. */
  skipBad?: boolean;
  onWarning?: (message: string) => void;
}

/**
 * The exact input tensor a model would be fed for these images — files in the order given,
 * folders expanded to their images sorted by name — written as a NumPy .npy file, so it can be
 * diffed against another framework's preprocessing. Written atomically.
 */
export async function exportPreprocessed(images: readonly string[], options: PreprocessExportOptions): Promise<{ out: string; dims: number[]; dtype: string; files: string[] }> {
  const listed = await imageFiles(images);
  const files = options.skipBad ? (await decodableImages(listed, { skipBad: true, ...(options.onWarning ? { onWarning: options.onWarning } : {}) })).files : listed;
  const config = imageConfig(options.preset ?? 'imagenet', options.overrides ?? {});
  const tensor = await preprocessImages(files, config);
  const out = path.resolve(options.out);
  await writeFileAtomic(out, encodeNpy(tensor));
  return { out, dims: [...tensor.dims], dtype: tensor.dtype, files };
}
