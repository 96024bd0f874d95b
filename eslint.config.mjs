import path from 'node:path';
import { fileURLToPath } from 'node:url';
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';
import { createModuleBoundariesRule } from './tools/eslint/module-boundaries.mjs';

const workspaceRoot = path.dirname(fileURLToPath(import.meta.url));
const runtimes = ['onnxruntime-node', 'onnxruntime-web', 'onnxruntime-common', 'sharp', 'playwright-core'];

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', '**/.nx/**', '**/coverage/**', 'tools/.readme-examples/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    plugins: { ortbench: { rules: { 'module-boundaries': createModuleBoundariesRule(workspaceRoot) } } },
    rules: {
      'ortbench/module-boundaries': [
        'error',
        {
          depConstraints: [
            { sourceTag: 'type:core', onlyDependOnLibsWithTags: [], bannedExternalImports: runtimes },
            { sourceTag: 'type:lib', onlyDependOnLibsWithTags: ['type:core'] },
            // The composition layer: tasks that need several libraries (runners + models + preprocess).
            { sourceTag: 'type:composition', onlyDependOnLibsWithTags: ['type:core', 'type:lib'] },
            { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:core', 'type:lib', 'type:composition'] },
            { sourceTag: 'type:tool', onlyDependOnLibsWithTags: ['*'] },
          ],
        },
      ],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-restricted-syntax': ['error', { selector: 'ExportDefaultDeclaration', message: 'Use named exports.' }],
    },
  },
  {
    // Tests may use other libraries and the repo's test support (tools/test-support) as
    // devDependencies, e.g. build their models with @ortbench/models; shipped code may not.
    files: ['packages/*/test/**', 'apps/*/test/**'],
    rules: {
      'ortbench/module-boundaries': [
        'error',
        {
          depConstraints: [
            { sourceTag: 'type:core', onlyDependOnLibsWithTags: [], bannedExternalImports: runtimes },
            { sourceTag: 'type:lib', onlyDependOnLibsWithTags: ['type:core', 'type:lib', 'type:tool'] },
            { sourceTag: 'type:composition', onlyDependOnLibsWithTags: ['type:core', 'type:lib', 'type:tool'] },
            { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:core', 'type:lib', 'type:composition', 'type:tool'] },
          ],
        },
      ],
    },
  },
  {
    // CommonJS modules loaded by tools that require() them (nx release's version actions).
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // Config files are loaded by their tools, which expect a default export.
    files: ['**/*.config.ts', '**/*.config.mjs', 'eslint.config.mjs'],
    rules: { 'no-restricted-syntax': 'off' },
  },
);
