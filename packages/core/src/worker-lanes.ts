import { Worker } from 'node:worker_threads';
import type { ErrorCode, ErrorRecord } from './errors';
import { OrtbenchError } from './errors';
import type { Lane, LaneOpened, LaneWindow } from './lanes';
import type { ModelSource, RunnerOptions } from './runner';
import type { Feeds } from './tensor';

/** What each worker of {@link workerLanes} loads. Every field must survive structured cloning. */
export interface WorkerLaneSpec {
  /**
   * The module that registers the runner in the worker: a file path, a file: URL or a package
   * specifier resolvable from `@ortbench/core`, exporting `register(registry, args)` (a plugin's shape).
   */
  module: string;
  /** The export to call. Default `register`. */
  export?: string;
  /** Passed to the register function (e.g. plugin files). */
  args?: unknown;
  runner: string;
  model: ModelSource;
  runnerOptions?: RunnerOptions;
  feeds: Feeds;
  /** Untimed runs after the first one. Default 5. */
  warmupIterations?: number;
}

/**
 * `count` lanes, each a worker thread with its own session of `spec.runner` — several sessions
 * measured at once, for runtimes whose runs on one session never overlap. A worker starts on
 * `open()` and ends on `close()`; an error inside it rejects that call with the error's code.
 * A native crash still ends the whole process (use a child process per configuration for that).
 */
export function workerLanes(count: number, spec: WorkerLaneSpec, options: { workerScript?: URL } = {}): Lane[] {
  const script = options.workerScript ?? new URL('./lane-worker.js', import.meta.url);
  return Array.from({ length: count }, () => workerLane(script, spec));
}

function workerLane(script: URL, spec: WorkerLaneSpec): Lane {
  let worker: Worker | undefined;
  let nextId = 0;
  const pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  const failAll = (error: Error) => {
    for (const { reject } of pending.values()) reject(error);
    pending.clear();
  };
  const call = <T>(message: Record<string, unknown>): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      if (!worker) return reject(new OrtbenchError('RUNNER_FAILED', 'the lane is not open'));
      const id = nextId++;
      pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      worker.postMessage({ ...message, id });
    });
  return {
    open() {
      worker = new Worker(script, { workerData: spec });
      worker.on('message', (reply: { id: number; value?: unknown; error?: ErrorRecord }) => {
        const entry = pending.get(reply.id);
        if (!entry) return;
        pending.delete(reply.id);
        if (reply.error) {
          const error = new OrtbenchError(reply.error.code as ErrorCode, reply.error.message);
          if (reply.error.log) Object.assign(error, { log: reply.error.log });
          entry.reject(error);
        } else entry.resolve(reply.value);
      });
      const own = worker;
      worker.on('error', (error) => failAll(error));
      worker.on('exit', (code) => {
        // A worker that is gone answers nothing more: later calls (close() too) must not wait for it.
        if (worker === own) worker = undefined;
        failAll(new OrtbenchError('RUNNER_FAILED', `a measuring worker exited with code ${code}`));
      });
      return call<LaneOpened>({ type: 'open' });
    },
    runWindow: (startNs, untilNs) => call<LaneWindow>({ type: 'window', startNs, untilNs }),
    async close() {
      const closing = worker;
      if (!closing) return;
      // The worker disposes its session; one that does not answer within 5 s is terminated anyway.
      let timer: NodeJS.Timeout | undefined;
      const patience = new Promise<void>((resolve) => {
        timer = setTimeout(resolve, 5_000);
        timer.unref();
      });
      await Promise.race([call({ type: 'close' }).catch(() => {}), patience]);
      clearTimeout(timer);
      worker = undefined;
      await closing.terminate();
    },
  };
}
