/** `--preset`: the seed experiments, as option values. */
export const BENCH_PRESETS = {
  'seed-resnet50': { model: 'resnet50', batch: [1, 2, 4, 8, 16] },
  'seed-bert': { model: 'bert', batch: [1, 4, 8, 16], seq: [10, 50, 100, 200, 300, 400, 500] },
  'fixed-vs-dynamic': { model: 'resnet50', batch: [1, 128], batchMode: 'both' },
  'throughput-curve': { model: 'resnet50', batch: [1, 2, 4, 8, 16, 32, 64, 128, 256] },
} as const;

export type BenchPresetName = keyof typeof BENCH_PRESETS;
