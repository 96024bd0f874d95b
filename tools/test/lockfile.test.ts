import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
// @ts-expect-error -- a plain .mjs script without type declarations
import { missingPlatformEntries, platformOf } from '../complete-lockfile.mjs';

describe('package-lock.json', () => {
  it('lists every pinned platform binary, so `npm ci` works (run tools/complete-lockfile.mjs after npm install)', async () => {
    const lock = JSON.parse(await readFile(new URL('../../package-lock.json', import.meta.url), 'utf8'));
    expect(Object.keys(missingPlatformEntries(lock))).toEqual([]);
  });

  it('reads os, cpu and libc from platform package names', () => {
    expect(platformOf('@nx/nx-linux-x64-musl')).toEqual({ os: ['linux'], cpu: ['x64'], libc: ['musl'] });
    expect(platformOf('@rollup/rollup-linux-arm-gnueabihf')).toEqual({ os: ['linux'], cpu: ['arm'], libc: ['glibc'] });
    expect(platformOf('@rollup/rollup-win32-ia32-msvc')).toEqual({ os: ['win32'], cpu: ['ia32'] });
    expect(platformOf('@nx/nx-darwin-arm64')).toEqual({ os: ['darwin'], cpu: ['arm64'] });
    expect(platformOf('typescript')).toBeUndefined();
  });
});
