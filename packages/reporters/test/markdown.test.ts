import { readFile, writeFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { configurationId } from '@ortbench/core';
import { buildSummaryTable, renderMarkdown } from '../src/index';
import { completed, document } from './results-fixture';

const bert = document([
  completed({ runner: 'node-cpu', batchSize: 1, sequenceLength: 10 }, 4.5),
  completed({ runner: 'web-wasm', batchSize: 1, sequenceLength: 10 }, 9),
  completed({ runner: 'node-cpu', batchSize: 4, sequenceLength: 10 }, 250),
  {
    status: 'errored',
    configuration: { id: configurationId({ runner: 'web-wasm', batchSize: 4, sequenceLength: 10, options: {} }), runner: 'web-wasm', batchSize: 4, sequenceLength: 10, options: {} },
    error: { code: 'RUNNER_FAILED', message: 'std::bad_alloc: failed to allocate 2 GB' },
  },
  {
    status: 'skipped',
    configuration: { id: configurationId({ runner: 'node-cpu', batchSize: 1, sequenceLength: 600, options: {} }), runner: 'node-cpu', batchSize: 1, sequenceLength: 600, options: {} },
    reason: 'sequence length 600 exceeds 512 positions',
  },
]);

describe('summary table', () => {
  it('puts batch × seq in rows and runners in columns, naming errored cells', () => {
    expect(buildSummaryTable(bert)).toEqual({
      header: ['batch', 'seq', 'node-cpu', 'web-wasm'],
      rows: [
        ['1', '10', '4.50 ms ±1.0% · 222/s', '9.00 ms ±1.0% · 111/s'],
        ['4', '10', '250.0 ms ±1.0% · 16.0/s', 'OOM'],
        ['1', '600', 'skipped', ''],
      ],
    });
  });
});

describe('renderMarkdown', () => {
  it('matches the golden file', async () => {
    const golden = await readFile(new URL('./golden/bert-summary.md', import.meta.url), 'utf8');
    if (process.env.UPDATE_GOLDEN) await writeFile(new URL('./golden/bert-summary.md', import.meta.url), renderMarkdown(bert));
    expect(renderMarkdown(bert)).toBe(process.env.UPDATE_GOLDEN ? renderMarkdown(bert) : golden);
  });
});

describe('summary table with an option axis', () => {
  it('gives each varying option a row column, so cells do not collide', () => {
    const withOption = (batchMode: string, ms: number) => {
      const result = completed({ runner: 'node-cpu', batchSize: 1 }, ms);
      result.configuration.options = { batchMode };
      return result;
    };
    expect(buildSummaryTable(document([withOption('dynamic', 10), withOption('fixed', 8)]))).toEqual({
      header: ['batch', 'batchMode', 'node-cpu'],
      rows: [
        ['1', 'dynamic', '10.00 ms ±1.0% · 100/s'],
        ['1', 'fixed', '8.00 ms ±1.0% · 125/s'],
      ],
    });
  });
});

describe('cells with accuracy', () => {
  it('show top-1 next to speed when a configuration was evaluated', () => {
    const result = completed({ runner: 'node-cpu', batchSize: 8 }, 20);
    if (result.status === 'completed') result.measurement.accuracy = { top1: 14 / 15, top5: 1, images: 15 };
    expect(buildSummaryTable(document([result])).rows).toEqual([['8', '20.00 ms ±1.0% · 400/s · top-1 0.933']]);
  });
});
