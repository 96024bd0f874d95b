#!/usr/bin/env node
// Writes docs/results.schema.json from @ortbench/core's zod schema (run after `npm run build`).
// A test fails when the committed file is stale, so the published schema never drifts.
import { writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { RESULTS_SCHEMA_VERSION, resultsDocumentSchema } from '@ortbench/core';

/** The JSON Schema text for the current results schema version. */
export function resultsJsonSchema() {
  const schema = {
    ...z.toJSONSchema(resultsDocumentSchema),
    $id: `urn:ortbench:results:v${RESULTS_SCHEMA_VERSION}`,
    title: `ortbench results document, version ${RESULTS_SCHEMA_VERSION}`,
  };
  return `${JSON.stringify(schema, null, 2)}\n`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const target = fileURLToPath(new URL('../docs/results.schema.json', import.meta.url));
  await writeFile(target, resultsJsonSchema());
  console.log(`wrote ${target}`);
}
