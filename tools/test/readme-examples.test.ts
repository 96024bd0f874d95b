import { existsSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { benchmark, createResultsDocument, createTensor, expandMatrix, runSweep } from '@ortbench/core';
import { collectEnvironment, writeResultsFile } from '@ortbench/core/node';

// Every ```ts block of every package README is run for real, against the built packages; the
// first — the package's main use — in at most 15 lines. (```typescript marks a fragment, not run.)
const root = fileURLToPath(new URL('../..', import.meta.url));
const scratch = path.join(root, 'tools/.readme-examples');
const shared = path.resolve(root, '../shared');
const packages = ['core', 'preprocess', 'runners', 'reporters', 'models', 'tasks'];

afterAll(() => rm(scratch, { recursive: true, force: true }));
// Examples that build models must not write into the user's real cache.
process.env.ORTBENCH_CACHE_DIR = path.join(scratch, 'cache');

/** Files an example names, made real: a model from ../shared, a results file measured here. */
async function placeholders(): Promise<Record<string, string | undefined>> {
  const model = path.join(shared, 'models/mobilenetv2/mobilenetv2-12-dequantized-fp32.onnx');
  const results = path.join(scratch, 'results.json');
  const outcome = await runSweep(expandMatrix({ runners: ['sleep'], batchSizes: [1, 2] }), (configuration) =>
    benchmark({
      runner: {
        name: 'sleep',
        load: async () => ({
          inputs: [],
          outputs: [],
          info: { runner: 'sleep', executionProvider: 'js', settings: {} },
          run: async () => ({ outputs: { y: createTensor('float32', new Float32Array(1), [1]) } }),
          dispose: async () => {},
        }),
      },
      model: 'none',
      feeds: {},
      itemsPerRun: configuration.batchSize,
      stop: { minIterations: 5, minDurationMs: 0, ciTarget: 0 },
    }),
  );
  await writeResultsFile(results, createResultsDocument({ tool: { name: 'ortbench', version: '0' }, environment: collectEnvironment() }, outcome.results));
  const photo = path.join(shared, 'images/giant-panda.jpg');
  const vocab = path.join(shared, 'vocab/bert-base-uncased/vocab.txt');
  return {
    "'model.onnx'": existsSync(model) ? model : undefined,
    "'photo.jpg'": existsSync(photo) ? photo : undefined,
    "'vocab.txt'": existsSync(vocab) ? vocab : undefined,
    "'results.json'": results,
    "'reports/'": path.join(scratch, 'reports'),
  };
}

describe('package README examples run', async () => {
  await mkdir(scratch, { recursive: true });
  const files = await placeholders();
  for (const name of packages) {
    it(`@ortbench/${name}`, async (context) => {
      const readme = await readFile(path.join(root, 'packages', name, 'README.md'), 'utf8');
      const examples = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((match) => match[1]!);
      expect(examples.length, `packages/${name}/README.md has no \`\`\`ts example`).toBeGreaterThan(0);
      expect(examples[0]!.split('\n').filter((line) => line.trim()).length, `packages/${name}/README.md opens with more than 15 lines`).toBeLessThanOrEqual(15);
      for (const [i, example] of examples.entries()) {
        let code = example;
        for (const [literal, file] of Object.entries(files)) {
          if (!code.includes(literal)) continue;
          if (!file) {
            if (process.env.CI) throw new Error(`${shared} is missing in CI`);
            console.warn(`skipping the ${name} README examples: they need ${literal} from ../shared`);
            return context.skip();
          }
          code = code.replaceAll(literal, JSON.stringify(file));
        }
        const module = path.join(scratch, `${name}-${i + 1}.ts`);
        await writeFile(module, code);
        await expect(import(/* @vite-ignore */ module), `packages/${name}/README.md example ${i + 1}`).resolves.toBeDefined();
      }
    }, 180_000);
  }
});
