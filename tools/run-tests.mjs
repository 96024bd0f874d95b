#!/usr/bin/env node
// `npm test`: every package's tests through Nx, never replayed from its task cache, then one
// closing line with the totals across packages — what CI reads to count the tests that ran.
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const packages = ['packages/core', 'packages/models', 'packages/preprocess', 'packages/reporters', 'packages/runners', 'packages/tasks', 'apps/cli', 'tools'];
const reports = packages.map((folder) => path.join(root, folder, '.test-results.json'));
// A report left by an earlier run must not be counted as this one's.
for (const report of reports) rmSync(report, { force: true });

const nx = spawnSync('npx', ['nx', 'run-many', '-t', 'test', '--outputStyle=static', '--skip-nx-cache', ...process.argv.slice(2)], { cwd: root, stdio: 'inherit' });

const totals = { passed: 0, failed: 0, skipped: 0 };
const missing = [];
// A test file that failed outside its tests (a hook, an import) counts its tests as passed: name it.
const brokenFiles = [];
for (const [index, report] of reports.entries()) {
  let json;
  try {
    json = JSON.parse(readFileSync(report, 'utf8'));
  } catch {
    missing.push(packages[index]);
    continue;
  }
  totals.passed += json.numPassedTests;
  totals.failed += json.numFailedTests;
  totals.skipped += json.numPendingTests + json.numTodoTests;
  for (const file of json.testResults ?? []) {
    if (file.status === 'failed' && (file.assertionResults ?? []).every((a) => a.status !== 'failed')) brokenFiles.push(`${packages[index]}/${path.relative(path.join(root, packages[index]), file.name)}: ${(file.message ?? '').split('\n')[0]}`);
  }
}
for (const file of brokenFiles) console.log(`failed outside its tests: ${file}`);
if (missing.length) console.log(`no test report from ${missing.join(', ')} (its tests did not run, or did not finish)`);
console.log(`total: ${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exit(nx.status === 0 && totals.failed === 0 && missing.length === 0 && brokenFiles.length === 0 ? 0 : 1);
