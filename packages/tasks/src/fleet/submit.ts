import type { Configuration, ConfigurationResult } from '@ortbench/core';
import { configurationId, createResultsDocument, InvalidArgumentError } from '@ortbench/core';
import { collectEnvironment } from '@ortbench/core/node';
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { BenchOutcome } from '../bench/run';
import type { BenchInput } from '../bench/options';
import { resolveBenchOptions } from '../bench/options';
import { planBench } from '../bench/plan';
import { installedVersion, packageVersions } from '../versions';
import { connectQueue } from './connect';
import { jobOptionsOf } from './job-options';
import { DEFAULT_MAX_MODEL_BYTES, publishModel, unpublishModel } from './model-transfer';
import type { FleetJob, ModelReference } from './protocol';
import { checkName, checkSweepId, FLEET_JOB_SCHEMA, FLEET_JOB_VERSION, jobIdOf, KEYS, newSweepId } from './protocol';
import type { QueueCredentials } from './queue-url';
import { parseQueueUrl, redisOptions } from './queue-url';
import type { WorkerRecord } from './workers';
import { liveWorkers } from './workers';

/** Where and how a sweep runs on a fleet. */
export interface FleetOptions extends QueueCredentials {
  /** redis://[user:password@]host:port[/db] or rediss://… */
  queue: string;
  /** spread (default): each configuration once, on whichever worker of the pool is free; each-worker: every configuration on every live worker (having all `tags`). */
  mode?: 'spread' | 'each-worker';
  tags?: string[];
  /** The pool whose workers take --spread jobs (their --pool); default "default". */
  pool?: string;
  /** A sweep id printed at submission: reattach to it and collect what finished meanwhile. */
  resume?: string;
  /** The largest model file sent through the queue, in bytes (default 256 MiB). */
  maxModelBytes?: number;
  /** --each-worker: a selected worker unseen this long (s) has its unmeasured configurations recorded as errored. Default 120. */
  workerGone?: number;
}

/** Where a fleet sweep stands, for a progress line. */
export interface FleetProgress {
  total: number;
  waiting: number;
  active: number;
  done: number;
  failed: number;
  /** Live workers of the queue now. */
  workers: string[];
}

/** What a fleet sweep tells its caller while it runs. */
export interface FleetHooks {
  /** Abort to stop waiting: the document holds what finished; the jobs go on and --resume collects them. */
  signal?: AbortSignal;
  onSubmitted?: (sweepId: string, jobs: number, workers: string[]) => void;
  onProgress?: (progress: FleetProgress) => void;
  onResult?: (result: ConfigurationResult) => void;
  onWarning?: (message: string) => void;
  command?: string;
  tool?: { name: string; version: string };
}

/** What is kept on the queue about a sweep, so that --resume can reattach from anywhere. */
interface SweepRecord {
  createdAt: string;
  mode: 'spread' | 'each-worker';
  pool: string;
  model: ModelReference;
  jobOptions: FleetJob['options'];
  /** Each configuration with the queue its job went to. */
  jobs: { configuration: Configuration; queue: string; worker?: string }[];
  skipped: ConfigurationResult[];
  /** Every configuration id in the planned order: the order of the document's results. */
  order: string[];
  command?: string;
}

const POLL_MS = 250;
const SWEEP_TTL_SECONDS = 7 * 24 * 3600;

/**
 * A benchmark sweep run by fleet workers (`ortbench worker`) on a Redis queue (BullMQ): the
 * configurations are planned here (skips included), the model published by name or content hash,
 * one job per configuration submitted — idempotently, keyed by sweep and configuration — and the
 * results collected into one document in which every result names the machine that measured it.
 *
 * @example
 *   const { document, sweepId } = await fleetBench({ model: 'resnet50', batch: [1, 8] }, { queue: 'redis://127.0.0.1:6379' });
 */
