import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const eslint = new ESLint({ cwd: root });

/** Lints `code` as if it lived at `file` (relative to the repo), with the repo's real config. */
async function boundaryErrors(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(root, file) });
  return result!.messages.filter((m) => m.ruleId === 'ortbench/module-boundaries').map((m) => m.message);
}

describe('module boundaries (lint)', () => {
  it('keeps core free of workspace packages and runtimes', async () => {
    expect(await boundaryErrors('packages/core/src/x.ts', "import * as ort from 'onnxruntime-node';\nexport { ort };\n")).toEqual([
      '@ortbench/core (type:core) may not import onnxruntime-node.',
    ]);
    expect(await boundaryErrors('packages/core/src/x.ts', "export { softmax } from '@ortbench/preprocess';\n")).toHaveLength(1);
    expect(await boundaryErrors('packages/core/src/x.ts', "export const s = await import('sharp');\n")).toHaveLength(1);
  });

  it('lets libraries import core only, never each other', async () => {
    expect(await boundaryErrors('packages/runners/src/x.ts', "export { RunnerRegistry } from '@ortbench/core';\n")).toEqual([]);
    expect(await boundaryErrors('packages/runners/src/x.ts', "export { softmax } from '@ortbench/preprocess';\n")).toEqual([
      '@ortbench/runners (type:lib) may not import @ortbench/preprocess (type:lib); allowed: type:core.',
    ]);
    expect(await boundaryErrors('packages/reporters/src/x.ts', "export * from '../../runners/src/index';\n")).toEqual([
      'Relative import "../../runners/src/index" leaves project @ortbench/reporters; import the package by name.',
    ]);
  });

  it('lets library tests use other libraries, never core or shipped code', async () => {
    expect(await boundaryErrors('packages/runners/test/x.test.ts', "export { buildBert } from '@ortbench/models';\n")).toEqual([]);
    expect(await boundaryErrors('packages/core/test/x.test.ts', "export { buildBert } from '@ortbench/models';\n")).toHaveLength(1);
    expect(await boundaryErrors('packages/runners/src/x.ts', "export { buildBert } from '@ortbench/models';\n")).toHaveLength(1);
  });

  it('admits the composition layer above the libraries, and nothing below it may import it', async () => {
    const code = "export * from '@ortbench/core';\nexport * from '@ortbench/runners/node';\nexport * from '@ortbench/models';\nexport * from '@ortbench/preprocess';\n";
    expect(await boundaryErrors('packages/tasks/src/x.ts', code)).toEqual([]);
    expect(await boundaryErrors('packages/runners/src/x.ts', "export { bench } from '@ortbench/tasks';\n")).toEqual([
      '@ortbench/runners (type:lib) may not import @ortbench/tasks (type:composition); allowed: type:core.',
    ]);
    expect(await boundaryErrors('packages/tasks/src/x.ts', "export { main } from 'ortbench';\n")).toHaveLength(1);
  });

  it('lets the CLI import every library and the composition layer', async () => {
    const code = "export * from '@ortbench/core';\nexport * from '@ortbench/runners/node';\nexport * from '@ortbench/reporters';\nexport * from '@ortbench/tasks';\n";
    expect(await boundaryErrors('apps/cli/src/x.ts', code)).toEqual([]);
  });
});
