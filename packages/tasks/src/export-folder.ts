import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Dim, ValueInfo } from '@ortbench/core';
import { ErrorCode, InvalidArgumentError, OrtbenchError } from '@ortbench/core';
import type { onnx } from '@ortbench/models';
import { convertToFloat16, inspectModel, quantize4Bit, quantizeDynamic, readModel, saveModel } from '@ortbench/models';
import { wordPieceTokenizerJson } from '@ortbench/preprocess';
import { VARIANT_SUFFIXES } from './model-folder';
import { describeGraph, resolveModel } from './model-source';
import { precisionVariant } from './precision';

/** Variants `exportModelFolder` can write. */
export const EXPORTABLE_VARIANTS = ['fp32', 'fp16', 'q8', 'int8', 'q4'] as const;
export type ExportableVariant = (typeof EXPORTABLE_VARIANTS)[number];

/** Options of {@link exportModelFolder}. */
export interface ExportFolderOptions {
  /** The folder to write; it must not exist (or be empty). */
  out: string;
  /** Default: token models fp32, fp16, q8, q4; image models fp32, fp16, int8 (static), and q4 when they have MatMuls. */
  variants?: readonly ExportableVariant[];
  /** A BERT vocab.txt: written as tokenizer.json and tokenizer_config.json. */
  vocab?: string;
  /** Image models' int8 calibration photos (else seeded synthetic ones, with a warning). */
  calibration?: readonly string[];
  onWarning?: (message: string) => void;
}

/** What was written. */
export interface ExportedFolder {
  dir: string;
  variants: { variant: ExportableVariant; file: string; bytes: number; how: string }[];
  files: string[];
}

/**
 * Writes a model folder in the layout transformers.js and Optimum use — `onnx/model.onnx` and
 * one file per variant (`model_fp16.onnx`, `model_quantized.onnx` for q8, `model_int8.onnx`,
 * `model_q4.onnx`), `config.json`, and `tokenizer.json` + `tokenizer_config.json` (from a BERT
 * vocab) or `preprocessor_config.json` (image models: torchvision's ImageNet recipe) — from a
 * built-in or a user's fp32 model, so tests, CI and users without downloads have a real folder
 * to benchmark. It is written beside `out` and renamed into place: nothing half-written is left.
 */
export async function exportModelFolder(argument: string, options: ExportFolderOptions): Promise<ExportedFolder> {
  const existing = await stat(options.out).catch(() => undefined);
  if (existing && (!existing.isDirectory() || (await readdir(options.out)).length > 0)) {
    throw new OrtbenchError(ErrorCode.OUTPUT_UNWRITABLE, `${options.out}: already exists${existing.isDirectory() ? ' and is not empty' : ' as a file'}; export-folder writes a new folder`);
  }
  const source = await resolveModel(argument);
  if (source.folder) throw new InvalidArgumentError(`${argument} is already a model folder`);
  const model = await readModel(source.path, { loadExternalData: true });
  const { kind, inputs } = describeGraph(model);
  const hasMatMul = (inspectModel(model).opCounts.MatMul ?? 0) > 0;
  const variants = options.variants ?? (kind === 'token' ? ['fp32', 'fp16', 'q8', 'q4'] : ['fp32', 'fp16', 'int8', ...(hasMatMul ? (['q4'] as const) : [])]);
  if (variants.includes('q4') && !hasMatMul) throw new InvalidArgumentError(`q4: ${argument} has no MatMul for 4-bit weights (MatMulNBits replaces MatMuls only)`);
  if (variants.includes('int8') && kind === 'token') throw new InvalidArgumentError('int8: a token model cannot be calibrated on images; its int8 file is q8 (dynamic, model_quantized.onnx)');

  const staging = `${options.out.replace(/[\\/]+$/, '')}.partial-${process.pid}`;
  await rm(staging, { recursive: true, force: true });
  await mkdir(path.join(staging, 'onnx'), { recursive: true });
  try {
    const written: ExportedFolder['variants'] = [];
    for (const variant of variants) {
      const suffix = VARIANT_SUFFIXES.find(([name]) => name === variant)![1];
      const file = path.join(staging, 'onnx', `model${suffix}.onnx`);
      const how = await writeVariant(variant, model, source.path, file, options);
      written.push({ variant, file: path.join(options.out, 'onnx', path.basename(file)), bytes: (await stat(file)).size, how });
    }
    const files = ['config.json'];
    await writeJson(path.join(staging, 'config.json'), configJson(argument, kind, model, inputs));
    if (kind === 'token') {
      if (options.vocab) {
        const { json, config } = wordPieceTokenizerJson(await readFile(options.vocab, 'utf8'), {}, options.vocab);
        // transformers.js adds [CLS] and [SEP] through the post-processor, as Hugging Face's own BERT tokenizer.json does.
        const vocab = (json.model as { vocab: Record<string, number> }).vocab;
        await writeJson(path.join(staging, 'tokenizer.json'), { ...json, post_processor: { type: 'BertProcessing', sep: ['[SEP]', vocab['[SEP]']], cls: ['[CLS]', vocab['[CLS]']] } });
        await writeJson(path.join(staging, 'tokenizer_config.json'), { ...config, tokenizer_class: 'BertTokenizer', cls_token: '[CLS]', sep_token: '[SEP]', pad_token: '[PAD]', unk_token: '[UNK]', mask_token: '[MASK]' });
        files.push('tokenizer.json', 'tokenizer_config.json');
      } else {
        options.onWarning?.('no tokenizer.json written: pass --vocab vocab.txt (a BERT vocabulary) to include one');
      }
    } else if (kind === 'image') {
      await writeJson(path.join(staging, 'preprocessor_config.json'), preprocessorJson(inputs[0]!.dims));
      files.push('preprocessor_config.json');
    }
    await rename(staging, options.out).catch(async (error: NodeJS.ErrnoException) => {
      // An empty folder that already exists is replaced.
      if (error.code !== 'ENOTEMPTY' && error.code !== 'EEXIST') throw error;
      await rm(options.out, { recursive: true });
      await rename(staging, options.out);
    });
    return { dir: options.out, variants: written, files };
  } catch (error) {
    await rm(staging, { recursive: true, force: true });
    throw error;
  }
}

