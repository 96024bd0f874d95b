import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/index.ts'],
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  target: 'node20',
  sourcemap: true,
  // onnx-proto is CommonJS whose `onnx` export Node's ESM loader cannot detect, so it is
  // bundled; its own require() of protobufjs then needs a real require in the ESM build.
  noExternal: ['onnx-proto'],
  banner: ({ format }) =>
    format === 'esm' ? { js: "import { createRequire as __ortbenchRequire } from 'node:module';\nconst require = __ortbenchRequire(import.meta.url);" } : {},
});
