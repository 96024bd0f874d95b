import { InvalidArgumentError } from '@ortbench/core';
import { AttributeType, DataType, onnx, toNumber } from './onnx-types';
import { bytesOf, dimsOf, floatValues } from './tensor-data';

const { FLOAT, UINT8, INT8, INT32 } = DataType;
const { INT } = AttributeType;
/**
 * Ops whose float inputs and outputs static quantization puts between QuantizeLinear and
 * DequantizeLinear. (Not Concat: in these models it joins int64 shape values, not activations.)
 */
const QUANTIZED_OPS = new Set(['Conv', 'Gemm', 'MatMul', 'Add', 'Relu', 'Clip', 'MaxPool', 'GlobalAveragePool', 'AveragePool']);
/** Ops with a weight (input 1) that is quantized per channel, and that channel's axis. */
const WEIGHT_AXIS: Record<string, (node: onnx.INodeProto) => number> = {
  Conv: () => 0,
  MatMul: () => 1,
  Gemm: (node) => ((node.attribute ?? []).some((a) => a.name === 'transB' && toNumber(a.i) === 1) ? 0 : 1),
};

/** An activation's range seen during calibration. */
export interface Range {
  min: number;
  max: number;
}

/** The float tensors static quantization needs ranges for: the activations around quantized ops. */
export function calibrationTensors(model: onnx.IModelProto): string[] {
  const initializers = new Set((model.graph?.initializer ?? []).map((t) => t.name ?? ''));
  const names = new Set<string>();
  for (const node of model.graph?.node ?? []) {
    if (!QUANTIZED_OPS.has(node.opType ?? '')) continue;
    for (const name of [...(node.input ?? []).slice(0, node.opType === 'Clip' ? 1 : undefined), ...(node.output ?? [])]) {
      if (name && !initializers.has(name)) names.add(name);
    }
  }
  return [...names];
}

/** A copy of the model that also outputs `names` (float32, any shape), to record their values. */
export function withExtraOutputs(model: onnx.IModelProto, names: readonly string[]): onnx.IModelProto {
  const graph = model.graph ?? {};
  const existing = new Set((graph.output ?? []).map((o) => o.name));
  const extra = names.filter((n) => !existing.has(n)).map((name) => ({ name, type: { tensorType: { elemType: FLOAT } } }));
  return { ...model, graph: { ...graph, output: [...(graph.output ?? []), ...extra] } };
}

/** Options of {@link quantizeStatic}. */
export interface StaticQuantizeOptions {
  /** Weights per output channel (default) or one scale per tensor. */
  perChannel?: boolean;
}

/**
 * Static int8 quantization in ONNX Runtime's QDQ format: each calibrated activation around
 * Conv, Gemm, MatMul, Add, Relu, Clip, pooling and Concat gets a QuantizeLinear/DequantizeLinear
 * pair (uint8, asymmetric, from its range); weights are int8 symmetric per channel; biases int32
 * at the product of their input's and weight's scales. ORT fuses the pattern into integer kernels
 * (QLinearConv, QLinearMatMul, …). Models below opset 13 are upgraded (per-channel needs it).
 */
