import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { ErrorCode, OrtbenchError } from '@ortbench/core';

/**
 * The file-name suffix of each variant in a transformers.js / Optimum model folder, as
 * transformers.js names them (`model.onnx` is fp32, `model_quantized.onnx` is q8, …). Longer
 * suffixes first, so `_q4f16` is not read as `_q4`.
 */
export const VARIANT_SUFFIXES = [
  ['q4f16', '_q4f16'],
  ['fp16', '_fp16'],
  ['int8', '_int8'],
  ['uint8', '_uint8'],
  ['q8', '_quantized'],
  ['q4', '_q4'],
  ['bnb4', '_bnb4'],
  ['fp32', ''],
] as const;

/** A variant's name: fp32, fp16, q8, … (the keys of {@link VARIANT_SUFFIXES}). */
export type VariantName = (typeof VARIANT_SUFFIXES)[number][0];

/** The order variants are listed and measured in: fp32 first, the baseline of every paired ratio. */
export const VARIANT_ORDER: readonly VariantName[] = ['fp32', 'fp16', 'q8', 'int8', 'uint8', 'q4', 'q4f16', 'bnb4'];

/** One file of a component. */
export interface VariantFile {
  variant: VariantName;
  file: string;
  /** The graph's size, plus its external data files (`*.onnx_data`, `*.onnx.data`) found beside it. */
  bytes: number;
  externalData: string[];
}

/** A model folder: its graphs by component (`model`, `encoder_model`, `decoder_model_merged`, …) and its configuration files. */
export interface ModelFolder {
  dir: string;
  /** The folder holding the graphs: `<dir>/onnx`, or `<dir>` itself. */
  onnxDir: string;
  components: Map<string, VariantFile[]>;
  /** The component measured: `model`, else `encoder_model`, else the only one. */
  main: string;
  /** config.json, parsed, when present. */
  config?: Record<string, unknown>;
  /** tokenizer.json, preprocessor_config.json, tokenizer_config.json, vocab.txt: those present. */
  files: Partial<Record<'tokenizer' | 'tokenizerConfig' | 'preprocessor' | 'vocab', string>>;
}

/** Whether `argument` names a folder (a model folder, if it holds graphs). */
export async function isFolder(argument: string): Promise<boolean> {
  return (await stat(argument).catch(() => undefined))?.isDirectory() ?? false;
}

/**
 * Reads a model folder; one without any .onnx graph is INVALID_ARGUMENT naming where it looked.
 * `component` picks the graph measured (`decoder_model_merged`); by default `model`, else the
 * encoder of an encoder–decoder folder.
 */
export async function readModelFolder(dir: string, component?: string): Promise<ModelFolder> {
  const onnxDir = (await isFolder(path.join(dir, 'onnx'))) ? path.join(dir, 'onnx') : dir;
  const names = (await readdir(onnxDir)).sort();
  const components = new Map<string, VariantFile[]>();
  for (const name of names.filter((n) => n.endsWith('.onnx'))) {
    const { component, variant } = parseGraphName(name);
    const file = path.join(onnxDir, name);
    const externalData = names.filter((n) => n === `${name}_data` || n === `${name}.data` || n.startsWith(`${name}_data_`)).map((n) => path.join(onnxDir, n));
    let bytes = (await stat(file)).size;
    for (const data of externalData) bytes += (await stat(data)).size;
    const list = components.get(component) ?? [];
    list.push({ variant, file, bytes, externalData });
    components.set(component, list);
  }
  if (components.size === 0) {
    throw new OrtbenchError(ErrorCode.INVALID_ARGUMENT, `${dir}: is a directory with no .onnx graph ${onnxDir === dir ? 'in it' : `in it or in ${path.relative(dir, onnxDir)}/`}, not an .onnx file or a model folder (onnx/model.onnx, model_fp16.onnx, …)`);
  }
  for (const list of components.values()) list.sort((a, b) => VARIANT_ORDER.indexOf(a.variant) - VARIANT_ORDER.indexOf(b.variant));
  if (component !== undefined && !components.has(component)) {
    throw new OrtbenchError(ErrorCode.INVALID_ARGUMENT, `--component ${component}: ${dir} has no ${component}*.onnx (its components: ${[...components.keys()].join(', ')})`);
  }
  const main = component ?? (components.has('model') ? 'model' : components.has('encoder_model') ? 'encoder_model' : [...components.keys()][0]!);
  const present = async (name: string) => ((await stat(path.join(dir, name)).catch(() => undefined))?.isFile() ? path.join(dir, name) : undefined);
  const files: ModelFolder['files'] = {};
  for (const [key, name] of [['tokenizer', 'tokenizer.json'], ['tokenizerConfig', 'tokenizer_config.json'], ['preprocessor', 'preprocessor_config.json'], ['vocab', 'vocab.txt']] as const) {
    const found = await present(name);
    if (found) files[key] = found;
  }
  const configFile = await present('config.json');
  const folder: ModelFolder = { dir, onnxDir, components, main, files };
  if (configFile) {
    try {
      folder.config = JSON.parse(await readFile(configFile, 'utf8')) as Record<string, unknown>;
    } catch (error) {
      throw new OrtbenchError(ErrorCode.INVALID_ARGUMENT, `${configFile}: not JSON (${(error as Error).message.split('\n')[0]})`);
    }
  }
  return folder;
}

/** `model_q4f16.onnx` → component `model`, variant `q4f16`; `encoder_model.onnx` → `encoder_model`, fp32. */
export function parseGraphName(name: string): { component: string; variant: VariantName } {
  const stem = name.replace(/\.onnx$/, '');
  for (const [variant, suffix] of VARIANT_SUFFIXES) {
    if (suffix && stem.endsWith(suffix) && stem.length > suffix.length) return { component: stem.slice(0, -suffix.length), variant };
  }
  return { component: stem, variant: 'fp32' };
}

/** The variants of the measured component, in {@link VARIANT_ORDER}. */
export function variantsOf(folder: ModelFolder): VariantFile[] {
  return folder.components.get(folder.main)!;
}

/** The file of one variant of the measured component; a variant the folder lacks is an error naming those it has. */
export function variantFile(folder: ModelFolder, variant: string): VariantFile {
  const found = variantsOf(folder).find((v) => v.variant === variant);
  if (!found) {
    throw new OrtbenchError(ErrorCode.INVALID_ARGUMENT, `--variant ${variant}: ${folder.dir} has no ${folder.main}${suffixOf(variant)}.onnx (its variants: ${variantsOf(folder).map((v) => v.variant).join(', ')})`);
  }
  return found;
}

function suffixOf(variant: string): string {
  return VARIANT_SUFFIXES.find(([name]) => name === variant)?.[1] ?? `_${variant}`;
}
