import path from 'node:path';
import { InvalidArgumentError, SeededRandom } from '@ortbench/core';
import type { onnx, Range } from '@ortbench/models';
import { calibrationTensors, convertToFloat16, encodeModel, quantizeDynamic, quantizeStatic, readModel, saveModel, withExtraOutputs } from '@ortbench/models';
import { imageFeeds, preprocessImages, syntheticImages } from '@ortbench/preprocess';
import type { ConvertFlags, QuantizeFlags } from '../commands/models';
import { imageConfigForModel, imageFiles } from '../images';
import { resolveModel } from '../model-source';
import { createDefaultRegistry } from '../registry';

/** `ortbench models convert --fp16`. */
export async function convertCommand(argument: string, flags: ConvertFlags): Promise<void> {
  if (!flags.fp16) throw new InvalidArgumentError('say what to convert to: --fp16');
  const model = await readModel((await resolveModel(argument)).path, { loadExternalData: true });
  await saveModel(path.resolve(flags.out), convertToFloat16(model));
  process.stdout.write(`${path.resolve(flags.out)}\n`);
}

/** `ortbench models quantize`: dynamic, or static calibrated on a folder of images. */
export async function quantizeCommand(argument: string, flags: QuantizeFlags): Promise<void> {
  const model = await readModel((await resolveModel(argument)).path, { loadExternalData: true });
  let quantized: onnx.IModelProto;
  if (flags.mode === 'dynamic') quantized = quantizeDynamic(model);
  else {
    if (!flags.calibrate) throw new InvalidArgumentError('--mode static needs --calibrate DIR: images to measure the activation ranges on');
    quantized = quantizeStatic(model, await calibrate(model, await imageFiles([flags.calibrate]), flags.method), { perChannel: !flags.perTensor });
  }
  await saveModel(path.resolve(flags.out), quantized);
  process.stdout.write(`${path.resolve(flags.out)}\n`);
}

/**
 * Activation ranges for static quantization: the float model runs the images with every tensor
 * to quantize exposed as an output. `minmax` keeps the extremes; `percentile` the 0.01 % and
 * 99.99 % points of a seeded sample, so rare outliers do not waste the 8-bit range.
 */
export async function calibrate(model: onnx.IModelProto, files: readonly string[] | 'synthetic', method: 'minmax' | 'percentile'): Promise<Record<string, Range>> {
  const names = calibrationTensors(model);
  const runner = await (await createDefaultRegistry()).resolve('node-cpu');
  const session = await runner.load(encodeModel(withExtraOutputs(model, names)).model);
  const ranges: Record<string, Range> = {};
  const samples = new Map<string, number[]>();
  const random = new SeededRandom('calibration');
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
        const kept = samples.get(name) ?? [];
        for (let i = 0; i < data.length; i++) {
          const v = data[i] as number;
          if (v < range.min) range.min = v;
          if (v > range.max) range.max = v;
          if (method === 'percentile' && (kept.length < 20_000 || random.next() < 20_000 / data.length)) kept.push(v);
        }
        samples.set(name, kept);
      }
    }
  } finally {
    await session.dispose();
  }
  if (method === 'percentile') {
    for (const [name, kept] of samples) {
      kept.sort((a, b) => a - b);
      ranges[name] = { min: kept[Math.floor(kept.length * 0.0001)] ?? 0, max: kept[Math.ceil(kept.length * 0.9999) - 1] ?? 0 };
    }
  }
  return ranges;
}

/**
 * The model at `precision`, written once into `directory`: fp32 as given; fp16 converted; int8
 * dynamic for token models, static QDQ for image models (calibrated on `calibration` images,
 * or on seeded synthetic ones).
 */
export async function precisionVariant(source: string, precision: string, directory: string, calibration: readonly string[] | undefined): Promise<string> {
  if (precision === 'fp32') return source;
  const file = path.join(directory, `${path.basename(source, '.onnx')}-${precision}.onnx`);
  const model = await readModel(source, { loadExternalData: true });
  if (precision === 'fp16') await saveModel(file, convertToFloat16(model));
  else {
    const tokens = (model.graph?.input ?? []).some((i) => [6, 7].includes(Number(i.type?.tensorType?.elemType)));
    if (!tokens && !calibration) process.stderr.write('warning: int8 calibrated on synthetic images; pass --images DIR to calibrate on real ones\n');
    await saveModel(file, tokens ? quantizeDynamic(model) : quantizeStatic(model, await calibrate(model, calibration ?? 'synthetic', 'minmax')));
  }
  return file;
}
