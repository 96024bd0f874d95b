import { readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseResults } from '@ortbench/core';
import { convertToFloat16, ensureModel, presetSpec, quantizeDynamic, readModel, saveModel } from '@ortbench/models';
import { cliSandbox } from './cli-sandbox';

const { scratch, ortbench } = await cliSandbox('model-folder');

// A folder as transformers.js and Optimum lay one out: config.json beside onnx/ with one file per
// variant, made here from the built bert-tiny (fp32, fp16, and dynamic int8 as model_quantized).
const folder = path.join(scratch, 'minibert');
await mkdir(path.join(folder, 'onnx'), { recursive: true });
process.env.ORTBENCH_CACHE_DIR = path.join(scratch, 'cache');
const fp32 = await readModel((await ensureModel(presetSpec('bert-tiny'))).path);
await saveModel(path.join(folder, 'onnx', 'model.onnx'), fp32);
await saveModel(path.join(folder, 'onnx', 'model_fp16.onnx'), convertToFloat16(fp32));
await saveModel(path.join(folder, 'onnx', 'model_quantized.onnx'), quantizeDynamic(fp32));
await writeFile(path.join(folder, 'config.json'), JSON.stringify({ model_type: 'bert', hidden_size: 64, max_position_embeddings: 512 }));

describe('a model folder is a model', { timeout: 120_000 }, () => {
  it('bench measures every variant it has, alternated, each paired against fp32', () => {
    const run = ortbench('bench', 'minibert', '--batch', '1', '--seq', '16', '--iterations', '30', '--out', 'all');
    expect(run.code, run.stderr).toBe(0);
    const { results } = parseResults(readFileSync(path.join(scratch, 'all', 'results.json'), 'utf8'));
    expect(results.map((r) => r.configuration.options.variant)).toEqual(['fp32', 'fp16', 'q8']);
    for (const r of results) {
      expect(r.status).toBe('completed');
      if (r.status !== 'completed') continue;
      expect(r.measurement.alternation?.mode).toBe('runs');
      expect(r.measurement.modelFile?.bytes).toBeGreaterThan(0);
      if (r.configuration.options.variant === 'fp32') continue;
      expect(r.measurement.comparisons?.[0]).toMatchObject({ axis: 'opt.variant', baselineValue: 'fp32' });
      // Outputs against fp32's on the same inputs: the encoder's hidden state, pooled over the sequence.
      expect(r.measurement.fidelity).toMatchObject({ reference: 'fp32', output: 'last_hidden_state', items: 1, pooled: true });
      expect((r.measurement.fidelity as { cosineMin: number }).cosineMin).toBeGreaterThan(0.99);
    }
    const bytes = results.map((r) => (r.status === 'completed' ? r.measurement.modelFile!.bytes : 0));
    expect(bytes[1]).toBeLessThan(bytes[0]! * 0.6); // fp16 weights take half the room
    expect(run.stdout).toMatch(/^Which variant on node-cpu, batch 1, sequence 16: .*\. Files: fp32 [\d.]+ MiB, fp16 [\d.]+ MiB, q8 [\d.]+ MiB\.$/m);
    expect(run.stdout).toMatch(/^\s+1\s+16\s+q8\s+.* (than|as) variant fp32$/m);
  });

  it('--variant picks some; one it lacks, --precision on a folder, and --variant on a file are one-line errors', () => {
    const two = ortbench('bench', 'minibert', '--variant', 'q8,fp32', '--batch', '1', '--seq', '16', '--iterations', '10', '--out', 'two');
    expect(two.code, two.stderr).toBe(0);
    const { results } = parseResults(readFileSync(path.join(scratch, 'two', 'results.json'), 'utf8'));
    expect(results.map((r) => r.configuration.options.variant)).toEqual(['fp32', 'q8']); // fp32 first: the baseline
    const missing = ortbench('bench', 'minibert', '--variant', 'q4');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/^ortbench: INVALID_ARGUMENT: --variant q4: minibert has no model_q4\.onnx \(its variants: fp32, fp16, q8\)\n$/);
    const precision = ortbench('bench', 'minibert', '--precision', 'fp32,int8');
    expect(precision.stderr).toBe('ortbench: INVALID_ARGUMENT: --precision: minibert is a model folder, whose files are its precisions: use --variant fp32,fp16,q8\n');
    const file = ortbench('bench', path.join('minibert', 'onnx', 'model.onnx'), '--variant', 'q8');
    expect(file.stderr).toMatch(/^ortbench: INVALID_ARGUMENT: --variant: .* is not a model folder/);
    expect(ortbench('bench', 'minibert', '--variant', 'q9').stderr).toMatch(/--variant.*q9/);
  });
});
