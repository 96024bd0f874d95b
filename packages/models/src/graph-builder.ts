import type { Dim, DType, TensorDataMap } from '@ortbench/core';
import { InvalidArgumentError } from '@ortbench/core';
import { elementType, irVersionForOpset, onnx } from './onnx-types';

/** A float attribute; plain numbers are ints, so floats must say so. */
export interface FloatAttribute {
  kind: 'float';
  value: number;
}
/** A list-of-floats attribute. */
export interface FloatsAttribute {
  kind: 'floats';
  values: number[];
}
/** A tensor attribute (e.g. Constant's `value`). */
export interface TensorAttribute {
  kind: 'tensor';
  tensor: onnx.ITensorProto;
}

/** Attribute values: integer → INT, integer[] → INTS, string → STRING, or an explicit float/floats/tensor. */
export type AttributeValue = number | number[] | string | FloatAttribute | FloatsAttribute | TensorAttribute;

/** Marks a float attribute value. */
export const float = (value: number): FloatAttribute => ({ kind: 'float', value });
/** Marks a list-of-floats attribute value. */
export const floats = (values: number[]): FloatsAttribute => ({ kind: 'floats', values });

type NumericDType = Exclude<DType, 'string'>;

/** Little-endian bytes of a typed array, without copying. */
function rawBytes(data: ArrayBufferView): Uint8Array {
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

/** A TensorProto holding `data` as raw little-endian bytes. */
export function tensorProto<T extends NumericDType>(name: string, dtype: T, dims: readonly number[], data: TensorDataMap[T]): onnx.ITensorProto {
  const count = dims.reduce((a, b) => a * b, 1);
  if (data.length !== count) {
    throw new InvalidArgumentError(`tensor "${name}" of shape [${dims.join(', ')}] needs ${count} elements, got ${data.length}`);
  }
  return { name, dataType: elementType(dtype), dims: [...dims], rawData: rawBytes(data as ArrayBufferView) };
}

/** Options for {@link GraphBuilder.toModel}. */
export interface ModelOptions {
  /** Default-domain opset. */
  opset: number;
  /** Extra opset imports, e.g. `{ 'com.microsoft': 1 }`. */
  domains?: Record<string, number>;
  producerName?: string;
  producerVersion?: string;
  docString?: string;
  /** Key/value metadata stored in the model (architecture, seed, builder version, …). */
  metadata?: Record<string, string>;
}

/**
 * Builds an ONNX graph node by node. Weights are initializers (they count as parameters);
 * other constants are Constant nodes, so parameter counts stay exact.
 */
export class GraphBuilder {
  readonly #nodes: onnx.INodeProto[] = [];
  readonly #initializers: onnx.ITensorProto[] = [];
  readonly #inputs: onnx.IValueInfoProto[] = [];
  readonly #outputs: onnx.IValueInfoProto[] = [];
  readonly #names = new Set<string>();
  readonly #counters = new Map<string, number>();
  readonly name: string;

  constructor(name = 'main') {
    this.name = name;
  }

  /** Declares a graph input; string dims are symbolic (`batch_size`), null unknown. */
  input(name: string, dtype: DType, dims: readonly Dim[]): string {
    this.#inputs.push(valueInfo(this.#claim(name), dtype, dims));
    return name;
  }

  /** Declares an existing value as a graph output. */
  output(name: string, dtype: DType, dims: readonly Dim[]): void {
    this.#outputs.push(valueInfo(name, dtype, dims));
  }

  /** Adds a weight. */
  initializer<T extends NumericDType>(name: string, dtype: T, dims: readonly number[], data: TensorDataMap[T]): string {
    this.#initializers.push(tensorProto(this.#claim(name), dtype, dims, data));
    return name;
  }

  /** Adds a constant as a Constant node (not a parameter), returning its output name. */
  constant<T extends NumericDType>(dtype: T, dims: readonly number[], data: TensorDataMap[T], hint = 'const'): string {
    const name = this.#fresh(hint);
    this.#nodes.push({
      opType: 'Constant',
      name: `${name}_node`,
      input: [],
      output: [name],
      attribute: [attribute('value', { kind: 'tensor', tensor: tensorProto(name, dtype, dims, data) })],
    });
    return name;
  }

  /** A scalar float32 constant. */
  scalar(value: number, hint = 'scalar'): string {
    return this.constant('float32', [], Float32Array.of(value), hint);
  }

  /** An int64 vector (or scalar when `scalar`) constant, for shapes, axes and indices. */
  ints(values: readonly number[], hint = 'ints', scalar = false): string {
    return this.constant('int64', scalar ? [] : [values.length], BigInt64Array.from(values.map(BigInt)), hint);
  }

  /**
   * Adds a node and returns its output names (`outputs` of them, named after the op unless
   * names are given). Use '' for an omitted optional input.
   */
  node(
    opType: string,
    inputs: readonly string[],
    attributes: Record<string, AttributeValue> = {},
    options: { outputs?: number | readonly string[]; domain?: string; name?: string } = {},
  ): string[] {
    const outputs =
      typeof options.outputs === 'object' ? options.outputs.map((n) => this.#claim(n)) : Array.from({ length: options.outputs ?? 1 }, () => this.#fresh(opType));
    const node: onnx.INodeProto = {
      opType,
      name: options.name ?? `${outputs[0]}_node`,
      input: [...inputs],
      output: outputs,
      attribute: Object.entries(attributes).map(([key, value]) => attribute(key, value)),
    };
    if (options.domain) node.domain = options.domain;
    this.#nodes.push(node);
    return outputs;
  }

  /** A single-output node. */
  op(opType: string, inputs: readonly string[], attributes: Record<string, AttributeValue> = {}, name?: string): string {
    return this.node(opType, inputs, attributes, name ? { outputs: [name] } : {})[0] as string;
  }

  /** The finished model. */
  toModel(options: ModelOptions): onnx.IModelProto {
    const opsetImport: onnx.IOperatorSetIdProto[] = [{ domain: '', version: options.opset }];
    for (const [domain, version] of Object.entries(options.domains ?? {})) opsetImport.push({ domain, version });
    const model: onnx.IModelProto = {
      irVersion: irVersionForOpset(options.opset),
      opsetImport,
      producerName: options.producerName ?? 'ortbench',
      producerVersion: options.producerVersion ?? '',
      graph: {
        name: this.name,
        node: this.#nodes,
        initializer: this.#initializers,
        input: this.#inputs,
        output: this.#outputs,
      },
      metadataProps: Object.entries(options.metadata ?? {}).map(([key, value]) => ({ key, value })),
    };
    if (options.docString) model.docString = options.docString;
    return model;
  }

  #claim(name: string): string {
    if (this.#names.has(name)) throw new InvalidArgumentError(`graph value "${name}" is defined twice`);
    this.#names.add(name);
    return name;
  }

  #fresh(hint: string): string {
    let index = this.#counters.get(hint) ?? 0;
    let name: string;
    do name = `${hint}_${index++}`;
    while (this.#names.has(name));
    this.#counters.set(hint, index);
    return this.#claim(name);
  }
}

