#!/usr/bin/env node
// The nx-release-publish target of each public package (`nx release publish [--registry URL]
// [--tag T] [--dry-run]`): `npm publish` from the package's folder, skipped when that version is
// already on the registry, so a publish that failed half-way can simply be run again.
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

const option = (name) => {
  const prefix = `--${name}=`;
  const found = process.argv.find((arg) => arg.startsWith(prefix));
  return found && found.slice(prefix.length) !== 'undefined' ? found.slice(prefix.length) : undefined;
};
const registry = option('registry');
const tag = option('tag');
const dryRun = process.argv.includes('--dry-run') || option('dryRun') === 'true';
const { name, version } = JSON.parse(readFileSync('package.json', 'utf8'));
const where = registry ? ['--registry', registry] : [];

const published = spawnSync('npm', ['view', `${name}@${version}`, 'version', ...where], { encoding: 'utf8' });
if (published.status === 0 && published.stdout.trim() === version) {
  console.log(`${name}@${version} is already published${registry ? ` on ${registry}` : ''}: skipped`);
  process.exit(0);
}
execFileSync('npm', ['publish', '--access', 'public', ...where, ...(tag ? ['--tag', tag] : []), ...(dryRun ? ['--dry-run'] : [])], { stdio: 'inherit' });
