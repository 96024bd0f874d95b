import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ErrorCode, firstLineOf, InvalidArgumentError, OrtbenchError } from '@ortbench/core';
import type { BenchPresetName } from './bench-presets';
import { BENCH_PRESETS } from './bench-presets';
import { positiveInteger, positiveIntegerList, runnerList } from './parse';

/** Everything `ortbench bench` can be told, from flags, a config file or a preset. */
export interface BenchOptions {
  model: string;
  runner: string[];
  batch: number[];
  seq: number[];
  threads?: number[];
  optLevel?: 'disabled' | 'basic' | 'extended' | 'all';
  /** Exactly this many timed runs per configuration (no precision target), as the seeds' `timeit` loops did. */
  iterations?: number;
  /** Exactly this many seconds per configuration (no precision target). */
  duration?: number;
  /** The relative half-width of the median's 95 % CI to reach (0.02 = ±2 %). */
  ciTarget: number;
  /** The most seconds one configuration's steady state may take before it is flagged unstable. */
  maxDuration: number;
  /** Interleaved rounds; undefined: 3 for a sweep of several configurations, else 1. */
  rounds?: number;
  warmup: number;
  /** Sessions measured at once, one per worker thread; several values sweep a scaling curve. */
  concurrency: number[];
  /** Model precisions to compare: fp32, fp16, int8. */
  precision: string[];
  batchMode: 'dynamic' | 'fixed' | 'both';
  out?: string;
  /** An earlier results file: its finished configurations are kept, the rest are run. */
  resume?: string;
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
  json: boolean;
}

const DEFAULTS = { runner: ['node-cpu'], ciTarget: '2%', maxDuration: 8, warmup: 5, concurrency: 1, precision: ['fp32'], batchMode: 'dynamic', json: false, isolate: false, roofline: false } as const;

/** Per-option parsers: one place that turns a flag or config value into a checked value. */
const PARSERS: Record<string, (value: unknown, flag: string) => unknown> = {
  model: (v, f) => text(v, f),
  runner: (v, f) => (Array.isArray(v) ? v.map((x) => text(x, f)) : runnerList(text(v, f))),
  batch: (v, f) => list(v, f),
  seq: (v, f) => list(v, f),
  threads: (v, f) => list(v, f),
  optLevel: (v, f) => oneOf(v, ['disabled', 'basic', 'extended', 'all'], f),
  iterations: (v, f) => positiveInteger(String(v), f),
  duration: (v, f) => positiveNumber(v, f),
  ciTarget: (v, f) => fraction(v, f),
  maxDuration: (v, f) => positiveNumber(v, f),
  rounds: (v, f) => positiveInteger(String(v), f),
  warmup: (v, f) => (String(v) === '0' ? 0 : positiveInteger(String(v), f)),
  concurrency: (v, f) => list(v, f),
  precision: (v, f) => {
    const values = Array.isArray(v) ? v.map(String) : String(v).split(',').map((x) => x.trim());
    for (const value of values) oneOf(value, ['fp32', 'fp16', 'int8'], f);
    return values;
  },
  batchMode: (v, f) => oneOf(v, ['dynamic', 'fixed', 'both'], f),
  out: (v, f) => text(v, f),
  resume: (v, f) => text(v, f),
  isolate: (v) => Boolean(v),
  scenario: (v, f) => oneOf(v, ['single-stream', 'multi-stream', 'server', 'offline'], f),
  targetQps: (v, f) => positiveNumber(v, f),
  latencyBound: (v, f) => positiveNumber(v, f),
  roofline: (v) => Boolean(v),
  images: (v, f) => text(v, f),
  labels: (v, f) => text(v, f),
  json: (v) => Boolean(v),
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
    Object.assign(merged, BENCH_PRESETS[preset as BenchPresetName]);
  }
  if (flags.config !== undefined) Object.assign(merged, await readConfig(String(flags.config)));
  for (const [key, value] of Object.entries(flags)) if (value !== undefined && key in PARSERS) merged[key] = value;
  if (model !== undefined) merged.model = model;
  if (merged.model === undefined) throw new InvalidArgumentError('no model: name one (resnet50, bert, a built-in, or a path to an .onnx file), or use --preset');
  const options: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(merged)) {
    const parse = PARSERS[key];
    if (!parse) throw new InvalidArgumentError(`config: unknown option "${key}" (options: ${Object.keys(PARSERS).join(', ')})`);
    options[key] = parse(value, `--${kebab(key)}`);
  }
  options.batch ??= /bert/.test(String(options.model)) ? [1, 4] : [1, 2, 4, 8];
  options.seq ??= [32, 128];
  if (options.scenario === 'server' && options.targetQps === undefined && options.latencyBound === undefined) {
    throw new InvalidArgumentError('--scenario server needs --target-qps N, or --latency-bound MS to search the highest rate');
  }
  if (options.scenario !== 'server' && (options.targetQps !== undefined || options.latencyBound !== undefined)) {
    throw new InvalidArgumentError('--target-qps and --latency-bound belong to --scenario server');
  }
  if (typeof options.rounds === 'number' && options.rounds > 1 && (options.isolate || options.scenario)) {
    throw new InvalidArgumentError(`--rounds ${options.rounds}: ${options.isolate ? '--isolate measures each configuration in its own process' : 'a scenario is measured'} in one visit; drop --rounds`);
  }
  return options as unknown as BenchOptions;
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

function text(value: unknown, flag: string): string {
  if (typeof value !== 'string' || value === '') throw new InvalidArgumentError(`${flag}: expected text, got ${JSON.stringify(value)}`);
  return value;
}

function list(value: unknown, flag: string): number[] {
  if (Array.isArray(value)) return positiveIntegerList(value.join(','), flag);
  return positiveIntegerList(String(value), flag);
}

function positiveNumber(value: unknown, flag: string): number {
  const number = Number(value);
  if (!Number.isFinite(number) || number <= 0) throw new InvalidArgumentError(`${flag}: expected a positive number, got "${value}"`);
  return number;
}

/** `2%`, `0.5 %` or `0.02`: a fraction in (0, 1). */
function fraction(value: unknown, flag: string): number {
  const text = String(value).trim();
  const percent = /^([\d.]+)\s*%$/.exec(text);
  const number = percent ? Number(percent[1]) / 100 : Number(text);
  if (!Number.isFinite(number) || number <= 0 || number >= 1) throw new InvalidArgumentError(`${flag}: expected a percentage such as 2% (or a fraction such as 0.02), got "${value}"`);
  return number;
}

function oneOf(value: unknown, allowed: readonly string[], flag: string, note?: string): string {
  if (!allowed.includes(String(value))) throw new InvalidArgumentError(`${flag}: expected ${allowed.join(' or ')}, got "${value}"${note ? ` (${note})` : ''}`);
  return String(value);
}

function kebab(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}
