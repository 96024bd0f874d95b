import { describe, expect, it } from 'vitest';
import type { ValueInfo } from '../src/index';
import { dimListAssignment, ErrorCode, inputValueAssignment, resolveInputShapes, SeededRandom, shapeAssignment, symbolicDims } from '../src/index';

const detector: ValueInfo[] = [{ name: 'x', dtype: 'float32', dims: ['N', 3, 'H', 'W'] }];
const recogniser: ValueInfo[] = [{ name: 'x', dtype: 'float32', dims: [null, 3, 48, null] }];
const vad: ValueInfo[] = [
  { name: 'input', dtype: 'float32', dims: [null, null] },
  { name: 'sr', dtype: 'int64', dims: [] },
  { name: 'state', dtype: 'float32', dims: [2, null, 128] },
];
const decoder: ValueInfo[] = [
  { name: 'input_ids', dtype: 'int64', dims: ['batch_size', 'sequence_length'] },
  { name: 'attention_mask', dtype: 'int64', dims: ['batch_size', 'past_sequence_length + 1'] },
  { name: 'past_key_values.0.key', dtype: 'float32', dims: ['batch_size', 4, 'past_sequence_length', 16] },
];

describe('symbolicDims', () => {
  it('gives each dim a role and addresses unnamed ones as input:axis', () => {
    expect(symbolicDims(detector).map((d) => [d.key, d.role])).toEqual([['N', 'batch'], ['H', 'other'], ['W', 'other']]);
    expect(symbolicDims(vad).map((d) => [d.key, d.role])).toEqual([['input:0', 'batch'], ['input:1', 'other'], ['state:1', 'other']]);
    expect(symbolicDims(decoder).map((d) => [d.key, d.role])).toEqual([['batch_size', 'batch'], ['sequence_length', 'sequence'], ['past_sequence_length + 1', 'expression'], ['past_sequence_length', 'other']]);
  });
});

