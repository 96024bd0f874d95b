import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs script without types
import { summarizeTests } from '../test-totals.mjs';

// Vitest JSON reports in the shape `--reporter=json` writes them, for a package in /w/pkg.
type Status = 'passed' | 'failed' | 'pending' | 'skipped' | 'todo';
function report(files: Record<string, Status[]>, fileStatus: Record<string, string> = {}) {
  const all = Object.values(files).flat();
  const count = (status: Status) => all.filter((s) => s === status).length;
  return {
    numTotalTests: all.length,
    numPassedTests: count('passed'),
    numFailedTests: count('failed'),
    numPendingTests: count('pending') + count('skipped'),
    numTodoTests: count('todo'),
    testResults: Object.entries(files).map(([name, tests]) => ({
      name: `/w/pkg/${name}`,
      status: fileStatus[name] ?? (tests.includes('failed') ? 'failed' : 'passed'),
      message: fileStatus[name] ? 'Error: Hook timed out in 60000ms.\n    at …' : '',
      assertionResults: tests.map((status, i) => ({ status, title: `t${i}`, fullName: `suite t${i}` })),
    })),
  };
}
const pkg = (r: unknown, testFiles = ['/w/pkg/test/a.test.ts', '/w/pkg/test/b.test.ts']) => ({ folder: 'pkg', dir: '/w/pkg', report: r, testFiles });

describe('npm test totals', () => {
  it('adds up every package and says how many of the declared tests ran', () => {
    const summary = summarizeTests([pkg(report({ 'test/a.test.ts': ['passed', 'passed'], 'test/b.test.ts': ['passed', 'pending'] })), { ...pkg(report({ 'test/a.test.ts': ['failed'] }), ['/w/pkg/test/a.test.ts']) }]);
    expect(summary.totals).toMatchObject({ passed: 3, failed: 1, skipped: 1, declared: 5, files: 3 });
    expect(summary.line).toBe('total: 3 passed, 1 failed, 1 skipped; 4 of 5 tests in 3 files ran');
    expect(summary.ok).toBe(false);
  });

  it('a package without a report (a replayed cache, a crash) is a problem, not zero tests', () => {
    const summary = summarizeTests([pkg(report({ 'test/a.test.ts': ['passed'], 'test/b.test.ts': ['passed'] })), pkg(undefined)]);
    expect(summary.problems).toEqual(['no test report from pkg (its tests did not run, or did not finish)']);
    expect(summary.ok).toBe(false);
  });

  it('a test file on disk that Vitest never collected is named', () => {
    const summary = summarizeTests([pkg(report({ 'test/a.test.ts': ['passed'] }))]);
    expect(summary.problems).toEqual(['not run: pkg/test/b.test.ts']);
  });

  it('a file that failed in a hook, with every test passed, is named', () => {
    const summary = summarizeTests([pkg(report({ 'test/a.test.ts': ['passed'], 'test/b.test.ts': ['passed'] }, { 'test/b.test.ts': 'failed' }))]);
    expect(summary.problems).toEqual(['failed outside its tests: pkg/test/b.test.ts: Error: Hook timed out in 60000ms.']);
  });

  it('a skip passes on a developer machine and fails in CI, naming the test', () => {
    const reports = [pkg(report({ 'test/a.test.ts': ['passed'], 'test/b.test.ts': ['skipped', 'todo'] }))];
    expect(summarizeTests(reports).ok).toBe(true);
    const ci = summarizeTests(reports, { ci: true });
    expect(ci.ok).toBe(false);
    expect(ci.problems).toEqual(['skipped in CI, which installs what every test needs: pkg/test/b.test.ts > suite t0', 'skipped in CI, which installs what every test needs: pkg/test/b.test.ts > suite t1']);
  });
});
