import { describe, expect, it } from 'vitest';
import type { Session } from '@ortbench/core';
import { buildModel, encodeModel, presetSpec } from '@ortbench/models';
import { imageConfig, syntheticImages } from '@ortbench/preprocess';
import { createBrowserRunner } from '../src/node';
import { CHROMIUM } from './browser-available';

describe.skipIf(!CHROMIUM)('the browser runner under many different feeds (classify, eval, pipelines)', () => {
  it('keeps a bounded number of feed sets in the page, and still runs an evicted one right', async () => {
    const model = encodeModel(buildModel(presetSpec('resnet50-tiny', { batch: 1 }))).model;
    const session = (await createBrowserRunner().load(model)) as Session & { residentFeedCount(): Promise<number> };
    try {
      const config = imageConfig('imagenet', { resize: { width: 32, height: 32 }, crop: 'none' });
      const feeds = Array.from({ length: 12 }, (_, i) => ({ input: syntheticImages(1, config, i + 1) }));
      const first = (await session.run(feeds[0]!)).outputs;
      for (const feed of feeds.slice(1)) await session.run(feed);
      // Before the fix the page held all twelve, and a long classify run grew without bound.
      expect(await session.residentFeedCount()).toBeLessThanOrEqual(4);
      const again = (await session.run(feeds[0]!)).outputs;
      expect(Array.from(again.output!.data as Float32Array)).toEqual(Array.from(first.output!.data as Float32Array));
    } finally {
      await session.dispose();
    }
  }, 120_000);
});
