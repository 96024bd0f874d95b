import { InvalidArgumentError } from '@ortbench/core';
import { GraphBuilder } from './graph-builder';
import type { onnx } from './onnx-types';
import { uniformWeights } from './weights';

/**
 * Metadata key of a model whose BatchNorm layers were folded into convolutions: the number of
 * channels folded. Each folded channel had two parameters (γ, β) and now has one (the conv's
 * bias), so the unfolded model had this many more parameters.
 */
export const FOLDED_BATCHNORM_KEY = 'ortbench.folded_batchnorm_channels';

/** Options every image-classification builder takes. */
export interface VisionOptions {
  /** A fixed batch size, or `dynamic` for a symbolic `batch_size` axis. Default `dynamic`. */
  batch?: number | 'dynamic';
  /** Default-domain opset, at least 13. Default 17. */
  opset?: number;
  /** Seed of the weights; the same seed always gives the same bytes. Default 0. */
  seed?: number;
  /** Height and width of the square input. */
  imageSize?: number;
  numClasses?: number;
}

/** A convolution as torchvision names it, BatchNorm (if any) already folded into weight and bias. */
export interface ConvSpec {
  /** Parameter prefix, e.g. `features.0` or `Mixed_5b.branch1x1.conv`. */
  name: string;
  cout: number;
  /** Square kernel, or [height, width]. */
  kernel: number | readonly [number, number];
  stride?: number;
  /** Symmetric padding, square or [height, width]; default none. */
  pad?: number | readonly [number, number];
  groups?: number;
  /** Scale of the He-uniform bound: 1 before a ReLU, smaller before a residual add or a linear output. */
  gain?: number;
  /** True when torchvision has a BatchNorm after this conv (folded here into its bias). */
  batchNorm?: boolean;
}

/** A value flowing through the graph with its channel count. */
export interface Feature {
  name: string;
  channels: number;
}

/**
 * A GraphBuilder for torchvision-style CNNs: seeded He-uniform convolutions and linear layers
 * named as torchvision names their parameters, so a state dict maps one to one.
 */
export class VisionGraph {
  readonly g: GraphBuilder;
  readonly #seed: number;
  #foldedChannels = 0;

  constructor(name: string, seed: number) {
    this.g = new GraphBuilder(name);
    this.#seed = seed;
  }

  /** A Conv with bias (`<name>.weight`, `<name>.bias`). */
  conv(x: Feature, spec: ConvSpec): Feature {
    const [kh, kw] = typeof spec.kernel === 'number' ? [spec.kernel, spec.kernel] : spec.kernel;
    const [ph, pw] = spec.pad === undefined ? [0, 0] : typeof spec.pad === 'number' ? [spec.pad, spec.pad] : spec.pad;
    const groups = spec.groups ?? 1;
    const stride = spec.stride ?? 1;
    const perGroup = x.channels / groups;
    const fanIn = perGroup * kh * kw;
    const bound = (spec.gain ?? 1) * Math.sqrt(6 / fanIn);
    const weight = this.#weights(`${spec.name}.weight`, [spec.cout, perGroup, kh, kw], bound);
    const bias = this.#weights(`${spec.name}.bias`, [spec.cout], 0.05);
    if (spec.batchNorm) this.#foldedChannels += spec.cout;
    const out = this.g.op('Conv', [x.name, weight, bias], { kernel_shape: [kh, kw], strides: [stride, stride], pads: [ph, pw, ph, pw], dilations: [1, 1], group: groups });
    return { name: out, channels: spec.cout };
  }

  /** A fully connected layer (`<name>.weight` [out, in], `<name>.bias`) as Gemm, as PyTorch exports Linear. */
  linear(x: Feature, name: string, out: number, gain = 1, output?: string): Feature {
    const weight = this.#weights(`${name}.weight`, [out, x.channels], gain * Math.sqrt(6 / x.channels));
    const bias = this.#weights(`${name}.bias`, [out], 0.05);
    return { name: this.g.op('Gemm', [x.name, weight, bias], { transB: 1 }, output), channels: out };
  }

  relu(x: Feature): Feature {
    return { name: this.g.op('Relu', [x.name]), channels: x.channels };
  }

  /** ReLU6 as PyTorch exports it: Clip(0, 6). */
  relu6(x: Feature): Feature {
    return { name: this.g.op('Clip', [x.name, this.g.scalar(0, 'zero'), this.g.scalar(6, 'six')]), channels: x.channels };
  }

