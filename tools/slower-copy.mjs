// A copy of a model made slower by a known, small amount of real work: `extra` grouped 1×1
// convolutions (one per channel, weight 1, no bias: the identity) after the model's first Conv.
// The outputs are unchanged; each extra convolution reads and writes the first feature map once.
// Used by tools/bench-ab.mjs to check that `ortbench ab` calls a ~4 % slowdown "slower".
import { encodeModel, readModel, tensorProto } from '@ortbench/models';

/** Writes the slower copy of `source` to `target`; returns the channel count of the map it re-reads. */
export async function writeSlowerCopy(source, target, extra) {
  const model = await readModel(source);
  const graph = model.graph;
  const first = graph.node.findIndex((n) => n.opType === 'Conv');
  if (first < 0) throw new Error(`${source}: no Conv to follow`);
  const conv = graph.node[first];
  const weight = graph.initializer.find((t) => t.name === conv.input[1]);
  const channels = Number(weight.dims[0]);
  const original = conv.output[0];
  const name = (i) => `${original}__identity_${i}`;
  conv.output[0] = name(0);
  const nodes = [];
  for (let i = 1; i <= extra; i++) {
    const output = i === extra ? original : name(i);
    graph.initializer.push(tensorProto(`identity_weight_${i}`, 'float32', [channels, 1, 1, 1], new Float32Array(channels).fill(1)));
    nodes.push({ opType: 'Conv', name: `identity_conv_${i}`, input: [name(i - 1), `identity_weight_${i}`], output: [output], attribute: [{ name: 'group', type: 2, i: channels }] });
  }
  graph.node.splice(first + 1, 0, ...nodes);
  const { writeFile } = await import('node:fs/promises');
  await writeFile(target, encodeModel(model).model);
  return channels;
}
