import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import type * as RunnersNode from '@ortbench/runners/node';

// Every published entry point must load through require() as well as import: the CommonJS
// builds are what `require('@ortbench/…')` users get.
const require = createRequire(import.meta.url);
const ENTRIES = ['@ortbench/core', '@ortbench/core/node', '@ortbench/models', '@ortbench/preprocess', '@ortbench/reporters', '@ortbench/runners', '@ortbench/runners/node', '@ortbench/runners/web', '@ortbench/tasks'];

describe('CommonJS entry points', () => {
  for (const entry of ENTRIES) {
    it(`require('${entry}') loads`, () => {
      expect(Object.keys(require(entry) as object).length).toBeGreaterThan(0);
    });
  }

  it('runners/node works in CommonJS, down to resolving onnxruntime files', async () => {
    const runners = require('@ortbench/runners/node') as typeof RunnersNode;
    const availability = await runners.cudaAvailability();
    expect(typeof availability.available).toBe('boolean');
    expect(runners.findChromium({ ORTBENCH_CHROMIUM: '/nonexistent' })).toBeUndefined();
  }, 60_000);
});
