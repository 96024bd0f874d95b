import type { Dim, ValueInfo } from '@ortbench/core';
import type { onnx } from './onnx-types';
import { dtypeOf, elementSize, onnx as proto, toNumber } from './onnx-types';
import { externalDataOf } from './read-model';
import { inferShapes } from './shape-inference';
import { tensorElementCount } from './tensor-values';
import { FOLDED_BATCHNORM_KEY } from './vision-layers';

/** Multiply-accumulates per inference, split by kind. FLOPs are counted as 2 × MACs. */
export interface ComputeCount {
  /** The concrete value every symbolic dim was given (assumed 1 when not given). */
  dims: Record<string, number>;
  /** Symbolic dims that were not given and so were taken as 1. */
  assumedDims: string[];
  macs: { total: number; conv: number; dense: number; attention: number };
  flops: number;
  /** False when some op's output shape could not be inferred, so the count is a lower bound. */
  complete: boolean;
  unsupportedOps: string[];
}

/** What {@link inspectModel} reports of a model. */
export interface ModelInspection {
  irVersion: number;
  producer: { name: string; version: string };
  opsets: { domain: string; version: number }[];
  inputs: ValueInfo[];
  outputs: ValueInfo[];
  nodeCount: number;
  /** Nodes per op type, `domain.Op` for non-default domains. */
  opCounts: Record<string, number>;
  /** The sum of initializer elements, and their bytes (external data included). */
  parameters: {
    count: number;
    bytes: number;
    tensors: number;
    externalTensors: number;
    /** The count before BatchNorm was folded into convolutions (torchvision's figure), when the model records the fold. */
    beforeFolding?: number;
  };
  metadata: Record<string, string>;
  compute: ComputeCount;
}

/**
 * Inspects a model: I/O, opsets, op counts, parameters, and MACs/FLOPs at the given concrete
 * values of its symbolic dims (e.g. `{ batch_size: 8, sequence_length: 128 }`).
 */
export function inspectModel(model: onnx.IModelProto, dims: Record<string, number> = {}): ModelInspection {
  const graph = model.graph ?? {};
  const initializerNames = new Set((graph.initializer ?? []).map((t) => t.name ?? ''));
  // Before IR 4, initializers were listed among the inputs too.
  const inputs = (graph.input ?? []).filter((v) => !initializerNames.has(v.name ?? '')).map(toValueInfo);
  const outputs = (graph.output ?? []).map(toValueInfo);
  const opCounts: Record<string, number> = {};
  for (const node of graph.node ?? []) {
    const key = node.domain && node.domain !== 'ai.onnx' ? `${node.domain}.${node.opType}` : (node.opType ?? '');
    opCounts[key] = (opCounts[key] ?? 0) + 1;
  }
  const metadata = Object.fromEntries((model.metadataProps ?? []).map((p) => [p.key ?? '', p.value ?? '']));
  return {
    irVersion: toNumber(model.irVersion),
    producer: { name: model.producerName ?? '', version: model.producerVersion ?? '' },
    opsets: (model.opsetImport ?? []).map((o) => ({ domain: o.domain || 'ai.onnx', version: toNumber(o.version) })),
    inputs,
    outputs,
    nodeCount: (graph.node ?? []).length,
    opCounts: Object.fromEntries(Object.entries(opCounts).sort(([a], [b]) => a.localeCompare(b))),
    parameters: withFolding(countParameters(graph.initializer ?? []), metadata),
    metadata,
    compute: countCompute(graph, inputs, dims),
  };
}

function countParameters(initializers: readonly onnx.ITensorProto[]): ModelInspection['parameters'] {
  let count = 0;
  let bytes = 0;
  let externalTensors = 0;
  for (const tensor of initializers) {
    const elements = tensorElementCount(tensor);
    count += elements;
    if (tensor.dataLocation === proto.TensorProto.DataLocation.EXTERNAL) {
      externalTensors++;
      bytes += externalDataOf(tensor).length ?? elements * elementSize(tensor.dataType ?? 0);
    } else if (tensor.rawData && tensor.rawData.byteLength > 0) {
      bytes += tensor.rawData.byteLength;
    } else {
      bytes += elements * elementSize(tensor.dataType ?? 0);
    }
  }
  return { count, bytes, tensors: initializers.length, externalTensors };
}

function withFolding(parameters: ModelInspection['parameters'], metadata: Record<string, string>): ModelInspection['parameters'] {
  const folded = Number(metadata[FOLDED_BATCHNORM_KEY]);
  return Number.isInteger(folded) && folded > 0 ? { ...parameters, beforeFolding: parameters.count + folded } : parameters;
}

function countCompute(graph: onnx.IGraphProto, inputs: readonly ValueInfo[], given: Record<string, number>): ComputeCount {
  const dims: Record<string, number> = {};
  const assumed = new Set<string>();
  const concrete: Record<string, number[]> = {};
  for (const input of inputs) {
    concrete[input.name] = input.dims.map((dim) => {
      if (typeof dim === 'number') return dim;
      const symbol = dim ?? `${input.name}:unknown`;
      if (given[symbol] === undefined) assumed.add(symbol);
      dims[symbol] = given[symbol] ?? 1;
      return dims[symbol];
    });
  }
  const { values, unsupportedOps } = inferShapes(graph, concrete);
  const macs = { total: 0, conv: 0, dense: 0, attention: 0 };
  let complete = unsupportedOps.length === 0;
  for (const node of graph.node ?? []) {
    const shape = (i: number) => values.get((node.input ?? [])[i] ?? '');
    const out = values.get((node.output ?? [])[0] ?? '')?.dims;
    const op = node.opType ?? '';
    const weightIndex = op === 'QLinearConv' || op === 'QLinearMatMul' ? 3 : 1;
    if (op === 'Conv' || op === 'ConvInteger' || op === 'QLinearConv') {
      const weight = shape(weightIndex)?.dims;
      if (!out || !weight) {
        complete = false;
        continue;
      }
      macs.conv += product(out) * product(weight.slice(1));
    } else if (op === 'MatMul' || op === 'MatMulInteger' || op === 'QLinearMatMul' || op === 'Gemm') {
      const a = shape(0);
      const b = shape(weightIndex);
      if (!out || !a || !b) {
        complete = false;
        continue;
      }
      const transA = (node.attribute ?? []).some((x) => x.name === 'transA' && toNumber(x.i) === 1);
      const k = op === 'Gemm' && transA ? a.dims[0]! : a.dims.at(-1)!;
      const count = product(out) * k;
      // A product of two activations (QKᵀ, PV) is attention; one with a weight is a dense layer.
      if (a.constant || b.constant) macs.dense += count;
      else macs.attention += count;
    }
  }
  macs.total = macs.conv + macs.dense + macs.attention;
  return { dims, assumedDims: [...assumed].sort(), macs, flops: 2 * macs.total, complete, unsupportedOps };
}

function toValueInfo(value: onnx.IValueInfoProto): ValueInfo {
  const tensor = value.type?.tensorType;
  const dims: Dim[] = (tensor?.shape?.dim ?? []).map((d) => (d.dimParam ? d.dimParam : d.dimValue !== undefined && d.dimValue !== null ? toNumber(d.dimValue) : null));
  return { name: value.name ?? '', dtype: tensor ? dtypeOf(tensor.elemType ?? 0) : 'unknown', dims };
}

function product(dims: readonly number[]): number {
  return dims.reduce((a, b) => a * b, 1);
}
