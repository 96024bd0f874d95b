import { spawn, spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll } from 'vitest';

/** The built CLI, as a user runs it. */
export const BIN = fileURLToPath(new URL('../bin/ortbench.js', import.meta.url));

/**
 * A scratch folder (removed after the file's tests) and a way to run the built CLI in it, with
 * colour off and models cached inside the scratch folder — never in the user's cache.
 */
export async function cliSandbox(name: string) {
  const scratch = await mkdtemp(path.join(os.tmpdir(), `ortbench-${name}-`));
  afterAll(() => rm(scratch, { recursive: true, force: true }));
  const env = { ...process.env, NO_COLOR: '1', ORTBENCH_CACHE_DIR: path.join(scratch, 'cache') };
  const ortbench = (...args: string[]) => {
    const result = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env, cwd: scratch });
    return { code: result.status, signal: result.signal, stdout: result.stdout, stderr: result.stderr };
  };
  /** Runs the CLI and sends SIGINT once `marker` appears on its stderr. */
  const interruptWhen = async (args: string[], marker: string): Promise<{ code: number | null; stderr: string }> => {
    const child = spawn(process.execPath, [BIN, ...args], { env, cwd: scratch });
    let stderr = '';
    const code = await new Promise<number | null>((resolve) => {
      child.stderr.on('data', (chunk: Buffer) => {
        stderr += chunk.toString();
        if (stderr.includes(marker) && !child.killed) child.kill('SIGINT');
      });
      child.on('close', resolve);
    });
    return { code, stderr };
  };
  return { scratch, env, ortbench, interruptWhen };
}
