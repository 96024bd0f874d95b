import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { dimListAssignment, ErrorCode, nearestName, firstLineOf, fraction, inputValueAssignment, InvalidArgumentError, nameList, nonEmptyText, oneOf, OrtbenchError, positiveInteger, positiveIntegerList, positiveNumber, shapeAssignment } from '@ortbench/core';
import type { BenchPresetName } from './presets';
import { BENCH_PRESETS } from './presets';
import { isPresetName, MODEL_PRESETS } from '@ortbench/models';
import { describeModel } from '../model-source';
import { isFolder, readModelFolder, VARIANT_ORDER, variantFile, variantsOf } from '../model-folder';

/** Everything `ortbench bench` can be told, from flags, a config file or a preset. */
export interface BenchOptions {
  model: string;
  /** Several models, one sweep each, in one results document (the seed-004 table); `model` is the first. */
  models?: string[];
  runner: string[];
  /** Batch sizes; default by the model's kind: token models 1,4, others 1,2,4,8. */
  batch?: number[];
  /** Sequence lengths of token models; default 32,128. Refused for a model with no sequence axis. */
  seq?: number[];
  /** Values of symbolic dims by name (or `input:axis` when unnamed); several values make an axis. */
  dim?: Record<string, number[]>;
  /** Whole input shapes by input name; several make an axis. */
  shape?: Record<string, number[][]>;
  /** The value every element of an input takes (a sample rate, a flag): `--input sr=16000`. */
  input?: Record<string, number | boolean>;
  /** Real arrays to feed: a NumPy .npz (one array per input), .npy (the first input), or a folder of `<input>.npy` files. */
  inputs?: string;
  /** The vocabulary of ids inputs whose embedding table ortbench cannot find. */
  vocabSize?: number;
  threads?: number[];
  /** ONNX Runtime graph optimisation levels to sweep (an axis: several give one row each). */
  optLevel?: ('disabled' | 'basic' | 'extended' | 'all')[];
  /** ONNX Runtime's CPU memory arena on (true) and/or off (false), as an axis: what it costs and saves. */
  arena?: boolean[];
  /** ONNX Runtime's memory pattern (pre-planned allocations for fixed shapes) on and/or off, as an axis. */
  memPattern?: boolean[];
  /**
   * A model folder's variants to measure (fp32, fp16, q8, int8, uint8, q4, q4f16, bnb4: the files
   * of its `onnx/` folder by transformers.js's suffixes); default: every one it has.
   */
  variant?: string[];
  /** A model folder's component to measure (`decoder_model_merged`); default `model`, else the encoder. */
  component?: string;
  /** Exactly this many timed runs per configuration (no precision target), as the seeds' `timeit` loops did. */
  iterations?: number;
  /** Exactly this many seconds per configuration (no precision target). */
  duration?: number;
  /** The relative half-width of the median's 95 % CI to reach (0.02 = ±2 %). */
  ciTarget: number;
  /** The most seconds one configuration's steady state may take before it is flagged unstable. */
  maxDuration: number;
  /**
   * Rounds of slices instead of the default run-by-run alternation (the older, coarser schedule:
   * each configuration gets a slice of its steady state per round). Undefined: several
   * configurations are alternated run by run.
   */
  rounds?: number;
  /**
   * The baseline value of an axis the paired ratios are taken against (`{ precision: 'fp32' }`,
   * `{ batch: '1' }`, `{ runner: 'node-cpu' }`); default each axis's first value.
   */
  baseline?: Record<string, string>;
  warmup: number;
  /** Sessions measured at once, one per worker thread; several values sweep a scaling curve. */
  concurrency: number[];
  /**
   * Model precisions to compare: fp32, fp16, int8-static (QDQ, calibrated), int8-dynamic
   * (weights int8, activations quantized at run time), or int8: static for image models,
   * dynamic for token models — named as what it is in every configuration id.
   */
  precision: string[];
  batchMode: 'dynamic' | 'fixed' | 'both';
  /** The CLI's: where to write the reports (a library caller writes them with @ortbench/reporters). */
  out?: string;
  /** An earlier results file: its finished configurations are kept, the rest are run. */
  resume?: string;
  /** The CLI's: replace another run's reports in `out` (otherwise refused). */
  force?: boolean;
  /** Run each configuration in a child process, so a native crash or OOM only fails that one. */
  isolate: boolean;
  /** A LoadGen-style scenario instead of back-to-back runs. */
  scenario?: 'single-stream' | 'multi-stream' | 'server' | 'offline';
  /** server: arrival rate (queries/s). */
  targetQps?: number;
  /** server: search the highest rate whose p99 stays within this many ms. */
  latencyBound?: number;
  /** Measure each runner's achievable GFLOP/s and report every configuration's fraction of it. */
  roofline: boolean;
  /** Images: the pipelined mode's photos, and int8 calibration data for --precision. */
  images?: string;
  /** With --images: labels (image → class) to report top-1/top-5 next to speed. */
  labels?: string;
  /** A model folder's text variants are compared with fp32 on these texts (one per line) instead of the built-in sentences. */
  texts?: string;
  /** With --images: leave unreadable images out (a warning each) instead of stopping at the first. */
  skipBad?: boolean;
  /** The CLI's: print the results document instead of the table. */
  json: boolean;
  /** Tables also show the seeds' unit: total seconds for 1000 runs. */
  per1000Runs?: boolean;
  /** torch runners: the TorchScript file paired with a model file (built-in models get theirs built). */
  torchModel?: string;
  /** torch runners: the Python interpreter with PyTorch (default ORTBENCH_PYTHON, python3, /usr/bin/python3). */
  python?: string;
}

