import { createHash } from 'node:crypto';
import type { Configuration } from '@ortbench/core';
import { InvalidArgumentError } from '@ortbench/core';

/** What a fleet job is: an ortbench configuration, never code — workers refuse anything else. */
export const FLEET_JOB_SCHEMA = 'ortbench.fleet-job';
export const FLEET_JOB_VERSION = 1;

/** A model as it travels: a built-in by name (the worker builds it), or a file by content hash. */
export type ModelReference = { builtIn: string } | { sha256: string; bytes: number; name: string };

/** One configuration to measure, as put on the queue. */
export interface FleetJob {
  schema: typeof FLEET_JOB_SCHEMA;
  version: typeof FLEET_JOB_VERSION;
  sweepId: string;
  configuration: Configuration;
  /** The sweep's options that decide a measurement (see FLEET_OPTION_KEYS); the worker re-validates them. */
  options: Record<string, unknown> & { model: string };
  model: ModelReference;
}

/** Key and queue names, all under one prefix so a Redis can be shared with other applications. */
export const KEYS = {
  prefix: 'ortbench',
  /** The shared queue of a pool of equivalent workers (--spread). */
  poolQueue: (pool: string) => `fleet-${pool}`,
  /** A worker's own queue (--each-worker sends it every configuration). */
  workerQueue: (worker: string) => `worker-${worker}`,
  sweep: (sweepId: string) => `ortbench:sweep:${sweepId}`,
  results: (sweepId: string) => `ortbench:sweep:${sweepId}:results`,
  model: (sha256: string) => `ortbench:model:${sha256}`,
  /** Hash: worker name → its identity (JSON), for listing; liveness is the key below. */
  workers: 'ortbench:workers',
  alive: (worker: string) => `ortbench:worker:${worker}:alive`,
} as const;

const NAME = /^[A-Za-z0-9._-]{1,64}$/;

/** A worker, pool or tag name: letters, digits, . _ - (it becomes part of Redis keys and queue names). */
export function checkName(value: string, flag: string): string {
  if (!NAME.test(value)) throw new InvalidArgumentError(`${flag}: "${value}" is not a valid name (1–64 of letters, digits, . _ -)`);
  return value;
}

/** A sweep id: 16 hex digits, printed at submission and taken by --resume. */
export function newSweepId(): string {
  return createHash('sha256').update(`${process.pid}${Date.now()}${Math.random()}`).digest('hex').slice(0, 16);
}

export function checkSweepId(value: string, flag = '--resume'): string {
  if (!/^[0-9a-f]{16}$/.test(value)) throw new InvalidArgumentError(`${flag}: "${value}" is not a sweep id (16 hex digits, as printed when the sweep was submitted)`);
  return value;
}

/** The job id of a configuration in a sweep: re-adding it is a no-op, so submission is idempotent. */
export function jobIdOf(sweepId: string, configurationId: string): string {
  return `${sweepId}-${createHash('sha256').update(configurationId).digest('hex').slice(0, 20)}`;
}

/** Why data taken off the queue is not a fleet job this worker can run, or undefined. */
export function fleetJobProblem(data: unknown): string | undefined {
  if (typeof data !== 'object' || data === null) return 'not an object';
  const job = data as Partial<FleetJob>;
  if (job.schema !== FLEET_JOB_SCHEMA) return `not an ortbench configuration job (schema ${JSON.stringify(job.schema)}, expected "${FLEET_JOB_SCHEMA}")`;
  if (job.version !== FLEET_JOB_VERSION) return `job schema version ${JSON.stringify(job.version)}; this worker runs version ${FLEET_JOB_VERSION} — upgrade one side`;
  if (typeof job.sweepId !== 'string' || !/^[0-9a-f]{16}$/.test(job.sweepId)) return 'no valid sweepId';
  const c = job.configuration;
  if (!c || typeof c.id !== 'string' || typeof c.runner !== 'string' || !Number.isInteger(c.batchSize) || typeof c.options !== 'object' || c.options === null) {
    return 'no valid configuration (id, runner, batchSize, options)';
  }
  if (!job.options || typeof job.options !== 'object' || typeof job.options.model !== 'string') return 'no valid options';
  const model = job.model as Record<string, unknown> | undefined;
  const file = model && typeof model.sha256 === 'string' && /^[0-9a-f]{64}$/.test(model.sha256) && Number.isInteger(model.bytes) && typeof model.name === 'string';
  if (!model || (typeof model.builtIn !== 'string' && !file)) return 'no valid model reference (builtIn name, or sha256 + bytes + name)';
  return undefined;
}
