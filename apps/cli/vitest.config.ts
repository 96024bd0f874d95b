import { defineConfig } from 'vitest/config';

// Every test here spawns the built CLI (often several times): on a busy 2-core machine that
// outlasts vitest's 5 s default without anything being wrong.
export default defineConfig({
  test: { testTimeout: 120_000, hookTimeout: 120_000 },
});
