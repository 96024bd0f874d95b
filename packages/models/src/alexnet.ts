import type { onnx } from './onnx-types';
import type { VisionOptions } from './vision-layers';
import { visionBatch, VisionGraph, windowOutput } from './vision-layers';

/** torchvision alexnet's input and head. */
export const ALEXNET_DEFAULTS: Required<VisionOptions> = { batch: 'dynamic', opset: 17, seed: 0, imageSize: 224, numClasses: 1000 };

/**
 * AlexNet as torchvision defines it (the one-GPU variant of "One weird trick"): five
 * convolutions with ReLU and three max pools, AdaptiveAvgPool2d(6), three linear layers.
 * Parameters named `features.{0,3,6,8,10}` and `classifier.{1,4,6}`; dropout is absent in
 * eval mode. Input `input` float32 [N, 3, H, W]; output `output` [N, classes]. 61,100,840
 * parameters and 0.71 GMACs per image at 224×224.
 */
export function buildAlexNet(options: VisionOptions = {}): onnx.IModelProto {
  const o = { ...ALEXNET_DEFAULTS, ...options };
  const batch = visionBatch('alexnet', o);
  const v = new VisionGraph('alexnet', o.seed);
  let x = { name: v.g.input('input', 'float32', [batch, 3, o.imageSize, o.imageSize]), channels: 3 };
  let size = o.imageSize;
  const stages: [index: number, cout: number, kernel: number, stride: number, pad: number, pool: boolean][] = [
    [0, 64, 11, 4, 2, true],
    [3, 192, 5, 1, 2, true],
    [6, 384, 3, 1, 1, false],
    [8, 256, 3, 1, 1, false],
    [10, 256, 3, 1, 1, true],
  ];
  for (const [index, cout, kernel, stride, pad, pool] of stages) {
    x = v.relu(v.conv(x, { name: `features.${index}`, cout, kernel, stride, pad }));
    size = windowOutput(size, kernel, stride, pad);
    if (pool) {
      x = v.maxPool(x, 3, 2);
      size = windowOutput(size, 3, 2);
    }
  }
  x = v.flatten(v.adaptivePool('alexnet', x, size, 6), x.channels * 36);
  x = v.relu(v.linear(x, 'classifier.1', 4096));
  x = v.relu(v.linear(x, 'classifier.4', 4096));
  const logits = v.linear(x, 'classifier.6', o.numClasses, 1, 'output');
  return v.finish('alexnet', logits, batch, o.numClasses, 'AlexNet (torchvision topology) with seeded random weights, built by @ortbench/models', o.opset);
}
