import path from 'node:path';
import { formatDims } from '@ortbench/core';
import type { ModelInspection } from '@ortbench/models';
import { buildModel, inspectModel, MODEL_PRESETS, presetSpec, readModel, saveModel } from '@ortbench/models';
import type { Command } from 'commander';
import { resolveModel } from '../model-source';
import { batchOrDynamic, dimAssignment, positiveInteger } from '../parse';
import { table } from '../table';

interface BuildFlags {
  batch?: number | 'dynamic';
  sequence?: number | 'dynamic';
  opset?: number;
  seed?: number;
  out?: string;
}

/** `ortbench models list|build|inspect`. */
export function registerModelsCommand(program: Command): void {
  const models = program.command('models').description('list, build and inspect models');

  models
    .command('list')
    .description('list the built-in models')
    .option('--json', 'print JSON on stdout')
    .action((flags: { json?: boolean }) => {
      const rows = Object.entries(MODEL_PRESETS).map(([name, preset]) => ({ name, architecture: preset.architecture, description: preset.description }));
      if (flags.json) return print(JSON.stringify(rows, null, 2));
      print(table([['name', 'architecture', 'description'], ...rows.map((r) => [r.name, r.architecture, r.description])]));
    });

  models
    .command('build <name>')
    .description('build a built-in model (cached) or write it to --out')
    .option('--batch <n|dynamic>', 'batch axis: a size or dynamic', (v) => batchOrDynamic(v, '--batch'))
    .option('--sequence <n|dynamic>', 'BERT sequence axis', (v) => batchOrDynamic(v, '--sequence'))
    .option('--opset <n>', 'default-domain opset (≥ 13)', (v) => positiveInteger(v, '--opset'))
    .option('--seed <n>', 'weight seed', (v) => positiveInteger(v, '--seed'))
    .option('--out <file>', 'write the model here instead of the cache')
    .addHelpText('after', '\nExamples:\n  $ ortbench models build resnet50 --batch 1\n  $ ortbench models build bert --opset 14 --out bert14.onnx')
    .action(async (name: string, flags: BuildFlags) => {
      const overrides = { batch: flags.batch, sequence: flags.sequence, opset: flags.opset, seed: flags.seed };
      if (flags.out) {
        await saveModel(path.resolve(flags.out), buildModel(presetSpec(name, overrides)));
        return print(path.resolve(flags.out));
      }
      const model = await resolveModel(name, overrides);
      print(model.path);
    });

  models
    .command('inspect <model>')
    .description('inputs, outputs, opsets, op counts, parameters and MACs/FLOPs of a built-in model or .onnx file')
    .option('--batch <n>', 'value of the batch axis for MACs', (v) => positiveInteger(v, '--batch'))
    .option('--seq <n>', 'value of the sequence axis for MACs', (v) => positiveInteger(v, '--seq'))
    .option('--dim <name=value>', 'value of any symbolic dim (repeatable)', dimAssignment)
    .option('--json', 'print JSON on stdout')
    .addHelpText('after', '\nExamples:\n  $ ortbench models inspect resnet50 --batch 8\n  $ ortbench models inspect model.onnx --dim batch=1 --dim seq=128 --json')
    .action(async (argument: string, flags: { batch?: number; seq?: number; dim?: Record<string, number>; json?: boolean }) => {
      const model = await resolveModel(argument);
      const dims: Record<string, number> = { ...flags.dim };
      const report = inspectModel(await readModel(model.path));
      for (const input of report.inputs) {
        const [batchDim, seqDim] = input.dims;
        if (flags.batch && typeof batchDim === 'string') dims[batchDim] ??= flags.batch;
        if (flags.seq && typeof seqDim === 'string' && input.dims.length === 2) dims[seqDim] ??= flags.seq;
      }
      const inspection = inspectModel(await readModel(model.path), dims);
      if (flags.json) return print(JSON.stringify({ model: argument, path: model.path, ...inspection }, null, 2));
      print(formatInspection(argument, model.path, inspection));
    });
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
