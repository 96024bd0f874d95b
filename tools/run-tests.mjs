#!/usr/bin/env node
// `npm test`: every package's tests through Nx, never replayed from its task cache, then one
// closing line with the totals across packages — what CI reads to count the tests that ran.
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { summarizeTests } from './test-totals.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const packages = ['packages/core', 'packages/models', 'packages/preprocess', 'packages/reporters', 'packages/runners', 'packages/tasks', 'apps/cli', 'tools'];
const reports = packages.map((folder) => path.join(root, folder, '.test-results.json'));
// A report left by an earlier run must not be counted as this one's.
for (const report of reports) rmSync(report, { force: true });

function readReport(file) {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}

/** The package's test files on disk (Vitest's default pattern, which every package uses). */
function testFilesOf(dir) {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && /\.test\.[cm]?[jt]s$/.test(entry.name))
    .map((entry) => path.join(entry.parentPath, entry.name))
    .filter((file) => !path.relative(dir, file).split(path.sep).some((part) => part === 'node_modules' || part === 'dist'));
}

const nx = spawnSync('npx', ['nx', 'run-many', '-t', 'test', '--outputStyle=static', '--skip-nx-cache', ...process.argv.slice(2)], { cwd: root, stdio: 'inherit' });

const runs = packages.map((folder, index) => ({
  folder,
  dir: path.join(root, folder),
  report: readReport(reports[index]),
  testFiles: testFilesOf(path.join(root, folder)),
}));
const { line, problems, ok } = summarizeTests(runs, { ci: Boolean(process.env.CI) });
for (const problem of problems) console.log(problem);
console.log(line);
process.exit(nx.status === 0 && ok ? 0 : 1);
