import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ErrorCode, RunnerRegistry } from '@ortbench/core';
import { createNodeCudaRunner, createNodeWebGpuRunner, explainCudaError, registerNodeRunners } from '../src/node';
import { ortNativeDir } from '../src/ep-probe';

const cudaLibsMissing = !existsSync(path.join(ortNativeDir(), 'libonnxruntime_providers_cuda.so'));
// No GPU device node at all: neither CUDA nor a Vulkan/WebGPU adapter can exist here.
const noGpuDevice = !['/dev/nvidia0', '/dev/dri'].some((node) => existsSync(node));

describe('GPU runners explain why they cannot run', () => {
  it.runIf(cudaLibsMissing)('node-cuda: the provider libraries are missing, and how to install them', async () => {
    const availability = await createNodeCudaRunner().availability!();
    expect(availability.available).toBe(false);
    expect(!availability.available && availability.reason).toMatch(/CUDA provider libraries are not installed .*ONNXRUNTIME_NODE_INSTALL=cuda12 node node_modules\/onnxruntime-node\/script\/install/);
  });

  it.runIf(noGpuDevice)('node-webgpu: with no GPU device on the machine, unavailable with the reason', async () => {
    const availability = await createNodeWebGpuRunner().availability!();
    expect(availability.available).toBe(false);
    expect(!availability.available && availability.reason).toMatch(/^no WebGPU adapter|^the WebGPU execution provider failed/);
  }, 60_000);

  it.runIf(cudaLibsMissing)('refuses to resolve an unavailable runner instead of falling back to the CPU', async () => {
    const registry = registerNodeRunners(new RunnerRegistry());
    const cuda = await registry.availability('node-cuda');
    expect(cuda.available).toBe(false);
    await expect(registry.resolve('node-cuda')).rejects.toMatchObject({ code: ErrorCode.RUNNER_UNAVAILABLE, message: expect.stringContaining(!cuda.available ? cuda.reason : '?') });
  }, 60_000);

  it("registers every built-in runner: ONNX Runtime's, GPU ones first, then PyTorch's (never picked in ORT's place)", () => {
    expect(registerNodeRunners(new RunnerRegistry()).names()).toEqual(['node-cuda', 'node-webgpu', 'node-cpu', 'web-wasm', 'browser', 'torch-cuda', 'torch']);
  });

  it("maps ORT's CUDA errors to their cause", () => {
    expect(explainCudaError('Failed to load library libcuda.so.1: cannot open shared object file')).toMatch(/^no NVIDIA driver/);
    expect(explainCudaError('CUDA failure 35: CUDA driver version is insufficient for CUDA runtime version')).toMatch(/driver is older/);
    expect(explainCudaError('libcublasLt.so.12: cannot open shared object file: No such file or directory')).toMatch(/runtime library libcublasLt\.so\.12 is missing/);
    expect(explainCudaError('CUDA error cudaErrorNoDevice: no CUDA-capable device is detected')).toMatch(/no CUDA-capable GPU/);
  });

  it('refuses CUDA options the Node binding cannot pass, saying why', async () => {
    await expect(createNodeCudaRunner().load('m.onnx', { gpuMemLimit: 2 ** 30 })).rejects.toThrow(/cannot set "gpuMemLimit": onnxruntime-node's binding passes only deviceId/);
  });
});
