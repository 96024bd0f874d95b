import type { onnx } from './onnx-types';
import { toNumber } from './onnx-types';
import { integerValues, MAX_FOLDED_ELEMENTS } from './tensor-values';

/** What is known of a value: concrete dims, and for small integer tensors their values. */
export interface ValueState {
  dims: number[];
  values?: number[];
  /** True for initializers: a MatMul with a constant operand is a dense layer, not attention. */
  constant?: boolean;
}

/** The known values after inference, and the op types whose outputs could not be inferred. */
export interface ShapeInference {
  values: Map<string, ValueState>;
  unsupportedOps: string[];
}

type Attributes = Map<string, onnx.IAttributeProto>;

/**
 * Propagates concrete shapes through a graph in node order (ONNX requires topological order),
 * folding small integer shape arithmetic so Reshape targets and Range lengths are known.
 * `inputs` gives each graph input's concrete dims; `outer`, a subgraph's enclosing values.
 */
export function inferShapes(graph: onnx.IGraphProto, inputs: Record<string, number[]>, outer?: ReadonlyMap<string, ValueState>): ShapeInference {
  // A subgraph (an If branch, a Loop body) sees the values of the graph around it.
  const values = new Map<string, ValueState>(outer ?? []);
  for (const tensor of graph.initializer ?? []) {
    const state: ValueState = { dims: (tensor.dims ?? []).map((d) => toNumber(d)), constant: true };
    const folded = integerValues(tensor);
    if (folded) state.values = folded;
    values.set(tensor.name ?? '', state);
  }
  for (const [name, dims] of Object.entries(inputs)) values.set(name, { dims: [...dims] });
  const unsupported = new Set<string>();
  for (const node of graph.node ?? []) {
    const attributes: Attributes = new Map((node.attribute ?? []).map((a) => [a.name ?? '', a]));
    const inputStates = (node.input ?? []).map((name) => (name ? values.get(name) : undefined));
    let outputs: (ValueState | undefined)[] | undefined;
    try {
      outputs = inferNode(node.opType ?? '', inputStates, attributes, node.input ?? []);
    } catch {
      outputs = undefined; // malformed attributes or shapes: treat the node as unknown
    }
    if (!outputs) {
      unsupported.add(`${node.domain ? `${node.domain}.` : ''}${node.opType}`);
      continue;
    }
    (node.output ?? []).forEach((name, i) => {
      const state = outputs[i];
      if (name && state) values.set(name, state);
    });
  }
  return { values, unsupportedOps: [...unsupported].sort() };
}

const SAME_SHAPE = new Set([
  'Relu', 'LeakyRelu', 'Sigmoid', 'HardSigmoid', 'HardSwish', 'Tanh', 'Erf', 'Gelu', 'Sqrt', 'Exp', 'Log', 'Neg', 'Abs',
  'Reciprocal', 'Floor', 'Ceil', 'Round', 'Sign', 'Not', 'Clip', 'Softmax', 'LogSoftmax', 'LayerNormalization',
  'BatchNormalization', 'Dropout', 'QuantizeLinear', 'DequantizeLinear', 'DynamicQuantizeLinear', 'Elu', 'Selu',
  'Softplus', 'Mish', 'InstanceNormalization', 'SkipLayerNormalization', 'FastGelu', 'BiasGelu',
]);
const BROADCAST = new Set(['Add', 'Sub', 'Mul', 'Div', 'Pow', 'Max', 'Min', 'Equal', 'Less', 'Greater', 'LessOrEqual', 'GreaterOrEqual', 'And', 'Or', 'Xor', 'Mod', 'PRelu', 'Where', 'Sum', 'Mean']);
const FOLD: Record<string, (a: number, b: number) => number> = {
  Add: (a, b) => a + b,
  Sub: (a, b) => a - b,
  Mul: (a, b) => a * b,
  Div: (a, b) => Math.trunc(a / b),
  Max: Math.max,
  Min: Math.min,
};

