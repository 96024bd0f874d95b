import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ErrorCode, OrtbenchError } from '@ortbench/core';
import { onnx } from './onnx-types';
import type { ModelSpec } from './presets';
import { resolvedOptions } from './presets';
import { readModel } from './read-model';
import { dimsOf, floatValues } from './tensor-data';

// Shipped in the package beside dist/ (python/torch_pair.py).
const SCRIPT = [new URL('../python/torch_pair.py', import.meta.url), new URL('../../python/torch_pair.py', import.meta.url)].map((u) => fileURLToPath(u));

/** Where a built-in ONNX model's TorchScript twin lives: beside it, .pt for .onnx (the torch runner looks there). */
export function torchPairPath(onnxPath: string): string {
  return onnxPath.replace(/\.onnx$/i, '.pt');
}

/**
 * Builds the PyTorch twin of a built-in model — torchvision's ResNet-50 (the same Bottleneck
 * layout at other widths) or a Hugging Face-shaped BERT — with the ONNX file's own weights, and
 * saves it as TorchScript beside the ONNX file. Runs `python` (which must have torch). Reused
 * when present; written atomically.
 */
export async function ensureTorchPair(onnxPath: string, spec: ModelSpec, python: string): Promise<{ path: string; built: boolean }> {
  if (spec.architecture !== 'resnet50' && spec.architecture !== 'bert') {
    throw new OrtbenchError(ErrorCode.RUNNER_UNAVAILABLE, `no PyTorch twin is built for ${spec.architecture} (only resnet50 and bert); pass your own TorchScript file with --torch-model`);
  }
  const out = torchPairPath(onnxPath);
  if (existsSync(out)) return { path: out, built: false };
  const script = SCRIPT.find((file) => existsSync(file));
  if (!script) throw new OrtbenchError(ErrorCode.RUNNER_UNAVAILABLE, `the TorchScript pair builder is missing from @ortbench/models (looked in ${SCRIPT.join(', ')}); reinstall it`);
  const model = await readModel(onnxPath);
  const graph = model.graph!;
  const scratch = await mkdtemp(path.join(os.tmpdir(), 'ortbench-torch-pair-'));
  try {
    // The float initializers as one raw file and a manifest: no numbers through JSON.
    const manifest: { name: string; dims: number[]; offset: number; nbytes: number }[] = [];
    const parts: Uint8Array[] = [];
    let offset = 0;
    for (const tensor of graph.initializer ?? []) {
      if (tensor.dataType !== onnx.TensorProto.DataType.FLOAT) continue;
      const values = floatValues(tensor);
      const bytes = new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
      manifest.push({ name: tensor.name ?? '', dims: dimsOf(tensor), offset, nbytes: bytes.byteLength });
      parts.push(bytes);
      offset += bytes.byteLength;
    }
    const weights = path.join(scratch, 'weights.bin');
    await writeFile(weights, Buffer.concat(parts));
    const initializers = new Set((graph.initializer ?? []).map((t) => t.name));
    const request = {
      architecture: spec.architecture,
      options: resolvedOptions(spec),
      weights,
      manifest,
      inputs: (graph.input ?? []).map((i) => i.name).filter((name) => !initializers.has(name)),
      outputs: (graph.output ?? []).map((o) => o.name),
      out: path.join(scratch, 'model.pt'),
      source: path.basename(onnxPath),
    };
    const reply = await runPython(python, script, JSON.stringify(request));
    if (!reply.ok) throw new OrtbenchError(ErrorCode.RUNNER_FAILED, `building the PyTorch twin of ${path.basename(onnxPath)} failed: ${reply.error}`);
    await rename(request.out, out).catch(async () => {
      // Another filesystem: copy through a sibling file, then rename into place.
      const sibling = `${out}.${process.pid}.partial`;
      await writeFile(sibling, await import('node:fs/promises').then((fs) => fs.readFile(request.out)));
      await rename(sibling, out);
    });
    return { path: out, built: true };
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

function runPython(python: string, script: string, input: string): Promise<{ ok: boolean; error?: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(python, [script], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
    child.on('error', (error) => reject(new OrtbenchError(ErrorCode.RUNNER_UNAVAILABLE, `cannot run ${python}: ${error.message}`)));
    child.on('close', (code) => {
      const last = stdout.trim().split('\n').at(-1) ?? '';
      if (last.startsWith('{')) resolve(JSON.parse(last) as { ok: boolean; error?: string });
      else resolve({ ok: false, error: `${python} exited with code ${code}: ${stderr.trim().split('\n').at(-1) ?? ''}` });
    });
    child.stdin.end(input);
  });
}
