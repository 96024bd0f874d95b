import { InvalidArgumentError } from '@ortbench/core';
import { isPillowInterpolation } from './pillow-resample';

/** Resampling kernels (sharp's names: `linear` is bilinear, `cubic` bicubic). */
export type Interpolation = 'nearest' | 'linear' | 'cubic' | 'mitchell' | 'lanczos3';

/**
 * How an image becomes a model input. Steps run in a fixed order: RGB (alpha dropped, grey
 * and CMYK converted, EXIF orientation applied if asked) → resize → crop → float → rescale
 * → normalise → channel order and layout. By default the result is torchvision's tensor to
 * the bit: PIL's decoding semantics (no colour management, no EXIF rotation), Pillow's
 * antialiased resampling, and torchvision's crop origin.
 */
export interface ImageConfig {
  /** `shortestEdge`: scale so the shorter side has this length (aspect kept); `exact`: stretch to width × height; `none`. */
  resize: { shortestEdge: number } | { width: number; height: number } | 'none';
  /** Centre crop to width × height after resizing, or `none`. */
  crop: { width: number; height: number } | 'none';
  /** Pillow's filters `linear`, `cubic`, `lanczos3`; `nearest` and `mitchell` need `fast`. */
  interpolation: Interpolation;
  /**
   * Resize with sharp (libvips) instead of Pillow's algorithm: JPEGs shrink while decoding
   * (DCT scaling) and the embedded ICC profile is applied. Several times quicker on large
   * photos; values differ from torchvision's by up to a few levels (more on large JPEGs).
   */
  fast: boolean;
  /** Rotate by the EXIF orientation tag. PIL (and so torchvision) does not. */
  exifOrientation: boolean;
  /** Multiplies each 0–255 value first (1/255 for [0, 1]). */
  rescale: number;
  /** Subtracted after rescaling, per output channel or one for all. */
  mean: number | readonly [number, number, number];
  /** Divides after subtracting the mean, per output channel or one for all. */
  std: number | readonly [number, number, number];
  /** Channel order of the output (`bgr` for Caffe-style models); mean and std follow it. */
  channelOrder: 'rgb' | 'bgr';
  layout: 'nchw' | 'nhwc';
  dtype: 'float32' | 'float16';
  /** Largest image accepted, in pixels, against decompression bombs. */
  maxPixels: number;
}

const IMAGENET_MEAN = [0.485, 0.456, 0.406] as const;
const IMAGENET_STD = [0.229, 0.224, 0.225] as const;
const DEFAULT_MAX_PIXELS = 100_000_000;

/** torchvision: shorter side to 256, centre crop 224, ImageNet mean/std, NCHW RGB. */
const IMAGENET: ImageConfig = {
  resize: { shortestEdge: 256 },
  crop: { width: 224, height: 224 },
  interpolation: 'linear',
  fast: false,
  exifOrientation: false,
  rescale: 1 / 255,
  mean: IMAGENET_MEAN,
  std: IMAGENET_STD,
  channelOrder: 'rgb',
  layout: 'nchw',
  dtype: 'float32',
  maxPixels: DEFAULT_MAX_PIXELS,
};

/** Presets as data: each is a complete config, most a variation of torchvision's. */
export const IMAGE_PRESETS = {
  imagenet: IMAGENET,
  /** torchvision's inception_v3 recipe: Resize(342) → CenterCrop(299), ImageNet mean/std, NCHW. */
  'imagenet-inception': { ...IMAGENET, resize: { shortestEdge: 342 }, crop: { width: 299, height: 299 } },
  /** The seed scripts: stretch straight to 224 × 224, then ImageNet normalisation. */
  'imagenet-direct': { ...IMAGENET, resize: { width: 224, height: 224 }, crop: 'none' },
  /** Keras ResNet50 ("caffe" mode): 224 × 224, BGR, ImageNet means subtracted, no scaling, NHWC. */
  caffe: { ...IMAGENET, resize: { width: 224, height: 224 }, crop: 'none', rescale: 1, mean: [103.939, 116.779, 123.68], std: 1, channelOrder: 'bgr', layout: 'nhwc' },
  /** Keras Inception / MobileNet (TF): 299 × 299, scaled to [−1, 1], NHWC. */
  inception: { ...IMAGENET, resize: { width: 299, height: 299 }, crop: 'none', mean: 0.5, std: 0.5, layout: 'nhwc' },
} as const satisfies Record<string, ImageConfig>;

/** A preset name. */
export type ImagePreset = keyof typeof IMAGE_PRESETS;

/** A preset (by name) with any option overridden, validated. */
export function imageConfig(preset: ImagePreset | ImageConfig = 'imagenet', overrides: Partial<ImageConfig> = {}): ImageConfig {
  let base: ImageConfig;
  if (typeof preset === 'string') {
    if (!Object.hasOwn(IMAGE_PRESETS, preset)) {
      throw new InvalidArgumentError(`unknown image preset "${preset}" (presets: ${Object.keys(IMAGE_PRESETS).join(', ')})`);
    }
    base = IMAGE_PRESETS[preset];
  } else {
    base = preset;
  }
  const config = { ...base, ...overrides };
  validate(config);
  return config;
}

/** The output's height and width, known before any image is read. */
export function outputSize(config: ImageConfig): { width: number; height: number } | undefined {
  if (config.crop !== 'none') return config.crop;
  if (config.resize !== 'none' && 'width' in config.resize) return config.resize;
  return undefined; // depends on each image
}

function validate(c: ImageConfig): void {
  const positive = (value: number, label: string) => {
    if (!Number.isInteger(value) || value < 1) throw new InvalidArgumentError(`image config: ${label} must be a positive integer, got ${value}`);
  };
  if (c.resize !== 'none') {
    if ('shortestEdge' in c.resize) positive(c.resize.shortestEdge, 'resize.shortestEdge');
    else {
      positive(c.resize.width, 'resize.width');
      positive(c.resize.height, 'resize.height');
    }
  }
  if (c.crop !== 'none') {
    positive(c.crop.width, 'crop.width');
    positive(c.crop.height, 'crop.height');
  }
  positive(c.maxPixels, 'maxPixels');
  if (!c.fast && !isPillowInterpolation(c.interpolation)) {
    throw new InvalidArgumentError(`image config: interpolation "${c.interpolation}" has no Pillow equivalent (linear, cubic, lanczos3); set fast to resize with sharp`);
  }
  const std = typeof c.std === 'number' ? [c.std] : c.std;
  if (std.some((s) => !(s > 0 || s < 0))) throw new InvalidArgumentError('image config: std must be non-zero');
  const mean = typeof c.mean === 'number' ? [c.mean] : c.mean;
  if (![1, 3].includes(mean.length) || ![1, 3].includes(std.length)) {
    throw new InvalidArgumentError('image config: mean and std take one value or three (per channel)');
  }
  if (!['rgb', 'bgr'].includes(c.channelOrder)) throw new InvalidArgumentError(`image config: channelOrder must be rgb or bgr, got ${c.channelOrder}`);
  if (!['nchw', 'nhwc'].includes(c.layout)) throw new InvalidArgumentError(`image config: layout must be nchw or nhwc, got ${c.layout}`);
  if (!['float32', 'float16'].includes(c.dtype)) throw new InvalidArgumentError(`image config: dtype must be float32 or float16, got ${c.dtype}`);
}
