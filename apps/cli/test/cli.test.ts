import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const bin = fileURLToPath(new URL('../bin/ortbench.js', import.meta.url));

/** Runs the built CLI as a user would. */
function ortbench(...args: string[]) {
  const result = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

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
    expect(report.runners).toContainEqual(expect.objectContaining({ name: 'node-cpu', available: true }));
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
    expect(stderr).toContain("unknown command 'bogus'");
  });
});
