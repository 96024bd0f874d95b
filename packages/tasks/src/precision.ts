import { stat } from 'node:fs/promises';
import path from 'node:path';
import { hashString, InvalidArgumentError } from '@ortbench/core';
import type { onnx, Range } from '@ortbench/models';
import { calibrationTensors, convertToFloat16, encodeModel, quantizeDynamic, quantizeStatic, readModel, saveModel, withExtraOutputs } from '@ortbench/models';
import { imageFeeds, preprocessImages, syntheticImages } from '@ortbench/preprocess';
import { imageConfigForModel, imageFiles } from './images';
import { Reservoir } from './reservoir';
import { describeGraph, resolveModel } from './model-source';
import type { RunnerSource } from './registry';
import { runnerRegistry } from './registry';

/** A float32 model (built-in or file) converted to float16 and written to `out`; returns the absolute path. */
export async function convertModel(model: string, out: string): Promise<string> {
  const decoded = await readModel((await resolveModel(model)).path, { loadExternalData: true });
  await saveModel(path.resolve(out), convertToFloat16(decoded));
  return path.resolve(out);
}

/** How `quantizeModel` quantizes. */
export interface QuantizeOptions {
  /** dynamic: MatMul weights, activations at run time; static: QDQ with ranges from `calibrate`. */
  mode: 'dynamic' | 'static';
  /** static: a folder (or files) of images to measure the activation ranges on. */
  calibrate?: string;
  method?: 'minmax' | 'percentile';
  /** static: one weight scale per tensor instead of per channel. */
  perTensor?: boolean;
}

/** An int8 model (built-in or file) written to `out`; returns the absolute path. */
export async function quantizeModel(model: string, out: string, options: QuantizeOptions): Promise<string> {
  const decoded = await readModel((await resolveModel(model)).path, { loadExternalData: true });
  let quantized: onnx.IModelProto;
  if (options.mode === 'dynamic') quantized = quantizeDynamic(decoded);
  else {
    if (!options.calibrate) throw new InvalidArgumentError('--mode static needs --calibrate DIR: images to measure the activation ranges on');
    quantized = quantizeStatic(decoded, await calibrate(decoded, await imageFiles([options.calibrate]), options.method ?? 'minmax'), { perChannel: !options.perTensor });
  }
  await saveModel(path.resolve(out), quantized);
  return path.resolve(out);
}

/** Values kept per tensor for the percentile method: the 0.01 % tails rest on 20 values each. */
const PERCENTILE_SAMPLE = 200_000;

/**
 * Activation ranges for static quantization: the float model runs the images with every tensor
 * to quantize exposed as an output. `minmax` keeps the extremes; `percentile` the 0.01 % and
 * 99.99 % points of a seeded sample, so rare outliers do not waste the 8-bit range.
 */
export async function calibrate(model: onnx.IModelProto, files: readonly string[] | 'synthetic', method: 'minmax' | 'percentile', runners: RunnerSource = {}): Promise<Record<string, Range>> {
  const names = calibrationTensors(model);
  const runner = await (await runnerRegistry(runners)).resolve('node-cpu');
  const session = await runner.load(encodeModel(withExtraOutputs(model, names)).model);
  const ranges: Record<string, Range> = {};
  // Percentile: a bounded uniform sample of every tensor's values over all images and channels.
  const samples = new Map<string, Reservoir>();
  try {
    const config = imageConfigForModel(session, 'imagenet');
    // Without images: four seeded batches of random pixels, normalised like real ones.
    const batches = files === 'synthetic' ? [0, 1, 2, 3].map((seed) => syntheticImages(8, config, seed)) : undefined;
    const count = batches ? batches.length * 8 : files.length;
    for (let start = 0; start < count; start += 8) {
      const batch = batches ? batches[start / 8]! : await preprocessImages((files as readonly string[]).slice(start, start + 8), config);
      const { outputs } = await session.run(imageFeeds(session.inputs, batch), { outputNames: names });
      for (const name of names) {
        const data = outputs[name]!.data as Float32Array;
        const range = (ranges[name] ??= { min: Infinity, max: -Infinity });
        for (let i = 0; i < data.length; i++) {
          const v = data[i] as number;
          if (v < range.min) range.min = v;
          if (v > range.max) range.max = v;
        }
        if (method === 'percentile') {
          let reservoir = samples.get(name);
          if (!reservoir) samples.set(name, (reservoir = new Reservoir(PERCENTILE_SAMPLE, `calibration:${name}`)));
          reservoir.add(data);
        }
      }
    }
  } finally {
    await session.dispose();
  }
  if (method === 'percentile') {
    for (const [name, reservoir] of samples) {
      const kept = reservoir.values.slice().sort();
      ranges[name] = { min: kept[Math.floor(kept.length * 0.0001)] ?? 0, max: kept[Math.ceil(kept.length * 0.9999) - 1] ?? 0 };
    }
  }
  return ranges;
}

/** Where and from what `precisionVariant` builds. */
export interface VariantOptions {
  /** The folder variants are written to (and found in again). */
  directory: string;
  /** Image models' int8 calibration images; default: seeded synthetic images (with a warning). */
  calibration?: readonly string[];
  onWarning?: (message: string) => void;
}

/**
 * The model at `precision`: fp32 as given; fp16 converted; int8-dynamic (MatMul weights int8,
 * activations quantized at run time); int8-static QDQ for image models (calibrated on
 * `calibration` images, or on seeded synthetic ones); int8 is static for image models and
 * dynamic for token models. The
 * file's name carries a hash of everything that decides its content — the source's path, size
 * and modification time, the precision and the calibration images — so two models with the same
 * file name, or other calibration data, never share a variant; an existing one is reused.
 */
export async function precisionVariant(source: string, precision: string, options: VariantOptions): Promise<string> {
  if (precision === 'fp32') return source;
  const info = await stat(source);
  const key = hashString(JSON.stringify([path.resolve(source), info.size, info.mtimeMs, precision, options.calibration ?? 'synthetic']));
  const file = path.join(options.directory, `${path.basename(source, '.onnx')}-${precision}-${key.toString(16).padStart(8, '0')}.onnx`);
  if (await stat(file).then(() => true, () => false)) return file;
  const model = await readModel(source, { loadExternalData: true });
  const tokens = describeGraph(model).kind === 'token';
  const kind = precision === 'int8' ? (tokens ? 'int8-dynamic' : 'int8-static') : precision;
  if (kind === 'fp16') await saveModel(file, convertToFloat16(model));
  else if (kind === 'int8-dynamic') await saveModel(file, quantizeDynamic(model));
  else if (kind === 'int8-static') {
    if (tokens) throw new InvalidArgumentError(`int8-static: ${path.basename(source)} takes token ids, which cannot be calibrated on images; use int8-dynamic`);
    if (!options.calibration) options.onWarning?.('int8-static calibrated on synthetic images; pass --images DIR to calibrate on real ones');
    await saveModel(file, quantizeStatic(model, await calibrate(model, options.calibration ?? 'synthetic', 'minmax')));
  } else throw new InvalidArgumentError(`precision "${precision}": expected fp32, fp16, int8, int8-static or int8-dynamic`);
  return file;
}
