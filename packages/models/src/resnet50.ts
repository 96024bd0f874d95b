import { InvalidArgumentError } from '@ortbench/core';
import { GraphBuilder } from './graph-builder';
import type { onnx } from './onnx-types';
import { FOLDED_BATCHNORM_KEY } from './vision-layers';
import { uniformWeights } from './weights';

/** Options of the ResNet-50 builder; the defaults are torchvision's resnet50. */
export interface ResNetOptions {
  /** A fixed batch size, or `dynamic` for a symbolic `batch_size` axis. Default `dynamic`. */
  batch?: number | 'dynamic';
  /** Default-domain opset, at least 13. Default 17. */
  opset?: number;
  /** Seed of the weights; the same seed always gives the same bytes. Default 0. */
  seed?: number;
  imageSize?: number;
  numClasses?: number;
  stemWidth?: number;
  /** Bottleneck widths per stage (the output is 4× wider). */
  stageWidths?: readonly number[];
  /** Bottleneck blocks per stage: 3-4-6-3 for ResNet-50. */
  stageBlocks?: readonly number[];
}

/** torchvision resnet50's architecture. */
export const RESNET50_DEFAULTS: Required<ResNetOptions> = {
  batch: 'dynamic',
  opset: 17,
  seed: 0,
  imageSize: 224,
  numClasses: 1000,
  stemWidth: 64,
  stageWidths: [64, 128, 256, 512],
  stageBlocks: [3, 4, 6, 3],
};

const EXPANSION = 4;
// The last conv of each residual branch starts small, as trained BatchNorm gammas do
// (and as "zero-init residual" training sets them), so activations stay in range over 16 blocks.
const RESIDUAL_GAIN = 0.2;

/**
 * ResNet-50 v1.5 as PyTorch exports it in eval mode: BatchNorm folded into each Conv's
 * weights and bias, stride on the 3×3 conv, Flatten + Gemm head. Input `input`
 * float32 [N, 3, H, W]; output `output` float32 [N, classes] (logits). He-uniform weights.
 */
export function buildResNet50(options: ResNetOptions = {}): onnx.IModelProto {
  const o = { ...RESNET50_DEFAULTS, ...options };
  validate(o);
  const g = new GraphBuilder('resnet50');
  const batch = o.batch === 'dynamic' ? 'batch_size' : o.batch;
  let foldedChannels = 0;
  const conv = (x: string, name: string, cin: number, cout: number, kernel: number, stride: number, gain = 1): string => {
    const fanIn = cin * kernel * kernel;
    const weight = g.initializer(`${name}.weight`, 'float32', [cout, cin, kernel, kernel], uniformWeights(o.seed, `${name}.weight`, cout * fanIn, gain * Math.sqrt(6 / fanIn)));
    const bias = g.initializer(`${name}.bias`, 'float32', [cout], uniformWeights(o.seed, `${name}.bias`, cout, 0.05));
    const pad = Math.floor(kernel / 2);
    foldedChannels += cout;
    return g.op('Conv', [x, weight, bias], { kernel_shape: [kernel, kernel], strides: [stride, stride], pads: [pad, pad, pad, pad], dilations: [1, 1], group: 1 });
  };

  let x = g.input('input', 'float32', [batch, 3, o.imageSize, o.imageSize]);
  x = g.op('Relu', [conv(x, 'conv1', 3, o.stemWidth, 7, 2)]);
  x = g.op('MaxPool', [x], { kernel_shape: [3, 3], strides: [2, 2], pads: [1, 1, 1, 1], ceil_mode: 0 });
  let channels = o.stemWidth;
  o.stageWidths.forEach((width, stage) => {
    for (let block = 0; block < (o.stageBlocks[stage] as number); block++) {
      const prefix = `layer${stage + 1}.${block}`;
      const stride = block === 0 && stage > 0 ? 2 : 1;
      const out = width * EXPANSION;
      let y = g.op('Relu', [conv(x, `${prefix}.conv1`, channels, width, 1, 1)]);
      y = g.op('Relu', [conv(y, `${prefix}.conv2`, width, width, 3, stride)]);
      y = conv(y, `${prefix}.conv3`, width, out, 1, 1, RESIDUAL_GAIN);
      const shortcut = block === 0 ? conv(x, `${prefix}.downsample.0`, channels, out, 1, stride) : x;
      x = g.op('Relu', [g.op('Add', [y, shortcut])]);
      channels = out;
    }
  });
  x = g.op('Flatten', [g.op('GlobalAveragePool', [x])], { axis: 1 });
  const fcWeight = g.initializer('fc.weight', 'float32', [o.numClasses, channels], uniformWeights(o.seed, 'fc.weight', o.numClasses * channels, Math.sqrt(6 / channels)));
  const fcBias = g.initializer('fc.bias', 'float32', [o.numClasses], uniformWeights(o.seed, 'fc.bias', o.numClasses, 0.05));
  g.node('Gemm', [x, fcWeight, fcBias], { transB: 1 }, { outputs: ['output'] });
  g.output('output', 'float32', [batch, o.numClasses]);
  return g.toModel({
    opset: o.opset,
    docString: 'ResNet-50 v1.5 (torchvision topology, BatchNorm folded) with seeded random weights, built by @ortbench/models',
    metadata: { architecture: 'resnet50', seed: String(o.seed), [FOLDED_BATCHNORM_KEY]: String(foldedChannels) },
  });
}

function validate(o: Required<ResNetOptions>): void {
  if (!Number.isInteger(o.opset) || o.opset < 13) throw new InvalidArgumentError(`resnet50: opset must be an integer ≥ 13, got ${o.opset}`);
  if (o.batch !== 'dynamic' && (!Number.isInteger(o.batch) || o.batch < 1)) {
    throw new InvalidArgumentError(`resnet50: batch must be a positive integer or "dynamic", got ${o.batch}`);
  }
  if (o.stageWidths.length !== o.stageBlocks.length) throw new InvalidArgumentError('resnet50: stageWidths and stageBlocks differ in length');
  for (const [label, value] of [['imageSize', o.imageSize], ['numClasses', o.numClasses], ['stemWidth', o.stemWidth]] as const) {
    if (!Number.isInteger(value) || value < 1) throw new InvalidArgumentError(`resnet50: ${label} must be a positive integer, got ${value}`);
  }
}
