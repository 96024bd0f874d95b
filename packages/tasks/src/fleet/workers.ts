import os from 'node:os';
import type { MeasuredBy, RunnerRegistry } from '@ortbench/core';
import { InvalidArgumentError } from '@ortbench/core';
import type { Redis } from 'ioredis';
import { packageVersions } from '../versions';
import { KEYS } from './protocol';

/** How often a worker says it is alive, and how long after its last word it counts as gone. */
export const HEARTBEAT_MS = 2000;
export const ALIVE_TTL_MS = 3 * HEARTBEAT_MS;

/** A worker as the queue knows it: its machine, and what it is doing. */
export interface WorkerRecord extends MeasuredBy {
  /** The id of the job being measured, if any. */
  current?: string;
  startedAt: string;
}

/** This machine as a worker: name, hardware, the runners available on it, versions. */
export async function workerIdentity(name: string, tags: readonly string[], registry: RunnerRegistry): Promise<MeasuredBy> {
  const cpus = os.cpus();
  return {
    worker: name,
    hostname: os.hostname(),
    cpu: cpus[0]?.model.trim() ?? 'unknown',
    logicalCores: Math.max(1, cpus.length),
    memoryBytes: os.totalmem(),
    platform: `${os.platform()} ${os.arch()}`,
    tags: [...tags],
    runners: (await registry.report()).filter((r) => r.available).map((r) => r.name),
    packages: packageVersions(),
  };
}

/**
 * Claims the worker's name and keeps it alive: a second live worker with the same name is refused
 * (results would be ambiguous). Returns a function that publishes the current job, and a stop.
 */
export async function startHeartbeat(redis: Redis, record: WorkerRecord, instance: string): Promise<{ update: (current?: string) => void; stop: () => Promise<void> }> {
  const claimed = await redis.set(KEYS.alive(record.worker), instance, 'PX', ALIVE_TTL_MS, 'NX');
  if (claimed !== 'OK') {
    throw new InvalidArgumentError(`--name ${record.worker}: another live worker already has this name on the queue; give each worker its own --name`);
  }
  let current: string | undefined;
  const beat = async () => {
    const body = JSON.stringify({ ...record, ...(current ? { current } : {}) } satisfies WorkerRecord);
    await redis.multi().set(KEYS.alive(record.worker), instance, 'PX', ALIVE_TTL_MS).hset(KEYS.workers, record.worker, body).exec();
  };
  await beat();
  const timer = setInterval(() => void beat().catch(() => undefined), HEARTBEAT_MS);
  return {
    update: (job) => {
      current = job;
      void beat().catch(() => undefined);
    },
    stop: async () => {
      clearInterval(timer);
      // Only our own claim is released (a restarted worker of the same name may hold it by now).
      if ((await redis.get(KEYS.alive(record.worker))) === instance) await redis.del(KEYS.alive(record.worker));
    },
  };
}

/** The workers alive now (heartbeat within the TTL), optionally only those having every tag. */
export async function liveWorkers(redis: Redis, tags: readonly string[] = []): Promise<WorkerRecord[]> {
  const all = Object.values(await redis.hgetall(KEYS.workers)).map((text) => JSON.parse(text) as WorkerRecord);
  if (all.length === 0) return [];
  const alive = await redis.mget(...all.map((w) => KEYS.alive(w.worker)));
  return all.filter((w, i) => alive[i] !== null && tags.every((tag) => w.tags.includes(tag))).sort((a, b) => a.worker.localeCompare(b.worker));
}
