import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: plain .mjs scripts without types
import { checkPackage } from '../release/check-packages.mjs';
// @ts-expect-error: plain .mjs scripts without types
import { publicPackages } from '../release/packages.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));

describe('each public package\'s tarball', () => {
  const packages: { name: string; dir: string }[] = publicPackages(root);

  it('leaves the private tooling out of the release', () => {
    expect(packages.map((p) => p.name)).toEqual(['@ortbench/core', '@ortbench/models', '@ortbench/preprocess', '@ortbench/reporters', '@ortbench/runners', '@ortbench/tasks', 'ortbench']);
  });

  for (const pkg of publicPackages(root) as { name: string; dir: string }[]) {
    it(`${pkg.name}: LICENSE, README, types, README links, publint and arethetypeswrong`, () => {
      const checks: { check: string; ok: boolean; detail?: string }[] = checkPackage(pkg);
      expect(checks.filter((c) => !c.ok).map((c) => `${c.check}: ${c.detail ?? ''}`)).toEqual([]);
    }, 120_000);
  }
});
