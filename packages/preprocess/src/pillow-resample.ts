import { InvalidArgumentError } from '@ortbench/core';

/**
 * Pillow's `Image.resize` for 8-bit RGB, reproduced to the bit: the convolution filters of
 * `Resample.c` scaled by the reduction factor (antialiasing), coefficients normalised then
 * rounded to 22-bit fixed point, a horizontal pass clipped to uint8, then a vertical pass.
 * torchvision's `Resize` on a PIL image is exactly this, so inputs match training's.
 */

/** Pillow's filters by the names ortbench uses for interpolation. */
const FILTERS = {
  linear: { support: 1, weight: (x: number) => (x < 0 ? -x : x) < 1 ? 1 - (x < 0 ? -x : x) : 0 },
  cubic: { support: 2, weight: bicubic },
  lanczos3: { support: 3, weight: (x: number) => (x >= -3 && x < 3 ? sinc(x) * sinc(x / 3) : 0) },
} as const;

/** The interpolations Pillow has (others have no Pillow equivalent). */
export type PillowInterpolation = keyof typeof FILTERS;

/** True when Pillow has this interpolation. */
export function isPillowInterpolation(name: string): name is PillowInterpolation {
  return Object.hasOwn(FILTERS, name);
}

const PRECISION_BITS = 32 - 8 - 2;
const HALF = 1 << (PRECISION_BITS - 1);
const CLIP_HIGH = 2 ** (PRECISION_BITS + 8);

/** A window of the resized image: only these output pixels are computed (each is independent). */
export interface Window {
  left: number;
  top: number;
  width: number;
  height: number;
}

/**
 * Resizes interleaved RGB `pixels` (width × height × 3) to outWidth × outHeight as Pillow
 * does and returns the `window` of the result (the whole image by default), interleaved RGB.
 */
export function pillowResize(
  pixels: Uint8Array,
  width: number,
  height: number,
  outWidth: number,
  outHeight: number,
  interpolation: PillowInterpolation,
  window: Window = { left: 0, top: 0, width: outWidth, height: outHeight },
): Uint8Array {
  if (window.left < 0 || window.top < 0 || window.left + window.width > outWidth || window.top + window.height > outHeight) {
    throw new InvalidArgumentError(`resize window ${window.width}×${window.height}+${window.left}+${window.top} lies outside the ${outWidth}×${outHeight} image`);
  }
  const filter = FILTERS[interpolation];
  const columns = coefficients(width, outWidth, filter, window.left, window.width);
  const rows = coefficients(height, outHeight, filter, window.top, window.height);
  // Input rows the window's output rows read.
  const first = rows.start[0] as number;
  const last = (rows.start[window.height - 1] as number) + (rows.count[window.height - 1] as number);
  const temp = horizontal(pixels, width, first, last, columns, window.width);
  return vertical(temp, window.width, first, rows, window.height);
}

interface Coefficients {
  /** First input index each output index reads. */
  start: Int32Array;
  /** How many input indices it reads. */
  count: Int32Array;
  /** Fixed-point weights, `size` per output index. */
  weights: Int32Array;
  size: number;
}

// Resample.c precompute_coeffs + normalize_coeffs_8bpc, for output indices [from, from + n).
function coefficients(inSize: number, outSize: number, filter: { support: number; weight: (x: number) => number }, from: number, n: number): Coefficients {
  const scale = inSize / outSize;
  const filterScale = Math.max(scale, 1);
  const support = filter.support * filterScale;
  const size = Math.ceil(support) * 2 + 1;
  const result: Coefficients = { start: new Int32Array(n), count: new Int32Array(n), weights: new Int32Array(n * size), size };
  const ss = 1 / filterScale;
  const raw = new Float64Array(size);
  for (let i = 0; i < n; i++) {
    const center = (from + i + 0.5) * scale;
    const min = Math.max(Math.trunc(center - support + 0.5), 0);
    const count = Math.min(Math.trunc(center + support + 0.5), inSize) - min;
    let total = 0;
    for (let x = 0; x < count; x++) {
      raw[x] = filter.weight((x + min - center + 0.5) * ss);
      total += raw[x] as number;
    }
    for (let x = 0; x < count; x++) {
      const k = total !== 0 ? (raw[x] as number) / total : (raw[x] as number);
      result.weights[i * size + x] = k < 0 ? Math.trunc(-0.5 + k * 2 ** PRECISION_BITS) : Math.trunc(0.5 + k * 2 ** PRECISION_BITS);
    }
    result.start[i] = min;
    result.count[i] = count;
  }
  return result;
}

function clip8(sum: number): number {
  if (sum >= CLIP_HIGH) return 255;
  if (sum <= 0) return 0;
  return sum >> PRECISION_BITS;
}

// Rows [first, last) of the input, resampled across to the window's columns.
function horizontal(pixels: Uint8Array, width: number, first: number, last: number, c: Coefficients, outWidth: number): Uint8Array {
  const out = new Uint8Array((last - first) * outWidth * 3);
  for (let y = first, o = 0; y < last; y++) {
    const row = y * width * 3;
    for (let x = 0; x < outWidth; x++, o += 3) {
      const k = x * c.size;
      let p = row + (c.start[x] as number) * 3;
      let r = HALF;
      let g = HALF;
      let b = HALF;
      for (let i = 0, n = c.count[x] as number; i < n; i++, p += 3) {
        const w = c.weights[k + i] as number;
        r += (pixels[p] as number) * w;
        g += (pixels[p + 1] as number) * w;
        b += (pixels[p + 2] as number) * w;
      }
      out[o] = clip8(r);
      out[o + 1] = clip8(g);
      out[o + 2] = clip8(b);
    }
  }
  return out;
}

// The horizontal pass's rows (from input row `first`) resampled down to the window's rows.
function vertical(temp: Uint8Array, width: number, first: number, c: Coefficients, outHeight: number): Uint8Array {
  const stride = width * 3;
  const out = new Uint8Array(outHeight * stride);
  for (let y = 0; y < outHeight; y++) {
    const k = y * c.size;
    const base = ((c.start[y] as number) - first) * stride;
    const n = c.count[y] as number;
    for (let x = 0; x < stride; x++) {
      let sum = HALF;
      for (let i = 0, p = base + x; i < n; i++, p += stride) sum += (temp[p] as number) * (c.weights[k + i] as number);
      out[y * stride + x] = clip8(sum);
    }
  }
  return out;
}

function bicubic(x: number): number {
  // Pillow's bicubic: Keys' kernel with a = −0.5.
  const a = -0.5;
  const t = x < 0 ? -x : x;
  if (t < 1) return ((a + 2) * t - (a + 3)) * t * t + 1;
  if (t < 2) return (((t - 5) * t + 8) * t - 4) * a;
  return 0;
}

function sinc(x: number): number {
  if (x === 0) return 1;
  const px = x * Math.PI;
  return Math.sin(px) / px;
}
