import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Session } from '@ortbench/core';
import { ErrorCode, InvalidArgumentError, OrtbenchError } from '@ortbench/core';
import type { ImageConfig, ImagePreset } from '@ortbench/preprocess';
import { imageConfig } from '@ortbench/preprocess';

const IMAGE_EXTENSIONS = /\.(jpe?g|png|webp|gif|tiff?|avif)$/i;

/** An image preset, with the crop (and resize) adapted to the model's declared input size. */
export function imageConfigForModel(session: Session, preset: string): ImageConfig {
  const base = imageConfig(preset as ImagePreset);
  const dims = session.inputs[0]?.dims ?? [];
  const nchw = dims[1] === 3;
  const [height, width] = nchw ? [dims[2], dims[3]] : [dims[1], dims[2]];
  if (typeof height !== 'number' || typeof width !== 'number') return { ...base, layout: nchw ? 'nchw' : base.layout };
  const resize = base.resize === 'none' || 'width' in base.resize ? { width, height } : { shortestEdge: Math.round((base.resize.shortestEdge * Math.min(width, height)) / 224) };
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
