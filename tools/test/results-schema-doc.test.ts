import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
// @ts-expect-error -- a plain .mjs script without type declarations
import { resultsJsonSchema } from '../generate-results-schema.mjs';

describe('docs/results.schema.json', () => {
  it('is what the current zod schema generates (run `npm run docs:schema -w tools` after changing it)', async () => {
    const committed = await readFile(new URL('../../docs/results.schema.json', import.meta.url), 'utf8');
    expect(committed).toBe(resultsJsonSchema());
  });
});
