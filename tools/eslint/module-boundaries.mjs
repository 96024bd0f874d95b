// ESLint rule: the workspace's dependency direction, configured like Nx's
// @nx/enforce-module-boundaries (tags from each package.json's "nx.tags").
// Nx's own plugin has no release for Nx 24, so this small rule stands in for it.
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';

/** Workspace projects: { root, name, tags }, read once from the npm workspace folders. */
export function readProjects(workspaceRoot) {
  const rootManifest = JSON.parse(readFileSync(path.join(workspaceRoot, 'package.json'), 'utf8'));
  const folders = rootManifest.workspaces.flatMap((pattern) => {
    if (!pattern.endsWith('/*')) return [pattern];
    const parent = pattern.slice(0, -2);
    return readdirSync(path.join(workspaceRoot, parent), { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => `${parent}/${entry.name}`);
  });
  return folders
    .filter((folder) => existsSync(path.join(workspaceRoot, folder, 'package.json')))
    .map((folder) => {
      const manifest = JSON.parse(readFileSync(path.join(workspaceRoot, folder, 'package.json'), 'utf8'));
      return { root: path.join(workspaceRoot, folder), name: manifest.name, tags: manifest.nx?.tags ?? [] };
    });
}

function packageName(specifier) {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

const builtins = new Set(builtinModules);

export function createModuleBoundariesRule(workspaceRoot) {
  const projects = readProjects(workspaceRoot);
  const byName = new Map(projects.map((project) => [project.name, project]));
  const owner = (file) =>
    projects
      .filter((project) => file === project.root || file.startsWith(project.root + path.sep))
      .sort((a, b) => b.root.length - a.root.length)[0];

  return {
    meta: {
      type: 'problem',
      docs: { description: 'Enforce the workspace dependency direction by project tags.' },
      schema: [
        {
          type: 'object',
          properties: {
            depConstraints: {
              type: 'array',
              items: {
                type: 'object',
                properties: {
                  sourceTag: { type: 'string' },
                  onlyDependOnLibsWithTags: { type: 'array', items: { type: 'string' } },
                  bannedExternalImports: { type: 'array', items: { type: 'string' } },
                },
                required: ['sourceTag'],
                additionalProperties: false,
              },
            },
          },
          additionalProperties: false,
        },
      ],
    },
    create(context) {
      const source = owner(path.resolve(context.filename));
      if (!source) return {};
      const constraints = (context.options[0]?.depConstraints ?? []).filter((c) => source.tags.includes(c.sourceTag));
      const check = (node, specifier) => {
        if (typeof specifier !== 'string') return;
        if (specifier.startsWith('.')) {
          const target = path.resolve(path.dirname(context.filename), specifier);
          if (target !== source.root && !target.startsWith(source.root + path.sep)) {
            context.report({ node, message: `Relative import "${specifier}" leaves project ${source.name}; import the package by name.` });
          }
          return;
        }
        if (specifier.startsWith('node:') || builtins.has(specifier)) return;
        const name = packageName(specifier);
        const target = byName.get(name);
        if (target && target !== source) {
          for (const constraint of constraints) {
            const allowed = constraint.onlyDependOnLibsWithTags ?? ['*'];
            if (!allowed.includes('*') && !target.tags.some((tag) => allowed.includes(tag))) {
              context.report({
                node,
                message: `${source.name} (${constraint.sourceTag}) may not import ${name} (${target.tags.join(', ') || 'no tags'}); allowed: ${allowed.join(', ') || 'none'}.`,
              });
            }
          }
        }
        for (const constraint of constraints) {
          if ((constraint.bannedExternalImports ?? []).includes(name)) {
            context.report({ node, message: `${source.name} (${constraint.sourceTag}) may not import ${name}.` });
          }
        }
      };
      const fromSource = (node) => check(node, node.source?.value);
      return {
        ImportDeclaration: fromSource,
        ExportNamedDeclaration: fromSource,
        ExportAllDeclaration: fromSource,
        ImportExpression: (node) => check(node, node.source.type === 'Literal' ? node.source.value : undefined),
        CallExpression(node) {
          const [argument] = node.arguments;
          if (node.callee.type === 'Identifier' && node.callee.name === 'require' && argument?.type === 'Literal') {
            check(node, argument.value);
          }
        },
      };
    },
  };
}
