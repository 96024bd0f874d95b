import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliSandbox } from './cli-sandbox';

const { scratch, ortbench } = await cliSandbox('dispose');

// A custom runner with a mistake a plugin author makes (its session info has no settings), whose
// dispose() leaves a mark and whose session keeps the process alive until disposed, like a
// Chromium or a Python child would.
const marker = path.join(scratch, 'disposed');
const plugin = path.join(scratch, 'careless.mjs');
await writeFile(
  plugin,
  `import { writeFileSync } from 'node:fs';
export function register(registry) {
  const cpu = registry.get('node-cpu');
  registry.register({
    name: 'careless',
    description: 'node-cpu whose session info has no settings',
    async load(model, options) {
      const session = await cpu.load(model, options);
      const alive = setInterval(() => {}, 1000);
      return {
        inputs: session.inputs,
        outputs: session.outputs,
        info: { runner: 'careless', executionProvider: 'cpu' },
        run: (feeds) => session.run(feeds),
        dispose: async () => {
          clearInterval(alive);
          writeFileSync(${JSON.stringify(marker)}, 'yes');
          await session.dispose();
        },
      };
    },
  });
}
`,
);

describe('a configuration that fails after its session loaded', () => {
  it('disposes the session (the process does not hang on it) and records the error', () => {
    const { code, stderr } = ortbench('--plugin', plugin, 'bench', 'resnet50-tiny', '--runner', 'careless', '--batch', '1', '--iterations', '3', '--out', path.join(scratch, 'out'));
    expect(code, stderr).toBe(3);
    expect(existsSync(marker)).toBe(true);
  }, 120_000);
});
