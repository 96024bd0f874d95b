#!/usr/bin/env node
// Finds import cycles: between source files (relative imports, static and dynamic, type-only
// included — a cycle of types is still a tangle) and between workspace packages (their
// package.json dependencies). Run: node tools/import-cycles.mjs   (exit 1 when there is one)
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const SOURCE = /\.(ts|mts|mjs|js)$/;
const SKIP = new Set(['node_modules', 'dist', '.nx', 'coverage', '.readme-examples']);
// import … from '…', export … from '…', import('…'), import '…'
const SPECIFIERS = /(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)['"](\.{1,2}\/[^'"]+)['"]/g;

/** Every source file under `directory`, recursively. */
export function sourceFiles(directory) {
  const files = [];
  for (const entry of readdirSync(directory, { withFileTypes: true })) {
    if (SKIP.has(entry.name)) continue;
    const full = path.join(directory, entry.name);
    if (entry.isDirectory()) files.push(...sourceFiles(full));
    else if (SOURCE.test(entry.name) && !entry.name.endsWith('.d.ts')) files.push(full);
  }
  return files;
}

// A specifier as the bundler resolves it: as written, with a source extension, or as a folder's index.
function resolve(from, specifier) {
  const base = path.resolve(path.dirname(from), specifier);
  const candidates = [base, ...['.ts', '.mts', '.mjs', '.js'].map((ext) => base.replace(/\.js$/, '') + ext), path.join(base, 'index.ts')];
  return candidates.find((file) => existsSync(file) && statSync(file).isFile());
}

/** The relative-import graph of the files: file → files it imports. */
export function importGraph(files) {
  const graph = new Map(files.map((file) => [file, new Set()]));
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    for (const match of text.matchAll(SPECIFIERS)) {
      const target = resolve(file, match[1]);
      if (target && graph.has(target)) graph.get(file).add(target);
    }
  }
  return graph;
}

/** Strongly connected components of more than one node (or a node importing itself): the cycles. */
export function cycles(graph) {
  let index = 0;
  const indices = new Map();
  const lowlinks = new Map();
  const stack = [];
  const onStack = new Set();
  const found = [];
  const visit = (node) => {
    indices.set(node, index);
    lowlinks.set(node, index++);
    stack.push(node);
    onStack.add(node);
    for (const next of graph.get(node) ?? []) {
      if (!indices.has(next)) {
        visit(next);
        lowlinks.set(node, Math.min(lowlinks.get(node), lowlinks.get(next)));
      } else if (onStack.has(next)) lowlinks.set(node, Math.min(lowlinks.get(node), indices.get(next)));
    }
    if (lowlinks.get(node) === indices.get(node)) {
      const component = [];
      let member;
      do {
        member = stack.pop();
        onStack.delete(member);
        component.push(member);
      } while (member !== node);
      if (component.length > 1 || graph.get(node)?.has(node)) found.push(component.sort());
    }
  };
  for (const node of graph.keys()) if (!indices.has(node)) visit(node);
  return found;
}

/** The workspace's packages as a graph: name → workspace packages it depends on (any kind of dependency). */
export function packageGraph(root) {
  const manifest = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
  const folders = manifest.workspaces.flatMap((pattern) =>
    pattern.endsWith('/*') ? readdirSync(path.join(root, pattern.slice(0, -2))).map((name) => path.join(pattern.slice(0, -2), name)) : [pattern],
  );
  const packages = folders.filter((folder) => existsSync(path.join(root, folder, 'package.json'))).map((folder) => JSON.parse(readFileSync(path.join(root, folder, 'package.json'), 'utf8')));
  const names = new Set(packages.map((p) => p.name));
  return new Map(packages.map((p) => [p.name, new Set(Object.keys({ ...p.dependencies, ...p.peerDependencies }).filter((name) => names.has(name)))]));
}

/** Every import cycle of the repository: among each project's source files, and among its packages. */
export function repositoryCycles(root) {
  const files = ['packages', 'apps', 'tools'].flatMap((folder) => (existsSync(path.join(root, folder)) ? sourceFiles(path.join(root, folder)) : []));
  const relative = (component) => component.map((file) => path.relative(root, file));
  return [...cycles(importGraph(files)).map(relative), ...cycles(packageGraph(root))];
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
  const found = repositoryCycles(root);
  for (const component of found) console.log(`cycle: ${component.join(' ⇄ ')}`);
  console.log(found.length ? `${found.length} import cycle(s)` : 'no import cycles');
  process.exitCode = found.length ? 1 : 0;
}
