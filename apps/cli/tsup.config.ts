import { defineConfig } from 'tsup';

export default defineConfig({
  // worker-runners is loaded by path in each measuring worker thread (bench-measure.ts).
  entry: ['src/main.ts', 'src/worker-runners.ts'],
  format: ['esm'],
  dts: false,
  clean: true,
  target: 'node20',
  sourcemap: true,
});
