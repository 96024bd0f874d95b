import { describe, expect, it } from 'vitest';
import { buildModel, encodeModel, presetSpec } from '@ortbench/models';
import { imageConfig, syntheticImages } from '@ortbench/preprocess';
import { createNodeCpuRunner } from '../src/node';

/** CPU time this process spends over `ms` of idling after a run: spinning thread pools burn it, parked ones do not. */
async function idleCpuMs(allowSpinning: boolean, ms: number): Promise<number> {
  const model = encodeModel(buildModel(presetSpec('resnet50-tiny', { batch: 1 }))).model;
  const session = await createNodeCpuRunner().load(model, { threads: 2, allowSpinning });
  try {
    const feeds = { input: syntheticImages(1, imageConfig('imagenet', { resize: { width: 32, height: 32 }, crop: 'none' })) };
    expect(session.info.settings.allowSpinning).toBe(allowSpinning);
    let idle = 0;
    for (let i = 0; i < 10; i++) {
      await session.run(feeds);
      const before = process.cpuUsage();
      await new Promise((resolve) => setTimeout(resolve, ms / 10));
      const used = process.cpuUsage(before);
      idle += (used.user + used.system) / 1000;
    }
    return idle;
  } finally {
    await session.dispose();
  }
}

describe('ORT thread-pool spinning', () => {
  it('is off when asked: the idle session burns next to no CPU between runs, and the setting is recorded', async () => {
    // ORT's default spins a worker for a while after each run (measured here: ~20 ms of CPU per 20 ms idle);
    // with spinning off, the pool parks at once. A bound in CPU time holds however busy the machine is.
    // Measured on the development machine: 5 ms off against 273 ms on, over 400 ms of idling.
    expect(await idleCpuMs(false, 400)).toBeLessThan(60);
  });
});
