import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/index.ts'],
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  target: 'node20',
  sourcemap: true,
  // import.meta.url (for createRequire of @huggingface/tokenizers) in the CommonJS build too.
  shims: true,
  // The ImageNet class names are bundled (with their Apache-2.0 notice) so that users do not
  // install @tensorflow-models/mobilenet and, through its peers, all of TensorFlow.js.
  noExternal: ['@tensorflow-models/mobilenet'],
});
