import { mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cachedModelPath, ensureModel, modelCacheDir, presetSpec, readModel, inspectModel } from '../src/index';

const directory = await mkdtemp(path.join(os.tmpdir(), 'ortbench-cache-'));
afterAll(() => rm(directory, { recursive: true, force: true }));

describe('modelCacheDir', () => {
  it('prefers ORTBENCH_CACHE_DIR, resolved to an absolute path', () => {
    expect(modelCacheDir({ ORTBENCH_CACHE_DIR: 'rel/cache', XDG_CACHE_HOME: '/xdg' })).toBe(path.resolve('rel/cache'));
  });

  it('uses an absolute XDG_CACHE_HOME and ignores a relative one, else ~/.cache/ortbench', () => {
    expect(modelCacheDir({ XDG_CACHE_HOME: '/var/cache/me' })).toBe('/var/cache/me/ortbench');
    expect(modelCacheDir({ XDG_CACHE_HOME: 'relative' })).toBe(path.join(os.homedir(), '.cache', 'ortbench'));
    expect(modelCacheDir({})).toBe(path.join(os.homedir(), '.cache', 'ortbench'));
  });
});

describe('ensureModel', () => {
  it('builds once, then reuses the cached file', async () => {
    const spec = presetSpec('resnet50-tiny');
    const first = await ensureModel(spec, { cacheDir: directory });
    const second = await ensureModel(spec, { cacheDir: directory });
    expect(first.built).toBe(true);
    expect(second).toEqual({ path: first.path, built: false });
    expect(inspectModel(await readModel(first.path)).metadata.architecture).toBe('resnet50');
    expect(await readdir(path.dirname(first.path))).toEqual([path.basename(first.path)]);
  });

  it('keys the file by every option, defaults included', () => {
    const base = cachedModelPath(presetSpec('resnet50-tiny'), directory);
    expect(cachedModelPath(presetSpec('resnet50-tiny', { batch: 1 }), directory)).not.toBe(base);
    expect(cachedModelPath(presetSpec('resnet50-tiny', { opset: 17 }), directory)).toBe(base); // 17 is the default
    expect(cachedModelPath(presetSpec('bert-tiny'), directory)).toMatch(/models\/bert-[0-9a-f]{16}\.onnx$/);
  });

  it('refuses an unknown model name', () => {
    expect(() => presetSpec('resnet51')).toThrow(/unknown model "resnet51" \(built-in: resnet50, /);
  });
});
