import { describe, expect, it } from 'vitest';
import { resolveBenchOptions } from '../src/bench/options';
import { planBench } from '../src/bench/plan';

describe('the seed presets that put PyTorch next to ONNX Runtime', () => {
  it("seed-000: ResNet-50's batch grid by default, the BERT grid for a token model", async () => {
    const resnet = await resolveBenchOptions(undefined, { preset: 'seed-000' });
    expect(resnet).toMatchObject({ model: 'resnet50', runner: ['node-cpu', 'torch'], batch: [1, 2, 4, 8, 16], per1000Runs: true });
    const bert = await resolveBenchOptions('bert', { preset: 'seed-000' });
    expect(bert).toMatchObject({ model: 'bert', runner: ['node-cpu', 'torch'], batch: [1, 4, 8, 16], seq: [10, 50, 100, 200, 300, 400, 500] });
    // Flags still win over the preset.
    expect((await resolveBenchOptions('bert', { preset: 'seed-000', batch: '2' })).batch).toEqual([2]);
  });

  it('seed-003: one torch row, and ORT without/with its optimisations at fp32 and int8 — at the sentence\'s 25 tokens', async () => {
    const options = await resolveBenchOptions(undefined, { preset: 'seed-003' });
    expect(options).toMatchObject({ model: 'bert-base-chinese', batch: [1], seq: [25], optLevel: ['disabled', 'all'], precision: ['fp32', 'int8'] });
    const plan = await planBench({ ...options, model: 'bert-tiny' }); // the same plan on the tiny twin
    expect(plan.configurations.map((c) => c.id)).toEqual([
      'runner=torch model=bert-base-chinese batch=1 seq=25',
      'runner=node-cpu model=bert-base-chinese batch=1 seq=25 opt.graphOptimizationLevel="disabled" opt.precision="fp32"',
      'runner=node-cpu model=bert-base-chinese batch=1 seq=25 opt.graphOptimizationLevel="all" opt.precision="fp32"',
      'runner=node-cpu model=bert-base-chinese batch=1 seq=25 opt.graphOptimizationLevel="disabled" opt.precision="int8-dynamic"',
      'runner=node-cpu model=bert-base-chinese batch=1 seq=25 opt.graphOptimizationLevel="all" opt.precision="int8-dynamic"',
    ].map((id) => id.replaceAll('bert-base-chinese', 'bert-tiny')));
  });
});

describe('seed-004: four CNNs × fp32/fp16/int8 × batch 8 and 50', () => {
  it('resolves to the seed\'s grid, a model on the command line replaces the list, and int8 is named static QDQ', async () => {
    const options = await resolveBenchOptions(undefined, { preset: 'seed-004' });
    expect(options).toMatchObject({ model: 'alexnet', models: ['alexnet', 'vgg16', 'resnet50', 'inception-v3'], precision: ['fp32', 'fp16', 'int8'], batch: [8, 50], warmup: 5 });
    const one = await resolveBenchOptions('vgg16', { preset: 'seed-004' });
    expect(one.model).toBe('vgg16');
    expect(one.models).toBeUndefined();
    const plan = await planBench({ ...options, model: 'mobilenet-v2-tiny', models: undefined });
    expect(plan.configurations.map((c) => c.options.precision)).toEqual(['fp32', 'fp16', 'int8-static', 'fp32', 'fp16', 'int8-static']);
    expect(plan.configurations[2]!.id).toContain('opt.precision="int8-static"');
  });

  it('a token model cannot be int8-static: skipped with the reason, int8 means dynamic', async () => {
    const base = await resolveBenchOptions('bert-tiny', { precision: 'int8-static,int8', batch: '1', seq: '8' });
    const plan = await planBench(base);
    expect(plan.configurations.map((c) => c.options.precision)).toEqual(['int8-static', 'int8-dynamic']);
    expect(plan.skips.get(plan.configurations[0]!.id)).toMatch(/int8-static needs calibration images.*use int8-dynamic/);
  });
});