function inferNode(op: string, ins: (ValueState | undefined)[], attrs: Attributes, names: readonly string[]): (ValueState | undefined)[] | undefined {
  const x = ins[0];
  if (op === 'Constant') return [constantState(attrs)];
  if (op === 'Identity' || op === 'Cast') return x ? [{ ...x, constant: false }] : undefined;
  if (SAME_SHAPE.has(op)) return x ? [{ dims: x.dims }] : undefined;
  if (BROADCAST.has(op)) {
    const operands = ins.filter((s, i) => names[i] !== '' && s !== undefined) as ValueState[];
    if (operands.length !== names.filter(Boolean).length) return undefined;
    const dims = operands.map((s) => s.dims).reduce(broadcast);
    const state: ValueState = { dims };
    const fold = FOLD[op];
    if (fold && operands.length === 2 && operands.every((s) => s.values)) {
      const [a, b] = operands as [ValueState, ValueState];
      const count = dims.reduce((p, d) => p * d, 1);
      if (count <= MAX_FOLDED_ELEMENTS) state.values = Array.from({ length: count }, (_, i) => fold(a.values![a.values!.length === 1 ? 0 : i]!, b.values![b.values!.length === 1 ? 0 : i]!));
    }
    return [state];
  }
  switch (op) {
    case 'QLinearAdd':
    case 'QLinearMul':
      return ins[0] && ins[3] ? [{ dims: broadcast(ins[0].dims, ins[3].dims) }] : undefined;
    case 'Conv':
    case 'ConvInteger':
      return x && ins[1] ? [{ dims: convOutput(x.dims, ins[1].dims, attrs) }] : undefined;
    case 'QLinearConv':
      return x && ins[3] ? [{ dims: convOutput(x.dims, ins[3].dims, attrs) }] : undefined;
    case 'MaxPool':
    case 'AveragePool':
      return x ? [{ dims: poolOutput(x.dims, attrs) }] : undefined;
    case 'GlobalAveragePool':
    case 'GlobalMaxPool':
    case 'QLinearGlobalAveragePool':
      if (!x) return undefined;
      return ints(attrs, 'channels_last')?.[0] ? [{ dims: [x.dims[0]!, ...x.dims.slice(1, -1).map(() => 1), x.dims.at(-1)!] }] : [{ dims: [x.dims[0]!, x.dims[1]!, ...x.dims.slice(2).map(() => 1)] }];
    case 'MatMul':
    case 'MatMulInteger':
      return x && ins[1] ? [{ dims: matmulOutput(x.dims, ins[1].dims) }] : undefined;
    case 'QLinearMatMul':
      return x && ins[3] ? [{ dims: matmulOutput(x.dims, ins[3].dims) }] : undefined;
    case 'Gemm': {
      if (!x || !ins[1]) return undefined;
      const m = int(attrs, 'transA') ? x.dims[1]! : x.dims[0]!;
      const n = int(attrs, 'transB') ? ins[1].dims[0]! : ins[1].dims[1]!;
      return [{ dims: [m, n] }];
    }
    case 'Flatten': {
      if (!x) return undefined;
      const axis = normaliseAxis(int(attrs, 'axis') ?? 1, x.dims.length + 1);
      return [{ dims: [product(x.dims.slice(0, axis)), product(x.dims.slice(axis))] }];
    }
    case 'Reshape': {
      if (!x || !ins[1]?.values) return undefined;
      const allowZero = int(attrs, 'allowzero') === 1;
      const target = ins[1].values.map((d, i) => (d === 0 && !allowZero ? x.dims[i]! : d));
      const known = product(target.filter((d) => d !== -1));
      const dims = target.map((d) => (d === -1 ? product(x.dims) / known : d));
      return [withValues({ dims }, x.values)];
    }
    case 'Transpose': {
      if (!x) return undefined;
      const perm = ints(attrs, 'perm') ?? x.dims.map((_, i) => x.dims.length - 1 - i);
      return [{ dims: perm.map((p) => x.dims[p]!) }];
    }
    case 'Shape': {
      if (!x) return undefined;
      const rank = x.dims.length;
      const start = normaliseAxis(int(attrs, 'start') ?? 0, rank, true);
      const end = normaliseAxis(int(attrs, 'end') ?? rank, rank, true);
      const shape = x.dims.slice(start, end);
      return [{ dims: [shape.length], values: shape }];
    }
    case 'Size':
      return x ? [{ dims: [], values: [product(x.dims)] }] : undefined;
    case 'Gather': {
      const indices = ins[1];
      if (!x || !indices) return undefined;
      const axis = normaliseAxis(int(attrs, 'axis') ?? 0, x.dims.length);
      const dims = [...x.dims.slice(0, axis), ...indices.dims, ...x.dims.slice(axis + 1)];
      const state: ValueState = { dims };
      if (x.values && indices.values && x.dims.length === 1) {
        state.values = indices.values.map((i) => x.values![i < 0 ? i + x.dims[0]! : i]!);
      }
      return [state];
    }
    case 'Unsqueeze':
    case 'Squeeze': {
      if (!x) return undefined;
      const axes = ints(attrs, 'axes') ?? ins[1]?.values;
      if (op === 'Unsqueeze') {
        if (!axes) return undefined;
        const rank = x.dims.length + axes.length;
        const set = new Set(axes.map((a) => normaliseAxis(a, rank)));
        const dims: number[] = [];
        let source = 0;
        for (let axis = 0; axis < rank; axis++) dims.push(set.has(axis) ? 1 : x.dims[source++]!);
        return [withValues({ dims }, x.values)];
      }
      const set = new Set((axes ?? x.dims.flatMap((d, i) => (d === 1 ? [i] : []))).map((a) => normaliseAxis(a, x.dims.length)));
      return [withValues({ dims: x.dims.filter((_, i) => !set.has(i)) }, x.values)];
    }
    case 'Concat': {
      const parts = ins.filter(Boolean) as ValueState[];
      if (parts.length !== names.filter(Boolean).length || parts.length === 0) return undefined;
      const axis = normaliseAxis(int(attrs, 'axis') ?? 0, parts[0]!.dims.length);
      const dims = [...parts[0]!.dims];
      dims[axis] = parts.reduce((sum, p) => sum + p.dims[axis]!, 0);
      const state: ValueState = { dims };
      if (dims.length === 1 && parts.every((p) => p.values)) state.values = parts.flatMap((p) => p.values!);
      return [state];
    }
    case 'Slice': {
      if (!x || !ins[1]?.values || !ins[2]?.values) return undefined;
      const starts = ins[1].values;
      const ends = ins[2].values;
      const axes = ins[3]?.values ?? starts.map((_, i) => i);
      const steps = ins[4]?.values ?? starts.map(() => 1);
      const dims = [...x.dims];
      let values = x.values;
      axes.forEach((a, i) => {
        const axis = normaliseAxis(a, x.dims.length);
        const size = x.dims[axis]!;
        const step = steps[i]!;
        const clampIndex = (v: number) => Math.min(Math.max(v < 0 ? v + size : v, step > 0 ? 0 : -1), step > 0 ? size : size - 1);
        const start = clampIndex(starts[i]!);
        const end = clampIndex(ends[i]!);
        dims[axis] = Math.max(0, Math.ceil((end - start) / step));
        if (values && x.dims.length === 1) values = Array.from({ length: dims[axis]! }, (_, k) => values![start + k * step]!);
      });
      return [withValues({ dims }, x.dims.length === 1 ? values : undefined)];
    }
    case 'Range': {
      const [start, limit, delta] = ins.map((s) => s?.values?.[0]);
      if (start === undefined || limit === undefined || delta === undefined || delta === 0) return undefined;
      const length = Math.max(0, Math.ceil((limit - start) / delta));
      return [withValues({ dims: [length] }, length <= MAX_FOLDED_ELEMENTS ? Array.from({ length }, (_, k) => start + k * delta) : undefined)];
    }
    case 'ConstantOfShape':
      return x?.values ? [{ dims: x.values }] : undefined;
    case 'Expand':
      return x && ins[1]?.values ? [{ dims: broadcast(x.dims, ins[1].values) }] : undefined;
    case 'ReduceMean':
    case 'ReduceSum':
    case 'ReduceMax':
    case 'ReduceMin':
    case 'ReduceProd':
    case 'ReduceL2': {
      if (!x) return undefined;
      const axes = (ints(attrs, 'axes') ?? ins[1]?.values ?? x.dims.map((_, i) => i)).map((a) => normaliseAxis(a, x.dims.length));
      const keep = (int(attrs, 'keepdims') ?? 1) === 1;
      const dims = x.dims.flatMap((d, i) => (axes.includes(i) ? (keep ? [1] : []) : [d]));
      return [{ dims }];
    }
    case 'Split': {
      if (!x) return undefined;
      const axis = normaliseAxis(int(attrs, 'axis') ?? 0, x.dims.length);
      const sizes = ints(attrs, 'split') ?? ins[1]?.values;
      if (!sizes) return undefined;
      return sizes.map((size) => ({ dims: x.dims.map((d, i) => (i === axis ? size : d)) }));
    }
    default:
      return undefined;
  }
}

