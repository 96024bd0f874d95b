import { toFloat16Bits } from '@ortbench/core';
import { DataType, onnx } from './onnx-types';
import { bytesOf, floatValues } from './tensor-data';

const { FLOAT, FLOAT16 } = DataType;

function toHalf(tensor: onnx.ITensorProto): onnx.ITensorProto {
  if (tensor.dataType !== FLOAT) return tensor;
  const bits = Uint16Array.from(floatValues(tensor), toFloat16Bits);
  return { ...tensor, dataType: FLOAT16, rawData: bytesOf(bits), floatData: [] };
}

/**
 * Converts a float32 model to float16: weights, constants and compute. Graph inputs and outputs
 * stay float32, with Casts at the edges, so callers feed and read float32 as before. Runtimes
 * that lack a float16 kernel for an op (ORT's CPU provider) insert casts around it themselves.
 */
export function convertToFloat16(model: onnx.IModelProto): onnx.IModelProto {
  const graph = model.graph ?? {};
  const floatIo = (v: onnx.IValueInfoProto) => v.type?.tensorType?.elemType === FLOAT;
  const inputs = (graph.input ?? []).filter(floatIo).map((v) => v.name ?? '');
  const outputs = (graph.output ?? []).filter(floatIo).map((v) => v.name ?? '');
  const rename = new Map<string, string>([...inputs, ...outputs].map((name) => [name, `${name}__fp16`]));
  const renamed = (name: string) => rename.get(name) ?? name;
  const nodes: onnx.INodeProto[] = inputs.map((name) => ({ opType: 'Cast', name: `${name}__to_fp16`, input: [name], output: [renamed(name)], attribute: [{ name: 'to', type: onnx.AttributeProto.AttributeType.INT, i: FLOAT16 }] }));
  for (const node of graph.node ?? []) {
    const attribute = (node.attribute ?? []).map((a) => {
      if (node.opType === 'Cast' && a.name === 'to' && Number(a.i) === FLOAT) return { ...a, i: FLOAT16 };
      if (a.t && a.t.dataType === FLOAT) return { ...a, t: toHalf(a.t) };
      return a;
    });
    nodes.push({ ...node, input: (node.input ?? []).map(renamed), output: (node.output ?? []).map((n) => (outputs.includes(n) ? renamed(n) : n)), attribute });
  }
  for (const name of outputs) {
    nodes.push({ opType: 'Cast', name: `${name}__to_fp32`, input: [renamed(name)], output: [name], attribute: [{ name: 'to', type: onnx.AttributeProto.AttributeType.INT, i: FLOAT }] });
  }
  return {
    ...model,
    graph: { ...graph, node: nodes, initializer: (graph.initializer ?? []).map(toHalf), valueInfo: [] },
    metadataProps: [...(model.metadataProps ?? []), { key: 'precision', value: 'fp16' }],
  };
}
