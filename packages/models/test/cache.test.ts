import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { modelCacheDir } from '../src/index';

describe('modelCacheDir', () => {
  it('prefers ORTBENCH_CACHE_DIR, resolved to an absolute path', () => {
    expect(modelCacheDir({ ORTBENCH_CACHE_DIR: 'rel/cache', XDG_CACHE_HOME: '/xdg' })).toBe(path.resolve('rel/cache'));
  });

  it('uses an absolute XDG_CACHE_HOME and ignores a relative one', () => {
    expect(modelCacheDir({ XDG_CACHE_HOME: '/var/cache/me' })).toBe('/var/cache/me/ortbench');
    expect(modelCacheDir({ XDG_CACHE_HOME: 'relative' })).toBe(path.join(os.homedir(), '.cache', 'ortbench'));
  });

  it('falls back to ~/.cache/ortbench', () => {
    expect(modelCacheDir({})).toBe(path.join(os.homedir(), '.cache', 'ortbench'));
  });
});
