import type { FedInputRecord, ResultsDocument } from '@ortbench/core';

/** One input as a cell: `x float32 [1, 3, 640, 640] random in [-2, 2]`. */
export function formatFedInput(input: FedInputRecord): string {
  return `${input.name} ${input.dtype} [${input.dims.join(', ')}] ${input.values}`;
}

/**
 * What the document's measurements were fed, one line per model input: its dtype, every shape
 * it was fed at (in order of first use) and how its values were made — so a report always says
 * which shapes were measured, even where the table's columns do not vary.
 */
export function inputLines(document: ResultsDocument): string[] {
  const byInput = new Map<string, { dtype: Set<string>; shapes: string[]; values: Set<string> }>();
  for (const result of document.results) {
    if (result.status !== 'completed') continue;
    for (const input of result.measurement.inputs ?? []) {
      const entry = byInput.get(input.name) ?? { dtype: new Set(), shapes: [], values: new Set() };
      entry.dtype.add(input.dtype);
      const shape = `[${input.dims.join(', ')}]`;
      if (!entry.shapes.includes(shape)) entry.shapes.push(shape);
      entry.values.add(input.values);
      byInput.set(input.name, entry);
    }
  }
  return [...byInput].map(([name, entry]) => `${name} ${[...entry.dtype].join('/')} ${entry.shapes.join(' · ')}: ${[...entry.values].join(' / ')}`);
}

/** The models a document measured, by file name (a path's folders say nothing in a title). */
export function modelNames(document: ResultsDocument): string[] {
  return [...new Set(document.results.map((r) => r.configuration.model).filter((m): m is string => Boolean(m)).map((m) => m.split(/[\\/]/).at(-1)!))];
}
