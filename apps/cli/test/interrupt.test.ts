import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Measurement } from '@ortbench/core';
import { parseResults } from '@ortbench/core';
import { cliSandbox } from './cli-sandbox';

const { scratch, interruptWhen } = await cliSandbox('interrupt');

// node-cpu that says on stderr when its 12th run starts: past the first run and 5 warm-up runs,
// inside the steady state, whatever the machine's speed.
const plugin = path.join(scratch, 'announcing.mjs');
await writeFile(
  plugin,
  `export function register(registry) {
  const cpu = registry.get('node-cpu');
  registry.register({
    name: 'announcing',
    description: 'node-cpu that announces its 12th run',
    async load(model, options) {
      const session = await cpu.load(model, options);
      let runs = 0;
      return {
        inputs: session.inputs,
        outputs: session.outputs,
        info: { ...session.info, runner: 'announcing' },
        run: (feeds, runOptions) => {
          if (++runs === 12) process.stderr.write('steady state under way\\n');
          return session.run(feeds, runOptions);
        },
        dispose: () => session.dispose(),
      };
    },
  });
}
`,
);

/** One configuration on the announcing runner, interrupted in its steady state: its result, which must be kept and completed. */
async function interruptedAlone(name: string, ...extra: string[]): Promise<Measurement> {
  const out = path.join(scratch, name);
  const { code, stderr } = await interruptWhen(['--plugin', plugin, 'bench', 'resnet50-tiny', '--runner', 'announcing', '--batch', '1', '--iterations', '100000', ...extra, '--out', out], 'steady state under way');
  expect(code, stderr).toBe(130);
  const document = parseResults(await readFile(path.join(out, 'results.json'), 'utf8'));
  expect(document.partial).toBe(true);
  const [result] = document.results;
  if (result?.status !== 'completed') throw new Error(`expected a completed result, got ${JSON.stringify(result)}`);
  return result.measurement;
}

describe('Ctrl-C', () => {
  it('during the only configuration\'s steady state writes its runs so far, marked interrupted (it once wrote nothing)', async () => {
    const measurement = await interruptedAlone('single');
    expect(measurement.stability.stop).toBe('interrupted');
    expect(Number.isFinite(measurement.throughput.wallRunsPerSecond)).toBe(true);
  }, 60_000);

  it('during a scenario keeps the queries that finished, marked interrupted (it once kept none)', async () => {
    const measurement = await interruptedAlone('scenario', '--scenario', 'single-stream', '--duration', '600');
    expect(measurement.stability.stop).toBe('interrupted');
    expect(measurement.scenario?.insufficient).toMatch(/^interrupted after \d+ queries/);
    // The first run and warm-up were timed by the same loop as every measurement, before the queries.
    expect(measurement.phases.firstRunMs).toBeGreaterThan(0);
    expect(measurement.phases.iterations).toBeGreaterThan(0);
    expect(measurement.phases.iterations).toBe(measurement.latencyMs.count);
  }, 60_000);

  it('while configurations alternate run by run keeps every one, with the pairs they had, marked interrupted', async () => {
    const out = path.join(scratch, 'alternating');
    const { code, stderr } = await interruptWhen(['bench', 'resnet50-tiny', '--batch', '1,2,3', '--iterations', '100000', '--out', out], 'alternating run by run: round');
    expect(code, stderr).toBe(130);
    const document = parseResults(await readFile(path.join(out, 'results.json'), 'utf8'));
    expect(document.partial).toBe(true);
    expect(document.results.map((r) => r.status === 'completed' && [r.measurement.alternation?.mode, r.measurement.stability.stop])).toEqual([1, 2, 3].map(() => ['runs', 'interrupted']));
    // The pairs so far still give each batch its ratio to batch 1.
    const third = document.results[2]!;
    const comparison = third.status === 'completed' ? third.measurement.comparisons?.[0] : undefined;
    expect(comparison!.pairs + comparison!.excluded).toBeGreaterThanOrEqual(50);
  }, 60_000);
});
