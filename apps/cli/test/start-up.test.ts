import { spawnSync } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, cliSandbox } from './cli-sandbox';

const { scratch, env } = await cliSandbox('start-up');

// Every module the command resolves is logged by a resolve hook: a command loads only what it uses.
await writeFile(
  path.join(scratch, 'hooks.mjs'),
  `import { appendFileSync } from 'node:fs';
export async function resolve(specifier, context, next) {
  const result = await next(specifier, context);
  appendFileSync(process.env.LOAD_LOG, result.url + '\\n');
  return result;
}`,
);
await writeFile(path.join(scratch, 'register.mjs'), `import { register } from 'node:module';\nregister('./hooks.mjs', import.meta.url);\n`);

describe('start-up', { timeout: 120_000 }, () => {
  it('classify loads neither the fleet (bullmq, ioredis) nor onnxruntime-web', async () => {
    const sharp = (await import('sharp')).default;
    const photo = path.join(scratch, 'photo.png');
    await sharp({ create: { width: 64, height: 48, channels: 3, background: '#808040' } }).png().toFile(photo);
    const log = path.join(scratch, 'loaded.txt');
    const run = spawnSync(process.execPath, ['--import', path.join(scratch, 'register.mjs'), BIN, 'classify', photo, '--model', 'resnet50-tiny', '--json'], { encoding: 'utf8', env: { ...env, LOAD_LOG: log }, cwd: scratch });
    expect(run.status, run.stderr).toBe(0);
    const loaded = await readFile(log, 'utf8');
    expect(loaded).toContain('onnxruntime-node'); // the hook saw the modules it did load
    for (const unused of ['bullmq', 'ioredis', 'onnxruntime-web']) expect(loaded, unused).not.toContain(`/node_modules/${unused}/`);
  });
});
