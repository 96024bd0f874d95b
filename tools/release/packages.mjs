// The workspace's publishable packages: every workspace folder whose package.json is not private.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

/** [{ name, version, dir }] of each public package, in the root package.json's workspace order. */
export function publicPackages(root) {
  const manifest = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
  const folders = manifest.workspaces.flatMap((pattern) =>
    pattern.endsWith('/*') ? readdirSync(path.join(root, pattern.slice(0, -2))).sort().map((name) => path.join(pattern.slice(0, -2), name)) : [pattern],
  );
  return folders
    .filter((folder) => existsSync(path.join(root, folder, 'package.json')))
    .map((folder) => ({ dir: path.join(root, folder), ...JSON.parse(readFileSync(path.join(root, folder, 'package.json'), 'utf8')) }))
    .filter((pkg) => !pkg.private)
    .map(({ name, version, dir }) => ({ name, version, dir }));
}
