#!/usr/bin/env node
// What each public package's tarball holds, checked the way a consumer meets it: `npm pack`'s file
// list and sizes, then publint (package.json against the files) and arethetypeswrong (types
// resolve for ESM and CommonJS consumers; node16 profile: subpath exports need Node ≥ 12.7, and
// every package requires Node ≥ 20). Prints a table; exit 1 when any check fails.
//   node tools/release/check-packages.mjs        (after `npm run build`)
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { publicPackages } from './packages.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));
const bin = (name) => path.join(root, 'node_modules/.bin', name);

/** npm pack --dry-run for one package: sizes and file list. */
export function packInfo(dir) {
  const result = spawnSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: dir, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`npm pack in ${dir} failed: ${result.stderr}`);
  const [info] = JSON.parse(result.stdout);
  return { size: info.size, unpackedSize: info.unpackedSize, files: info.files.map((f) => f.path) };
}

/** Every check of one package: [{ check, ok, detail }]. */
export function checkPackage(pkg) {
  const { files } = packInfo(pkg.dir);
  const checks = [
    { check: 'LICENSE', ok: files.includes('LICENSE') },
    { check: 'README.md', ok: files.includes('README.md') },
    { check: 'types', ok: pkg.name === 'ortbench' || files.some((f) => f.endsWith('.d.ts')) },
    { check: 'no bundled node_modules', ok: !files.some((f) => f.includes('node_modules/')) },
  ];
  // A README link to a file of the package itself must reach a file that is in the tarball.
  const readme = readFileSync(path.join(pkg.dir, 'README.md'), 'utf8');
  const missing = [...readme.matchAll(/\]\(([^)#\s]+)\)/g)].map((m) => m[1]).filter((link) => !/^[a-z]+:|^\.\.\//.test(link) && !files.includes(path.normalize(link)));
  checks.push({ check: 'README links', ok: missing.length === 0, detail: `not in the tarball: ${missing.join(', ')}` });
  const publint = spawnSync(bin('publint'), ['--strict'], { cwd: pkg.dir, encoding: 'utf8' });
  checks.push({ check: 'publint', ok: publint.status === 0, detail: publint.stdout + publint.stderr });
  if (pkg.name !== 'ortbench') {
    const attw = spawnSync(bin('attw'), ['--pack', pkg.dir, '--profile', 'node16', '--format', 'ascii'], { cwd: root, encoding: 'utf8' });
    checks.push({ check: 'arethetypeswrong', ok: attw.status === 0, detail: attw.stdout + attw.stderr });
  }
  return checks;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  let failed = false;
  console.log('| package | packed | unpacked | files | checks |');
  console.log('|---|---:|---:|---:|---|');
  for (const pkg of publicPackages(root)) {
    const { size, unpackedSize, files } = packInfo(pkg.dir);
    const checks = checkPackage(pkg);
    failed ||= checks.some((c) => !c.ok);
    const kb = (bytes) => `${(bytes / 1024).toFixed(1)} kB`;
    console.log(`| ${pkg.name} | ${kb(size)} | ${kb(unpackedSize)} | ${files.length} | ${checks.map((c) => `${c.ok ? '✓' : '✗'} ${c.check}`).join(', ')} |`);
    for (const c of checks.filter((c) => !c.ok && c.detail)) console.error(`${pkg.name} ${c.check}:\n${c.detail}`);
  }
  process.exitCode = failed ? 1 : 0;
}