function valueInfo(name: string, dtype: DType, dims: readonly Dim[]): onnx.IValueInfoProto {
  return {
    name,
    type: {
      tensorType: {
        elemType: elementType(dtype),
        shape: { dim: dims.map((dim) => (typeof dim === 'number' ? { dimValue: dim } : dim === null ? {} : { dimParam: dim })) },
      },
    },
  };
}

function attribute(name: string, value: AttributeValue): onnx.IAttributeProto {
  const Type = onnx.AttributeProto.AttributeType;
  if (typeof value === 'string') return { name, type: Type.STRING, s: new TextEncoder().encode(value) };
  if (typeof value === 'number') {
    if (!Number.isInteger(value)) throw new InvalidArgumentError(`attribute ${name}=${value}: plain numbers are ints; use float(${value})`);
    return { name, type: Type.INT, i: value };
  }
  if (Array.isArray(value)) {
    if (!value.every(Number.isInteger)) throw new InvalidArgumentError(`attribute ${name}: plain number lists are ints; use floats([…])`);
    return { name, type: Type.INTS, ints: value };
  }
  switch (value.kind) {
    case 'float':
      return { name, type: Type.FLOAT, f: value.value };
    case 'floats':
      return { name, type: Type.FLOATS, floats: value.values };
    case 'tensor':
      return { name, type: Type.TENSOR, t: value.tensor };
  }
}