function constantState(attrs: Attributes): ValueState | undefined {
  const tensor = attrs.get('value')?.t;
  if (tensor) {
    const state: ValueState = { dims: (tensor.dims ?? []).map((d) => toNumber(d)), constant: true };
    const folded = integerValues(tensor);
    if (folded) state.values = folded;
    return state;
  }
  const single = attrs.get('value_int');
  if (single) return { dims: [], values: [toNumber(single.i)], constant: true };
  const list = attrs.get('value_ints');
  if (list) return { dims: [list.ints?.length ?? 0], values: (list.ints ?? []).map((v) => toNumber(v)), constant: true };
  const floatValue = attrs.get('value_float');
  if (floatValue) return { dims: [], constant: true };
  const floatList = attrs.get('value_floats');
  if (floatList) return { dims: [floatList.floats?.length ?? 0], constant: true };
  return undefined;
}

function withValues(state: ValueState, values: number[] | undefined): ValueState {
  return values ? { ...state, values } : state;
}

function int(attrs: Attributes, name: string): number | undefined {
  const attribute = attrs.get(name);
  return attribute ? toNumber(attribute.i) : undefined;
}

function ints(attrs: Attributes, name: string): number[] | undefined {
  const attribute = attrs.get(name);
  return attribute ? (attribute.ints ?? []).map((v) => toNumber(v)) : undefined;
}

