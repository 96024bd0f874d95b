import { InvalidArgumentError } from '@ortbench/core';
import type { onnx } from './onnx-types';
import type { ConvSpec, Feature, VisionOptions } from './vision-layers';
import { visionBatch, VisionGraph } from './vision-layers';

/** torchvision inception_v3's input (299×299) and head. */
export const INCEPTION_V3_DEFAULTS: Required<VisionOptions> = { batch: 'dynamic', opset: 17, seed: 0, imageSize: 299, numClasses: 1000 };

type Conv = Omit<ConvSpec, 'name'>;

/**
 * Inception-v3 as torchvision defines it, without the auxiliary classifier (it only runs in
 * training) and without `transform_input` (no parameters; it rescales ImageNet-normalised
 * input for Google's weights): BasicConv2d blocks — Conv + BatchNorm (folded here) + ReLU —
 * named `Mixed_6b.branch7x7_2.conv` etc., Mixed_5b…7c, global average pool, `fc`. Input
 * `input` float32 [N, 3, 299, 299]; output `output` [N, classes]. 23,834,568 parameters in
 * torchvision (23,817,352 once BatchNorm is folded) and 5.71 GMACs per image.
 */
export function buildInceptionV3(options: VisionOptions = {}): onnx.IModelProto {
  const o = { ...INCEPTION_V3_DEFAULTS, ...options };
  const batch = visionBatch('inception-v3', o);
  if (o.imageSize < 75) throw new InvalidArgumentError(`inception-v3: imageSize must be at least 75 (its stem and reductions need it), got ${o.imageSize}`);
  const v = new VisionGraph('inception_v3', o.seed);
  // BasicConv2d: the folded conv, then ReLU.
  const basic = (x: Feature, name: string, spec: Conv): Feature => v.relu(v.conv(x, { ...spec, name: `${name}.conv`, batchNorm: true }));
  const chain = (x: Feature, prefix: string, steps: [string, Conv][]): Feature => steps.reduce((y, [name, spec]) => basic(y, `${prefix}.${name}`, spec), x);
  const row = (cout: number, k: number): Conv => ({ cout, kernel: [1, k], pad: [0, (k - 1) / 2] });
  const column = (cout: number, k: number): Conv => ({ cout, kernel: [k, 1], pad: [(k - 1) / 2, 0] });

  const inceptionA = (x: Feature, p: string, poolFeatures: number): Feature =>
    v.concat([
      basic(x, `${p}.branch1x1`, { cout: 64, kernel: 1 }),
      chain(x, p, [['branch5x5_1', { cout: 48, kernel: 1 }], ['branch5x5_2', { cout: 64, kernel: 5, pad: 2 }]]),
      chain(x, p, [['branch3x3dbl_1', { cout: 64, kernel: 1 }], ['branch3x3dbl_2', { cout: 96, kernel: 3, pad: 1 }], ['branch3x3dbl_3', { cout: 96, kernel: 3, pad: 1 }]]),
      basic(v.avgPool(x, 3, 1, 1), `${p}.branch_pool`, { cout: poolFeatures, kernel: 1 }),
    ]);
  const inceptionB = (x: Feature, p: string): Feature =>
    v.concat([
      basic(x, `${p}.branch3x3`, { cout: 384, kernel: 3, stride: 2 }),
      chain(x, p, [['branch3x3dbl_1', { cout: 64, kernel: 1 }], ['branch3x3dbl_2', { cout: 96, kernel: 3, pad: 1 }], ['branch3x3dbl_3', { cout: 96, kernel: 3, stride: 2 }]]),
      v.maxPool(x, 3, 2),
    ]);
  const inceptionC = (x: Feature, p: string, c7: number): Feature =>
    v.concat([
      basic(x, `${p}.branch1x1`, { cout: 192, kernel: 1 }),
      chain(x, p, [['branch7x7_1', { cout: c7, kernel: 1 }], ['branch7x7_2', row(c7, 7)], ['branch7x7_3', column(192, 7)]]),
      chain(x, p, [
        ['branch7x7dbl_1', { cout: c7, kernel: 1 }],
        ['branch7x7dbl_2', column(c7, 7)],
        ['branch7x7dbl_3', row(c7, 7)],
        ['branch7x7dbl_4', column(c7, 7)],
        ['branch7x7dbl_5', row(192, 7)],
      ]),
      basic(v.avgPool(x, 3, 1, 1), `${p}.branch_pool`, { cout: 192, kernel: 1 }),
    ]);
  const inceptionD = (x: Feature, p: string): Feature =>
    v.concat([
      chain(x, p, [['branch3x3_1', { cout: 192, kernel: 1 }], ['branch3x3_2', { cout: 320, kernel: 3, stride: 2 }]]),
      chain(x, p, [['branch7x7x3_1', { cout: 192, kernel: 1 }], ['branch7x7x3_2', row(192, 7)], ['branch7x7x3_3', column(192, 7)], ['branch7x7x3_4', { cout: 192, kernel: 3, stride: 2 }]]),
      v.maxPool(x, 3, 2),
    ]);
  const inceptionE = (x: Feature, p: string): Feature => {
    const split = (y: Feature, a: string, b: string) => v.concat([basic(y, `${p}.${a}`, row(384, 3)), basic(y, `${p}.${b}`, column(384, 3))]);
    return v.concat([
      basic(x, `${p}.branch1x1`, { cout: 320, kernel: 1 }),
      split(basic(x, `${p}.branch3x3_1`, { cout: 384, kernel: 1 }), 'branch3x3_2a', 'branch3x3_2b'),
      split(chain(x, p, [['branch3x3dbl_1', { cout: 448, kernel: 1 }], ['branch3x3dbl_2', { cout: 384, kernel: 3, pad: 1 }]]), 'branch3x3dbl_3a', 'branch3x3dbl_3b'),
      basic(v.avgPool(x, 3, 1, 1), `${p}.branch_pool`, { cout: 192, kernel: 1 }),
    ]);
  };

  let x: Feature = { name: v.g.input('input', 'float32', [batch, 3, o.imageSize, o.imageSize]), channels: 3 };
  x = basic(x, 'Conv2d_1a_3x3', { cout: 32, kernel: 3, stride: 2 });
  x = basic(x, 'Conv2d_2a_3x3', { cout: 32, kernel: 3 });
  x = basic(x, 'Conv2d_2b_3x3', { cout: 64, kernel: 3, pad: 1 });
  x = v.maxPool(x, 3, 2);
  x = basic(x, 'Conv2d_3b_1x1', { cout: 80, kernel: 1 });
  x = basic(x, 'Conv2d_4a_3x3', { cout: 192, kernel: 3 });
  x = v.maxPool(x, 3, 2);
  x = inceptionA(x, 'Mixed_5b', 32);
  x = inceptionA(x, 'Mixed_5c', 64);
  x = inceptionA(x, 'Mixed_5d', 64);
  x = inceptionB(x, 'Mixed_6a');
  x = inceptionC(x, 'Mixed_6b', 128);
  x = inceptionC(x, 'Mixed_6c', 160);
  x = inceptionC(x, 'Mixed_6d', 160);
  x = inceptionC(x, 'Mixed_6e', 192);
  x = inceptionD(x, 'Mixed_7a');
  x = inceptionE(x, 'Mixed_7b');
  x = inceptionE(x, 'Mixed_7c');
  const logits = v.linear(v.globalPoolFlatten(x), 'fc', o.numClasses, 1, 'output');
  return v.finish('inception-v3', logits, batch, o.numClasses, 'Inception-v3 (torchvision topology, no aux logits, BatchNorm folded) with seeded random weights, built by @ortbench/models', o.opset);
}
