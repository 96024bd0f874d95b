import type { Clock, Feeds, Runner, RunResult, Session, ValueInfo } from '../src/index';
import { createTensor } from '../src/index';

/** A clock that only moves when told: runs on it take exactly their service time. */
export interface VirtualClock {
  clock: Clock;
  advance(ms: number): void;
}

export function virtualClock(): VirtualClock {
  let now = 0n;
  return {
    clock: () => now,
    advance: (ms) => {
      now += BigInt(Math.round(ms * 1e6));
    },
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
  /** Virtual clock to advance; without one, runs really sleep. */
  virtual?: VirtualClock;
  /** At most this many runs are served at once; the rest queue (a server with N slots). */
  slots?: number;
  /** Reported as the runner's own timing, like the browser runner does. */
  reportInferenceNs?: number;
  onDispose?: () => void;
}

/** A runner with known service times, for testing the engine without a model. */
export function fakeRunner(options: FakeRunnerOptions): Runner & { runs: number } {
  const service = typeof options.serviceMs === 'number' ? () => options.serviceMs as number : options.serviceMs;
  const wait = async (ms: number): Promise<void> => {
    if (options.virtual) options.virtual.advance(ms);
    else await new Promise((resolve) => setTimeout(resolve, ms));
  };
  let busy = 0;
  const queue: (() => void)[] = [];
  const acquire = async (): Promise<void> => {
    if (options.slots === undefined || busy < options.slots) {
      busy++;
      return;
    }
    await new Promise<void>((resolve) => queue.push(resolve));
  };
  const release = (): void => {
    const next = queue.shift();
    if (next) next();
    else busy--;
  };
  const runner = {
    name: options.name ?? 'fake',
    runs: 0,
    async load(): Promise<Session> {
      await wait(options.loadMs ?? 0);
      return {
        inputs: FAKE_INPUTS,
        outputs: [{ name: 'y', dtype: 'float32', dims: ['batch', 2] }],
        info: { runner: runner.name, executionProvider: 'fake', settings: { slots: options.slots ?? null } },
        async run(feeds: Feeds): Promise<RunResult> {
          const index = runner.runs++;
          await acquire();
          try {
            await wait(service(index));
          } finally {
            release();
          }
          const result: RunResult = { outputs: { y: feeds.x! } };
          if (options.reportInferenceNs !== undefined) result.timing = { inferenceNs: options.reportInferenceNs };
          return result;
        },
        async dispose(): Promise<void> {
          options.onDispose?.();
        },
      };
    },
  };
  return runner;
}
