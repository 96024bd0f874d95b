import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { parseResults } from '@ortbench/core';
import { writeReports } from '../src/index';
import { completed, document } from './results-fixture';

const directory = await mkdtemp(path.join(os.tmpdir(), 'ortbench-reports-'));
afterAll(() => rm(directory, { recursive: true, force: true }));

describe('writeReports', () => {
  it('writes JSON that reads back, CSV, Markdown, HTML, and each chart as SVG and PNG', async () => {
    const sweep = document([completed({ runner: 'node-cpu', batchSize: 1, sequenceLength: 32 }, 4), completed({ runner: 'node-cpu', batchSize: 4, sequenceLength: 128 }, 20)]);
    const written = await writeReports(sweep, directory, ['json', 'csv', 'md', 'html', 'svg', 'png']);
    expect((await readdir(directory)).sort()).toEqual(
      ['chart-heatmap.png', 'chart-heatmap.svg', 'chart-latency.png', 'chart-latency.svg', 'chart-throughput.png', 'chart-throughput.svg', 'report.html', 'results.csv', 'results.json', 'results.md'].sort(),
    );
    expect(parseResults(await readFile(path.join(directory, 'results.json'), 'utf8'))).toEqual(sweep);
    const png = await sharp(path.join(directory, 'chart-heatmap.png')).metadata();
    expect(png).toMatchObject({ format: 'png', width: 1800 }); // rasterised at 2× for documents
    expect(written.png).toHaveLength(3);
  });
});
