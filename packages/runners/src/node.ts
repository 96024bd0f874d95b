/** `@ortbench/runners/node`: runners built on onnxruntime-node. */
import type { RunnerRegistry } from '@ortbench/core';
import { createNodeCpuRunner } from './node-cpu';

export { createNodeCpuRunner, resolveCpuSettings } from './node-cpu';
export { ORT_NODE_VERSION } from './node-session';

export type { NodeCpuOptions } from './node-cpu';

/** Registers every onnxruntime-node runner in `registry` and returns it. */
export function registerNodeRunners(registry: RunnerRegistry): RunnerRegistry {
  return registry.register(createNodeCpuRunner(), { priority: 10 });
}