export function quantizeStatic(model: onnx.IModelProto, ranges: Readonly<Record<string, Range>>, options: StaticQuantizeOptions = {}): onnx.IModelProto {
  const upgraded = upgradeToOpset13(model);
  const graph = upgraded.graph ?? {};
  const initializers = new Map((graph.initializer ?? []).map((t) => [t.name ?? '', t]));
  const added: onnx.ITensorProto[] = [];
  const nodes: onnx.INodeProto[] = [];
  const quantized = new Map<string, { dq: string; scale: number }>();
  const fresh = (base: string) => `${base}__${added.length}_${nodes.length}`;
  const tensor = (name: string, dataType: number, dims: number[], data: ArrayBufferView): string => {
    added.push({ name, dataType, dims, rawData: bytesOf(data) });
    return name;
  };
  const qdq = (name: string): void => {
    const range = ranges[name];
    if (!range || quantized.has(name)) return;
    const low = Math.min(0, range.min);
    const high = Math.max(0, range.max);
    const scale = Math.max((high - low) / 255, 1e-8);
    const zeroPoint = Math.min(255, Math.max(0, Math.round(-low / scale)));
    const s = tensor(fresh(`${name}_scale`), FLOAT, [], Float32Array.of(scale));
    const z = tensor(fresh(`${name}_zero_point`), UINT8, [], Uint8Array.of(zeroPoint));
    const q = fresh(`${name}_quantized`);
    const dq = fresh(`${name}_dequantized`);
    nodes.push({ opType: 'QuantizeLinear', name: `${q}_node`, input: [name, s, z], output: [q] });
    nodes.push({ opType: 'DequantizeLinear', name: `${dq}_node`, input: [q, s, z], output: [dq] });
    quantized.set(name, { dq, scale });
  };
  // Graph inputs first, then each activation right after the node that produces it.
  for (const input of graph.input ?? []) if (!initializers.has(input.name ?? '')) qdq(input.name ?? '');
  for (const node of graph.node ?? []) {
    const op = node.opType ?? '';
    let inputs = [...(node.input ?? [])];
    if (QUANTIZED_OPS.has(op)) {
      const x = inputs[0];
      const weight = inputs[1] && initializers.get(inputs[1]);
      if (WEIGHT_AXIS[op] && x && quantized.has(x) && weight && weight.dataType === FLOAT) {
        const axis = WEIGHT_AXIS[op](node);
        const w = quantizeWeight(weight, axis, options.perChannel ?? true);
        const wq = tensor(fresh(`${weight.name}_quantized`), INT8, dimsOf(weight), w.values);
        const ws = tensor(fresh(`${weight.name}_scale`), FLOAT, [w.scales.length], w.scales);
        const wz = tensor(fresh(`${weight.name}_zero_point`), INT8, [w.scales.length], new Int8Array(w.scales.length));
        const wdq = fresh(`${weight.name}_dequantized`);
        nodes.push({ opType: 'DequantizeLinear', name: `${wdq}_node`, input: [wq, ws, wz], output: [wdq], attribute: [{ name: 'axis', type: INT, i: axis }] });
        inputs[1] = wdq;
        const bias = inputs[2] && initializers.get(inputs[2]);
        if (bias && bias.dataType === FLOAT && (op === 'Conv' || op === 'Gemm')) {
          const xScale = quantized.get(x)!.scale;
          const scales = Float32Array.from(floatValues(bias), (_, c) => xScale * (w.scales[w.scales.length === 1 ? 0 : c] as number));
          const values = Int32Array.from(floatValues(bias), (b, c) => Math.round(b / (scales[c] as number)));
          const bq = tensor(fresh(`${bias.name}_quantized`), INT32, dimsOf(bias), values);
          const bs = tensor(fresh(`${bias.name}_scale`), FLOAT, [scales.length], scales);
          const bz = tensor(fresh(`${bias.name}_zero_point`), INT32, [scales.length], new Int32Array(scales.length));
          const bdq = fresh(`${bias.name}_dequantized`);
          nodes.push({ opType: 'DequantizeLinear', name: `${bdq}_node`, input: [bq, bs, bz], output: [bdq], attribute: [{ name: 'axis', type: INT, i: 0 }] });
          inputs[2] = bdq;
        }
      }
      inputs = inputs.map((name, i) => (name && (i === 0 || op === 'Add' || (op === 'MatMul' && !initializers.has(name))) && quantized.has(name) ? quantized.get(name)!.dq : name));
    }
    nodes.push({ ...node, input: inputs });
    if (QUANTIZED_OPS.has(op)) for (const output of node.output ?? []) qdq(output);
  }
  // Graph outputs keep their float names: consumers inside read the dequantized copies only.
  return {
    ...upgraded,
    graph: { ...graph, node: nodes, initializer: [...(graph.initializer ?? []).filter((t) => stillUsed(t.name ?? '', nodes)), ...added] },
    metadataProps: [...(upgraded.metadataProps ?? []), { key: 'precision', value: 'int8-static' }],
  };
}

/** Symmetric int8 quantization of a weight along `axis` (per channel) or as a whole. */
function quantizeWeight(weight: onnx.ITensorProto, axis: number, perChannel: boolean): { values: Int8Array; scales: Float32Array } {
  const values = floatValues(weight);
  const dims = dimsOf(weight);
  const channels = perChannel ? (dims[axis] as number) : 1;
  const inner = perChannel ? dims.slice(axis + 1).reduce((a, b) => a * b, 1) : values.length;
  const channelOf = (i: number) => (perChannel ? Math.floor(i / inner) % channels : 0);
  const maxAbs = new Float32Array(channels);
  values.forEach((v, i) => {
    const c = channelOf(i);
    maxAbs[c] = Math.max(maxAbs[c] as number, Math.abs(v));
  });
  const scales = Float32Array.from(maxAbs, (m) => (m > 0 ? m / 127 : 1));
  const quantized = Int8Array.from(values, (v, i) => Math.max(-127, Math.min(127, Math.round(v / (scales[channelOf(i)] as number)))));
  return { values: quantized, scales };
}

/** Whether any node still reads `name` (float weights replaced by their quantized copies are dropped). */
function stillUsed(name: string, nodes: readonly onnx.INodeProto[]): boolean {
  return nodes.some((n) => (n.input ?? []).includes(name));
}

/**
 * Rewrites a model below opset 13 to opset 13: the ops whose `axes`/`split` attribute became an
 * input (Unsqueeze, Squeeze, ReduceSum, Split) get it as a constant input. Other ops kept their
 * meaning across that version.
 */
