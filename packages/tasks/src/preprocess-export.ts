import path from 'node:path';
import { writeFileAtomic } from '@ortbench/core/node';
import type { ImageConfig, ImagePreset } from '@ortbench/preprocess';
import { encodeNpy, imageConfig, preprocessImages } from '@ortbench/preprocess';
import { imageFiles } from './images';

/** What {@link exportPreprocessed} writes. */
export interface PreprocessExportOptions {
  /** An image preset (default `imagenet`). */
  preset?: ImagePreset;
  /** Overrides of the preset (e.g. `{ fast: true }`). */
  overrides?: Partial<ImageConfig>;
  /** The .npy file to write. */
  out: string;
}

/**
 * The exact input tensor a model would be fed for these images — files in the order given,
 * folders expanded to their images sorted by name — written as a NumPy .npy file, so it can be
 * diffed against another framework's preprocessing. Written atomically.
 */
export async function exportPreprocessed(images: readonly string[], options: PreprocessExportOptions): Promise<{ out: string; dims: number[]; dtype: string; files: string[] }> {
  const files = await imageFiles(images);
  const config = imageConfig(options.preset ?? 'imagenet', options.overrides ?? {});
  const tensor = await preprocessImages(files, config);
  const out = path.resolve(options.out);
  await writeFileAtomic(out, encodeNpy(tensor));
  return { out, dims: [...tensor.dims], dtype: tensor.dtype, files };
}
