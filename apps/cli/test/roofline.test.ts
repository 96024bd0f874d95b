import { readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseResults } from '@ortbench/core';
import { cliSandbox } from './cli-sandbox';

const { scratch, ortbench } = await cliSandbox('roofline');

// node-cpu that reports its own timing: the roofline's reference MatMul (input "a") 100 ms a run,
// the model 0.01 ms — a model "faster than the ceiling", as fused kernels can be.
const plugin = path.join(scratch, 'fast-model.mjs');
await writeFile(
  plugin,
  `export function register(registry) {
  const cpu = registry.get('node-cpu');
  registry.register({
    name: 'fastmodel',
    description: 'node-cpu with its own timing',
    async load(model, options) {
      const session = await cpu.load(model, options);
      const matmul = session.inputs.some((i) => i.name === 'a');
      return {
        inputs: session.inputs,
        outputs: session.outputs,
        info: { ...session.info, runner: 'fastmodel' },
        run: async (feeds, runOptions) => ({ ...(await session.run(feeds, runOptions)), timing: { inferenceNs: matmul ? 100e6 : 1e4 } }),
        dispose: () => session.dispose(),
      };
    },
  });
}
`,
);

describe('the roofline above 100 %', () => {
  it('re-measures the ceiling, and when the model still beats it says why, in every format', () => {
    const out = path.join(scratch, 'r');
    const { code, stderr } = ortbench('--plugin', plugin, 'bench', 'resnet50-tiny', '--runner', 'fastmodel', '--batch', '1', '--roofline', '--iterations', '10', '--out', out);
    expect(code, stderr).toBe(0);
    const [result] = parseResults(readFileSync(path.join(out, 'results.json'), 'utf8')).results;
    const m = result?.status === 'completed' ? result.measurement : undefined;
    expect(m!.compute!.fractionOfPeak).toBeGreaterThan(1);
    const note = /roofline: [\d.]+ % of the runner's MatMul rate, re-measured just now — this model's kernels ran faster than the reference MatMul/;
    expect(m!.stability.notes.some((n) => note.test(n))).toBe(true);
    for (const name of ['results.md', 'report.html', 'results.csv']) expect(readFileSync(path.join(out, name), 'utf8'), name).toMatch(/MatMul rate, re-measured just now — this model's kernels|MatMul rate, re-measured just now — this model&#39;s kernels/);
  }, 120_000);
});
