/** `--preset`: the seed experiments, as option values. */
export const BENCH_PRESETS = {
  'seed-resnet50': { model: 'resnet50', batch: [1, 2, 4, 8, 16] },
  'seed-bert': { model: 'bert', batch: [1, 4, 8, 16], seq: [10, 50, 100, 200, 300, 400, 500] },
  'fixed-vs-dynamic': { model: 'resnet50', batch: [1, 128], batchMode: 'both' },
  'throughput-curve': { model: 'resnet50', batch: [1, 2, 4, 8, 16, 32, 64, 128, 256] },
  // Seed 000: PyTorch against ONNX Runtime on the same weights — ResNet-50 by default; given a
  // token model (`bench bert --preset seed-000`), the seed's BERT grid instead (a sweep is one model).
  'seed-000': {
    model: 'resnet50',
    runner: ['node-cpu', 'torch'],
    batch: [1, 2, 4, 8, 16],
    per1000Runs: true,
    forTokenModels: { batch: [1, 4, 8, 16], seq: [10, 50, 100, 200, 300, 400, 500] },
  },
  // Seed 003: bert-base-chinese on "大家好, 我是卖切糕的小男孩, 毕业于华中科技大学" — 23 tokens + [CLS] + [SEP]
  // (BERT's time depends on the shape, not the ids) — PyTorch, ORT without and with its graph optimisations, int8.
  'seed-003': { model: 'bert-base-chinese', runner: ['torch', 'node-cpu'], optLevel: ['disabled', 'all'], precision: ['fp32', 'int8'], batch: [1], seq: [25], per1000Runs: true },
  // Seed 004: the four classic CNNs at the seed's precisions and batches, 5 warm-up batches; with
  // --images (and --labels) also end-to-end throughput, top-1 and images whose class differs from fp32.
  // The seed's "mean over 500 batches" is --iterations 500; by default the precision target decides.
  'seed-004': { models: ['alexnet', 'vgg16', 'resnet50', 'inception-v3'], precision: ['fp32', 'fp16', 'int8'], batch: [8, 50], warmup: 5 },
} as const;

export type BenchPresetName = keyof typeof BENCH_PRESETS;
