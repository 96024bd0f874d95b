import type { Measurement } from './engine';
import type { ErrorRecord } from './errors';
import { InvalidArgumentError } from './errors';

/** The axes of a sweep; every combination becomes one {@link Configuration}. */
export interface SweepMatrix {
  runners: readonly string[];
  /** Model variants (a built-in name, a path, `resnet50@fp16`, …). */
  models?: readonly string[];
  batchSizes?: readonly number[];
  sequenceLengths?: readonly number[];
  threads?: readonly number[];
  /** Any further runner option to vary, e.g. `{ graphOptimizationLevel: ['basic', 'all'] }`. */
  options?: Readonly<Record<string, readonly unknown[]>>;
}

/** One point of a sweep. `id` is stable across runs, so a sweep can be resumed. */
export interface Configuration {
  id: string;
  runner: string;
  model?: string;
  batchSize: number;
  sequenceLength?: number;
  threads?: number;
  options: Record<string, unknown>;
}

/** The machine that measured a result, when a fleet worker did (`ortbench worker`). */
export interface MeasuredBy {
  /** The worker's name (unique among the live workers of a queue). */
  worker: string;
  hostname: string;
  cpu: string;
  logicalCores: number;
  memoryBytes: number;
  platform: string;
  /** The worker's tags (cpu, avx512, gpu, …): what `--each-worker --tags` selects on. */
  tags: string[];
  /** The runners that were available on it. */
  runners: string[];
  /** Versions of the ortbench packages and runtimes it ran. */
  packages: Record<string, string>;
}

/** A configuration's outcome. An errored one carries its error instead of throwing. */
export type ConfigurationResult = (
  | { status: 'completed'; configuration: Configuration; measurement: Measurement }
  | { status: 'errored'; configuration: Configuration; error: ErrorRecord }
  | { status: 'skipped'; configuration: Configuration; reason: string }
) & { measuredBy?: MeasuredBy };

/** Thrown by a sweep's execute function to record a configuration as skipped (e.g. seq > max positions). */
export class ConfigurationSkippedError extends Error {
  override name = 'ConfigurationSkippedError';
}

/**
 * Expands a matrix into configurations, models outermost and option axes innermost.
 * Sizes must be positive integers and no axis may be empty.
 */
export function expandMatrix(matrix: SweepMatrix): Configuration[] {
  const runners = nonEmpty(matrix.runners, 'runners');
  const models = matrix.models ? nonEmpty(matrix.models, 'models') : [undefined];
  const batchSizes = positiveIntegers(matrix.batchSizes ?? [1], 'batch size');
  const sequenceLengths = matrix.sequenceLengths ? positiveIntegers(matrix.sequenceLengths, 'sequence length') : [undefined];
  const threads = matrix.threads ? positiveIntegers(matrix.threads, 'threads') : [undefined];
  const optionSets = cartesian(
    Object.entries(matrix.options ?? {}).map(([key, values]) => nonEmpty(values, `option ${key}`).map((value) => [key, value] as const)),
  );
  const configurations: Configuration[] = [];
  for (const model of models)
    for (const runner of runners)
      for (const batchSize of batchSizes)
        for (const sequenceLength of sequenceLengths)
          for (const thread of threads)
            for (const pairs of optionSets) {
              const configuration: Configuration = { id: '', runner, batchSize, options: Object.fromEntries(pairs) };
              if (model !== undefined) configuration.model = model;
              if (sequenceLength !== undefined) configuration.sequenceLength = sequenceLength;
              if (thread !== undefined) configuration.threads = thread;
              configuration.id = configurationId(configuration);
              configurations.push(configuration);
            }
  return configurations;
}

/** A canonical, human-readable key: `runner=node-cpu model=resnet50 batch=8 threads=2 opt.x=1`. */
export function configurationId(configuration: Omit<Configuration, 'id'>): string {
  const parts = [`runner=${configuration.runner}`];
  if (configuration.model !== undefined) parts.push(`model=${configuration.model}`);
  parts.push(`batch=${configuration.batchSize}`);
  if (configuration.sequenceLength !== undefined) parts.push(`seq=${configuration.sequenceLength}`);
  if (configuration.threads !== undefined) parts.push(`threads=${configuration.threads}`);
  for (const key of Object.keys(configuration.options).sort()) {
    parts.push(`opt.${key}=${JSON.stringify(configuration.options[key])}`);
  }
  return parts.join(' ');
}

/** Hooks and controls for {@link runSweep}. */
export interface SweepOptions {
  signal?: AbortSignal;
  /** Results already measured (from `--resume`): their configurations are not run again. */
  previous?: readonly ConfigurationResult[];
  onStart?: (configuration: Configuration, index: number, total: number) => void;
  onResult?: (result: ConfigurationResult, index: number, total: number) => void;
}

/** What a sweep produced; `interrupted` when it was aborted before the last configuration. */
export interface SweepOutcome {
  results: ConfigurationResult[];
  interrupted: boolean;
}

function nonEmpty<T>(values: readonly T[], label: string): readonly T[] {
  if (values.length === 0) throw new InvalidArgumentError(`sweep axis "${label}" is empty`);
  return values;
}

function positiveIntegers(values: readonly number[], label: string): readonly number[] {
  nonEmpty(values, label);
  for (const value of values) {
    if (!Number.isInteger(value) || value < 1) throw new InvalidArgumentError(`${label} must be a positive integer, got ${value}`);
  }
  if (new Set(values).size !== values.length) throw new InvalidArgumentError(`${label} list has duplicates: ${values.join(', ')}`);
  return values;
}

function cartesian<T>(axes: readonly (readonly T[])[]): T[][] {
  return axes.reduce<T[][]>((sets, axis) => sets.flatMap((set) => axis.map((value) => [...set, value])), [[]]);
}
