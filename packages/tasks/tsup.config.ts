import { defineConfig } from 'tsup';

export default defineConfig({
  // Loaded by path: worker-runners in each measuring worker thread (--concurrency), measure-child
  // as the child process of an isolated configuration (--isolate).
  entry: ['src/index.ts', 'src/worker-runners.ts', 'src/measure-child.ts'],
  format: ['esm', 'cjs'],
  dts: { entry: 'src/index.ts' },
  clean: true,
  target: 'node20',
  sourcemap: true,
  // import.meta.url (for the entries loaded by path) in the CommonJS build too.
  shims: true,
});
