import { spawnSync } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, cliSandbox } from './cli-sandbox';

const { scratch, env } = await cliSandbox('start-up');

// Every module the command resolves is logged, by an ES module resolve hook and by a wrapper of
// CommonJS resolution (what createRequire loads): a command loads only what it uses.
await writeFile(
  path.join(scratch, 'hooks.mjs'),
  `import { appendFileSync } from 'node:fs';
export async function resolve(specifier, context, next) {
  const result = await next(specifier, context);
  appendFileSync(process.env.LOAD_LOG, result.url + '\\n');
  return result;
}`,
);
await writeFile(
  path.join(scratch, 'require-hook.cjs'),
  `const Module = require('node:module');
const { appendFileSync } = require('node:fs');
const resolveFilename = Module._resolveFilename;
Module._resolveFilename = function (...args) {
  const resolved = resolveFilename.apply(this, args);
  appendFileSync(process.env.LOAD_LOG, resolved + '\\n');
  return resolved;
};`,
);
await writeFile(path.join(scratch, 'register.mjs'), `import { register } from 'node:module';\nregister('./hooks.mjs', import.meta.url);\n`);

/** Runs the CLI with both hooks; the paths of every module it loaded. */
async function modulesLoadedBy(name: string, args: string[]): Promise<string> {
  const log = path.join(scratch, `${name}.loaded.txt`);
  const hooks = ['--require', path.join(scratch, 'require-hook.cjs'), '--import', path.join(scratch, 'register.mjs')];
  const run = spawnSync(process.execPath, [...hooks, BIN, ...args], { encoding: 'utf8', env: { ...env, LOAD_LOG: log }, cwd: scratch });
  expect(run.status, run.stderr).toBe(0);
  return readFile(log, 'utf8');
}

describe('start-up', { timeout: 120_000 }, () => {
  it('classify loads neither the fleet (bullmq, ioredis), onnxruntime-web nor the tokenizer', async () => {
    const sharp = (await import('sharp')).default;
    const photo = path.join(scratch, 'photo.png');
    await sharp({ create: { width: 64, height: 48, channels: 3, background: '#808040' } }).png().toFile(photo);
    const loaded = await modulesLoadedBy('classify', ['classify', photo, '--model', 'resnet50-tiny', '--json']);
    // The hooks saw the modules it did load, through import (the runner) and require (protobuf).
    expect(loaded).toContain('/node_modules/onnxruntime-node/');
    expect(loaded).toContain('/node_modules/protobufjs/');
    for (const unused of ['bullmq', 'ioredis', 'onnxruntime-web', '@huggingface/tokenizers']) expect(loaded, unused).not.toContain(`/node_modules/${unused}/`);
  });

  it('compare of two results files loads no runtime, no protobuf and no image library', async () => {
    const bench = spawnSync(process.execPath, [BIN, 'bench', 'resnet50-tiny', '--batch', '1', '--iterations', '6', '--out', 'one'], { encoding: 'utf8', env, cwd: scratch });
    expect(bench.status, bench.stderr).toBe(0);
    const results = path.join(scratch, 'one', 'results.json');
    const loaded = await modulesLoadedBy('compare', ['compare', results, results]);
    expect(loaded).toContain('/node_modules/zod/');
    for (const unused of ['onnxruntime-node', 'onnxruntime-web', 'onnx-proto', 'protobufjs', 'sharp', '@huggingface/tokenizers']) expect(loaded, unused).not.toContain(`/node_modules/${unused}/`);
  });
});
