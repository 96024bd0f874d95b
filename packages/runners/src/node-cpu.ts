import type { Runner } from '@ortbench/core';
import { physicalCoreCount } from '@ortbench/core/node';
import type { NodeSessionOptions } from './node-runner';
import { createNodeRunner } from './node-runner';

/** Options of the node-cpu runner: the common onnxruntime-node ones. */
export type NodeCpuOptions = NodeSessionOptions;

/** onnxruntime-node on the CPU execution provider. */
export function createNodeCpuRunner(): Runner {
  return createNodeRunner<NodeCpuOptions>({
    name: 'node-cpu',
    description: 'onnxruntime-node, CPU execution provider',
    executionProvider: 'cpu',
    availability: async () => ({ available: true, details: `${physicalCoreCount()} physical cores` }),
    providerOptionNames: [],
    provider: () => ({ entry: 'cpu', settings: {} }),
  });
}