async function writeVariant(variant: ExportableVariant, model: onnx.IModelProto, sourcePath: string, file: string, options: ExportFolderOptions): Promise<string> {
  switch (variant) {
    case 'fp32':
      await saveModel(file, model);
      return 'the model as given';
    case 'fp16':
      await saveModel(file, convertToFloat16(model));
      return 'float16 weights and activations, float32 inputs and outputs';
    case 'q8':
      await saveModel(file, quantizeDynamic(model));
      return 'dynamic int8: MatMul weights int8 per column, activations quantized at run time';
    case 'q4':
      await saveModel(file, quantize4Bit(model));
      return 'block-wise 4-bit MatMul weights (com.microsoft MatMulNBits, blocks of 32), float activations';
    case 'int8': {
      const made = await precisionVariant(sourcePath, 'int8-static', {
        directory: path.dirname(file),
        ...(options.calibration ? { calibration: options.calibration } : {}),
        ...(options.onWarning ? { onWarning: options.onWarning } : {}),
      });
      await rename(made, file);
      return `static int8 QDQ, calibrated on ${options.calibration ? `${options.calibration.length} photos` : 'seeded synthetic images'}`;
    }
  }
}

/** config.json: what transformers.js reads of a model (its type and sizes), and where it came from. */
function configJson(argument: string, kind: string, model: onnx.IModelProto, inputs: readonly ValueInfo[]): Record<string, unknown> {
  const initializers = new Map((model.graph?.initializer ?? []).map((t) => [t.name ?? '', (t.dims ?? []).map(Number)]));
  if (kind === 'token') {
    const embedding = [...initializers.entries()].find(([name]) => /word_embeddings|embeddings\.word/.test(name))?.[1];
    const positions = [...initializers.entries()].find(([name]) => /position_embeddings/.test(name))?.[1];
    return {
      model_type: 'bert',
      architectures: ['BertModel'],
      ...(embedding ? { vocab_size: embedding[0], hidden_size: embedding[1] } : {}),
      ...(positions ? { max_position_embeddings: positions[0] } : {}),
      ortbench: { source: argument },
    };
  }
  const image = inputs[0]?.dims;
  return { model_type: kind === 'image' ? 'image-classification' : 'unknown', ...(image && typeof image[2] === 'number' ? { image_size: image[2] } : {}), ortbench: { source: argument } };
}

/** preprocessor_config.json: torchvision's ImageNet recipe in transformers.js's terms, at the model's input size. */
function preprocessorJson(dims: readonly Dim[]): Record<string, unknown> {
  const size = typeof dims[2] === 'number' ? dims[2] : 224;
  return {
    image_processor_type: 'ViTImageProcessor',
    do_resize: true,
    size: { shortest_edge: Math.round((size * 256) / 224) },
    resample: 2,
    do_center_crop: true,
    crop_size: { height: size, width: size },
    do_rescale: true,
    rescale_factor: 1 / 255,
    do_normalize: true,
    image_mean: [0.485, 0.456, 0.406],
    image_std: [0.229, 0.224, 0.225],
  };
}

async function writeJson(file: string, value: unknown): Promise<void> {
  await writeFile(file, `${JSON.stringify(value, null, 2)}\n`);
}
