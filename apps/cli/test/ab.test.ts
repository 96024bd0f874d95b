import { copyFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { cliSandbox } from './cli-sandbox';

const { scratch, ortbench } = await cliSandbox('ab');

// A runner that runs node-cpu but reports its own timing, as the browser runner does: 10 ms a
// run, 4 % more for a model whose file name says "slower", with a seeded ±3 % spread and, every
// few hundred runs, a 1.8× slow spell — a noisy machine whose figures do not depend on this one's load.
const plugin = path.join(scratch, 'timed.mjs');
await writeFile(
  plugin,
  `export function register(registry) {
  const cpu = registry.get('node-cpu');
  let runs = 0;
  let state = 7;
  const noise = () => { state = (state * 1664525 + 1013904223) >>> 0; return 0.97 + 0.06 * (state / 2 ** 32); };
  registry.register({
    name: 'timed',
    description: 'node-cpu with its own seeded timing',
    async load(model, options) {
      const { allowSpinning, ...rest } = options ?? {};
      const session = await cpu.load(model, rest);
      const base = /slower/.test(String(model)) ? 10.4e6 : 10e6;
      return {
        inputs: session.inputs,
        outputs: session.outputs,
        info: { ...session.info, runner: 'timed', settings: { ...session.info.settings, allowSpinning } },
        run: async (feeds) => {
          const result = await session.run(feeds);
          const spell = Math.floor(runs++ / 150) % 2 === 1 ? 1.8 : 1;
          return { ...result, timing: { inferenceNs: base * spell * noise() } };
        },
        dispose: () => session.dispose(),
      };
    },
  });
}
`,
);

const model = path.join(scratch, 'model.onnx');
const slower = path.join(scratch, 'model-slower.onnx');

beforeAll(async () => {
  const built = ortbench('models', 'build', 'resnet50-tiny', '--batch', '1', '--out', model);
  expect(built.code, built.stderr).toBe(0);
  await copyFile(model, slower);
}, 120_000);

describe('ortbench ab', () => {
  it('calls a 4 % slower B "slower" with the ratio and its interval, and exits 1', () => {
    const { code, stdout, stderr } = ortbench('--plugin', plugin, 'ab', model, slower, '--runner', 'timed', '--json');
    expect(code, stderr).toBe(1);
    const outcome = JSON.parse(stdout);
    expect(outcome.verdict).toBe('slower');
    expect(outcome.lower).toBeLessThanOrEqual(1.04);
    expect(outcome.upper).toBeGreaterThanOrEqual(1.04);
    expect(outcome.lower).toBeGreaterThan(1);
    expect(outcome.pairs).toBeGreaterThanOrEqual(30);
    expect(outcome.rule).toMatch(/same if the 95 % interval of B\/A lies within ±2 %/);
  }, 120_000);

  it('calls a model against itself "same" and exits 0; the other way round, "faster"', () => {
    const same = ortbench('--plugin', plugin, 'ab', model, model, '--runner', 'timed');
    expect(same.code, same.stderr).toBe(0);
    expect(same.stdout).toMatch(/^verdict: same$/m);
    expect(same.stdout).toMatch(/^B\/A time: [\d.]+× \(95 % CI [\d.]+–[\d.]+\), \d+ pairs alternated run by run/m);
    const faster = ortbench('--plugin', plugin, 'ab', slower, model, '--runner', 'timed', '--json');
    expect(faster.code, faster.stderr).toBe(0);
    expect(JSON.parse(faster.stdout).verdict).toBe('faster');
  }, 120_000);

  it('says unsure (exit 4) when the cap comes before the interval can rule out a change of the threshold', () => {
    const { code, stdout, stderr } = ortbench('--plugin', plugin, 'ab', model, model, '--runner', 'timed', '--threshold', '0.1%', '--max-duration', '0.3', '--json');
    expect(code, stderr).toBe(4);
    const outcome = JSON.parse(stdout);
    expect(outcome).toMatchObject({ verdict: 'unsure', stop: 'cap' });
    expect(outcome.lower).toBeLessThan(1);
    expect(outcome.upper).toBeGreaterThan(1);
  }, 120_000);

  it('loads ONNX Runtime sessions with thread spinning off, so the idle one does not slow the other', () => {
    const { code, stdout, stderr } = ortbench('ab', model, '--b', 'threads=1', '--max-duration', '0.3', '--json');
    expect([0, 1, 4], stderr).toContain(code);
    const outcome = JSON.parse(stdout);
    expect(outcome.a.settings.allowSpinning).toBe(false);
    expect(outcome.b.settings).toMatchObject({ allowSpinning: false, threads: 1 });
  }, 120_000);

  it('refuses one model with nothing for B to change, in one line', () => {
    const { code, stderr } = ortbench('ab', model);
    expect(code).toBe(2);
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toMatch(/INVALID_ARGUMENT: ab needs two models/);
  });
});
