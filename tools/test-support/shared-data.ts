import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** ../shared beside the checkout; tests that need it skip with a reason, except in CI. */
export const SHARED = ((dir) => {
  if (existsSync(dir)) return dir;
  if (process.env.CI) throw new Error(`${dir} is missing; CI runs with ../shared beside the checkout`);
  console.warn(`skipping tests that need shared data: ${dir} not found`);
  return undefined;
})(fileURLToPath(new URL('../../../shared', import.meta.url)));