/**
 * What a caller may pass to `bench()`: any options (validated like flags; ciTarget also as "1%"),
 * a `preset` of the seed experiments, and a `config` file whose options the given ones override.
 */
export type BenchInput = Partial<Omit<BenchOptions, 'ciTarget'>> & { ciTarget?: number | string; preset?: BenchPresetName; config?: string };

const DEFAULTS = { runner: ['node-cpu'], ciTarget: '2%', maxDuration: 8, warmup: 5, concurrency: 1, precision: ['fp32'], batchMode: 'dynamic', json: false, isolate: false, roofline: false } as const;

/** Per-option parsers: one place that turns a flag or config value into a checked value. */
const PARSERS: Record<string, (value: unknown, flag: string) => unknown> = {
  model: (v, f) => nonEmptyText(v, f),
  models: (v, f) => nameList(v, f),
  runner: (v, f) => nameList(v, f),
  batch: (v, f) => positiveIntegerList(v, f),
  seq: (v, f) => positiveIntegerList(v, f),
  dim: (v, f) => assignments(v, f, (text) => {
    const { name, values } = dimListAssignment(text, f);
    return [name, values];
  }),
  shape: (v, f) => assignments(v, f, (text) => {
    const { name, shapes } = shapeAssignment(text, f);
    return [name, shapes];
  }),
  input: (v, f) => assignments(v, f, (text) => {
    const { name, value } = inputValueAssignment(text, f);
    return [name, value];
  }),
  inputs: (v, f) => nonEmptyText(v, f),
  vocabSize: (v, f) => positiveInteger(v, f),
  threads: (v, f) => positiveIntegerList(v, f),
  optLevel: (v, f) => {
    const values = Array.isArray(v) ? v.map(String) : String(v).split(',').map((x) => x.trim());
    return [...new Set(values.map((value) => oneOf(value, ['disabled', 'basic', 'extended', 'all'], f)))];
  },
  variant: (v, f) => {
    const values = Array.isArray(v) ? v.map(String) : String(v).split(',').map((x) => x.trim());
    return [...new Set(values.map((value) => oneOf(value, [...VARIANT_ORDER], f)))];
  },
  arena: (v, f) => onOffList(v, f),
  memPattern: (v, f) => onOffList(v, f),
  iterations: (v, f) => positiveInteger(v, f),
  duration: (v, f) => positiveNumber(v, f),
  ciTarget: (v, f) => fraction(v, f),
  maxDuration: (v, f) => positiveNumber(v, f),
  rounds: (v, f) => positiveInteger(v, f),
  baseline: (v, f) => assignments(v, f, (text) => {
    const match = /^([^=]+)=(.+)$/.exec(text.trim());
    if (!match) throw new InvalidArgumentError(`${f} ${text}: expected axis=value, e.g. precision=fp32 or batch=1`);
    return [match[1]!.trim(), match[2]!.trim()];
  }),
  warmup: (v, f) => (String(v) === '0' ? 0 : positiveInteger(v, f)),
  concurrency: (v, f) => positiveIntegerList(v, f),
  precision: (v, f) => {
    const values = Array.isArray(v) ? v.map(String) : String(v).split(',').map((x) => x.trim());
    for (const value of values) oneOf(value, ['fp32', 'fp16', 'int8', 'int8-static', 'int8-dynamic'], f);
    return values;
  },
  batchMode: (v, f) => oneOf(v, ['dynamic', 'fixed', 'both'], f),
  out: (v, f) => nonEmptyText(v, f),
  resume: (v, f) => nonEmptyText(v, f),
  force: (v) => Boolean(v),
  isolate: (v) => Boolean(v),
  scenario: (v, f) => oneOf(v, ['single-stream', 'multi-stream', 'server', 'offline'], f),
  targetQps: (v, f) => positiveNumber(v, f),
  latencyBound: (v, f) => positiveNumber(v, f),
  roofline: (v) => Boolean(v),
  images: (v, f) => nonEmptyText(v, f),
  texts: (v, f) => nonEmptyText(v, f),
  component: (v, f) => nonEmptyText(v, f),
  labels: (v, f) => nonEmptyText(v, f),
  skipBad: (v) => Boolean(v),
  json: (v) => Boolean(v),
  per1000Runs: (v) => Boolean(v),
  torchModel: (v, f) => nonEmptyText(v, f),
  python: (v, f) => nonEmptyText(v, f),
};

