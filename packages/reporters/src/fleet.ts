import type { ConfigurationResult, ResultsDocument } from '@ortbench/core';
import { configurationId, ErrorCode, OrtbenchError } from '@ortbench/core';
import { label } from './chart-options';

/**
 * A fleet sweep's workers, one line each: the machine, and which configurations it measured —
 * so a reader of any format knows where every figure came from. Empty for a local run.
 */
export function workerLines(document: ResultsDocument): string[] {
  if (!document.fleet) return [];
  const byWorker = new Map<string, ConfigurationResult[]>();
  for (const result of document.results) {
    if (result.measuredBy) byWorker.set(result.measuredBy.worker, [...(byWorker.get(result.measuredBy.worker) ?? []), result]);
  }
  return [...byWorker].map(([worker, results]) => {
    const m = results[0]!.measuredBy!;
    const machine = `${m.cpu}, ${m.logicalCores} cores, ${(m.memoryBytes / 2 ** 30).toFixed(1)} GiB, ${m.platform}${m.tags.length ? `, tags ${m.tags.join(',')}` : ''}, host ${m.hostname}`;
    return `${worker} (${machine}): ${results.map((r) => label(r)).join('; ')}`;
  });
}

/** The line that says a document's results came from a fleet, and from which queue. */
export function fleetHeading(document: ResultsDocument): string | undefined {
  const fleet = document.fleet;
  if (!fleet) return undefined;
  return `Fleet sweep ${fleet.sweepId} (${fleet.mode}) on ${fleet.queue}: measured by ${fleet.workers.length} worker${fleet.workers.length === 1 ? '' : 's'}; the environment below is the submitting machine's.`;
}

/**
 * One machine's share of an `--each-worker` document, with the machine taken out of the
 * configuration ids — so two machines of one sweep can be compared like two runs.
 */
export function resultsOfMachine(document: ResultsDocument, machine: string): ResultsDocument {
  const results = document.results.filter((r) => r.configuration.options.machine === machine || (r.configuration.options.machine === undefined && r.measuredBy?.worker === machine));
  if (results.length === 0) {
    const known = [...new Set(document.results.map((r) => String(r.configuration.options.machine ?? r.measuredBy?.worker ?? '')).filter(Boolean))];
    throw new OrtbenchError(ErrorCode.INVALID_ARGUMENT, `--machines: no results measured by "${machine}" (machines in the document: ${known.join(', ') || 'none — not a fleet sweep'})`);
  }
  return {
    ...document,
    results: results.map((r) => {
      const { machine: _machine, ...options } = r.configuration.options;
      const configuration = { ...r.configuration, options };
      return { ...r, configuration: { ...configuration, id: configurationId(configuration) } };
    }),
  };
}

/** Pairs of one configuration measured on machines that differ (CPU, cores, ONNX Runtime), as warnings. */
export function machineDifferences(pairs: readonly (readonly [ConfigurationResult, ConfigurationResult])[]): string[] {
  const notes = new Set<string>();
  for (const [a, b] of pairs) {
    const [x, y] = [a.measuredBy, b.measuredBy];
    if (!x || !y) continue;
    const describe = (m: NonNullable<typeof x>) => `${m.worker}: ${m.cpu}, ${m.logicalCores} cores, onnxruntime-node ${m.packages['onnxruntime-node'] ?? '?'}`;
    if (x.cpu !== y.cpu || x.logicalCores !== y.logicalCores || x.packages['onnxruntime-node'] !== y.packages['onnxruntime-node']) {
      notes.add(`measured on different machines: ${describe(x)} vs ${describe(y)}`);
    }
  }
  return [...notes];
}
