import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { Availability } from '@ortbench/core';
import { firstLineOf } from '@ortbench/core';

// A one-node model (Relu over float32 [1, 4], opset 13), built with @ortbench/models, used only
// to ask onnxruntime-node whether an execution provider can create a session here.
const PROBE_MODEL =
  'CAcSDm9ydGJlbmNoLXByb2JlGgA6RwoUCgF4EgF5GgZ5X25vZGUiBFJlbHUSBXByb2JlWhMKAXgSDgoMCAESCAoCCAEKAggEYhMKAXkSDgoMCAESCAoCCAEKAggEQgQKABAN';

const require = createRequire(import.meta.url);

/** onnxruntime-node's native folder for this platform, where provider libraries must be. */
export function ortNativeDir(): string {
  const binding = path.dirname(require.resolve('onnxruntime-node/package.json'));
  return path.join(binding, 'bin', 'napi-v6', process.platform, process.arch);
}

/**
 * Creates a session on `ep` in a child process, so a native crash or the GPU stack's stderr
 * noise cannot reach this process. Resolves with ORT's error message, or undefined when it worked.
 */
export function probeExecutionProvider(ep: string, timeoutMs = 30_000): Promise<string | undefined> {
  const script = `
    const ort = require(${JSON.stringify(require.resolve('onnxruntime-node'))});
    ort.InferenceSession.create(Buffer.from(${JSON.stringify(PROBE_MODEL)}, 'base64'), { executionProviders: [${JSON.stringify(ep)}], logSeverityLevel: 4 })
      .then((s) => s.run({ x: new ort.Tensor('float32', new Float32Array([-1, 0, 1, 2]), [1, 4]) }))
      .then(() => { process.stdout.write('OK'); process.exit(0); })
      .catch((e) => { process.stdout.write('ERR ' + String(e && e.message || e)); process.exit(0); });`;
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (out.startsWith('OK')) resolve(undefined);
      else if (out.startsWith('ERR ')) resolve(out.slice(4));
      else resolve(`the probe process ${signal ? `was killed (${signal})` : `exited with code ${code}`}: ${lastLine(err)}`);
    });
  });
}

/** Availability of the CUDA EP in words a person can act on, instead of ORT's raw message. */
export async function cudaAvailability(): Promise<Availability> {
  const dir = ortNativeDir();
  const missing = ['libonnxruntime_providers_shared.so', 'libonnxruntime_providers_cuda.so'].filter((lib) => !existsSync(path.join(dir, lib)));
  if (process.platform === 'linux' && missing.length > 0) {
    return {
      available: false,
      reason:
        `onnxruntime-node's CUDA provider libraries are not installed (${missing.join(', ')} missing in ${dir}); ` +
        'its install step skips them offline. With internet access and CUDA 12 + cuDNN 9, run: ' +
        'ONNXRUNTIME_NODE_INSTALL=cuda12 node node_modules/onnxruntime-node/script/install',
    };
  }
  const error = await probeExecutionProvider('cuda');
  return error === undefined ? { available: true, details: 'CUDA execution provider created a session' } : { available: false, reason: explainCudaError(error) };
}

/** Availability of onnxruntime-node's bundled WebGPU EP (Dawn). */
export async function webgpuAvailability(): Promise<Availability> {
  const error = await probeExecutionProvider('webgpu');
  if (error === undefined) return { available: true, details: 'WebGPU adapter found by Dawn' };
  if (/No supported adapters|Failed to get a WebGPU adapter/i.test(error)) {
    return { available: false, reason: 'no WebGPU adapter: Dawn found no Vulkan (Linux), Metal (macOS) or D3D12 (Windows) GPU driver' };
  }
  return { available: false, reason: `the WebGPU execution provider failed to start: ${firstLineOf(error)}` };
}

/** Maps ORT's CUDA failures to their cause. */
export function explainCudaError(message: string): string {
  if (/libcuda\.so/i.test(message)) return 'no NVIDIA driver found (libcuda.so.1 cannot be loaded)';
  if (/driver version is insufficient/i.test(message)) return 'the NVIDIA driver is older than the CUDA 12 runtime onnxruntime-node was built for: update the driver';
  if (/no CUDA-capable device|cudaErrorNoDevice/i.test(message)) return 'no CUDA-capable GPU is visible (check CUDA_VISIBLE_DEVICES)';
  const library = /(lib(?:cudart|cublas|cublasLt|cudnn|cufft|curand|nvrtc)[\w.]*so[\w.]*)/i.exec(message)?.[1];
  if (library) return `the CUDA 12 / cuDNN 9 runtime library ${library} is missing or the wrong version: install CUDA 12 and cuDNN 9 (or put them on LD_LIBRARY_PATH)`;
  return `the CUDA execution provider failed to start: ${firstLineOf(message)}`;
}

function lastLine(text: string): string {
  return text.trim().split('\n').at(-1) ?? '';
}