export async function fleetBench(input: BenchInput | undefined, fleet: FleetOptions, hooks: FleetHooks = {}): Promise<BenchOutcome & { sweepId: string }> {
  const address = parseQueueUrl(fleet.queue, fleet);
  const pool = checkName(fleet.pool ?? 'default', '--pool');
  const tags = (fleet.tags ?? []).map((tag) => checkName(tag, '--tags'));
  const resume = fleet.resume === undefined ? undefined : checkSweepId(fleet.resume);
  const options = resume ? undefined : await resolveBenchOptions(input?.model, (input ?? {}) as Record<string, unknown>);
  if (options?.models && options.models.length > 1) throw new InvalidArgumentError(`--models ${options.models.join(',')}: a fleet sweep is one model; submit one sweep per model`);
  const jobOptions = options ? jobOptionsOf(options) : undefined; // refused options: before the queue is touched
  const redis = await connectQueue(address); // unreachable or refused: before building anything
  const plan = options ? await planBench(options).catch(async (error: unknown) => {
    redis.disconnect();
    throw error;
  }) : undefined;
  const queues = new Map<string, Queue>();
  const queueOf = (name: string) => {
    let queue = queues.get(name);
    if (!queue) {
      queue = new Queue(name, { connection: redisOptions(address, true), prefix: KEYS.prefix });
      queue.on('error', () => undefined); // reconnects by itself
      queues.set(name, queue);
    }
    return queue;
  };
  try {
    let sweepId: string;
    let record: SweepRecord;
    if (resume) {
      sweepId = resume;
      const text = await redis.get(KEYS.sweep(sweepId));
      if (!text) throw new InvalidArgumentError(`--resume ${sweepId}: no such sweep on ${address.display} (finished and collected, expired after 7 days, or never submitted there)`);
      record = JSON.parse(text) as SweepRecord;
    } else {
      sweepId = newSweepId();
      const mode = fleet.mode ?? 'spread';
      const model = await publishModel(redis, options!.model, fleet.maxModelBytes ?? DEFAULT_MAX_MODEL_BYTES);
      const targets = mode === 'each-worker' ? await selectWorkers(redis, tags) : [];
      const jobs: SweepRecord['jobs'] = [];
      const skipped: ConfigurationResult[] = [];
      const order: string[] = [];
      for (const base of plan!.configurations) {
        const copies = mode === 'each-worker' ? targets.map((w) => withMachine(base, w.worker)) : [base];
        copies.forEach((configuration, i) => {
          order.push(configuration.id);
          const reason = plan!.skips.get(base.id);
          if (reason) skipped.push({ status: 'skipped', configuration, reason });
          else jobs.push({ configuration, ...(mode === 'each-worker' ? { queue: KEYS.workerQueue(targets[i]!.worker), worker: targets[i]!.worker } : { queue: KEYS.poolQueue(pool) }) });
        });
      }
      record = { createdAt: new Date().toISOString(), mode, pool, model, jobOptions: jobOptions as FleetJob['options'], jobs, skipped, order, ...(hooks.command ? { command: hooks.command } : {}) };
      await redis.set(KEYS.sweep(sweepId), JSON.stringify(record), 'EX', SWEEP_TTL_SECONDS);
    }
    await submitMissing(redis, sweepId, record, queueOf);
    hooks.onSubmitted?.(sweepId, record.jobs.length, (await liveWorkers(redis)).map((w) => w.worker));
    const { results, interrupted } = await collect(redis, sweepId, record, queueOf, fleet, hooks);
    const workers = [...new Set(results.flatMap((r) => (r.measuredBy ? [r.measuredBy.worker] : [])))].sort();
    const document = createResultsDocument(
      {
        tool: hooks.tool ?? { name: '@ortbench/tasks', version: installedVersion('@ortbench/tasks') ?? '0.0.0' },
        ...(record.command ? { command: record.command } : {}),
        // The submitting machine's; each result's measuredBy says where it was measured.
        environment: collectEnvironment(packageVersions()),
        fleet: { sweepId, queue: address.display, mode: record.mode, workers },
      },
      results,
      interrupted,
    );
    if (!interrupted) {
      await unpublishModel(redis, record.model);
      await redis.del(KEYS.sweep(sweepId), KEYS.results(sweepId));
    }
    const resolved = options ?? (await resolveBenchOptions(record.jobOptions.model, withoutModel(record.jobOptions)));
    return { document, interrupted, options: resolved, sweepId };
  } finally {
    await Promise.all([...queues.values()].map((q) => q.close().catch(() => undefined)));
    await redis.quit().catch(() => redis.disconnect());
  }
}

async function selectWorkers(redis: Redis, tags: readonly string[]): Promise<WorkerRecord[]> {
  const workers = await liveWorkers(redis, tags);
  if (workers.length === 0) {
    throw new InvalidArgumentError(`--each-worker: no live worker${tags.length ? ` has the tags ${tags.join(',')}` : ''} on the queue; start them first (ortbench worker --queue …)`);
  }
  return workers;
}

/** A configuration pinned to one machine: the machine is an axis, so ids, tables and compare keep them apart. */
function withMachine(configuration: Configuration, worker: string): Configuration {
  const pinned = { ...configuration, options: { ...configuration.options, machine: worker } };
  return { ...pinned, id: configurationId(pinned) };
}

