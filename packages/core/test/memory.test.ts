import { setTimeout as sleep } from 'node:timers/promises';
import v8 from 'node:v8';
import vm from 'node:vm';
import { describe, expect, it } from 'vitest';
import type { Runner, Session } from '../src/index';
import { benchmark, detectLeak, fixedIterations, formatBytes, parseBytes } from '../src/index';
import { processMemoryProbe } from '../src/node';
import { FAKE_INPUTS, fakeFeeds, virtualClock } from './fake-runner';

const MiB = 1024 * 1024;
// What an earlier test allocated must be gone before the next measures the process: a full
// collection on demand, then a moment for V8 to hand the freed buffers back.
v8.setFlagsFromString('--expose-gc');
const collectGarbage = vm.runInNewContext('gc') as () => void;
async function settle(): Promise<void> {
  collectGarbage();
  await sleep(200);
  collectGarbage();
}

/**
 * A runner that really allocates what it is told, so the process's resident set moves by known
 * amounts: `loadMiB` at load; `workMiB` of working memory that its first run touches and every
 * later run reuses (as ONNX Runtime's arena does); `leakMiB` more on every run, kept for ever.
 * Runs take 10 ms of virtual time.
 */
function allocatingRunner(sizes: { loadMiB: number; workMiB: number; leakMiB: number }): Runner {
  return {
    name: 'allocating',
    async load() {
      const virtual = virtualClock();
      const weights = new Uint8Array(sizes.loadMiB * MiB).fill(1);
      // Reserved, not yet resident: zero pages become resident only when written.
      const work = new Uint8Array(sizes.workMiB * MiB);
      const leaked: Uint8Array[] = [];
      const session: Session & { clock: typeof virtual.clock } = {
        inputs: FAKE_INPUTS,
        outputs: [],
        info: { runner: 'allocating', executionProvider: 'test', settings: {} },
        clock: virtual.clock,
        async run() {
          work.fill(weights[0]! + leaked.length);
          if (sizes.leakMiB > 0) leaked.push(new Uint8Array(sizes.leakMiB * MiB).fill(3));
          await virtual.serve(10, 1);
          return { outputs: {} };
        },
        async dispose() {},
      };
      return session;
    },
  };
}

async function measure(sizes: { loadMiB: number; workMiB: number; leakMiB: number }, runs = 60) {
  await settle();
  const runner = allocatingRunner(sizes);
  // The clock is the session's own, known only once it is loaded: a runner that wraps load.
  let clock: (() => bigint) | undefined;
  const wrapped: Runner = { name: runner.name, load: async (model, options) => {
    const session = (await runner.load(model, options)) as Session & { clock: () => bigint };
    clock = session.clock;
    return session;
  } };
  return benchmark({ runner: wrapped, model: 'x.onnx', feeds: fakeFeeds(), warmup: fixedIterations(2), stop: fixedIterations(runs), memory: processMemoryProbe(), clock: () => clock?.() ?? 0n });
}