export function upgradeToOpset13(model: onnx.IModelProto): onnx.IModelProto {
  const current = toNumber((model.opsetImport ?? []).find((o) => !o.domain || o.domain === 'ai.onnx')?.version);
  if (current >= 13) return model;
  if (current < 11) throw new InvalidArgumentError(`opset ${current} models cannot be quantized per channel here; convert them to opset 13 first`);
  const moved: Record<string, string> = { Unsqueeze: 'axes', Squeeze: 'axes', ReduceSum: 'axes', Split: 'split' };
  const constants: onnx.INodeProto[] = [];
  const node = (model.graph?.node ?? []).map((n, index) => {
    const key = moved[n.opType ?? ''];
    const attribute = key ? (n.attribute ?? []).find((a) => a.name === key) : undefined;
    if (!key || !attribute) return n;
    const values = BigInt64Array.from((attribute.ints ?? []).map((v) => BigInt(toNumber(v))));
    const name = `${n.name || n.opType}_${key}_${index}`;
    constants.push({ opType: 'Constant', name: `${name}_node`, input: [], output: [name], attribute: [{ name: 'value', type: onnx.AttributeProto.AttributeType.TENSOR, t: { name, dataType: onnx.TensorProto.DataType.INT64, dims: [values.length], rawData: bytesOf(values) } }] });
    return { ...n, input: [...(n.input ?? []), name], attribute: (n.attribute ?? []).filter((a) => a.name !== key) };
  });
  return {
    ...model,
    irVersion: Math.max(toNumber(model.irVersion), 7),
    opsetImport: (model.opsetImport ?? []).map((o) => (!o.domain || o.domain === 'ai.onnx' ? { ...o, version: 13 } : o)),
    graph: { ...model.graph, node: [...constants, ...node] },
  };
}

/**
 * Dynamic int8 quantization of MatMul weights, as ONNX Runtime's own quantizer emits it:
 * activations quantized at run time (DynamicQuantizeLinear, uint8), weights int8 per column,
 * MatMulInteger, then rescaled to float. ORT fuses it into DynamicQuantizeMatMul.
 */
export function quantizeDynamic(model: onnx.IModelProto): onnx.IModelProto {
  const upgraded = upgradeToOpset13(model);
  const graph = upgraded.graph ?? {};
  const initializers = new Map((graph.initializer ?? []).map((t) => [t.name ?? '', t]));
  const added: onnx.ITensorProto[] = [];
  const nodes: onnx.INodeProto[] = [];
  let count = 0;
  for (const node of graph.node ?? []) {
    const weight = node.opType === 'MatMul' && node.input?.[1] ? initializers.get(node.input[1]) : undefined;
    if (!weight || weight.dataType !== FLOAT || dimsOf(weight).length !== 2) {
      nodes.push(node);
      continue;
    }
    const id = `dq${count++}`;
    const w = quantizeWeight(weight, 1, true);
    const add = (name: string, dataType: number, dims: number[], data: ArrayBufferView) => {
      added.push({ name, dataType, dims, rawData: bytesOf(data) });
      return name;
    };
    const wq = add(`${weight.name}_${id}_quantized`, INT8, dimsOf(weight), w.values);
    const wz = add(`${weight.name}_${id}_zero_point`, INT8, [w.scales.length], new Int8Array(w.scales.length));
    const ws = add(`${weight.name}_${id}_scale`, FLOAT, [w.scales.length], w.scales);
    const [x] = node.input as string[];
    const [xq, xs, xz, product, asFloat, scale] = ['x_q', 'x_scale', 'x_zero_point', 'int32', 'float', 'scale'].map((s) => `${id}_${s}`);
    nodes.push(
      { opType: 'DynamicQuantizeLinear', name: `${id}_quantize`, input: [x as string], output: [xq as string, xs as string, xz as string] },
      { opType: 'MatMulInteger', name: `${id}_matmul`, input: [xq as string, wq, xz as string, wz], output: [product as string] },
      { opType: 'Cast', name: `${id}_cast`, input: [product as string], output: [asFloat as string], attribute: [{ name: 'to', type: INT, i: FLOAT }] },
      { opType: 'Mul', name: `${id}_scales`, input: [xs as string, ws], output: [scale as string] },
      { opType: 'Mul', name: `${id}_rescale`, input: [asFloat as string, scale as string], output: node.output as string[] },
    );
  }
  return {
    ...upgraded,
    graph: { ...graph, node: nodes, initializer: [...(graph.initializer ?? []).filter((t) => stillUsed(t.name ?? '', nodes)), ...added] },
    metadataProps: [...(upgraded.metadataProps ?? []), { key: 'precision', value: 'int8-dynamic' }],
  };
}
