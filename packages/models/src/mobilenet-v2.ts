import type { onnx } from './onnx-types';
import type { Feature, VisionOptions } from './vision-layers';
import { visionBatch, VisionGraph } from './vision-layers';

/** torchvision mobilenet_v2's input and head (width multiplier 1.0). */
export const MOBILENET_V2_DEFAULTS: Required<VisionOptions> = { batch: 'dynamic', opset: 17, seed: 0, imageSize: 224, numClasses: 1000 };

// Inverted residual settings of Sandler et al.: expansion t, output channels c, repeats n, first stride s.
const SETTINGS: readonly [t: number, c: number, n: number, s: number][] = [
  [1, 16, 1, 1],
  [6, 24, 2, 2],
  [6, 32, 3, 2],
  [6, 64, 4, 2],
  [6, 96, 3, 1],
  [6, 160, 3, 2],
  [6, 320, 1, 1],
];
// The linear projection closing a block has no ReLU after it; its output feeds a residual add.
const PROJECTION_GAIN = 0.5;

/**
 * MobileNetV2 as torchvision defines it: a 3×3 stem, seventeen inverted residual blocks
 * (1×1 expand + ReLU6, 3×3 depthwise + ReLU6, 1×1 linear projection; a skip connection where
 * shape allows), a 1×1 conv to 1280, global average pool, `classifier.1`. BatchNorm folded
 * into each conv, which keeps torchvision's name (`features.3.conv.1.0`); ReLU6 is Clip(0, 6).
 * Input `input` float32 [N, 3, H, W]; output `output` [N, classes]. 3,504,872 parameters in
 * torchvision (3,487,816 folded) and 0.30 GMACs per image at 224×224.
 */
export function buildMobileNetV2(options: VisionOptions = {}): onnx.IModelProto {
  const o = { ...MOBILENET_V2_DEFAULTS, ...options };
  const batch = visionBatch('mobilenet-v2', o);
  const v = new VisionGraph('mobilenet_v2', o.seed);
  let x: Feature = { name: v.g.input('input', 'float32', [batch, 3, o.imageSize, o.imageSize]), channels: 3 };
  x = v.relu6(v.conv(x, { name: 'features.0.0', cout: 32, kernel: 3, stride: 2, pad: 1, batchNorm: true }));
  let index = 1;
  for (const [t, c, n, s] of SETTINGS) {
    for (let i = 0; i < n; i++, index++) {
      const p = `features.${index}.conv`;
      const stride = i === 0 ? s : 1;
      const hidden = x.channels * t;
      let y = x;
      let layer = 0;
      if (t !== 1) y = v.relu6(v.conv(y, { name: `${p}.${layer++}.0`, cout: hidden, kernel: 1, batchNorm: true }));
      y = v.relu6(v.conv(y, { name: `${p}.${layer++}.0`, cout: hidden, kernel: 3, stride, pad: 1, groups: hidden, batchNorm: true }));
      y = v.conv(y, { name: `${p}.${layer}`, cout: c, kernel: 1, gain: PROJECTION_GAIN, batchNorm: true });
      x = stride === 1 && x.channels === c ? v.add(x, y) : y;
    }
  }
  x = v.relu6(v.conv(x, { name: `features.${index}.0`, cout: 1280, kernel: 1, batchNorm: true }));
  const logits = v.linear(v.globalPoolFlatten(x), 'classifier.1', o.numClasses, 1, 'output');
  return v.finish('mobilenet-v2', logits, batch, o.numClasses, 'MobileNetV2 (torchvision topology, BatchNorm folded) with seeded random weights, built by @ortbench/models', o.opset);
}
