import { randomUUID } from 'node:crypto';
import { rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { ConfigurationResult, MeasuredBy, RunnerRegistry } from '@ortbench/core';
import { ErrorCode, firstLineOf, InvalidArgumentError, runInterleavedSweep, toErrorRecord } from '@ortbench/core';
import type { Job } from 'bullmq';
import { UnrecoverableError, WaitingError, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { isolatedMeasurement } from '../bench/isolate';
import { stopRuleOf } from '../bench/stop-rule';
import { describeModel } from '../model-source';
import type { RunnerSource } from '../registry';
import { pluginPaths, runnerRegistry } from '../registry';
import { connectQueue } from './connect';
import { workerOptionsOf } from './job-options';
import { DEFAULT_MAX_MODEL_BYTES, fetchModel } from './model-transfer';
import type { FleetJob } from './protocol';
import { checkName, fleetJobProblem, KEYS } from './protocol';
import { parseQueueUrl, redisOptions } from './queue-url';
import type { QueueCredentials } from './queue-url';
import { startHeartbeat, workerIdentity } from './workers';

/** How `ortbench worker` runs. */
export interface FleetWorkerOptions extends QueueCredentials {
  /** redis://[user:password@]host:port[/db] or rediss://… */
  queue: string;
  /** Unique among the queue's live workers; default the host name. */
  name?: string;
  /** What this machine is (cpu, avx512, gpu, …), for `--each-worker --tags`. */
  tags?: string[];
  /** The pool whose shared queue this worker serves (--spread sweeps); default "default". */
  pool?: string;
  /** Seconds without a lock renewal after which a job counts as stalled and goes to another worker. Default 30. */
  stallTimeout?: number;
  /** Seconds one job may take before its child is killed and the job recorded as errored. Default 3600. */
  jobTimeout?: number;
  /** The largest model file this worker accepts, in bytes. Default 256 MiB. */
  maxModelBytes?: number;
}

/** What a worker reports while it runs. */
export interface FleetWorkerHooks extends RunnerSource {
  onLog?: (line: string) => void;
}

/** A running worker. */
export interface FleetWorker {
  identity: MeasuredBy;
  /** The queue's URL without its password. */
  queue: string;
  /**
   * Stops taking jobs. The job being measured is finished first, or — with `handBack` — its
   * child is killed and the job goes back to the queue for another worker. Resolves when closed.
   */
  stop(options?: { handBack?: boolean }): Promise<void>;
}

/**
 * Starts a fleet worker: it claims its name on the queue, heartbeats, and takes configuration jobs
 * one at a time from its pool's queue and its own, measuring each in a child process (as
 * --isolate), and stores every result keyed by sweep and configuration, naming this machine.
 * Jobs that are not ortbench configurations of a known schema version fail without retries.
 */
export async function startFleetWorker(options: FleetWorkerOptions, hooks: FleetWorkerHooks = {}): Promise<FleetWorker> {
  const address = parseQueueUrl(options.queue, options);
  const name = checkName(options.name ?? os.hostname().replace(/[^A-Za-z0-9._-]/g, '-').slice(0, 64), '--name');
  const pool = checkName(options.pool ?? 'default', '--pool');
  const tags = (options.tags ?? []).map((tag) => checkName(tag, '--tags'));
  const stallMs = seconds(options.stallTimeout ?? 30, '--stall-timeout');
  const jobTimeoutMs = seconds(options.jobTimeout ?? 3600, '--job-timeout');
  const log = hooks.onLog ?? (() => undefined);
  const registry = await runnerRegistry(hooks);
  const plugins = pluginPaths(hooks);
  const redis = await connectQueue(address);
  const identity = await workerIdentity(name, tags, registry);
  let heartbeat: Awaited<ReturnType<typeof startHeartbeat>>;
  try {
    heartbeat = await startHeartbeat(redis, { ...identity, startedAt: new Date().toISOString() }, randomUUID());
  } catch (error) {
    redis.disconnect();
    throw error;
  }
  const modelDir = path.join(os.tmpdir(), `ortbench-worker-${name}-${process.pid}`);
  const context: JobContext = { redis, identity, registry, plugins, modelDir, jobTimeoutMs, maxModelBytes: options.maxModelBytes ?? DEFAULT_MAX_MODEL_BYTES, handBack: new AbortController(), log };

  // One measurement at a time on this machine, whichever queue the job came from.
  let busy: Promise<unknown> = Promise.resolve();
  const processor = (job: Job, token?: string) => {
    const run = busy.then(() => processJob(job, token, context, heartbeat.update));
    busy = run.catch(() => undefined);
    return run;
  };
  const settings = {
    connection: redisOptions(address, true),
    prefix: KEYS.prefix,
    name,
    concurrency: 1,
    lockDuration: stallMs,
    stalledInterval: stallMs,
    // A job whose worker vanished goes to another worker; after this many stalls it fails with the reason.
    maxStalledCount: 2,
  };
  const workers = [new Worker(KEYS.poolQueue(pool), processor, settings), new Worker(KEYS.workerQueue(name), processor, settings)];
  for (const worker of workers) worker.on('error', (error) => log(`queue: ${firstLineOf(error)}`));
  await Promise.all(workers.map((w) => w.waitUntilReady()));
  log(`worker ${name} on ${address.display} (pool ${pool}${tags.length ? `, tags ${tags.join(',')}` : ''}): runners ${identity.runners.join(', ')}; waiting for jobs`);

  let stopping: Promise<void> | undefined;
  return {
    identity,
    queue: address.display,
    stop({ handBack = false } = {}) {
      if (handBack) context.handBack.abort();
      stopping ??= (async () => {
        // Closing talks to Redis; with Redis gone it would wait for ever (a worker ignored SIGTERM
        // for 1 h 43 min). Once Redis has been unreachable for REDIS_GONE_MS, the worker stops
        // without it: the measurement in hand is killed, and its job — still locked in Redis — is
        // left to BullMQ's stalled-job recovery, which hands it to another worker.
        const closed = Promise.all(workers.map((w) => w.close())).then(
          () => 'closed' as const,
          () => 'closed' as const,
        );
        const gone = redisGone(redis);
        if ((await Promise.race([closed, gone.promise.then(() => 'gone' as const)])) === 'gone') {
          log(`Redis unreachable for ${REDIS_GONE_MS / 1000} s: stopping without it; a job in hand is left to BullMQ's stalled-job recovery`);
          context.handBack.abort();
          void heartbeat.stop().catch(() => undefined); // its timer stops at once; its Redis call is never answered
          // BullMQ's own connections may not answer either: each gets a bounded moment.
          await Promise.race([Promise.all(workers.map((w) => w.disconnect().catch(() => undefined))), new Promise((resolve) => setTimeout(resolve, 2000).unref())]);
          redis.disconnect();
        } else {
          gone.cancel();
          await heartbeat.stop().catch(() => undefined);
          await redis.quit().catch(() => redis.disconnect());
        }
        await rm(modelDir, { recursive: true, force: true });
      })();
      return stopping;
    },
  };
}

/** How long Redis may be unreachable while a worker stops before it stops without Redis. */
const REDIS_GONE_MS = 5000;

/** Resolves once `redis` has not been ready for REDIS_GONE_MS in a row (checked every 250 ms). */
function redisGone(redis: Redis): { promise: Promise<void>; cancel: () => void } {
  let timer: NodeJS.Timeout | undefined;
  let downSince: number | undefined;
  const promise = new Promise<void>((resolve) => {
    timer = setInterval(() => {
      if (redis.status === 'ready') downSince = undefined;
      else downSince ??= Date.now();
      if (downSince !== undefined && Date.now() - downSince >= REDIS_GONE_MS) {
        clearInterval(timer);
        resolve();
      }
    }, 250);
  });
  return { promise, cancel: () => clearInterval(timer) };
}

/** Results wait this long for their submitter (interrupted, then --resume) before Redis drops them. */
const RESULTS_TTL_SECONDS = 7 * 24 * 3600;

interface JobContext {
  redis: Redis;
  identity: MeasuredBy;
  registry: RunnerRegistry;
  plugins: string[];
  modelDir: string;
  jobTimeoutMs: number;
  maxModelBytes: number;
  /** Aborted when the worker is told to hand its job back (a second SIGTERM). */
  handBack: AbortController;
  log: (line: string) => void;
}

async function processJob(job: Job, token: string | undefined, context: JobContext, current: (job?: string) => void): Promise<ConfigurationResult> {
  const problem = fleetJobProblem(job.data);
  if (problem) {
    context.log(`job ${job.id} refused: ${problem}`);
    throw new UnrecoverableError(`refused by worker ${context.identity.worker}: ${problem}`);
  }
  const data = job.data as FleetJob;
  const { redis, identity } = context;
  // A re-run after a stall whose first attempt had stored its result: the stored result stands.
  const stored = await redis.hget(KEYS.results(data.sweepId), data.configuration.id);
  if (stored) return JSON.parse(stored) as ConfigurationResult;
  current(String(job.id));
  const started = performance.now();
  context.log(`job ${job.id}: ${data.configuration.id}`);
  try {
    const result = { ...(await measureJob(data, context)), measuredBy: identity } as ConfigurationResult;
    if (result.status === 'errored' && result.error.code === ErrorCode.ABORTED && context.handBack.signal.aborted) {
      await job.moveToWait(token);
      context.log(`job ${job.id}: handed back to the queue`);
      throw new WaitingError();
    }
    await redis.multi().hset(KEYS.results(data.sweepId), data.configuration.id, JSON.stringify(result)).expire(KEYS.results(data.sweepId), RESULTS_TTL_SECONDS).exec();
    context.log(`job ${job.id}: ${result.status} in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    return result;
  } finally {
    current(undefined);
  }
}

/** Measures one job's configuration; whatever goes wrong with it is its result, not a failed job. */
async function measureJob(data: FleetJob, context: JobContext): Promise<ConfigurationResult> {
  const { configuration } = data;
  try {
    const model = await fetchModel(context.redis, data.model, context.modelDir, context.maxModelBytes);
    const options = await workerOptionsOf(data.options, model);
    if (!context.registry.has(configuration.runner)) {
      throw new InvalidArgumentError(`runner ${configuration.runner} is not installed on worker ${context.identity.worker} (install its plugin there and start the worker with --plugin)`);
    }
    const description = await describeModel(model, 'builtIn' in data.model ? { batch: 'dynamic' } : {});
    const request = { configuration, options, model: description, plugins: context.plugins };
    const limits = { signal: context.handBack.signal, timeoutMs: context.jobTimeoutMs };
    const outcome = await runInterleavedSweep([configuration], async () => isolatedMeasurement(request, limits), { rounds: 1, stop: stopRuleOf(options) });
    const result = outcome.results[0];
    if (!result) throw new Error('the measurement produced no result');
    return result;
  } catch (error) {
    return { status: 'errored', configuration, error: toErrorRecord(error) };
  }
}

function seconds(value: number, flag: string): number {
  if (!(Number.isFinite(value) && value > 0)) throw new InvalidArgumentError(`${flag}: expected a positive number of seconds, got ${value}`);
  return Math.round(value * 1000);
}
