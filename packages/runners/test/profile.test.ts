import { describe, expect, it } from 'vitest';
import { benchmark } from '@ortbench/core';
import { buildModel, encodeModel, presetSpec } from '@ortbench/models';
import { syntheticImages, imageConfig } from '@ortbench/preprocess';
import { createNodeCpuRunner, summariseOrtProfile } from '../src/node';

describe('ORT profiling', () => {
  it('keeps the JSON profile and summarises the top ops by time', async () => {
    const model = encodeModel(buildModel(presetSpec('resnet50-tiny', { batch: 1 }))).model;
    const measurement = await benchmark({
      runner: createNodeCpuRunner(),
      model,
      runnerOptions: { profile: true },
      feeds: { input: syntheticImages(1, imageConfig('imagenet', { resize: { width: 32, height: 32 }, crop: 'none' })) },
      stop: { minIterations: 5, minDurationMs: 0, ciTarget: 0 },
    });
    const profile = measurement.profile!;
    expect(profile.file).toMatch(/\.json$/);
    // Convolutions are among the costliest ops (on a model this tiny, ORT's NCHWc layout reorders can rival them).
    expect(profile.topOps.slice(0, 3).some((op) => /Conv/.test(op.op))).toBe(true);
    expect(profile.totalMs).toBeGreaterThan(0);
    expect(profile.topOps.reduce((sum, op) => sum + op.percent, 0)).toBeLessThanOrEqual(100.0001);
    expect(measurement.session.settings.profile).toBe(true);
  });

  it('sums kernel time per op type from trace events', () => {
    const summary = summariseOrtProfile([
      { cat: 'Node', name: 'conv1_kernel_time', dur: 300, args: { op_name: 'Conv' } },
      { cat: 'Node', name: 'conv2_kernel_time', dur: 100, args: { op_name: 'Conv' } },
      { cat: 'Node', name: 'relu_kernel_time', dur: 100, args: { op_name: 'Relu' } },
      { cat: 'Node', name: 'relu_fence_before', dur: 999, args: { op_name: 'Relu' } },
      { cat: 'Session', name: 'model_run', dur: 1000 },
    ]);
    expect(summary).toEqual({
      totalMs: 0.5,
      topOps: [
        { op: 'Conv', totalMs: 0.4, percent: 80, calls: 2 },
        { op: 'Relu', totalMs: 0.1, percent: 20, calls: 1 },
      ],
    });
  });

  it('leaves out the cold first run when later runs were profiled', () => {
    const summary = summariseOrtProfile([
      { cat: 'Session', name: 'model_run', ts: 0, dur: 5000 },
      { cat: 'Node', name: 'conv_kernel_time', ts: 10, dur: 4000, args: { op_name: 'Conv' } },
      { cat: 'Session', name: 'model_run', ts: 6000, dur: 600 },
      { cat: 'Node', name: 'conv_kernel_time', ts: 6010, dur: 500, args: { op_name: 'Conv' } },
    ]);
    expect(summary.topOps).toEqual([{ op: 'Conv', totalMs: 0.5, percent: 100, calls: 1 }]);
  });
});
