import { defineConfig } from 'vitest/config';

// The tasks load real models in real sessions; on a busy 2-core machine that outlasts vitest's 5 s default.
export default defineConfig({
  test: { testTimeout: 60_000 },
});
