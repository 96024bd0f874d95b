/** `@ortbench/runners/node`: every runner ortbench ships, for Node. */
import type { RunnerRegistry } from '@ortbench/core';
import { createBrowserRunner } from './browser/browser-runner';
import { createNodeCpuRunner } from './node-cpu';
import { createNodeCudaRunner, createNodeWebGpuRunner } from './node-gpu';
import { createTorchRunner } from './torch/torch-runner';
import { createWebWasmRunner } from './web-wasm';

export { createBrowserRunner } from './browser/browser-runner';
export { chromiumAvailability, findChromium } from './browser/chromium';
export { cudaAvailability, explainCudaError, probeExecutionProvider, webgpuAvailability } from './ep-probe';
export { createNodeCpuRunner } from './node-cpu';
export { createNodeCudaRunner, createNodeWebGpuRunner } from './node-gpu';
export { createNodeRunner } from './node-runner';
export { ORT_NODE_VERSION } from './node-session';
export { readOrtProfile, summariseOrtProfile } from './ort-profile';
export { createWebWasmRunner } from './web-wasm';
export { createTorchRunner } from './torch/torch-runner';
export { blasWarning, findTorchPython, workerTuning } from './torch/torch-python';
export type { TorchPython } from './torch/torch-python';
export type { TorchOptions } from './torch/torch-runner';
export { createOrtWebRunner } from './ort-web-runner';

export type { BrowserOptions } from './browser/browser-runner';
export type { NodeCpuOptions } from './node-cpu';
export type { NodeCudaOptions, NodeWebGpuOptions, OutputLocation } from './node-gpu';
export type { NodeRunnerSpec, NodeSessionOptions } from './node-runner';
export type { OrtWebModule, OrtWebOptions, OrtWebRunnerConfig } from './ort-web-runner';

/** Registers every built-in runner in `registry` and returns it. */
export function registerNodeRunners(registry: RunnerRegistry): RunnerRegistry {
  return registry
    .register(createNodeCudaRunner(), { priority: 30 })
    .register(createNodeWebGpuRunner(), { priority: 20 })
    .register(createNodeCpuRunner(), { priority: 10 })
    .register(createWebWasmRunner(), { priority: 5 })
    .register(createBrowserRunner(), { priority: 0 })
    .register(createTorchRunner('cuda'), { priority: -1 })
    .register(createTorchRunner('cpu'), { priority: -2 });
}
