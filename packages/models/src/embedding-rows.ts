import type { onnx } from './onnx-types';
import { toNumber } from './onnx-types';

// Ops an id tensor passes through unchanged in value on its way to the table it indexes.
const VALUE_PRESERVING = new Set(['Cast', 'Reshape', 'Unsqueeze', 'Squeeze', 'Flatten', 'Identity', 'Expand']);
// Ops a table passes through on its way to a Gather (quantized or cast weights).
const TABLE_PRODUCERS = new Set(['DequantizeLinear', 'Cast', 'Identity']);

/**
 * For each integer graph input that indexes an embedding table, the table's row count: the
 * vocabulary its ids must stay below. Follows the ids through casts and reshapes to a Gather
 * (or com.microsoft EmbedLayerNormalization) whose table is a weight of known shape. Inputs
 * whose table cannot be found are absent: their range must come from the user.
 */
export function embeddingRows(graph: onnx.IGraphProto): Record<string, number> {
  const shapes = new Map<string, number[]>();
  for (const tensor of graph.initializer ?? []) shapes.set(tensor.name ?? '', (tensor.dims ?? []).map((d) => toNumber(d)));
  const producers = new Map<string, onnx.INodeProto>();
  const consumers = new Map<string, onnx.INodeProto[]>();
  for (const node of graph.node ?? []) {
    for (const output of node.output ?? []) producers.set(output, node);
    for (const input of node.input ?? []) consumers.set(input, [...(consumers.get(input) ?? []), node]);
    if (node.opType === 'Constant') {
      const value = (node.attribute ?? []).find((a) => a.name === 'value')?.t;
      if (value) shapes.set(node.output?.[0] ?? '', (value.dims ?? []).map((d) => toNumber(d)));
    }
  }
  const tableRows = (name: string, depth = 0): number | undefined => {
    const shape = shapes.get(name);
    if (shape) return shape[0];
    const producer = producers.get(name);
    if (!producer || depth > 4 || !TABLE_PRODUCERS.has(producer.opType ?? '')) return undefined;
    return tableRows(producer.input?.[0] ?? '', depth + 1);
  };
  const rowsFor = (value: string, depth = 0): number | undefined => {
    for (const node of consumers.get(value) ?? []) {
      const op = node.opType ?? '';
      const at = (node.input ?? []).indexOf(value);
      if (op === 'Gather' && at === 1) {
        const rows = tableRows(node.input?.[0] ?? '');
        if (rows !== undefined) return rows;
      }
      // EmbedLayerNormalization(input_ids, segment_ids, word_embedding, position_embedding, segment_embedding, …)
      if (op === 'EmbedLayerNormalization' && (at === 0 || at === 1)) {
        const rows = tableRows(node.input?.[at === 0 ? 2 : 4] ?? '');
        if (rows !== undefined) return rows;
      }
      if (VALUE_PRESERVING.has(op) && at === 0 && depth < 6) {
        const rows = rowsFor(node.output?.[0] ?? '', depth + 1);
        if (rows !== undefined) return rows;
      }
    }
    return undefined;
  };
  const result: Record<string, number> = {};
  for (const input of graph.input ?? []) {
    const rows = rowsFor(input.name ?? '');
    if (rows !== undefined && rows > 0) result[input.name ?? ''] = rows;
  }
  return result;
}
