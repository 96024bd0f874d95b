import type { Configuration, ConfigurationResult, ResultsDocument, Statistics } from '@ortbench/core';
import { computeStatistics, configurationId, createResultsDocument } from '@ortbench/core';

/** A completed result with a known median latency (ms) and batch size. */
export function completed(configuration: Omit<Configuration, 'id' | 'options'> & { options?: Configuration['options'] }, medianMs: number): ConfigurationResult {
  const full = { ...configuration, options: configuration.options ?? {} };
  // Seven runs: enough for a 95 % interval of the median (six is the least), as a ±2 % target needs.
  const latencyMs: Statistics = computeStatistics([0.9, 0.95, 0.98, 1, 1.02, 1.05, 1.1].map((f) => f * medianMs));
  return {
    status: 'completed',
    configuration: { ...full, id: configurationId(full) },
    measurement: {
      session: { runner: configuration.runner, executionProvider: 'cpu', settings: {} },
      itemsPerRun: configuration.batchSize,
      concurrency: 1,
      phases: { firstRunMs: 1, warmupMs: 1, warmupIterations: 1, steadyMs: 7 * medianMs, iterations: 7 },
      latencyMs,
      throughput: {
        runsPerSecond: 1000 / medianMs,
        itemsPerSecond: (1000 / medianMs) * configuration.batchSize,
        basis: 'median latency',
        wallRunsPerSecond: 1000 / medianMs,
        wallItemsPerSecond: (1000 / medianMs) * configuration.batchSize,
      },
      stability: { stop: 'target', ciTarget: 0.02, ciHalfWidth: 0.01, unstable: false, notes: [] },
      timingSource: 'host',
      inputs: [{ name: 'input', dtype: 'float32', dims: [configuration.batchSize, 3, 224, 224], values: 'random in [-2, 2]' }],
    },
  };
}

export function document(results: ConfigurationResult[]): ResultsDocument {
  return createResultsDocument(
    {
      createdAt: '2026-11-22T05:00:00.000Z',
      tool: { name: 'ortbench', version: '0.1.0' },
      environment: {
        os: { platform: 'linux', release: '6.1', arch: 'x64' },
        cpu: { model: 'Test CPU', logicalCores: 2, physicalCores: 2 },
        memoryBytes: 2 ** 34,
        node: 'v20.20.2',
        packages: {},
      },
    },
    results,
  );
}
