import os from 'node:os';
import type { Tensor } from '@ortbench/core';
import { createTensor, InvalidArgumentError } from '@ortbench/core';
import type { ImageConfig, ImagePreset } from './image-config';
import { imageConfig, outputSize } from './image-config';
import type { ImageSource } from './image-decode';
import { decodeRgb, describeImage } from './image-decode';
import { channelTransform, writePixels } from './pixels-to-tensor';

/** Options for {@link preprocessImages}. */
export interface PreprocessOptions {
  /** Images decoded at once (sharp also threads inside each). Default: the CPU count. */
  concurrency?: number;
}

/**
 * Decodes and preprocesses images into one contiguous batch tensor, [N, 3, H, W] (NCHW) or
 * [N, H, W, 3] (NHWC), float32 or float16. Images are decoded concurrently and each writes
 * its own slice of the batch.
 */
export async function preprocessImages(
  sources: readonly ImageSource[],
  config: ImageConfig | ImagePreset = 'imagenet',
  options: PreprocessOptions = {},
): Promise<Tensor<'float32'> | Tensor<'float16'>> {
  const resolved = typeof config === 'string' ? imageConfig(config) : imageConfig(config);
  if (sources.length === 0) throw new InvalidArgumentError('no images to preprocess');
  const size = outputSize(resolved);
  if (!size && sources.length > 1) {
    throw new InvalidArgumentError('images of differing sizes cannot form one batch: set a crop, or resize to a width and height');
  }
  const transform = channelTransform(resolved);
  const concurrency = Math.max(1, options.concurrency ?? os.availableParallelism());
  let target: Float32Array | Uint16Array | undefined;
  let dims: number[] = [];
  let next = 0;
  const worker = async () => {
    while (next < sources.length) {
      const index = next++;
      const image = await decodeRgb(sources[index] as ImageSource, resolved);
      if (!target) {
        const count = sources.length * 3 * image.width * image.height;
        target = resolved.dtype === 'float16' ? new Uint16Array(count) : new Float32Array(count);
        dims = resolved.layout === 'nchw' ? [sources.length, 3, image.height, image.width] : [sources.length, image.height, image.width, 3];
      }
      const [height, width] = resolved.layout === 'nchw' ? [dims[2], dims[3]] : [dims[1], dims[2]];
      if (image.width !== width || image.height !== height) {
        throw new InvalidArgumentError(`${describeImage(sources[index] as ImageSource)}: ${image.width}×${image.height} does not match the batch's ${width}×${height}`);
      }
      writePixels(image.pixels, image.width, image.height, transform, resolved.layout, target, index * 3 * image.width * image.height);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, sources.length) }, worker));
  return resolved.dtype === 'float16'
    ? createTensor('float16', target as Uint16Array, dims)
    : createTensor('float32', target as Float32Array, dims);
}
