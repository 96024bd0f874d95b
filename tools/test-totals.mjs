// What `npm test` concludes from each package's Vitest JSON report: the totals across packages,
// and every way a test could have been asked for and not run. Kept apart from run-tests.mjs so
// that its rules are tested without running the suite.
import path from 'node:path';

/**
 * @typedef {{ folder: string, dir: string, report?: any, testFiles: string[] }} PackageRun
 *   folder: the package's folder as printed; dir: its absolute path; report: its parsed Vitest
 *   JSON report (undefined when it wrote none); testFiles: the absolute paths of its test files.
 */

/** Totals and problems across packages. `ci`: a skip is a failure there (CI installs every tool). */
export function summarizeTests(/** @type {PackageRun[]} */ runs, { ci = false } = {}) {
  const totals = { passed: 0, failed: 0, skipped: 0, declared: 0, files: 0 };
  const problems = [];
  for (const { folder, dir, report, testFiles } of runs) {
    if (!report) {
      problems.push(`no test report from ${folder} (its tests did not run, or did not finish)`);
      continue;
    }
    totals.passed += report.numPassedTests;
    totals.failed += report.numFailedTests;
    totals.skipped += report.numPendingTests + report.numTodoTests;
    totals.declared += report.numTotalTests;
    const reported = new Set((report.testResults ?? []).map((file) => file.name));
    totals.files += reported.size;
    // A file Vitest never collected (an include pattern, a filter) ran none of its tests.
    for (const file of testFiles) if (!reported.has(file)) problems.push(`not run: ${folder}/${path.relative(dir, file)}`);
    for (const file of report.testResults ?? []) {
      const tests = file.assertionResults ?? [];
      const relative = `${folder}/${path.relative(dir, file.name)}`;
      // A file that failed outside its tests (a hook, an import) counts its tests as passed: name it.
      if (file.status === 'failed' && tests.every((test) => test.status !== 'failed')) problems.push(`failed outside its tests: ${relative}: ${(file.message ?? '').split('\n')[0]}`);
      if (ci) for (const test of tests) if (test.status === 'pending' || test.status === 'skipped' || test.status === 'todo') problems.push(`skipped in CI, which installs what every test needs: ${relative} > ${test.fullName ?? test.title}`);
    }
  }
  const executed = totals.passed + totals.failed;
  const line = `total: ${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped; ${executed} of ${totals.declared} tests in ${totals.files} files ran`;
  return { totals, executed, problems, line, ok: totals.failed === 0 && problems.length === 0 };
}
