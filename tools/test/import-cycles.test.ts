import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs script without types
import { cycles, importGraph, repositoryCycles, sourceFiles } from '../import-cycles.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));
const scratch = await mkdtemp(path.join(os.tmpdir(), 'ortbench-cycles-'));
afterAll(() => rm(scratch, { recursive: true, force: true }));

describe('import cycles', () => {
  it('finds none in the repository: not among source files, not among packages', () => {
    expect(repositoryCycles(root)).toEqual([]);
  });

  it('finds a cycle through a type-only import and a dynamic import, and not a one-way chain', async () => {
    await mkdir(path.join(scratch, 'src', 'commands'), { recursive: true });
    await writeFile(path.join(scratch, 'src', 'commands', 'run.ts'), "import type { Flags } from '../actions/run';\nexport const x = 1;\n");
    await mkdir(path.join(scratch, 'src', 'actions'), { recursive: true });
    await writeFile(path.join(scratch, 'src', 'actions', 'run.ts'), "export interface Flags { a: number }\nexport const load = () => import('../commands/run.js');\n");
    await writeFile(path.join(scratch, 'src', 'leaf.ts'), "import { x } from './commands/run';\nexport const y = x;\n");
    const found: string[][] = cycles(importGraph(sourceFiles(scratch)));
    expect(found.map((component) => component.map((file) => path.relative(scratch, file)))).toEqual([['src/actions/run.ts', 'src/commands/run.ts']]);
  });
});
