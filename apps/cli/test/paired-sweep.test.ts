import path from 'node:path';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseResults } from '@ortbench/core';
import { cliSandbox } from './cli-sandbox';

const { scratch, ortbench } = await cliSandbox('paired');

describe('a sweep alternated run by run', () => {
  it('gives each configuration its paired ratio to the baseline the user chose, in the table and the files', () => {
    const out = path.join(scratch, 'chosen');
    const { code, stdout, stderr } = ortbench('bench', 'resnet50-tiny', '--batch', '1,2', '--iterations', '20', '--warmup', '1', '--baseline', 'batch=2', '--out', out);
    expect(code, stderr).toBe(0);
    const document = parseResults(readFileSync(path.join(out, 'results.json'), 'utf8'));
    const [one, two] = document.results;
    expect(two?.status === 'completed' && two.measurement.comparisons).toBeUndefined(); // the baseline itself
    const comparison = one?.status === 'completed' ? one.measurement.comparisons?.[0] : undefined;
    expect(comparison).toMatchObject({ axis: 'batch', baselineValue: '2' });
    // Every round paired the two; a pair straddling a speed change is left out and counted.
    expect(comparison!.pairs + comparison!.excluded).toBe(20);
    // Every run alternated, spinning off for ONNX Runtime, and the table says the ratio in words.
    expect(one?.status === 'completed' && one.measurement.session.settings.allowSpinning).toBe(false);
    expect(stdout).toMatch(/(faster|slower) \([\d.]+–[\d.]+\) than batch 2|same within ±[\d.]+ % as batch 2/);
    expect(stdout).toContain('2 configurations were alternated run by run');
    expect(readFileSync(path.join(out, 'results.csv'), 'utf8')).toContain('batch=2: ');
  }, 120_000);

  it('refuses a baseline the sweep does not vary, in one line naming what it does vary', () => {
    const { code, stderr } = ortbench('bench', 'resnet50-tiny', '--batch', '1,2', '--iterations', '5', '--baseline', 'bach=1', '--out', path.join(scratch, 'bad'));
    expect(code).toBe(2);
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toContain('--baseline bach=1: the sweep does not vary "bach" (did you mean batch?); it varies batch');
  });

  it('keeps --rounds as the older schedule of slices, said in every result', () => {
    const out = path.join(scratch, 'slices');
    const { code, stderr } = ortbench('bench', 'resnet50-tiny', '--batch', '1,2', '--iterations', '9', '--warmup', '1', '--rounds', '3', '--json', '--out', out);
    expect(code, stderr).toBe(0);
    const document = parseResults(readFileSync(path.join(out, 'results.json'), 'utf8'));
    expect(document.results.map((r) => r.status === 'completed' && r.measurement.alternation?.mode)).toEqual(['slices', 'slices']);
    expect(document.results.every((r) => r.status === 'completed' && r.measurement.comparisons === undefined)).toBe(true);
  }, 120_000);
});

describe('a batch that cannot fit', () => {
  it('is an out-of-memory result saying how much it needs and what the machine has, and the others are measured', () => {
    const out = path.join(scratch, 'huge');
    const { code, stderr } = ortbench('bench', 'resnet50-tiny', '--batch', '1,10000000', '--iterations', '5', '--warmup', '1', '--out', out);
    expect(code, stderr).toBe(3); // one configuration errored
    const [small, huge] = parseResults(readFileSync(path.join(out, 'results.json'), 'utf8')).results;
    expect(small?.status).toBe('completed');
    expect(huge?.status === 'errored' && huge.error.code).toBe('OUT_OF_MEMORY');
    expect(huge?.status === 'errored' && huge.error.message).toMatch(/^batch 10000000 needs [\d.]+ GiB of input \(input float32 \[10000000, 3, \d+, \d+\]\); this machine has [\d.]+ GiB of memory/);
    // Alone after the other failed to open: measured alone, not in rounds of slices.
    expect(small?.status === 'completed' && small.measurement.alternation?.mode).toBe('alone');
  }, 120_000);
});
