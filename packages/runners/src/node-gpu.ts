import type { Runner } from '@ortbench/core';
import { cudaAvailability, webgpuAvailability } from './ep-probe';
import type { NodeSessionOptions } from './node-runner';
import { createNodeRunner, oneOf, positiveInteger } from './node-runner';

/** Where outputs stay: `cpu` copies them back after each run; `gpu-buffer` leaves them on the device. */
export type OutputLocation = 'cpu' | 'gpu-buffer';

/** Options of node-cuda. */
export interface NodeCudaOptions extends NodeSessionOptions {
  deviceId?: number;
  /** Keep outputs on the GPU, so device-to-host copies are excluded from the timed run. */
  preferredOutputLocation?: OutputLocation;
}

/** Options of node-webgpu. */
export interface NodeWebGpuOptions extends NodeSessionOptions {
  preferredOutputLocation?: OutputLocation;
  validationMode?: 'disabled' | 'wgpuOnly' | 'basic' | 'full';
}

const NOT_IN_NODE_BINDING =
  "onnxruntime-node's binding passes only deviceId to the CUDA execution provider, so ORT's defaults apply (cuDNN conv algorithm search EXHAUSTIVE, no memory limit)";

/** onnxruntime-node on the CUDA execution provider. Unavailable with the reason when libraries, driver or GPU are missing. */
export function createNodeCudaRunner(): Runner {
  return createNodeRunner<NodeCudaOptions>({
    name: 'node-cuda',
    description: 'onnxruntime-node, CUDA execution provider',
    executionProvider: 'cuda',
    availability: cudaAvailability,
    providerOptionNames: ['deviceId', 'preferredOutputLocation'],
    refuse: { cudnnConvAlgoSearch: NOT_IN_NODE_BINDING, gpuMemLimit: NOT_IN_NODE_BINDING },
    provider: (o) => {
      const deviceId = positiveInteger(o.deviceId ?? 0, 'node-cuda', 'deviceId');
      const location = oneOf(o.preferredOutputLocation ?? 'cpu', ['cpu', 'gpu-buffer'], 'node-cuda', 'preferredOutputLocation');
      return {
        entry: { name: 'cuda', deviceId },
        settings: { deviceId, preferredOutputLocation: location, cudnnConvAlgoSearch: 'EXHAUSTIVE (ORT default)', gpuMemLimit: 'none (ORT default)' },
        session: { preferredOutputLocation: location },
      };
    },
  });
}

/** onnxruntime-node on its bundled WebGPU execution provider (Dawn). */
export function createNodeWebGpuRunner(): Runner {
  return createNodeRunner<NodeWebGpuOptions>({
    name: 'node-webgpu',
    description: "onnxruntime-node, bundled WebGPU execution provider (Dawn)",
    executionProvider: 'webgpu',
    availability: webgpuAvailability,
    providerOptionNames: ['preferredOutputLocation', 'validationMode'],
    provider: (o) => {
      const location = oneOf(o.preferredOutputLocation ?? 'cpu', ['cpu', 'gpu-buffer'], 'node-webgpu', 'preferredOutputLocation');
      const validationMode = oneOf(o.validationMode ?? 'basic', ['disabled', 'wgpuOnly', 'basic', 'full'], 'node-webgpu', 'validationMode');
      return {
        entry: { name: 'webgpu', validationMode } as never,
        settings: { preferredOutputLocation: location, validationMode },
        session: { preferredOutputLocation: location },
      };
    },
  });
}
