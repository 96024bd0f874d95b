import { AttributeType, DataType } from './onnx-types';
import type { onnx } from './onnx-types';
import { bytesOf, dimsOf, floatValues } from './tensor-data';

const { FLOAT, UINT8 } = DataType;
const INT = AttributeType.INT;

/** Options of {@link quantize4Bit}. */
export interface FourBitOptions {
  /** Weights per block along K, each block with its own scale and zero point; a power of two ≥ 16. Default 32. */
  blockSize?: number;
}

/**
 * Block-wise 4-bit weights, as ONNX Runtime's MatMul4BitsQuantizer writes them (transformers.js's
 * `q4` files): every MatMul whose second input is a constant 2-D float weight [K, N] becomes a
 * com.microsoft MatMulNBits, its weights cut along K into blocks of `blockSize`, each block of
 * each column quantized asymmetrically to 0..15 with a float scale and a 4-bit zero point
 * (value = (q − zero point) × scale). Activations stay float; other ops are untouched.
 */
export function quantize4Bit(model: onnx.IModelProto, options: FourBitOptions = {}): onnx.IModelProto {
  const blockSize = options.blockSize ?? 32;
  if (blockSize < 16 || (blockSize & (blockSize - 1)) !== 0) throw new RangeError(`blockSize must be a power of two of at least 16, got ${blockSize}`);
  const graph = model.graph ?? {};
  const initializers = new Map((graph.initializer ?? []).map((t) => [t.name ?? '', t]));
  const added: onnx.ITensorProto[] = [];
  const replaced = new Set<string>();
  let count = 0;
  const node = (graph.node ?? []).map((n): onnx.INodeProto => {
    const weight = n.opType === 'MatMul' && n.input?.[1] ? initializers.get(n.input[1]) : undefined;
    if (!weight || weight.dataType !== FLOAT || dimsOf(weight).length !== 2) return n;
    const [k, columns] = dimsOf(weight) as [number, number];
    const packed = packWeights(floatValues(weight), k, columns, blockSize);
    const id = `${weight.name}_q4_${count++}`;
    added.push(
      { name: `${id}_B`, dataType: UINT8, dims: [columns, packed.blocks, blockSize / 2], rawData: bytesOf(packed.values) },
      { name: `${id}_scales`, dataType: FLOAT, dims: [columns * packed.blocks], rawData: bytesOf(packed.scales) },
      { name: `${id}_zero_points`, dataType: UINT8, dims: [packed.zeroPoints.length], rawData: bytesOf(packed.zeroPoints) },
    );
    replaced.add(weight.name ?? '');
    return {
      opType: 'MatMulNBits',
      domain: 'com.microsoft',
      name: `${n.name ?? id}_q4`,
      input: [n.input![0]!, `${id}_B`, `${id}_scales`, `${id}_zero_points`],
      output: n.output ?? [],
      attribute: [
        { name: 'K', type: INT, i: k },
        { name: 'N', type: INT, i: columns },
        { name: 'bits', type: INT, i: 4 },
        { name: 'block_size', type: INT, i: blockSize },
      ],
    };
  });
  // A weight another node still reads stays; one only the replaced MatMuls read goes.
  const stillRead = new Set(node.flatMap((n) => n.input ?? []));
  const kept = (graph.initializer ?? []).filter((t) => !replaced.has(t.name ?? '') || stillRead.has(t.name ?? ''));
  const opsets = (model.opsetImport ?? []).filter((o) => o.domain !== 'com.microsoft');
  return {
    ...model,
    opsetImport: [...opsets, { domain: 'com.microsoft', version: 1 }],
    graph: { ...graph, node, initializer: [...kept, ...added] },
    metadataProps: [...(model.metadataProps ?? []), { key: 'precision', value: `q4 (MatMulNBits, block ${blockSize})` }],
  };
}

/**
 * Packs a [K, N] row-major weight into MatMulNBits' layout: per column, per block of K, the
 * block's 4-bit values two to a byte (the earlier element in the low nibble), its scale, and its
 * zero point (two blocks' to a byte, per column). A last block shorter than `blockSize` is padded
 * with the zero point (a zero weight).
 */
export function packWeights(weights: Float32Array, k: number, columns: number, blockSize: number): { values: Uint8Array; scales: Float32Array; zeroPoints: Uint8Array; blocks: number } {
  const blocks = Math.ceil(k / blockSize);
  const values = new Uint8Array(columns * blocks * (blockSize / 2));
  const scales = new Float32Array(columns * blocks);
  const zeroBytes = Math.ceil(blocks / 2);
  const zeroPoints = new Uint8Array(columns * zeroBytes);
  for (let n = 0; n < columns; n++) {
    for (let b = 0; b < blocks; b++) {
      const start = b * blockSize;
      const end = Math.min(k, start + blockSize);
      // The range always holds 0, so a zero weight is exact.
      let min = 0;
      let max = 0;
      for (let i = start; i < end; i++) {
        const w = weights[i * columns + n]!;
        if (w < min) min = w;
        if (w > max) max = w;
      }
      const scale = max > min ? (max - min) / 15 : 1;
      const zero = Math.min(15, Math.max(0, Math.round(-min / scale)));
      scales[n * blocks + b] = scale;
      zeroPoints[n * zeroBytes + (b >> 1)]! |= zero << ((b & 1) * 4);
      const blob = (n * blocks + b) * (blockSize / 2);
      for (let j = 0; j < blockSize; j++) {
        const i = start + j;
        const q = i < end ? Math.min(15, Math.max(0, Math.round(weights[i * columns + n]! / scale) + zero)) : zero;
        values[blob + (j >> 1)]! |= q << ((j & 1) * 4);
      }
    }
  }
  return { values, scales, zeroPoints, blocks };
}
