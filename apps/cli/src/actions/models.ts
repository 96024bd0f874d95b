import path from 'node:path';
import { formatDims } from '@ortbench/core';
import type { ModelInspection } from '@ortbench/models';
import { buildModel, inspectModel, MODEL_PRESETS, presetSpec, readModel, saveModel } from '@ortbench/models';
import type { BuildFlags, InspectFlags } from '../commands/models';
import { resolveModel } from '../model-source';
import { table } from '../table';

/** `ortbench models list`. */
export function listModels(flags: { json?: boolean }): void {
  const rows = Object.entries(MODEL_PRESETS).map(([name, preset]) => ({ name, architecture: preset.architecture, description: preset.description }));
  if (flags.json) return print(JSON.stringify(rows, null, 2));
  print(table([['name', 'architecture', 'description'], ...rows.map((r) => [r.name, r.architecture, r.description])]));
}

/** `ortbench models build`: into the cache, or to --out. */
export async function buildModelCommand(name: string, flags: BuildFlags): Promise<void> {
  const overrides = { batch: flags.batch, sequence: flags.sequence, opset: flags.opset, seed: flags.seed };
  if (flags.out) {
    await saveModel(path.resolve(flags.out), buildModel(presetSpec(name, overrides)));
    return print(path.resolve(flags.out));
  }
  print((await resolveModel(name, overrides)).path);
}

/** `ortbench models inspect`. */
export async function inspectModelCommand(argument: string, flags: InspectFlags): Promise<void> {
  const model = await resolveModel(argument);
  const decoded = await readModel(model.path);
  const dims: Record<string, number> = { ...flags.dim };
  for (const input of inspectModel(decoded).inputs) {
    const [batchDim, seqDim] = input.dims;
    if (flags.batch && typeof batchDim === 'string') dims[batchDim] ??= flags.batch;
    if (flags.seq && typeof seqDim === 'string' && input.dims.length === 2) dims[seqDim] ??= flags.seq;
  }
  const inspection = inspectModel(decoded, dims);
  if (flags.json) return print(JSON.stringify({ model: argument, path: model.path, ...inspection }, null, 2));
  print(formatInspection(argument, model.path, inspection));
}

function formatInspection(name: string, file: string, r: ModelInspection): string {
  const { compute } = r;
  const at = Object.entries(compute.dims).map(([k, v]) => `${k}=${v}`).join(', ') || 'fixed shapes';
  const lines = [
    `model     ${name}${file === name ? '' : ` (${file})`}`,
    `producer  ${r.producer.name || 'unknown'}${r.producer.version ? ` ${r.producer.version}` : ''}, IR ${r.irVersion}, opsets ${r.opsets.map((o) => `${o.domain} ${o.version}`).join(', ')}`,
    ...r.inputs.map((v, i) => `${i === 0 ? 'inputs ' : '       '}   ${v.name} ${v.dtype} ${formatDims(v.dims)}`),
    ...r.outputs.map((v, i) => `${i === 0 ? 'outputs' : '       '}   ${v.name} ${v.dtype} ${formatDims(v.dims)}`),
    `params    ${r.parameters.count.toLocaleString('en-US')} in ${r.parameters.tensors} tensors (${(r.parameters.bytes / 2 ** 20).toFixed(1)} MiB${r.parameters.externalTensors ? `, ${r.parameters.externalTensors} external` : ''})`,
    `compute   at ${at}: ${si(compute.macs.total)}MACs = ${si(compute.flops)}FLOPs (conv ${si(compute.macs.conv).trim()}, dense ${si(compute.macs.dense).trim()}, attention ${si(compute.macs.attention).trim()})`,
  ];
  if (compute.assumedDims.length) lines.push(`          assumed 1 for ${compute.assumedDims.join(', ')} (set with --dim name=value)`);
  if (!compute.complete) lines.push(`          a lower bound: shapes unknown after ${compute.unsupportedOps.join(', ')}`);
  lines.push(`nodes     ${r.nodeCount}: ${Object.entries(r.opCounts).sort(([, a], [, b]) => b - a).map(([op, n]) => `${op} ${n}`).join(', ')}`);
  return lines.join('\n');
}

function si(value: number): string {
  const units: [number, string][] = [[1e12, 'T'], [1e9, 'G'], [1e6, 'M'], [1e3, 'k']];
  for (const [size, unit] of units) if (value >= size) return `${(value / size).toFixed(2)} ${unit}`;
  return `${value} `;
}

function print(text: string): void {
  process.stdout.write(`${text}\n`);
}
