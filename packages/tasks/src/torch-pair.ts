import type { RunnerOptions } from '@ortbench/core';
import { ErrorCode, OrtbenchError } from '@ortbench/core';
import type { BertOptions, ResNetOptions } from '@ortbench/models';
import { ensureTorchPair, isPresetName, presetSpec } from '@ortbench/models';
import { findTorchPython } from '@ortbench/runners/node';

/** The runners that run PyTorch's twin of the ONNX model instead of the ONNX model itself. */
export function isTorchRunner(name: string): boolean {
  return name === 'torch' || name === 'torch-cuda';
}

/** Where a torch runner's TorchScript and interpreter come from (--torch-model, --python). */
export interface TorchPairing {
  torchModel?: string;
  python?: string;
}

/**
 * Makes sure a torch runner has a TorchScript model to run next to `onnxPath`: for a built-in
 * model, its PyTorch twin with the same weights (built once, beside the ONNX file); for a file,
 * the caller's --torch-model, or a .pt beside it (the runner says when there is none).
 */
export async function pairForTorch(model: string, onnxPath: string, overrides: ResNetOptions & BertOptions, pairing: TorchPairing): Promise<void> {
  if (pairing.torchModel || !isPresetName(model)) return;
  const found = await findTorchPython(pairing.python);
  if (!('torch' in found)) throw new OrtbenchError(ErrorCode.RUNNER_UNAVAILABLE, `torch: ${found.reason}`);
  await ensureTorchPair(onnxPath, presetSpec(model, overrides), found.python);
}

/** The torch runner's options from a pairing. */
export function torchRunnerOptions(pairing: TorchPairing): RunnerOptions {
  return { ...(pairing.torchModel ? { torchModel: pairing.torchModel } : {}), ...(pairing.python ? { python: pairing.python } : {}) };
}