/** Adds every job without a result; a job already on the queue is left as it is (same job id). */
async function submitMissing(redis: Redis, sweepId: string, record: SweepRecord, queueOf: (name: string) => Queue): Promise<void> {
  const done = new Set(await redis.hkeys(KEYS.results(sweepId)));
  const byQueue = new Map<string, SweepRecord['jobs']>();
  for (const job of record.jobs) if (!done.has(job.configuration.id)) byQueue.set(job.queue, [...(byQueue.get(job.queue) ?? []), job]);
  for (const [name, jobs] of byQueue) {
    await queueOf(name).addBulk(
      jobs.map(({ configuration }) => ({
        name: 'configuration',
        data: { schema: FLEET_JOB_SCHEMA, version: FLEET_JOB_VERSION, sweepId, configuration, options: record.jobOptions, model: record.model } satisfies FleetJob,
        opts: { jobId: jobIdOf(sweepId, configuration.id), attempts: 3, backoff: { type: 'fixed', delay: 1000 }, removeOnComplete: true, removeOnFail: { age: SWEEP_TTL_SECONDS } },
      })),
    );
  }
}

/** Waits for every job's result (or its failure on the queue), reporting progress, until done or aborted. */
async function collect(
  redis: Redis,
  sweepId: string,
  record: SweepRecord,
  queueOf: (name: string) => Queue,
  fleet: FleetOptions,
  hooks: FleetHooks,
): Promise<{ results: ConfigurationResult[]; interrupted: boolean }> {
  const finished = new Map<string, ConfigurationResult>();
  const finish = (result: ConfigurationResult) => {
    finished.set(result.configuration.id, result);
    hooks.onResult?.(result);
  };
  const goneMs = (fleet.workerGone ?? 120) * 1000;
  const lastSeen = new Map(record.jobs.flatMap((job) => (job.worker ? [[job.worker, Date.now()] as const] : [])));
  for (;;) {
    for (const [id, text] of Object.entries(await redis.hgetall(KEYS.results(sweepId)))) {
      if (!finished.has(id)) finish(JSON.parse(text) as ConfigurationResult);
    }
    const live = (await liveWorkers(redis)).map((w) => w.worker);
    const now = Date.now();
    for (const worker of live) lastSeen.set(worker, now);
    let active = 0;
    for (const job of record.jobs.filter((j) => !finished.has(j.configuration.id))) {
      const queue = queueOf(job.queue);
      const id = jobIdOf(sweepId, job.configuration.id);
      const state = await queue.getJobState(id);
      if (state === 'active') active++;
      else if (state === 'failed') {
        // Failed on the queue itself (stalled too often, refused): recorded with BullMQ's reason.
        const reason = (await queue.getJob(id))?.failedReason ?? 'no reason given';
        finish({ status: 'errored', configuration: job.configuration, error: { code: 'RUNNER_FAILED', message: `the job failed on the queue: ${reason}` } });
      } else if (job.worker && now - (lastSeen.get(job.worker) ?? now) > goneMs) {
        // --each-worker: nobody else may take a worker's own job, so a vanished worker's jobs end here.
        await (await queue.getJob(id))?.remove().catch(() => undefined);
        finish({ status: 'errored', configuration: job.configuration, error: { code: 'RUNNER_FAILED', message: `worker ${job.worker} has not been seen for ${goneMs / 1000} s; this configuration was not measured on it` } });
      } else if (state === 'unknown') {
        // Neither on the queue nor finished (e.g. lost in a Redis restart without persistence): put it back.
        await submitMissing(redis, sweepId, { ...record, jobs: [job] }, queueOf);
      }
    }
    const results = [...finished.values()];
    const failed = results.filter((r) => r.status === 'errored').length;
    hooks.onProgress?.({ total: record.jobs.length, waiting: record.jobs.length - results.length - active, active, done: results.length - failed, failed, workers: live });
    const complete = results.length === record.jobs.length;
    if (complete || hooks.signal?.aborted) {
      const byId = new Map([...record.skipped, ...results].map((r) => [r.configuration.id, r]));
      return { results: record.order.flatMap((id) => byId.get(id) ?? []), interrupted: !complete };
    }
    await sleep(POLL_MS, hooks.signal);
  }
}

function withoutModel(options: FleetJob['options']): Record<string, unknown> {
  const { model: _model, ...rest } = options;
  return rest;
}

/**
 * Waits `ms`, or less if `signal` aborts. The abort listener is removed when the time is up: one
 * left per poll piled up on the signal (MaxListenersExceededWarning after ten polls of a sweep).
 */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const onAbort = () => {
      clearTimeout(timer);
      resolve();
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
