import path from 'node:path';
import { formatDims } from '@ortbench/core';
import type { ModelInspection } from '@ortbench/models';
import { buildModel, inspectModel, MODEL_PRESETS, presetSpec, readModel, saveModel } from '@ortbench/models';
import { resolveModel } from './model-source';
import { textTable } from './text-table';

/** The built-in models. */
export function builtInModels(): { name: string; architecture: string; description: string }[] {
  return Object.entries(MODEL_PRESETS).map(([name, preset]) => ({ name, architecture: preset.architecture, description: preset.description }));
}

/** The built-in models as a text table. */
export function formatBuiltInModels(rows: ReturnType<typeof builtInModels>): string {
  return textTable([['name', 'architecture', 'description'], ...rows.map((r) => [r.name, r.architecture, r.description])]);
}

/** Axes of a built-in model to build with. */
export interface BuildOptions {
  batch?: number | 'dynamic';
  sequence?: number | 'dynamic';
  opset?: number;
  seed?: number;
  /** Write here instead of the cache. */
  out?: string;
}

/** Builds a built-in model into the cache (or `out`); returns its absolute path. */
export async function buildBuiltInModel(name: string, options: BuildOptions = {}): Promise<string> {
  const overrides = { batch: options.batch, sequence: options.sequence, opset: options.opset, seed: options.seed };
  if (options.out) {
    await saveModel(path.resolve(options.out), buildModel(presetSpec(name, overrides)));
    return path.resolve(options.out);
  }
  return path.resolve((await resolveModel(name, overrides)).path);
}

/** A model's inspection at given values of its symbolic axes. */
export interface ModelReport extends ModelInspection {
  model: string;
  path: string;
  /** A model folder's graphs by component (each variant's file and bytes), the one inspected, and its configuration files. */
  folder?: { components: { name: string; variants: { variant: string; file: string; bytes: number }[] }[]; inspected: string; files: string[]; modelType?: string };
}

/** Inspects a built-in model or file: I/O, opsets, op counts, parameters, MACs/FLOPs at `batch`, `seq` or any `dims`. */
export async function inspectModelAt(argument: string, at: { batch?: number; seq?: number; dims?: Record<string, number>; component?: string } = {}): Promise<ModelReport> {
  const model = await resolveModel(argument, at.component !== undefined ? { component: at.component } : {});
  const decoded = await readModel(model.path);
  const dims: Record<string, number> = { ...at.dims };
  for (const input of inspectModel(decoded).inputs) {
    const [batchDim, seqDim] = input.dims;
    if (at.batch && typeof batchDim === 'string') dims[batchDim] ??= at.batch;
    if (at.seq && typeof seqDim === 'string' && input.dims.length === 2) dims[seqDim] ??= at.seq;
  }
  const report: ModelReport = { model: argument, path: model.path, ...inspectModel(decoded, dims) };
  if (model.folder) {
    const { folder } = model;
    report.folder = {
      components: [...folder.components].map(([name, variants]) => ({ name, variants: variants.map((v) => ({ variant: v.variant, file: v.file, bytes: v.bytes })) })),
      inspected: folder.main,
      files: [...(folder.config ? ['config.json'] : []), ...Object.values(folder.files).map((file) => path.basename(file))],
      ...(typeof folder.config?.model_type === 'string' ? { modelType: folder.config.model_type } : {}),
    };
  }
  return report;
}

/** The inspection as text. */
export function formatInspection(report: ModelReport): string {
  const { model: name, path: file, folder, ...r } = report;
  const lines = formatLines(name, file, r);
  if (!folder) return lines;
  const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MiB`;
  const head = [
    `folder    ${name}${folder.modelType ? ` (${folder.modelType})` : ''}${folder.files.length ? `, with ${folder.files.join(', ')}` : ''}`,
    ...folder.components.map((c) => `          ${c.name}${c.name === folder.inspected ? ' (inspected below)' : ''}: ${c.variants.map((v) => `${v.variant} ${mib(v.bytes)}`).join(', ')}`),
  ];
  if (folder.components.length > 1) head.push(`          another component: --component ${folder.components.find((c) => c.name !== folder.inspected)!.name}`);
  return [...head, lines].join('\n');
}

function formatLines(name: string, file: string, r: ModelInspection): string {
  const { compute } = r;
  const at = Object.entries(compute.dims).map(([k, v]) => `${k}=${v}`).join(', ') || 'fixed shapes';
  const lines = [
    `model     ${name}${file === name ? '' : ` (${file})`}`,
    `producer  ${r.producer.name || 'unknown'}${r.producer.version ? ` ${r.producer.version}` : ''}, IR ${r.irVersion}, opsets ${r.opsets.map((o) => `${o.domain} ${o.version}`).join(', ')}`,
    ...r.inputs.map((v, i) => `${i === 0 ? 'inputs ' : '       '}   ${v.name} ${v.dtype} ${formatDims(v.dims)}`),
    ...r.outputs.map((v, i) => `${i === 0 ? 'outputs' : '       '}   ${v.name} ${v.dtype} ${formatDims(v.dims)}`),
    `params    ${r.parameters.count.toLocaleString('en-US')} in ${r.parameters.tensors} tensors (${(r.parameters.bytes / 2 ** 20).toFixed(1)} MiB${r.parameters.externalTensors ? `, ${r.parameters.externalTensors} external` : ''})${r.parameters.beforeFolding ? `; ${r.parameters.beforeFolding.toLocaleString('en-US')} before BatchNorm folding` : ''}${whereParameters(r.parameters)}`,
    `compute   at ${at}: ${si(compute.macs.total)}MACs = ${si(compute.flops)}FLOPs (conv ${si(compute.macs.conv).trim()}, dense ${si(compute.macs.dense).trim()}, attention ${si(compute.macs.attention).trim()})`,
  ];
  if (compute.assumedDims.length) lines.push(`          assumed 1 for ${compute.assumedDims.join(', ')} (set with --dim name=value)`);
  if (compute.unsupportedOps.length) lines.push(`          a lower bound: shapes unknown after ${compute.unsupportedOps.join(', ')}`);
  if (compute.notCounted.length) lines.push(`          a lower bound: not counted (no MAC formula): ${compute.notCounted.join(', ')}`);
  if (!compute.complete && !compute.unsupportedOps.length && !compute.notCounted.length) lines.push('          a lower bound: some Conv/MatMul shapes could not be inferred');
  const embeddings = Object.entries(r.embeddings);
  if (embeddings.length) lines.push(`ids       ${embeddings.map(([input, rows]) => `${input} < ${rows.toLocaleString('en-US')}`).join(', ')} (rows of the embedding table each indexes)`);
  lines.push(`nodes     ${r.nodeCount}: ${Object.entries(r.opCounts).sort(([, a], [, b]) => b - a).map(([op, n]) => `${op} ${n}`).join(', ')}`);
  return lines.join('\n');
}

function whereParameters(p: ModelInspection['parameters']): string {
  const parts = [p.inConstants ? `${p.inConstants.toLocaleString('en-US')} in Constant nodes` : '', p.inSubgraphs ? `${p.inSubgraphs.toLocaleString('en-US')} in If/Loop bodies` : ''].filter(Boolean);
  return parts.length ? `; of which ${parts.join(', ')}` : '';
}

function si(value: number): string {
  const units: [number, string][] = [[1e12, 'T'], [1e9, 'G'], [1e6, 'M'], [1e3, 'k']];
  for (const [size, unit] of units) if (value >= size) return `${(value / size).toFixed(2)} ${unit}`;
  return `${value} `;
}
