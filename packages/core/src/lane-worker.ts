/**
 * The worker-thread side of {@link workerLanes}: loads one session of the named runner, warms
 * it, and measures windows on request. It runs only what the spec names from a module the
 * parent chose; nothing is received as code.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { pathToFileURL } from 'node:url';
import { elapsedNs, monotonicClock } from './clock';
import { InvalidArgumentError, toErrorRecord } from './errors';
import { validateFeeds } from './feeds';
import type { LaneOpened, LaneWindow } from './lanes';
import { RunnerRegistry } from './registry';
import type { Session } from './runner';
import type { WorkerLaneSpec } from './worker-lanes';

const spec = workerData as WorkerLaneSpec;
const clock = monotonicClock;
let session: Session | undefined;

type Request = { id: number; type: 'open' } | { id: number; type: 'window'; startNs: bigint; untilNs: bigint } | { id: number; type: 'close' };

parentPort?.on('message', (request: Request) => {
  handle(request).then(
    (value) => parentPort?.postMessage({ id: request.id, value }),
    (error: unknown) => parentPort?.postMessage({ id: request.id, error: toErrorRecord(error) }),
  );
});

async function handle(request: Request): Promise<unknown> {
  if (request.type === 'open') return open();
  if (request.type === 'window') return runWindow(request.startNs, request.untilNs);
  await session?.dispose();
  session = undefined;
  return null;
}

async function open(): Promise<LaneOpened> {
  const specifier = /^[a-z]+:/i.test(spec.module) ? spec.module : spec.module.startsWith('/') ? pathToFileURL(spec.module).href : spec.module;
  const module = (await import(specifier)) as Record<string, unknown>;
  const register = module[spec.export ?? 'register'];
  if (typeof register !== 'function') throw new InvalidArgumentError(`${spec.module}: no function "${spec.export ?? 'register'}" to register runners with`);
  const registry = new RunnerRegistry();
  await register(registry, spec.args);
  const runner = await registry.resolve(spec.runner);
  const loadStart = clock();
  session = await runner.load(spec.model, spec.runnerOptions);
  const loadMs = elapsedNs(loadStart, clock()) / 1e6;
  validateFeeds(session.inputs, spec.feeds);
  const firstStart = clock();
  await session.run(spec.feeds);
  const firstRunMs = elapsedNs(firstStart, clock()) / 1e6;
  const warmupStart = clock();
  const warmupIterations = spec.warmupIterations ?? 5;
  for (let i = 0; i < warmupIterations; i++) await session.run(spec.feeds);
  return { info: session.info, loadMs, firstRunMs, warmupMs: elapsedNs(warmupStart, clock()) / 1e6, warmupIterations };
}

async function runWindow(startNs: bigint, untilNs: bigint): Promise<LaneWindow> {
  if (!session) throw new InvalidArgumentError('window before open');
  // Sleep to within a millisecond of the start, then spin, so every lane starts together.
  for (let left = Number(startNs - clock()) / 1e6; left > 0; left = Number(startNs - clock()) / 1e6) {
    if (left > 2) await new Promise((resolve) => setTimeout(resolve, left - 1));
  }
  const window: LaneWindow = { durationsNs: [], endOffsetsNs: [], runnerTimed: false };
  // At least one run, even when this thread woke after the window closed (a busy machine): a step is one run on every lane.
  do {
    const start = clock();
    const result = await session.run(spec.feeds, { discardOutputs: true });
    const end = clock();
    const inferenceNs = result.timing?.inferenceNs;
    if (inferenceNs !== undefined) window.runnerTimed = true;
    window.durationsNs.push(inferenceNs ?? elapsedNs(start, end));
    window.endOffsetsNs.push(Number(end - startNs));
  } while (clock() < untilNs);
  return window;
}
