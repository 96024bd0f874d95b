import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliSandbox } from './cli-sandbox';

const { scratch, ortbench } = await cliSandbox('cli');


describe('ortbench (built CLI)', () => {
  it('prints help with examples and exits 0', () => {
    const { code, stdout } = ortbench('--help');
    expect(code).toBe(0);
    expect(stdout).toContain('Usage: ortbench');
    expect(stdout).toContain('env');
    expect(stdout).toContain('Examples:');
  });

  it('lists every runner with its availability as JSON on stdout', () => {
    const { code, stdout, stderr } = ortbench('env', '--json');
    expect(code, stderr).toBe(0);
    const report = JSON.parse(stdout);
    expect(report.runners.map((r: { name: string }) => r.name)).toEqual(['node-cuda', 'node-webgpu', 'node-cpu', 'web-wasm', 'browser', 'torch-cuda', 'torch']);
    expect(report.runners).toContainEqual(expect.objectContaining({ name: 'node-cpu', available: true }));
    for (const runner of report.runners) expect(runner.available || runner.reason.length > 20, runner.name).toBe(true);
    expect(report.environment.node).toBe(process.version);
    expect(report.environment.packages['onnxruntime-node']).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('prints a human table by default', () => {
    const { code, stdout } = ortbench('env');
    expect(code).toBe(0);
    expect(stdout).toMatch(/^node-cpu\s+yes/m);
  });

  it('exits 2 with one line for an unknown command', () => {
    const { code, stdout, stderr } = ortbench('bogus');
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr.trim()).toBe("ortbench: INVALID_ARGUMENT: unknown command 'bogus'; run ortbench --help for usage");
  });

  it('shows list defaults in help as they are typed, not as JSON', () => {
    const { code, stdout } = ortbench('tune', '--help');
    expect(code).toBe(0);
    expect(stdout).toContain('(default: 1,2,4,8,16,32)');
    expect(stdout).not.toContain('[1,2,4');
  });
});

describe('ortbench models', () => {
  it('lists the built-in models', () => {
    const { code, stdout } = ortbench('models', 'list', '--json');
    expect(code).toBe(0);
    expect(JSON.parse(stdout).map((m: { name: string }) => m.name)).toEqual(expect.arrayContaining(['resnet50', 'bert', 'bert-base-chinese', 'resnet50-tiny']));
  });

  it('inspects a built-in model at the batch given, building it into the cache', () => {
    const { code, stdout, stderr } = ortbench('models', 'inspect', 'resnet50-tiny', '--batch', '4', '--json');
    expect(code, stderr).toBe(0);
    const report = JSON.parse(stdout);
    expect(report.path.startsWith(path.join(scratch, 'cache'))).toBe(true);
    expect(report.inputs).toEqual([{ name: 'input', dtype: 'float32', dims: ['batch_size', 3, 32, 32] }]);
    expect(report.compute.dims).toEqual({ batch_size: 4 });
    expect(report.compute.macs.total).toBe(4 * JSON.parse(ortbench('models', 'inspect', 'resnet50-tiny', '--json').stdout).compute.macs.total);
  });

  it('builds to a file and inspects that file like any .onnx', () => {
    const file = path.join(scratch, 'bert-tiny-fixed.onnx');
    expect(ortbench('models', 'build', 'bert-tiny', '--batch', '2', '--sequence', '16', '--out', file).code).toBe(0);
    expect(existsSync(file)).toBe(true);
    const { code, stdout } = ortbench('models', 'inspect', file);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^inputs\s+input_ids int64 \[2, 16\]$/m);
    expect(stdout).toMatch(/^compute\s+at fixed shapes: /m);
  });

  it('gives one line, a code and exit 2 for a missing model or a bad number', () => {
    const missing = ortbench('models', 'inspect', path.join(scratch, 'none.onnx'));
    expect(missing.code).toBe(2);
    expect(missing.stderr.trim().split('\n')).toHaveLength(1);
    expect(missing.stderr).toMatch(/^ortbench: FILE_NOT_FOUND: .*none\.onnx: no such file, and not a built-in model/);
    const zero = ortbench('models', 'inspect', 'resnet50-tiny', '--batch', '0');
    expect(zero.code).toBe(2);
    expect(zero.stderr).toContain('--batch: expected a positive integer, got "0"');
  });

  it('reports a corrupt model as MODEL_INVALID with exit 3, no stack trace', () => {
    const file = path.join(scratch, 'junk.onnx');
    spawnSync('sh', ['-c', `head -c 3000 /dev/urandom > ${file}`]);
    const { code, stderr } = ortbench('models', 'inspect', file);
    expect(code).toBe(3);
    expect(stderr).toMatch(/^ortbench: MODEL_INVALID: .*junk\.onnx: not a valid ONNX model/);
    expect(stderr).not.toContain('    at ');
  });
});

describe('ortbench verify', () => {
  it('passes when runners agree within fp32 tolerance', () => {
    const { code, stdout, stderr } = ortbench('verify', 'resnet50-tiny', '--runner', 'node-cpu,web-wasm');
    expect(code, stderr).toBe(0);
    expect(stdout).toMatch(/^web-wasm\s+wasm\s+output\s+ok\s+0 \/ 10/m);
    expect(stdout).toContain('all outputs agree');
  });

  it('exits 1 with a numpy-style report when outputs differ beyond tolerance', () => {
    const { code, stdout } = ortbench('verify', 'resnet50-tiny', '--runner', 'node-cpu,web-wasm', '--rtol', '0', '--atol', '0');
    expect(code).toBe(1);
    expect(stdout).toContain('web-wasm output: Not equal to tolerance rtol=0, atol=0');
    expect(stdout).toMatch(/Mismatched elements: \d+ \/ 10/);
  });

  it('names an unknown runner (exit 2) and an unavailable one with its reason (exit 3)', () => {
    const unknown = ortbench('verify', 'resnet50-tiny', '--runner', 'node-cpu,tpu');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/^ortbench: RUNNER_UNKNOWN: unknown runner "tpu" \(registered: node-cuda, node-webgpu, node-cpu, web-wasm, browser, torch-cuda, torch\)/);
    const env = JSON.parse(ortbench('env', '--json').stdout);
    const cuda = env.runners.find((r: { name: string }) => r.name === 'node-cuda');
    if (!cuda.available) {
      const unavailable = ortbench('verify', 'resnet50-tiny', '--runner', 'node-cpu,node-cuda');
      expect(unavailable.code).toBe(3);
      expect(unavailable.stderr).toContain(`ortbench: RUNNER_UNAVAILABLE: runner "node-cuda" is unavailable: ${cuda.reason}`);
    }
  }, 60_000);
});