function product(dims: readonly number[]): number {
  return dims.reduce((a, b) => a * b, 1);
}

function normaliseAxis(axis: number, rank: number, clamp = false): number {
  const value = axis < 0 ? axis + rank : axis;
  return clamp ? Math.min(Math.max(value, 0), rank) : value;
}

/** Numpy broadcasting of two shapes. */
export function broadcast(a: readonly number[], b: readonly number[]): number[] {
  const rank = Math.max(a.length, b.length);
  return Array.from({ length: rank }, (_, i) => {
    const x = a[a.length - rank + i] ?? 1;
    const y = b[b.length - rank + i] ?? 1;
    if (x !== y && x !== 1 && y !== 1) throw new RangeError(`shapes [${a}] and [${b}] do not broadcast`);
    return x === 1 ? y : x;
  });
}

function matmulOutput(a: readonly number[], b: readonly number[]): number[] {
  const left = a.length === 1 ? [1, a[0]!] : a;
  const right = b.length === 1 ? [b[0]!, 1] : b;
  const batch = broadcast(left.slice(0, -2), right.slice(0, -2));
  const dims = [...batch, left.at(-2)!, right.at(-1)!];
  if (a.length === 1) dims.splice(-2, 1);
  if (b.length === 1) dims.pop();
  return dims;
}

function convOutput(x: readonly number[], w: readonly number[], attrs: Attributes): number[] {
  const spatial = x.length - 2;
  const kernel = ints(attrs, 'kernel_shape') ?? w.slice(2);
  return [x[0]!, w[0]!, ...windowOutput(x.slice(2), kernel, attrs, spatial, false)];
}

function poolOutput(x: readonly number[], attrs: Attributes): number[] {
  const kernel = ints(attrs, 'kernel_shape') ?? [];
  return [x[0]!, x[1]!, ...windowOutput(x.slice(2), kernel, attrs, x.length - 2, (int(attrs, 'ceil_mode') ?? 0) === 1)];
}

function windowOutput(input: readonly number[], kernel: readonly number[], attrs: Attributes, spatial: number, ceil: boolean): number[] {
  const strides = ints(attrs, 'strides') ?? new Array<number>(spatial).fill(1);
  const dilations = ints(attrs, 'dilations') ?? new Array<number>(spatial).fill(1);
  const pads = ints(attrs, 'pads') ?? new Array<number>(spatial * 2).fill(0);
  const autoPad = new TextDecoder().decode(attrs.get('auto_pad')?.s ?? new Uint8Array());
  return input.map((size, i) => {
    const stride = strides[i]!;
    if (autoPad === 'SAME_UPPER' || autoPad === 'SAME_LOWER') return Math.ceil(size / stride);
    const extent = (kernel[i]! - 1) * dilations[i]! + 1;
    const padded = autoPad === 'VALID' ? size : size + pads[i]! + pads[i + spatial]!;
    const round = ceil ? Math.ceil : Math.floor;
    return round((padded - extent) / stride) + 1;
  });
}
