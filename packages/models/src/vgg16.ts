import type { onnx } from './onnx-types';
import type { VisionOptions } from './vision-layers';
import { visionBatch, VisionGraph } from './vision-layers';

/** torchvision vgg16's input and head. */
export const VGG16_DEFAULTS: Required<VisionOptions> = { batch: 'dynamic', opset: 17, seed: 0, imageSize: 224, numClasses: 1000 };

// Configuration "D" of Simonyan & Zisserman: output channels of each 3×3 conv, 'M' a 2×2 max pool.
const CONFIG_D = [64, 64, 'M', 128, 128, 'M', 256, 256, 256, 'M', 512, 512, 512, 'M', 512, 512, 512, 'M'] as const;

/**
 * VGG16 (configuration D, no BatchNorm) as torchvision defines it: thirteen 3×3 convolutions
 * with ReLU, five max pools, AdaptiveAvgPool2d(7), three linear layers. Parameters named
 * `features.N` by their index in torchvision's Sequential and `classifier.{0,3,6}`. Input
 * `input` float32 [N, 3, H, W]; output `output` [N, classes]. 138,357,544 parameters and 15.47
 * GMACs per image at 224×224.
 */
export function buildVgg16(options: VisionOptions = {}): onnx.IModelProto {
  const o = { ...VGG16_DEFAULTS, ...options };
  const batch = visionBatch('vgg16', o);
  const v = new VisionGraph('vgg16', o.seed);
  let x = { name: v.g.input('input', 'float32', [batch, 3, o.imageSize, o.imageSize]), channels: 3 };
  let size = o.imageSize;
  let index = 0; // torchvision's Sequential index: conv, ReLU — or pool
  for (const item of CONFIG_D) {
    if (item === 'M') {
      x = v.maxPool(x, 2, 2);
      size = Math.floor(size / 2);
      index += 1;
    } else {
      x = v.relu(v.conv(x, { name: `features.${index}`, cout: item, kernel: 3, pad: 1 }));
      index += 2;
    }
  }
  x = v.flatten(v.adaptivePool('vgg16', x, size, 7), x.channels * 49);
  x = v.relu(v.linear(x, 'classifier.0', 4096));
  x = v.relu(v.linear(x, 'classifier.3', 4096));
  const logits = v.linear(x, 'classifier.6', o.numClasses, 1, 'output');
  return v.finish('vgg16', logits, batch, o.numClasses, 'VGG16 (torchvision topology, configuration D) with seeded random weights, built by @ortbench/models', o.opset);
}