  maxPool(x: Feature, kernel: number, stride: number, pad = 0): Feature {
    return { name: this.g.op('MaxPool', [x.name], { kernel_shape: [kernel, kernel], strides: [stride, stride], pads: [pad, pad, pad, pad], ceil_mode: 0 }), channels: x.channels };
  }

  /** `F.avg_pool2d(x, kernel, stride, pad)`: padding counts in the mean, as PyTorch's default. */
  avgPool(x: Feature, kernel: number, stride: number, pad = 0): Feature {
    const attributes = { kernel_shape: [kernel, kernel], strides: [stride, stride], pads: [pad, pad, pad, pad], ceil_mode: 0, count_include_pad: 1 };
    return { name: this.g.op('AveragePool', [x.name], attributes), channels: x.channels };
  }

  add(a: Feature, b: Feature): Feature {
    return { name: this.g.op('Add', [a.name, b.name]), channels: a.channels };
  }

  /** torch.cat(branches, 1). */
  concat(branches: readonly Feature[]): Feature {
    return { name: this.g.op('Concat', branches.map((b) => b.name), { axis: 1 }), channels: branches.reduce((sum, b) => sum + b.channels, 0) };
  }

  /** adaptive_avg_pool2d(x, 1) + flatten(1). */
  globalPoolFlatten(x: Feature): Feature {
    return this.flatten({ name: this.g.op('GlobalAveragePool', [x.name]), channels: x.channels });
  }

  /**
   * `AdaptiveAvgPool2d(target)` on a square `size`×`size` map: nothing when it is already
   * `target` (as at 224×224), an exact average pool when `size` is a multiple of it; other
   * sizes are refused, since their adaptive windows overlap unevenly.
   */
  adaptivePool(architecture: string, x: Feature, size: number, target: number): Feature {
    if (size === target) return x;
    if (size < target || size % target !== 0) {
      throw new InvalidArgumentError(`${architecture}: the input gives a ${size}×${size} feature map, which does not pool evenly to ${target}×${target}; choose an imageSize that does (224 does)`);
    }
    return this.avgPool(x, size / target, size / target);
  }

  /** flatten(1), with the number of features after it. */
  flatten(x: Feature, features = x.channels): Feature {
    return { name: this.g.op('Flatten', [x.name], { axis: 1 }), channels: features };
  }

  /** Declares the `input` and `output` of the classifier and returns the model. */
  finish(architecture: string, logits: Feature, batch: number | 'batch_size', numClasses: number, docString: string, opset: number): onnx.IModelProto {
    this.g.output(logits.name, 'float32', [batch, numClasses]);
    const metadata: Record<string, string> = { architecture, seed: String(this.#seed) };
    if (this.#foldedChannels > 0) metadata[FOLDED_BATCHNORM_KEY] = String(this.#foldedChannels);
    return this.g.toModel({ opset, docString, metadata });
  }

  #weights(name: string, dims: readonly number[], bound: number): string {
    const count = dims.reduce((a, b) => a * b, 1);
    return this.g.initializer(name, 'float32', dims, uniformWeights(this.#seed, name, count, bound));
  }
}

/** Checks the options every vision builder shares and returns the batch dim. */
export function visionBatch(architecture: string, o: Required<VisionOptions>): number | 'batch_size' {
  if (!Number.isInteger(o.opset) || o.opset < 13) throw new InvalidArgumentError(`${architecture}: opset must be an integer ≥ 13, got ${o.opset}`);
  if (o.batch !== 'dynamic' && (!Number.isInteger(o.batch) || o.batch < 1)) {
    throw new InvalidArgumentError(`${architecture}: batch must be a positive integer or "dynamic", got ${o.batch}`);
  }
  for (const [label, value] of [['imageSize', o.imageSize], ['numClasses', o.numClasses]] as const) {
    if (!Number.isInteger(value) || value < 1) throw new InvalidArgumentError(`${architecture}: ${label} must be a positive integer, got ${value}`);
  }
  return o.batch === 'dynamic' ? 'batch_size' : o.batch;
}

/** Spatial size after a convolution or pooling window (floor mode). */
export function windowOutput(size: number, kernel: number, stride: number, pad = 0): number {
  return Math.floor((size + 2 * pad - kernel) / stride) + 1;
}
