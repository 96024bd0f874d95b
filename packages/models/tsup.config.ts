import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/index.ts'],
  format: ['esm', 'cjs'],
  // onnx-proto's declarations name protobufjs's global `Long` without referencing it: the reference
  // on top of ours lets a project that lists its `types` and checks libraries still find it.
  dts: { banner: '/// <reference types="long" />' },
  clean: true,
  target: 'node20',
  sourcemap: true,
  // import.meta.url (for createRequire of onnx-proto) in the CommonJS build too.
  shims: true,
});
