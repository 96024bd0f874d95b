import { spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { GraphBuilder, saveModel } from '@ortbench/models';

// The seed's assert_allclose step. numpy (the "framework") computed y = x·W + b for
// W[i, j] = (i − j) / 10 and b = [0, 1, 2] into test/fixtures; here the same model is built as ONNX.
const bin = fileURLToPath(new URL('../bin/ortbench.js', import.meta.url));
const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));
const scratch = await mkdtemp(path.join(os.tmpdir(), 'ortbench-verify-'));
afterAll(() => rm(scratch, { recursive: true, force: true }));

async function affine(file: string, bias: number[]): Promise<string> {
  const g = new GraphBuilder('affine');
  const x = g.input('x', 'float32', ['n', 4]);
  const w = g.initializer('W', 'float32', [4, 3], Float32Array.from({ length: 12 }, (_, k) => (Math.floor(k / 3) - (k % 3)) / 10));
  const b = g.initializer('b', 'float32', [3], Float32Array.from(bias));
  g.node('Add', [g.op('MatMul', [x, w]), b], {}, { outputs: ['y'] });
  g.output('y', 'float32', ['n', 3]);
  await saveModel(file, g.toModel({ opset: 13 }));
  return file;
}

function ortbench(...args: string[]) {
  const result = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('ortbench verify --inputs --expect (NumPy files)', () => {
  it("agrees with the framework's outputs on every runner", async () => {
    const model = await affine(path.join(scratch, 'affine.onnx'), [0, 1, 2]);
    const { code, stdout, stderr } = ortbench('verify', model, '--inputs', fixture('affine-inputs.npz'), '--expect', fixture('affine-expected.npz'), '--runner', 'node-cpu,web-wasm');
    expect(code, stderr).toBe(0);
    expect(stdout).toMatch(/^node-cpu\s+cpu\s+y\s+ok\s+0 \/ 6/m);
    expect(stdout).toMatch(/^web-wasm\s+wasm\s+y\s+ok\s+0 \/ 6/m);
    // a .npy for a one-output model works the same
    expect(ortbench('verify', model, '--inputs', fixture('affine-inputs.npz'), '--expect', fixture('affine-expected-y.npy'), '--runner', 'node-cpu').code).toBe(0);
  });

  it('exits 1 with a numpy-style report when the model differs from the framework', async () => {
    const wrong = await affine(path.join(scratch, 'affine-wrong-bias.onnx'), [0, 1, 3]);
    const { code, stdout } = ortbench('verify', wrong, '--inputs', fixture('affine-inputs.npz'), '--expect', fixture('affine-expected.npz'), '--runner', 'node-cpu');
    expect(code).toBe(1);
    expect(stdout).toContain('node-cpu y: Not equal to tolerance rtol=0.001, atol=0.00001');
    expect(stdout).toContain('Mismatched elements: 2 / 6 (33.33%)');
    expect(stdout).toMatch(/Worst at \[\d, 2\]/);
  });

  it('refuses arrays that do not fit the model, naming the file', async () => {
    const model = await affine(path.join(scratch, 'affine2.onnx'), [0, 1, 2]);
    const wrongInput = ortbench('verify', model, '--inputs', fixture('affine-expected.npz'), '--expect', fixture('affine-expected.npz'), '--runner', 'node-cpu');
    expect(wrongInput.code).toBe(3);
    expect(wrongInput.stderr).toMatch(/^ortbench: INPUT_MISMATCH: feed "y" is not an input of the model \(inputs: x\)/);
    // Without --expect, real arrays are compared across runners: the first is the reference.
    const alone = ortbench('verify', model, '--inputs', fixture('affine-inputs.npz'), '--runner', 'node-cpu');
    expect(alone.code).toBe(2);
    expect(alone.stderr).toContain('parity needs at least two runners');
    const across = ortbench('verify', model, '--inputs', fixture('affine-inputs.npz'), '--runner', 'node-cpu,web-wasm');
    expect(across.code, across.stderr).toBe(0);
    expect(across.stdout).toContain('from affine-inputs.npz');
    expect(across.stdout).toContain('all outputs agree');
  });
});
