import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseResults } from '@ortbench/core';
import { findTorchPython } from '@ortbench/runners/node';
import { cliSandbox } from './cli-sandbox';

// PyTorch next to ONNX Runtime through the CLI (Debian's python3-torch; .ci/run installs it).
const python = await findTorchPython();
const missing = 'torch' in python ? undefined : python.reason;
if (missing && process.env.CI) throw new Error(`torch CLI tests cannot run in CI, which installs python3-torch: ${missing}`);
if (missing) console.warn(`torch CLI tests skipped: ${missing}`);
const { scratch, ortbench } = await cliSandbox('torch');

describe.skipIf(missing)('ortbench with the torch runner', () => {
  it('benches a built-in model on node-cpu and torch: both columns, the twin built with the same weights', () => {
    const run = ortbench('bench', 'resnet50-tiny', '--runner', 'node-cpu,torch', '--batch', '1,2', '--iterations', '10', '--warmup', '3', '--precision', 'fp32,fp16', '--per-1000-runs', '--out', 'both');
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/batch\s+precision\s+node-cpu\s+torch/);
    expect(run.stdout).toMatch(/1000 runs [\d.]+ s/);
    return readFile(path.join(scratch, 'both', 'results.json'), 'utf8').then((text) => {
      const results = parseResults(text).results;
      // torch rows once per batch (precision is ONNX Runtime's axis), timed inside the worker.
      const torch = results.filter((r) => r.configuration.runner === 'torch');
      expect(torch.map((r) => [r.configuration.batchSize, r.configuration.options.precision, r.status])).toEqual([
        [1, undefined, 'completed'],
        [2, undefined, 'completed'],
      ]);
      expect(torch.every((r) => r.status === 'completed' && r.measurement.timingSource === 'runner' && r.measurement.session.runtime?.startsWith('torch '))).toBe(true);
      expect(results.filter((r) => r.configuration.runner === 'node-cpu')).toHaveLength(4);
    });
  });

  it("verifies the built-in pairs at the seeds' tolerance, and names a TorchScript file that does not fit", async () => {
    for (const model of ['resnet50-tiny', 'bert-tiny']) {
      const verify = ortbench('verify', model, '--runner', 'node-cpu,torch', ...(model.startsWith('bert') ? ['--seq', '16'] : []));
      expect(verify.code, verify.stderr).toBe(0);
      expect(verify.stdout).toContain('reference node-cpu (cpu), tolerance rtol=0.001 atol=0.00001');
      expect(verify.stdout).toContain('all outputs agree');
    }
    const foreign = path.join(scratch, 'foreign.pt');
    await writeFile(foreign, 'not TorchScript');
    const bad = ortbench('verify', 'resnet50-tiny', '--runner', 'node-cpu,torch', '--torch-model', foreign);
    // The runner that cannot load keeps its row, with its error: the others are still compared.
    expect(bad.code).toBe(1);
    expect(bad.stdout).toMatch(/^torch\s.*ERROR\s+MODEL_INVALID/m);
    expect(bad.stdout).toContain(`torch: MODEL_INVALID: ${foreign}: PyTorch cannot load it as TorchScript (`);
    expect(bad.stdout).toContain('not verified: a runner failed');
  });

  it('saves ORT\'s optimised graph with the operator histogram', () => {
    const run = ortbench('models', 'optimize', 'bert-tiny', '--out', 'bert.opt.onnx', '--level', 'extended', '--json');
    expect(run.code, run.stderr).toBe(0);
    const outcome = JSON.parse(run.stdout) as { before: Record<string, number>; after: Record<string, number> };
    const nodes = (counts: Record<string, number>) => Object.values(counts).reduce((a, b) => a + b, 0);
    expect(nodes(outcome.after)).toBeLessThan(nodes(outcome.before));
    expect(outcome.before.Constant).toBeGreaterThan(0);
    expect(outcome.after.Constant ?? 0).toBe(0); // folded
  });
});
