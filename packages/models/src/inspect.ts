import type { Dim, ValueInfo } from '@ortbench/core';
import { evaluateDimExpression, isDimExpression } from '@ortbench/core';
import type { onnx } from './onnx-types';
import { dtypeOf, elementSize, onnx as proto, toNumber } from './onnx-types';
import { embeddingRows } from './embedding-rows';
import { externalDataOf } from './read-model';
import type { ValueState } from './shape-inference';
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
  /** Ops present that do heavy work ortbench has no MAC formula for (LSTM, ConvTranspose, com.microsoft.Attention, …): not counted. */
  notCounted: string[];
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
    /** Of `count`: weights stored in Constant nodes (as some exporters do) rather than initializers. */
    inConstants: number;
    /** Of `count`: initializers and Constant weights inside If/Loop/Scan bodies. */
    inSubgraphs: number;
  };
  metadata: Record<string, string>;
  compute: ComputeCount;
  /** Integer inputs that index an embedding table, with its row count: the vocabulary their ids must stay below. */
  embeddings: Record<string, number>;
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
    parameters: withFolding(countParameters(graph), metadata),
    metadata,
    compute: countCompute(graph, inputs, dims),
    embeddings: embeddingRows(graph),
  };
}

// Constant tensors of these types with more than one element are weights (small ints are shapes and axes).
const WEIGHT_TYPES = new Set([proto.TensorProto.DataType.FLOAT, proto.TensorProto.DataType.FLOAT16, proto.TensorProto.DataType.BFLOAT16, proto.TensorProto.DataType.DOUBLE, proto.TensorProto.DataType.INT8, proto.TensorProto.DataType.UINT8]);

function countParameters(graph: onnx.IGraphProto): ModelInspection['parameters'] {
  const total = { count: 0, bytes: 0, tensors: 0, externalTensors: 0, inConstants: 0, inSubgraphs: 0 };
  const add = (tensor: onnx.ITensorProto, where: { constant: boolean; subgraph: boolean }) => {
    const elements = tensorElementCount(tensor);
    total.count += elements;
    total.tensors++;
    if (where.constant) total.inConstants += elements;
    if (where.subgraph) total.inSubgraphs += elements;
    if (tensor.dataLocation === proto.TensorProto.DataLocation.EXTERNAL) {
      total.externalTensors++;
      total.bytes += externalDataOf(tensor).length ?? elements * elementSize(tensor.dataType ?? 0);
    } else if (tensor.rawData && tensor.rawData.byteLength > 0) {
      total.bytes += tensor.rawData.byteLength;
    } else {
      total.bytes += elements * elementSize(tensor.dataType ?? 0);
    }
  };
  const visit = (g: onnx.IGraphProto, subgraph: boolean) => {
    for (const tensor of g.initializer ?? []) add(tensor, { constant: false, subgraph });
    for (const node of g.node ?? []) {
      for (const attribute of node.attribute ?? []) {
        if (node.opType === 'Constant' && attribute.name === 'value' && attribute.t && WEIGHT_TYPES.has(attribute.t.dataType ?? 0) && tensorElementCount(attribute.t) > 1) {
          add(attribute.t, { constant: true, subgraph });
        }
        for (const body of [...(attribute.g ? [attribute.g] : []), ...(attribute.graphs ?? [])]) visit(body, true);
      }
    }
  };
  visit(graph, false);
  return total;
}

function withFolding(parameters: ModelInspection['parameters'], metadata: Record<string, string>): ModelInspection['parameters'] {
  const folded = Number(metadata[FOLDED_BATCHNORM_KEY]);
  return Number.isInteger(folded) && folded > 0 ? { ...parameters, beforeFolding: parameters.count + folded } : parameters;
}

function countCompute(graph: onnx.IGraphProto, inputs: readonly ValueInfo[], given: Record<string, number>): ComputeCount {
  const dims: Record<string, number> = {};
  const assumed = new Set<string>();
  const concrete: Record<string, number[]> = {};
  const expressions: string[] = [];
  for (const input of inputs) {
    input.dims.forEach((dim, axis) => {
      if (typeof dim === 'number') return;
      const symbol = dim ?? `${input.name}:${axis}`;
      if (given[symbol] !== undefined) dims[symbol] = given[symbol];
      else if (isDimExpression(symbol)) expressions.push(symbol);
      else {
        assumed.add(symbol);
        dims[symbol] = 1;
      }
    });
  }
  // `past_sequence_length + sequence_length` follows from its terms, assumed or given.
  for (const expression of expressions) dims[expression] = evaluateDimExpression(expression, (name) => dims[name]) ?? (assumed.add(expression), 1);
  for (const input of inputs) {
    concrete[input.name] = input.dims.map((dim, axis) => (typeof dim === 'number' ? dim : (dims[dim ?? `${input.name}:${axis}`] as number)));
  }
  const { values, unsupportedOps } = inferShapes(graph, concrete);
  const unsupported = new Set(unsupportedOps);
  const notCounted = new Set<string>();
  const macs = countMacs(graph, values, unsupported, notCounted);
  const complete = unsupported.size === 0 && notCounted.size === 0 && macs.complete;
  const { complete: _complete, ...split } = macs;
  return { dims, assumedDims: [...assumed].sort(), macs: split, flops: 2 * split.total, complete, unsupportedOps: [...unsupported].sort(), notCounted: [...notCounted].sort() };
}