/**
 * Merges, lowest first: defaults, the preset, the config file, then command-line flags. Every
 * value goes through the same parser, so a config file gets the same one-line errors as a flag.
 */
export async function resolveBenchOptions(model: string | undefined, flags: Record<string, unknown>): Promise<BenchOptions> {
  const merged: Record<string, unknown> = { ...DEFAULTS };
  if (flags.preset !== undefined) {
    const preset = String(flags.preset);
    if (!Object.hasOwn(BENCH_PRESETS, preset)) {
      throw new InvalidArgumentError(`--preset: unknown preset "${preset}" (presets: ${Object.keys(BENCH_PRESETS).join(', ')})`);
    }
    const { forTokenModels, ...values } = BENCH_PRESETS[preset as BenchPresetName] as Record<string, unknown> & { forTokenModels?: Record<string, unknown> };
    Object.assign(merged, values);
    // A preset with a grid for token models uses it when the model given is one.
    if (forTokenModels && model !== undefined && (await isTokenModel(model, flags.component as string | undefined))) Object.assign(merged, forTokenModels);
  }
  // A misspelled option is an error, never a silent default (iteration: 5 once ran 3,764 iterations).
  for (const [key, value] of Object.entries(flags)) {
    if (value !== undefined && !(key in PARSERS) && key !== 'preset' && key !== 'config') throw unknownOption(key, 'option');
  }
  if (flags.config !== undefined) Object.assign(merged, await readConfig(String(flags.config)));
  for (const [key, value] of Object.entries(flags)) if (value !== undefined && key in PARSERS) merged[key] = value;
  // A model named on the command line replaces a preset's list of models.
  if (model !== undefined && flags.models === undefined) delete merged.models;
  if (model !== undefined) merged.model = model;
  else if (Array.isArray(merged.models) && merged.models.length > 0) merged.model = merged.models[0];
  else if (typeof merged.models === 'string') merged.model = merged.models.split(',')[0]?.trim();
  if (merged.model === undefined) throw new InvalidArgumentError('no model: name one (resnet50, bert, a built-in, or a path to an .onnx file), or use --preset');
  const options: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(merged)) {
    const parse = PARSERS[key];
    if (!parse) throw unknownOption(key, 'config: option');
    options[key] = parse(value, `--${kebab(key)}`);
  }
  // A scenario takes both, as LoadGen's minimum query count and minimum duration.
  if (options.iterations !== undefined && options.duration !== undefined && options.scenario === undefined) {
    throw new InvalidArgumentError(`--iterations ${String(options.iterations)} and --duration ${String(options.duration)} each say how long to measure instead of the precision target: give one`);
  }
  if (options.scenario === 'server' && options.targetQps === undefined && options.latencyBound === undefined) {
    throw new InvalidArgumentError('--scenario server needs --target-qps N, or --latency-bound MS to search the highest rate');
  }
  if (options.scenario !== 'server' && (options.targetQps !== undefined || options.latencyBound !== undefined)) {
    throw new InvalidArgumentError('--target-qps and --latency-bound belong to --scenario server');
  }
  if (typeof options.rounds === 'number' && options.rounds > 1 && (options.isolate || options.scenario)) {
    throw new InvalidArgumentError(`--rounds ${options.rounds}: ${options.isolate ? '--isolate measures each configuration in its own process' : 'a scenario is measured'} in one visit; drop --rounds`);
  }
  await checkVariants(options);
  return options as unknown as BenchOptions;
}

/**
 * A model folder's variants are its precisions: every one it has unless --variant names some
 * (each must be there), listed fp32 first (the baseline of the paired ratios). --variant on a
 * single file, or --precision on a folder, is a usage error saying what to do instead.
 */
