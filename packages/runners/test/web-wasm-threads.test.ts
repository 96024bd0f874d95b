import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';

const runners = new URL('../dist/node.js', import.meta.url).href;
const models = pathToFileURL(createRequire(import.meta.url).resolve('@ortbench/models')).href;

// onnxruntime-web fixes its wasm thread count once per process, inside the first create() —
// even one that fails. A fresh process, so no other test has started it.
const script = `
import { createWebWasmRunner } from '${runners}';
import { buildModel, encodeModel, presetSpec } from '${models}';
const runner = createWebWasmRunner();
try { await runner.load(new Uint8Array([1, 2, 3]), { threads: 2 }); } catch (error) { console.log('first:', error.code); }
try {
  const session = await runner.load(encodeModel(buildModel(presetSpec('resnet50-tiny', { batch: 1 }))).model, { threads: 1 });
  console.log('second loaded with threads', session.info.settings.threads);
} catch (error) { console.log('second:', error.code, error.message); }
`;

describe('web-wasm threads', () => {
  it('refuses a thread count other than the one the wasm already started with, even after a failed first load', () => {
    // A file, not --input-type: onnxruntime-web's worker threads inherit the process's flags.
    const directory = mkdtempSync(path.join(os.tmpdir(), 'ortbench-wasm-threads-'));
    const file = path.join(directory, 'threads.mjs');
    writeFileSync(file, script);
    const run = spawnSync(process.execPath, [file], { encoding: 'utf8' });
    rmSync(directory, { recursive: true, force: true });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toContain('first: MODEL_INVALID');
    expect(run.stdout).toMatch(/second: INVALID_ARGUMENT web-wasm: onnxruntime-web fixed its thread count at 2 when it first started in this process; 1 threads need a new process/);
  }, 60_000);
});
