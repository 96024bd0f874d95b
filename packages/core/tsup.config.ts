import { defineConfig } from 'tsup';

export default defineConfig({
  // lane-worker is loaded by path from worker-lanes (new URL('./lane-worker.js', import.meta.url)).
  entry: ['src/index.ts', 'src/node.ts', 'src/lane-worker.ts'],
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  target: 'node20',
  sourcemap: true,
  // import.meta.url in the CommonJS build too.
  shims: true,
});
