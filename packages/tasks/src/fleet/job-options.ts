import { InvalidArgumentError } from '@ortbench/core';
import type { BenchOptions } from '../bench/options';
import { resolveBenchOptions } from '../bench/options';

/**
 * The options a fleet job may carry: what decides a measurement, nothing that names a file on the
 * submitter's machine or changes where output goes. The worker re-validates them with the same
 * parsers as flags, so a job cannot smuggle in anything a command line could not.
 */
export const FLEET_OPTION_KEYS = [
  'runner',
  'batch',
  'seq',
  'threads',
  'optLevel',
  'iterations',
  'duration',
  'ciTarget',
  'maxDuration',
  'warmup',
  'concurrency',
  'precision',
  'batchMode',
  'scenario',
  'targetQps',
  'latencyBound',
  'roofline',
  'dim',
  'shape',
  'input',
  'vocabSize',
] as const satisfies readonly (keyof BenchOptions)[];

/** Options the submitter cannot send, with why. */
const REFUSED: Partial<Record<keyof BenchOptions, string>> = {
  images: 'the photos are on this machine, not on the workers',
  labels: 'the labels are on this machine, not on the workers',
  inputs: 'the arrays are on this machine, not on the workers (set shapes with --dim or --shape instead)',
  torchModel: 'the TorchScript file is on this machine, not on the workers (built-in models get their PyTorch twin built on each worker)',
  python: 'each worker finds its own Python (ORTBENCH_PYTHON on the worker)',
};

/** The submitter's side: the options to put in each job, or INVALID_ARGUMENT for one that cannot travel. */
export function jobOptionsOf(options: BenchOptions): Record<string, unknown> {
  for (const [key, why] of Object.entries(REFUSED)) {
    if (options[key as keyof BenchOptions] !== undefined) throw new InvalidArgumentError(`--${key} cannot be used with --queue: ${why}`);
  }
  const picked: Record<string, unknown> = { model: options.model };
  for (const key of FLEET_OPTION_KEYS) if (options[key] !== undefined) picked[key] = options[key];
  return picked;
}

/** The worker's side: the job's options checked as flags would be, with the model the worker resolved. */
export async function workerOptionsOf(jobOptions: Record<string, unknown>, localModel: string): Promise<BenchOptions> {
  const allowed = new Set<string>(['model', ...FLEET_OPTION_KEYS]);
  const extra = Object.keys(jobOptions).filter((key) => !allowed.has(key));
  if (extra.length > 0) throw new InvalidArgumentError(`job options ${extra.join(', ')} are not accepted from the queue`);
  const { model: _model, ...flags } = jobOptions;
  const options = await resolveBenchOptions(localModel, flags);
  // Every job is one visit in a child process: a crash or OOM fails that job alone.
  return { ...options, isolate: true, rounds: 1 };
}
