#!/usr/bin/env node
// Adds to package-lock.json the platform binaries (other OSes and CPUs) that a package lists as
// optionalDependencies but that npm left out because the registry this repo is developed
// against serves only linux-gnu builds. Without them `npm ci` stops with "Missing: … from
// lock file". Each entry carries os/cpu/libc, so npm skips it on other platforms without
// fetching, and fetches it from the public registry on the platform it is for.
// Run after every `npm install` that changes the lock file: node tools/complete-lockfile.mjs
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const OSES = ['darwin', 'linux', 'win32', 'freebsd', 'openbsd', 'android', 'openharmony', 'sunos', 'aix', 'netbsd'];
const CPUS = ['arm64', 'x64', 'ia32', 'arm', 'loong64', 'ppc64', 'riscv64', 's390x', 'mips64el'];

/** os/cpu/libc from a platform package name such as nx-linux-x64-musl or rollup-win32-ia32-msvc. */
export function platformOf(name) {
  const tokens = name.split('/').pop().split('-');
  const os = OSES.find((t) => tokens.includes(t));
  const cpu = CPUS.find((t) => tokens.includes(t));
  if (!os || !cpu) return undefined;
  const platform = { os: [os], cpu: [cpu] };
  if (os === 'linux') {
    if (tokens.includes('musl') || tokens.includes('musleabihf')) platform.libc = ['musl'];
    else if (tokens.some((t) => t.startsWith('gnu'))) platform.libc = ['glibc'];
  }
  return platform;
}

/** Lock entries to add: pinned platform binaries that some package wants and the lock lacks. */
export function missingPlatformEntries(lock) {
  const packages = lock.packages;
  const missing = {};
  for (const entry of Object.values(packages)) {
    for (const [name, range] of Object.entries(entry.optionalDependencies ?? {})) {
      const key = `node_modules/${name}`;
      if (packages[key] || missing[key]) continue;
      const platform = platformOf(name);
      if (!platform || !/^\d+\.\d+\.\d+$/.test(range)) continue; // not a pinned platform binary
      missing[key] = { version: range, ...(entry.dev ? { dev: true } : {}), optional: true, ...platform };
    }
  }
  return missing;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const lockPath = fileURLToPath(new URL('../package-lock.json', import.meta.url));
  const lock = JSON.parse(readFileSync(lockPath, 'utf8'));
  const missing = missingPlatformEntries(lock);
  // Appended, not sorted: npm puts them in its own order the next time it writes the file.
  if (Object.keys(missing).length > 0) {
    Object.assign(lock.packages, missing);
    writeFileSync(lockPath, `${JSON.stringify(lock, null, 2)}\n`);
  }
  console.log(`complete-lockfile: added ${Object.keys(missing).length} platform entries`);
}
