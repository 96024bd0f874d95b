#!/usr/bin/env node
// Adds to package-lock.json the platform binaries (other OSes and CPUs) that a package lists as
// optionalDependencies but that npm left out because the registry this repo is developed
// against serves only linux-gnu builds. Without them `npm ci` stops with "Missing: … from
// lock file". Each entry carries os/cpu/libc, so npm skips it on other platforms without
// fetching, and fetches it from the public registry on the platform it is for.
// Run after every `npm install` that changes the lock file: node tools/complete-lockfile.mjs
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const lockPath = fileURLToPath(new URL('../package-lock.json', import.meta.url));
const lock = JSON.parse(readFileSync(lockPath, 'utf8'));
const packages = lock.packages;

/** os/cpu/libc from a platform package name such as nx-linux-x64-musl or rollup-win32-ia32-msvc. */
export function platformOf(name) {
  const tokens = name.split('/').pop().split('-');
  const os = ['darwin', 'linux', 'win32', 'freebsd', 'openbsd', 'android', 'openharmony', 'sunos', 'aix', 'netbsd'].find((t) => tokens.includes(t));
  const cpu = ['arm64', 'x64', 'ia32', 'arm', 'loong64', 'ppc64', 'riscv64', 's390x', 'mips64el'].find((t) => tokens.includes(t));
  if (!os || !cpu) return undefined;
  const platform = { os: [os], cpu: [cpu] };
  if (os === 'linux') {
    if (tokens.includes('musl') || tokens.includes('musleabihf')) platform.libc = ['musl'];
    else if (tokens.some((t) => t.startsWith('gnu'))) platform.libc = ['glibc'];
  }
  return platform;
}

let added = 0;
for (const [key, entry] of Object.entries(packages)) {
  for (const [name, range] of Object.entries(entry.optionalDependencies ?? {})) {
    const location = `${key ? `${key}/` : ''}node_modules/${name}`.replace(/^.*?node_modules\/(?=[^/]+\/node_modules)/, '');
    const hoisted = `node_modules/${name}`;
    if (packages[hoisted] || packages[location]) continue;
    const platform = platformOf(name);
    const version = /^\d+\.\d+\.\d+$/.test(range) ? range : undefined;
    if (!platform || !version) continue; // not a pinned platform binary: leave it to npm
    packages[hoisted] = { version, ...(entry.dev ? { dev: true } : {}), optional: true, ...platform };
    added++;
  }
}
const sorted = Object.fromEntries(Object.entries(packages).sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a.localeCompare(b))));
lock.packages = sorted;
writeFileSync(lockPath, `${JSON.stringify(lock, null, 2)}\n`);
console.log(`complete-lockfile: added ${added} platform entries`);