describe('resolveInputShapes', () => {
  it('never feeds an image height or width it was not given', () => {
    expect(() => resolveInputShapes(detector, { batch: 1 })).toThrow(expect.objectContaining({ code: ErrorCode.INPUT_UNSET, message: expect.stringMatching(/H \(axis 2 of x \[N, 3, H, W\]\).*W \(axis 3.*--dim H=N --dim W=N.*--shape x=Nx3xNxN/) }));
    expect(resolveInputShapes(detector, { batch: 2, dims: { H: 640, W: 480 } }).shapes).toEqual({ x: [2, 3, 640, 480] });
  });

  it('takes whole shapes, and refuses ones that contradict the model or the batch', () => {
    expect(resolveInputShapes(recogniser, { shapes: { x: [1, 3, 48, 320] } }).shapes.x).toEqual([1, 3, 48, 320]);
    expect(() => resolveInputShapes(recogniser, { shapes: { x: [1, 3, 32, 320] } })).toThrow(/axis 2 of \[\?, 3, 48, \?\] is fixed at 48/);
    expect(resolveInputShapes(recogniser, { shapes: { x: [1, 3, 48, 320] }, batch: 4 }).dims['x:0']).toEqual({ value: 1, from: 'shape' });
    expect(() => resolveInputShapes(recogniser, { shapes: { x: [1, 3, 48, 320] }, dims: { 'x:3': 640 } })).toThrow(expect.objectContaining({ code: ErrorCode.INPUT_MISMATCH, message: expect.stringContaining('x:3 would be both 320 (from --shape) and 640 (from --dim)') }));
    expect(() => resolveInputShapes(recogniser, { shapes: { y: [1] } })).toThrow(/no input "y"/);
  });

  it('sets unnamed dims by input:axis and refuses dims the model does not have', () => {
    const resolved = resolveInputShapes(vad, { batch: 1, dims: { 'input:1': 512, 'state:1': 1 } });
    expect(resolved.shapes).toEqual({ input: [1, 512], sr: [], state: [2, 1, 128] });
    expect(resolved.dims['input:1']).toEqual({ value: 512, from: 'dim' });
    expect(() => resolveInputShapes(vad, { batch: 1, dims: { height: 3 } })).toThrow(/no symbolic dimension "height" \(its dimensions: input:0, input:1, state:1\)/);
    expect(() => resolveInputShapes(vad, { dims: { 'state:0': 2 } })).toThrow(/fixed at 2/);
  });

  it('computes a mask over past + current tokens from the past length', () => {
    expect(() => resolveInputShapes(decoder, { batch: 1, sequenceLength: 1 })).toThrow(/past_sequence_length/);
    const resolved = resolveInputShapes(decoder, { batch: 2, sequenceLength: 1, dims: { past_sequence_length: 7 } });
    expect(resolved.shapes.attention_mask).toEqual([2, 8]);
    expect(resolved.shapes['past_key_values.0.key']).toEqual([2, 4, 7, 16]);
  });

  it('gives one value to a named dim across every input', () => {
    const inputs: ValueInfo[] = [
      { name: 'a', dtype: 'float32', dims: ['n', 'len'] },
      { name: 'b', dtype: 'float32', dims: [2, 'len', 'n'] },
    ];
    expect(resolveInputShapes(inputs, { batch: 3, dims: { len: 5 } }).shapes).toEqual({ a: [3, 5], b: [2, 5, 3] });
  });
});

describe('property: no symbolic dim is silently fed as 1', () => {
  it('every dim takes a value the caller or the model gave, or the error names it', () => {
    for (let seed = 0; seed < 300; seed++) {
      const random = new SeededRandom(`shapes:${seed}`);
      const pick = (n: number) => Math.floor(random.next() * n);
      const names = ['N', 'H', 'W', 'len', 'batch_size', 'sequence_length'];
      const inputs: ValueInfo[] = Array.from({ length: 1 + pick(3) }, (_, i) => ({
        name: `in${i}`,
        dtype: pick(2) ? 'float32' : 'int64',
        dims: Array.from({ length: pick(5) }, () => (pick(3) === 0 ? 1 + pick(9) : pick(4) === 0 ? null : names[pick(names.length)]!)),
      }));
      const dims: Record<string, number> = {};
      for (const dim of symbolicDims(inputs)) if (pick(2)) dims[dim.key] = 10 + pick(90);
      const request = { batch: 2 + pick(5), sequenceLength: 10 + pick(90), dims };
      let resolved;
      try {
        resolved = resolveInputShapes(inputs, request);
      } catch (error) {
        const { code, message } = error as { code: string; message: string };
        if (code === ErrorCode.INPUT_MISMATCH) continue; // a dim given two values: refused, not guessed
        expect(code).toBe(ErrorCode.INPUT_UNSET);
        const unset = symbolicDims(inputs).filter((d) => dims[d.key] === undefined && d.role !== 'batch' && d.role !== 'sequence');
        expect(unset.length).toBeGreaterThan(0);
        for (const dim of unset) expect(message).toContain(dim.key);
        continue;
      }
      for (const input of inputs) {
        input.dims.forEach((dim, axis) => {
          const fed = resolved.shapes[input.name]![axis]!;
          if (typeof dim === 'number') return expect(fed).toBe(dim);
          const key = dim ?? `${input.name}:${axis}`;
          const allowed = [dims[key], request.batch, request.sequenceLength].filter((v) => v !== undefined);
          expect(allowed).toContain(fed);
          expect(resolved.dims[key]!.value).toBe(fed);
        });
      }
    }
  });
});

describe('flag values', () => {
  it('parses shapes, dim lists and input values, refusing malformed ones', () => {
    expect(shapeAssignment('x=1x3x640x640,1x3x320x320')).toEqual({ name: 'x', shapes: [[1, 3, 640, 640], [1, 3, 320, 320]] });
    expect(shapeAssignment('sr=scalar')).toEqual({ name: 'sr', shapes: [[]] });
    expect(() => shapeAssignment('x=1x0')).toThrow(/"1x0" is not a shape/);
    expect(dimListAssignment('input:1=512,1024')).toEqual({ name: 'input:1', values: [512, 1024] });
    expect(() => dimListAssignment('H=320,320')).toThrow(/duplicates/);
    expect(inputValueAssignment('sr=16000')).toEqual({ name: 'sr', value: 16000 });
    expect(inputValueAssignment('use_cache_branch=false')).toEqual({ name: 'use_cache_branch', value: false });
    expect(() => inputValueAssignment('sr=fast')).toThrow(/not a number, true or false/);
  });
});
