import { describe, expect, it } from 'vitest';
import { buildInputFixture, decodeModel, encodeModel, inspectModel } from '../src/index';

describe('inspect on the models users bring', () => {
  it('reads unnamed dims as unknown, not as 0', () => {
    const model = decodeModel(encodeModel(buildInputFixture('voice-activity')).model, 'vad');
    expect(inspectModel(model).inputs).toEqual([
      { name: 'input', dtype: 'float32', dims: [null, null] },
      { name: 'sr', dtype: 'int64', dims: [] },
      { name: 'state', dtype: 'float32', dims: [2, null, 16] },
    ]);
  });

  it('counts weights stored in Constant nodes, and MACs at the dims given', () => {
    const inspection = inspectModel(buildInputFixture('detector'), { N: 1, H: 32, W: 16 });
    expect(inspection.parameters.count).toBe(108);
    expect(inspection.parameters.inConstants).toBe(108);
    expect(inspection.compute.macs.conv).toBe(4 * 32 * 16 * 27);
    expect(inspection.compute.complete).toBe(true);
  });

  it('counts the larger branch of an If, and its weights', () => {
    const inspection = inspectModel(buildInputFixture('if-branches'));
    expect(inspection.parameters.count).toBe(8 * 32 + 8 * 4);
    expect(inspection.parameters.inSubgraphs).toBe(8 * 32 + 8 * 4);
    expect(inspection.compute.macs.dense).toBe(8 * 32);
  });

  it('says which ops it could not count instead of a silent 0', () => {
    const { compute } = inspectModel(buildInputFixture('custom-op'));
    expect(compute.notCounted).toEqual(['com.example.Frobnicate']);
    expect(compute.complete).toBe(false);
  });

  it('computes a dim written as arithmetic from its terms', () => {
    const { compute } = inspectModel(buildInputFixture('decoder'), { batch_size: 1, sequence_length: 3, past_sequence_length: 5 });
    expect(compute.dims['past_sequence_length + sequence_length']).toBe(8);
    expect(compute.assumedDims).toEqual([]);
  });

  it('finds the vocabulary an ids input indexes', () => {
    expect(inspectModel(buildInputFixture('decoder')).embeddings).toEqual({ input_ids: 50 });
  });
});