describe('memory next to speed', () => {
  it('loaded, peak and end match what a runner allocated, within 10 %', async () => {
    const { memory } = await measure({ loadMiB: 96, workMiB: 160, leakMiB: 0 });
    expect(memory).toBeDefined();
    expect(memory!.source).toBe('process RSS');
    expect(memory!.peakIsHighWater).toBe(true);
    expect(memory!.loadedBytes! / MiB).toBeGreaterThan(96 * 0.9);
    expect(memory!.loadedBytes! / MiB).toBeLessThan(96 * 1.1);
    expect(memory!.peakAboveBaseBytes! / MiB).toBeGreaterThan(256 * 0.9);
    expect(memory!.peakAboveBaseBytes! / MiB).toBeLessThan(256 * 1.1);
    expect(memory!.readings).toBeGreaterThan(10);
    expect(memory!.leak).toBeUndefined();
    expect(Math.abs(memory!.steadyGrowthBytes) / MiB).toBeLessThan(8);
  });

  it('memory that keeps rising with the run count is flagged as a leak of about what leaked per run', async () => {
    const { memory } = await measure({ loadMiB: 16, workMiB: 0, leakMiB: 4 }, 80);
    expect(memory!.leak, JSON.stringify(memory)).toBeDefined();
    expect(memory!.leak!.bytesPerRun / MiB).toBeGreaterThan(4 * 0.9);
    expect(memory!.leak!.bytesPerRun / MiB).toBeLessThan(4 * 1.1);
    expect(memory!.leak!.reason).toMatch(/per run/);
    expect(memory!.steadyGrowthBytes / MiB).toBeGreaterThan(250);
  });

  it('memory: false takes no readings', async () => {
    const runner = allocatingRunner({ loadMiB: 1, workMiB: 0, leakMiB: 0 });
    const measurement = await benchmark({ runner, model: 'x.onnx', feeds: fakeFeeds(), warmup: fixedIterations(0), stop: fixedIterations(6), memory: false });
    expect(measurement.memory).toBeUndefined();
  });
});

describe('leak detection', () => {
  const readings = (bytes: (run: number) => number, count = 30) => Array.from({ length: count }, (_, i) => ({ run: i * 10, bytes: bytes(i * 10) }));

  it('a steady rise is a leak; a flat line with noise, an early step (an arena growing) or a small rise is not', () => {
    expect(detectLeak(readings((run) => 500 * MiB + run * MiB))?.bytesPerRun).toBeCloseTo(MiB, -3);
    expect(detectLeak(readings((run) => 500 * MiB + ((run * 7919) % 13) * MiB))).toBeUndefined();
    expect(detectLeak(readings((run) => 500 * MiB + (run > 20 ? 200 * MiB : 0)))).toBeUndefined();
    expect(detectLeak(readings((run) => 500 * MiB + run * 1024))).toBeUndefined(); // 290 KiB in all
    expect(detectLeak(readings((run) => 500 * MiB + run * MiB, 5))).toBeUndefined(); // too few readings
  });

  it('growth below 2 % of what loading took is not a leak', () => {
    expect(detectLeak(readings((run) => 4 * 1024 * MiB + run * 20 * 1024), 4 * 1024 * MiB)).toBeUndefined(); // 5.7 MiB over 4 GiB loaded
  });
});

describe('byte figures', () => {
  it('formats in binary units and parses what users type', () => {
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(3.5 * MiB)).toBe('3.50 MiB');
    expect(formatBytes(1.25 * 1024 * MiB)).toBe('1.25 GiB');
    expect(formatBytes(-150 * MiB)).toBe('-150 MiB');
    expect(parseBytes('2GiB')).toBe(2 * 1024 * MiB);
    expect(parseBytes('2G')).toBe(2 * 1024 * MiB);
    expect(parseBytes('512 MiB')).toBe(512 * MiB);
    expect(parseBytes('1.5GB')).toBe(1.5e9);
    expect(parseBytes('1000')).toBe(1000);
    expect(parseBytes('two gigs')).toBeUndefined();
    expect(parseBytes('-1G')).toBeUndefined();
  });
});

describe('leak detection: what is not a leak', () => {
  const MiBs = 1024 * 1024;
  it('memory that rises early and settles (a heap reaching its working size) is not one, nor a short run', () => {
    // +40 MiB that levels off: still rising at the end, but at a fraction of the early rate.
    const settling = Array.from({ length: 40 }, (_, i) => ({ run: i * 10, bytes: 300 * MiBs + 40 * (1 - Math.exp(-(i * 10) / 120)) * MiBs }));
    expect(detectLeak(settling)).toBeUndefined();
    // 1 MiB a run, but over 20 runs only.
    const short = Array.from({ length: 10 }, (_, i) => ({ run: i * 2, bytes: 300 * MiBs + i * 2 * MiBs }));
    expect(detectLeak(short)).toBeUndefined();
  });
});