// Heavy ops with no formula here: reported as not counted rather than silently adding nothing.
const NO_FORMULA = new Set(['ConvTranspose', 'Einsum', 'LSTM', 'GRU', 'RNN', 'Attention', 'MultiHeadAttention']);

type MacTally = ComputeCount['macs'] & { complete: boolean };

/**
 * MACs of a graph's Conv/MatMul/Gemm nodes at the inferred shapes. An If counts its larger
 * branch (an upper bound of one run); a Loop or Scan its body times a trip count known from
 * a constant, else the body is listed as not counted.
 */
function countMacs(graph: onnx.IGraphProto, values: Map<string, ValueState>, unsupported: Set<string>, notCounted: Set<string>): MacTally {
  const macs: MacTally = { total: 0, conv: 0, dense: 0, attention: 0, complete: true };
  const addTally = (other: MacTally, times = 1) => {
    macs.conv += other.conv * times;
    macs.dense += other.dense * times;
    macs.attention += other.attention * times;
    macs.complete &&= other.complete;
  };
  for (const node of graph.node ?? []) {
    const shape = (i: number) => values.get((node.input ?? [])[i] ?? '');
    const out = values.get((node.output ?? [])[0] ?? '')?.dims;
    const op = node.opType ?? '';
    const key = node.domain && node.domain !== 'ai.onnx' ? `${node.domain}.${op}` : op;
    const bodies = (node.attribute ?? []).flatMap((a) => (a.g ? [a.g] : []));
    const inner = (body: onnx.IGraphProto) => {
      const inferred = inferShapes(body, {}, values);
      for (const name of inferred.unsupportedOps) unsupported.add(name);
      return countMacs(body, inferred.values, unsupported, notCounted);
    };
    if (op === 'If' && bodies.length > 0) {
      const branches = bodies.map(inner);
      const larger = branches.reduce((a, b) => (b.conv + b.dense + b.attention > a.conv + a.dense + a.attention ? b : a));
      addTally(larger);
      continue;
    }
    if ((op === 'Loop' || op === 'Scan') && bodies.length > 0) {
      const body = inner(bodies[0]!);
      const trips = op === 'Loop' ? shape(0)?.values?.[0] : undefined;
      if (body.conv + body.dense + body.attention === 0 && body.complete) continue;
      if (trips === undefined) notCounted.add(`${key} body (trip count unknown)`);
      else addTally(body, trips);
      continue;
    }
    if ((node.domain && node.domain !== 'ai.onnx') || NO_FORMULA.has(op)) {
      if (!CHEAP.has(op)) notCounted.add(key);
      continue;
    }
    const weightIndex = op === 'QLinearConv' || op === 'QLinearMatMul' ? 3 : 1;
    if (op === 'Conv' || op === 'ConvInteger' || op === 'QLinearConv') {
      const weight = shape(weightIndex)?.dims;
      if (!out || !weight) {
        macs.complete = false;
        continue;
      }
      macs.conv += product(out) * product(weight.slice(1));
    } else if (op === 'MatMul' || op === 'MatMulInteger' || op === 'QLinearMatMul' || op === 'Gemm') {
      const a = shape(0);
      const b = shape(weightIndex);
      if (!out || !a || !b) {
        macs.complete = false;
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
  return macs;
}

// Element-wise and normalisation ops of other domains: no MACs worth counting.
const CHEAP = new Set(['Gelu', 'FastGelu', 'BiasGelu', 'QuickGelu', 'SkipLayerNormalization', 'LayerNormalization', 'SimplifiedLayerNormalization', 'SkipSimplifiedLayerNormalization', 'BiasAdd', 'BiasSoftmax', 'Rotary', 'RotaryEmbedding', 'QuantizeLinear', 'DequantizeLinear',
  'QLinearAdd', 'QLinearMul', 'QLinearSigmoid', 'QLinearLeakyRelu', 'QLinearConcat', 'QLinearGlobalAveragePool', 'QLinearAveragePool', 'QLinearSoftmax']);

function toValueInfo(value: onnx.IValueInfoProto): ValueInfo {
  const tensor = value.type?.tensorType;
  const dims: Dim[] = (tensor?.shape?.dim ?? []).map((d) => (d.dimParam ? d.dimParam : d.dimValue !== undefined && d.dimValue !== null ? toNumber(d.dimValue) : null));
  return { name: value.name ?? '', dtype: tensor ? dtypeOf(tensor.elemType ?? 0) : 'unknown', dims };
}

function product(dims: readonly number[]): number {
  return dims.reduce((a, b) => a * b, 1);
}
