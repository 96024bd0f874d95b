import { readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseResults } from '@ortbench/core';
import { cliSandbox } from './cli-sandbox';

const { scratch, ortbench } = await cliSandbox('built-accuracy');
const photos = path.join(scratch, 'photos');
const labels = path.join(scratch, 'labels.json');

beforeAll(async () => {
  const sharp = (await import('sharp')).default;
  await mkdir(photos, { recursive: true });
  for (const [name, colour] of [['red.png', '#c04020'], ['blue.png', '#2040c0']] as const) {
    await sharp({ create: { width: 64, height: 48, channels: 3, background: colour } }).png().toFile(path.join(photos, name));
  }
  await writeFile(labels, JSON.stringify({ 'red.png': 1, 'blue.png': 2 }));
});

describe('accuracy of a built-in model (seed-004 with the built architectures)', () => {
  it('says in every format that its weights are random, beside the top-1 it reports', () => {
    const out = path.join(scratch, 'out');
    const { code, stderr } = ortbench('bench', 'resnet50-tiny', '--batch', '1', '--images', photos, '--labels', labels, '--iterations', '3', '--warmup', '1', '--out', out);
    expect(code, stderr).toBe(0);
    expect(stderr).toMatch(/warning: top-1\/top-5 of the built-in resnet50-tiny, whose weights are random/);
    const [result] = parseResults(readFileSync(path.join(out, 'results.json'), 'utf8')).results;
    expect(result?.status === 'completed' && result.measurement.accuracy?.images).toBe(2);
    for (const name of ['results.md', 'results.csv', 'report.html']) expect(readFileSync(path.join(out, name), 'utf8'), name).toContain('whose weights are random (seeded, not trained)');
  }, 120_000);
});
