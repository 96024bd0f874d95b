import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';

const require = createRequire(import.meta.url);
type Tree = { read(file: string, encoding: string): string | undefined; write(file: string, content: string): void };
type Actions = {
  updateProjectVersion(tree: Tree, version: string): Promise<string[]>;
  updateProjectDependencies(tree: Tree, graph: unknown, updates: Record<string, string>): Promise<string[]>;
  readCurrentVersionFromSourceManifest(tree: Tree): Promise<{ currentVersion: string }>;
  readCurrentVersionOfDependency(tree: Tree, graph: unknown, project: string): Promise<{ currentVersion: string | null; dependencyCollection: string | null }>;
};
const NpmVersionActions = require('../release/npm-version-actions.cjs') as new (group: unknown, node: unknown, config: unknown) => Actions;

describe('nx release version actions for npm packages', () => {
  const manifest = { name: '@ortbench/tasks', version: '0.1.0', dependencies: { '@ortbench/core': '^0.1.0', zod: '^4.0.0' }, devDependencies: { '@ortbench/tools': '*' } };
  const files = new Map([['packages/tasks/package.json', JSON.stringify(manifest)]]);
  const tree: Tree = { read: (file) => files.get(file), write: (file, content) => void files.set(file, content) };
  const graph = { nodes: { '@ortbench/core': { data: { metadata: { js: { packageName: '@ortbench/core' } } } } } };
  const actions = new NpmVersionActions({}, { name: '@ortbench/tasks', data: { root: 'packages/tasks' } }, {});

  it('bumps the version and every workspace range together, leaving third-party ranges and private tooling alone', async () => {
    expect((await actions.readCurrentVersionFromSourceManifest(tree)).currentVersion).toBe('0.1.0');
    await actions.updateProjectVersion(tree, '0.2.0');
    await actions.updateProjectDependencies(tree, graph, { '@ortbench/core': '0.2.0', '@ortbench/tools': '0.0.1' });
    const written = JSON.parse(files.get('packages/tasks/package.json')!) as typeof manifest;
    expect(written.version).toBe('0.2.0');
    expect(written.dependencies).toEqual({ '@ortbench/core': '^0.2.0', zod: '^4.0.0' });
    expect(written.devDependencies).toEqual({ '@ortbench/tools': '*' });
    expect(await actions.readCurrentVersionOfDependency(tree, graph, '@ortbench/core')).toEqual({ currentVersion: '0.2.0', dependencyCollection: 'dependencies' });
  });
});
