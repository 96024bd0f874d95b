import { describe, expect, it } from 'vitest';
import type { Feeds, Runner } from '@ortbench/core';
import { createTensor, RunnerRegistry, TOLERANCE_PRESETS } from '@ortbench/core';
import { buildModel, encodeModel, presetSpec } from '@ortbench/models';
import { bertFeeds, imageConfig, syntheticImages, syntheticTokens } from '@ortbench/preprocess';
import { compareOutputs } from '../src/index';
import { registerNodeRunners } from '../src/node';
import { CHROMIUM } from './browser-available';

const registry = registerNodeRunners(new RunnerRegistry());
const runners = ['node-cpu', 'web-wasm', ...(CHROMIUM ? ['browser'] : [])];

async function outputsOn(runner: Runner, model: Uint8Array, feeds: (inputs: Parameters<typeof bertFeeds>[0]) => Feeds) {
  const session = await runner.load(model);
  try {
    const result = await session.run(feeds(session.inputs));
    return { outputs: result.outputs, info: session.info, timing: result.timing };
  } finally {
    await session.dispose();
  }
}

describe(`parity of ${runners.join(', ')}`, () => {
  it('tiny ResNet: every runner gives node-cpu\'s logits within fp32 tolerance', async () => {
    const model = encodeModel(buildModel(presetSpec('resnet50-tiny', { batch: 2 }))).model;
    const images = syntheticImages(2, imageConfig('imagenet', { resize: { width: 32, height: 32 }, crop: 'none' }));
    const results = [];
    for (const name of runners) results.push(await outputsOn(await registry.resolve(name), model, () => ({ input: images })));
    const [reference, ...others] = results;
    expect(reference!.outputs.output!.dims).toEqual([2, 10]);
    for (const other of others) {
      const rows = compareOutputs(reference!.outputs, other.outputs, TOLERANCE_PRESETS.fp32);
      expect(rows.map((r) => [other.info.runner, r.output, r.report.ok])).toEqual([[other.info.runner, 'output', true]]);
    }
    if (CHROMIUM) {
      const browser = results.at(-1)!;
      expect(browser.info.executionProvider).toBe('wasm');
      expect(browser.info.settings.crossOriginIsolated).toBe(true);
      expect(browser.timing?.inferenceNs).toBeGreaterThan(0); // timed inside the page
    }
  }, 120_000);

  it('tiny BERT with int64 inputs: both outputs agree on every runner', async () => {
    const model = encodeModel(buildModel(presetSpec('bert-tiny'))).model;
    const encoding = syntheticTokens(2, 16, { seed: 5 });
    const results = [];
    for (const name of runners) results.push(await outputsOn(await registry.resolve(name), model, (inputs) => bertFeeds(inputs, encoding)));
    const [reference, ...others] = results;
    for (const other of others) {
      const rows = compareOutputs(reference!.outputs, other.outputs, TOLERANCE_PRESETS.fp32);
      expect(rows.map((r) => `${other.info.runner}:${r.output}:${r.report.ok}`).sort()).toEqual(
        [`${other.info.runner}:last_hidden_state:true`, `${other.info.runner}:pooler_output:true`],
      );
    }
  }, 120_000);

  it.runIf(CHROMIUM)("browser: a timed loop's run does not carry the outputs back (no base64 in the throughput)", async () => {
    const model = encodeModel(buildModel(presetSpec('resnet50-tiny', { batch: 1 }))).model;
    const session = await (await registry.resolve('browser')).load(model);
    try {
      const feeds = { input: syntheticImages(1, imageConfig('imagenet', { resize: { width: 32, height: 32 }, crop: 'none' })) };
      const kept = await session.run(feeds);
      const discarded = await session.run(feeds, { discardOutputs: true });
      expect(Object.keys(kept.outputs)).toEqual(['output']);
      expect(discarded.outputs).toEqual({});
      expect(discarded.timing?.inferenceNs).toBeGreaterThan(0);
      expect(session.serialRuns).toMatch(/one page runs one inference at a time/);
    } finally {
      await session.dispose();
    }
  }, 120_000);

  it('flags a real difference: outputs of another model fail the comparison', () => {
    const a = { y: createTensor('float32', Float32Array.from([1, 2, 3]), [3]) };
    const b = { y: createTensor('float32', Float32Array.from([1, 2, 3.1]), [3]) };
    const [row] = compareOutputs(a, b);
    expect(row!.report).toMatchObject({ ok: false, mismatched: 1 });
    expect(compareOutputs(a, {})[0]!.report.ok).toBe(false);
  });
});