async function checkVariants(options: Record<string, unknown>): Promise<void> {
  const model = String(options.model);
  const folder = !isPresetName(model) && (await isFolder(model)) ? await readModelFolder(model, options.component as string | undefined) : undefined;
  const asked = options.variant as string[] | undefined;
  if (!folder) {
    if (asked) throw new InvalidArgumentError(`--variant: ${model} is not a model folder (a folder with onnx/model.onnx, model_fp16.onnx, …); --precision makes variants of one file`);
    if (options.texts !== undefined) throw new InvalidArgumentError(`--texts: ${model} is not a model folder; texts are tokenised by a folder's tokenizer.json or vocab.txt`);
    if (options.component !== undefined) throw new InvalidArgumentError(`--component: ${model} is not a model folder (encoder_model.onnx, decoder_model_merged.onnx, … in onnx/)`);
    return;
  }
  if (options.texts !== undefined && !folder.files.tokenizer && !folder.files.vocab) {
    throw new InvalidArgumentError(`--texts: ${model} has no tokenizer.json or vocab.txt to tokenise texts with`);
  }
  const precision = options.precision as string[];
  if (precision.length !== 1 || precision[0] !== 'fp32') {
    throw new InvalidArgumentError(`--precision: ${model} is a model folder, whose files are its precisions: use --variant ${variantsOf(folder).map((v) => v.variant).join(',')}`);
  }
  const present = variantsOf(folder).map((v) => v.variant as string);
  for (const name of asked ?? []) variantFile(folder, name);
  options.variant = present.filter((name) => !asked || asked.includes(name));
}

/** `on,off`, `off`, `true,false` or booleans: the values of an on/off axis, each once. */
function onOffList(value: unknown, flag: string): boolean[] {
  const values = Array.isArray(value) ? value : String(value).split(',');
  return [...new Set(values.map((item) => {
    if (typeof item === 'boolean') return item;
    const text = String(item).trim().toLowerCase();
    if (['on', 'true', 'yes'].includes(text)) return true;
    if (['off', 'false', 'no'].includes(text)) return false;
    throw new InvalidArgumentError(`${flag}: expected on, off or on,off, got "${String(item)}"`);
  }))];
}

function unknownOption(key: string, what: string): InvalidArgumentError {
  const near = nearestName(key, [...Object.keys(PARSERS), 'preset', 'config']);
  return new InvalidArgumentError(`${what} "${key}" is unknown${near ? ` (did you mean "${near}"?)` : ''}; options: ${Object.keys(PARSERS).join(', ')}, preset, config`);
}

async function isTokenModel(model: string, component?: string): Promise<boolean> {
  if (isPresetName(model)) return MODEL_PRESETS[model].architecture === 'bert';
  return (await describeModel(model, component !== undefined ? { component } : {})).kind === 'token';
}

async function readConfig(file: string): Promise<Record<string, unknown>> {
  const extension = path.extname(file);
  if (extension === '.json') {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch {
      throw new OrtbenchError(ErrorCode.FILE_NOT_FOUND, `${file}: no such config file`);
    }
    try {
      return object(JSON.parse(text), file);
    } catch (error) {
      if (error instanceof OrtbenchError) throw error;
      throw new InvalidArgumentError(`${file}: not valid JSON (${firstLineOf(error)})`);
    }
  }
  if (extension === '.js' || extension === '.mjs') {
    let module: { default?: unknown };
    try {
      module = (await import(pathToFileURL(path.resolve(file)).href)) as { default?: unknown };
    } catch (error) {
      throw new InvalidArgumentError(`${file}: cannot load the config module (${(error as Error).message.split('\n', 1)[0]})`);
    }
    return object(module.default, file);
  }
  throw new InvalidArgumentError(`${file}: a config file is .json, .js or .mjs (a .ts config needs a loader: compile it to .mjs first)`);
}

function object(value: unknown, file: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new InvalidArgumentError(`${file}: the config must be an object of options`);
  return value as Record<string, unknown>;
}

/**
 * Repeatable `name=value` flags as a record: a list of strings (the CLI's), one string, or —
 * from a config file — an object whose values are written as the flag would write them.
 */
function assignments<T>(value: unknown, flag: string, parse: (text: string) => [string, T]): Record<string, T> {
  const texts =
    typeof value === 'string'
      ? [value]
      : Array.isArray(value)
        ? value.map(String)
        : typeof value === 'object' && value !== null
          ? Object.entries(value).map(([name, v]) => `${name}=${Array.isArray(v) ? v.map((x) => (Array.isArray(x) ? x.join('x') : String(x))).join(',') : String(v)}`)
          : undefined;
  if (!texts) throw new InvalidArgumentError(`${flag}: expected name=value, got ${JSON.stringify(value)}`);
  const result: Record<string, T> = {};
  for (const text of texts) {
    const [name, parsed] = parse(text);
    if (Object.hasOwn(result, name)) throw new InvalidArgumentError(`${flag} ${name} is given twice`);
    result[name] = parsed;
  }
  return result;
}

function kebab(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}
