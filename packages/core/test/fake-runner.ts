import type { Clock, Feeds, Lane, LaneOpened, LaneWindow, ProfileSummary, Runner, RunResult, Session, ValueInfo } from '../src/index';
import { createTensor } from '../src/index';

/**
 * Virtual time for a fake server: a run takes exactly its service time, runs beyond the
 * server's slots queue, and the clock jumps to the next completion once every caller has
 * made its request (a discrete-event simulation driven by setImmediate). Deterministic
 * whatever the machine's load.
 */
export interface VirtualClock {
  clock: Clock;
  /** Serves a run of `serviceMs`; resolves when it completes in virtual time. */
  serve(serviceMs: number, slots: number): Promise<void>;
  /** Resolves when the virtual clock reaches `ns` (a timer: it occupies no slot). */
  sleepUntil(ns: bigint): Promise<void>;
}

export function virtualClock(): VirtualClock {
  let now = 0;
  let busy = 0;
  let tickScheduled = false;
  const queue: { serviceMs: number; slots: number; done: () => void }[] = [];
  const running: { end: number; done: () => void; timer: boolean }[] = [];
  const start = (job: (typeof queue)[number]) => {
    busy++;
    running.push({ end: now + job.serviceMs, done: job.done, timer: false });
  };
  const tick = () => {
    tickScheduled = false;
    if (running.length === 0) return;
    running.sort((a, b) => a.end - b.end);
    const next = running.shift()!;
    now = Math.max(now, next.end);
    if (!next.timer) {
      busy--;
      const waiting = queue.shift();
      if (waiting) start(waiting);
    }
    next.done();
    schedule();
  };
  const schedule = () => {
    if (!tickScheduled && running.length > 0) {
      tickScheduled = true;
      setImmediate(tick);
    }
  };
  return {
    clock: () => BigInt(Math.round(now * 1e6)),
    sleepUntil: (ns) =>
      new Promise<void>((done) => {
        running.push({ end: Number(ns) / 1e6, done, timer: true });
        schedule();
      }),
    serve: (serviceMs, slots) =>
      new Promise<void>((done) => {
        const job = { serviceMs, slots, done };
        if (busy < slots) start(job);
        else queue.push(job);
        schedule();
      }),
  };
}

export const FAKE_INPUTS: ValueInfo[] = [{ name: 'x', dtype: 'float32', dims: ['batch', 2] }];

export function fakeFeeds(batch = 1): Feeds {
  return { x: createTensor('float32', new Float32Array(batch * 2), [batch, 2]) };
}

export interface FakeRunnerOptions {
  name?: string;
  /** Service time of run number i (0-based, the first run included). */
  serviceMs: number | ((run: number) => number);
  loadMs?: number;
  /** The virtual clock whose time the runs take (its own one when omitted). */
  virtual?: VirtualClock;
  /** Runs served at once; more wait their turn. Default: unlimited. */
  slots?: number;
  /** Reported as the runner's own timing, like the browser runner does. */
  reportInferenceNs?: number;
  /** Returned by endProfiling(), like a runner asked to profile. */
  profile?: ProfileSummary;
  onDispose?: () => void;
  /** Declares that runs on one session never overlap, with this reason. */
  serialRuns?: string;
}

/** A runner with known service times, for testing the engine without a model. */
export function fakeRunner(options: FakeRunnerOptions): Runner & { runs: number } {
  const service = typeof options.serviceMs === 'number' ? () => options.serviceMs as number : options.serviceMs;
  const slots = options.slots ?? Number.POSITIVE_INFINITY;
  const virtual = options.virtual ?? virtualClock();
  const runner = {
    name: options.name ?? 'fake',
    runs: 0,
    async load(): Promise<Session> {
      await virtual.serve(options.loadMs ?? 0, Number.POSITIVE_INFINITY);
      const session: Session = {
        inputs: FAKE_INPUTS,
        outputs: [{ name: 'y', dtype: 'float32', dims: ['batch', 2] }],
        info: { runner: runner.name, executionProvider: 'fake', settings: { slots: options.slots ?? null } },
        async run(feeds: Feeds): Promise<RunResult> {
          await virtual.serve(service(runner.runs++), slots);
          const result: RunResult = { outputs: { y: feeds.x! } };
          if (options.reportInferenceNs !== undefined) result.timing = { inferenceNs: options.reportInferenceNs };
          return result;
        },
        async dispose(): Promise<void> {
          options.onDispose?.();
        },
      };
      if (options.profile) session.endProfiling = async () => options.profile;
      if (options.serialRuns) Object.assign(session, { serialRuns: options.serialRuns });
      return session;
    },
  };
  return runner;
}

/** Lanes on virtual time: each serves runs of `serviceMs(laneIndex)` on its own (unlimited slots). */
export function fakeLanes(virtual: VirtualClock, serviceMs: readonly number[]): Lane[] {
  return serviceMs.map((ms, index) => ({
    async open(): Promise<LaneOpened> {
      return { info: { runner: 'fake', executionProvider: 'fake', settings: { lane: index } }, loadMs: 0, firstRunMs: ms, warmupMs: 0, warmupIterations: 0 };
    },
    async runWindow(startNs: bigint, untilNs: bigint): Promise<LaneWindow> {
      await virtual.sleepUntil(startNs);
      const window: LaneWindow = { durationsNs: [], endOffsetsNs: [], runnerTimed: false };
      do {
        const start = virtual.clock();
        await virtual.serve(ms, Number.POSITIVE_INFINITY);
        window.durationsNs.push(Number(virtual.clock() - start));
        window.endOffsetsNs.push(Number(virtual.clock() - startNs));
      } while (virtual.clock() < untilNs);
      return window;
    },
    async close(): Promise<void> {},
  }));
}
