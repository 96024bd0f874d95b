import { ErrorCode, OrtbenchError } from '@ortbench/core';
import type { BertOptions } from './bert';
import { BERT_BASE_DEFAULTS, buildBert } from './bert';
import type { onnx } from './onnx-types';
import { ALEXNET_DEFAULTS, buildAlexNet } from './alexnet';
import { buildInceptionV3, INCEPTION_V3_DEFAULTS } from './inception-v3';
import { buildMobileNetV2, MOBILENET_V2_DEFAULTS } from './mobilenet-v2';
import type { ResNetOptions } from './resnet50';
import { buildResNet50, RESNET50_DEFAULTS } from './resnet50';
import { buildVgg16, VGG16_DEFAULTS } from './vgg16';
import type { VisionOptions } from './vision-layers';

/** The image classifiers built in torchvision's layout besides ResNet-50. */
export type VisionArchitecture = 'alexnet' | 'vgg16' | 'inception-v3' | 'mobilenet-v2';

/** What to build: an architecture and its options. */
export type ModelSpec =
  | { architecture: 'resnet50'; options: ResNetOptions }
  | { architecture: 'bert'; options: BertOptions }
  | { architecture: VisionArchitecture; options: VisionOptions };

// Each architecture's builder and its defaults (which name the options it takes).
const ARCHITECTURES: Record<ModelSpec['architecture'], { build: (options: object) => onnx.IModelProto; defaults: object }> = {
  resnet50: { build: buildResNet50, defaults: RESNET50_DEFAULTS },
  bert: { build: buildBert, defaults: BERT_BASE_DEFAULTS },
  alexnet: { build: buildAlexNet, defaults: ALEXNET_DEFAULTS },
  vgg16: { build: buildVgg16, defaults: VGG16_DEFAULTS },
  'inception-v3': { build: buildInceptionV3, defaults: INCEPTION_V3_DEFAULTS },
  'mobilenet-v2': { build: buildMobileNetV2, defaults: MOBILENET_V2_DEFAULTS },
};

/** Built-in models by name. The `-tiny` ones are for tests: same topology, a few hundred kB to a few MB. */
export const MODEL_PRESETS = {
  resnet50: { architecture: 'resnet50', options: {}, description: 'torchvision ResNet-50 v1.5, BatchNorm folded, 224×224, 1000 classes' },
  'resnet50-tiny': {
    architecture: 'resnet50',
    options: { imageSize: 32, stemWidth: 8, stageWidths: [8, 16, 32, 64], stageBlocks: [1, 1, 1, 1], numClasses: 10 },
    description: 'ResNet topology shrunk for tests: 32×32, 1 block per stage, 10 classes',
  },
  alexnet: { architecture: 'alexnet', options: {}, description: 'torchvision AlexNet, 224×224, 1000 classes' },
  vgg16: { architecture: 'vgg16', options: {}, description: 'torchvision VGG16 (configuration D, no BatchNorm), 224×224, 1000 classes' },
  'inception-v3': { architecture: 'inception-v3', options: {}, description: 'torchvision Inception-v3 without aux logits, BatchNorm folded, 299×299, 1000 classes' },
  'mobilenet-v2': { architecture: 'mobilenet-v2', options: {}, description: 'torchvision MobileNetV2 (width 1.0), BatchNorm folded, 224×224, 1000 classes' },
  'mobilenet-v2-tiny': { architecture: 'mobilenet-v2', options: { imageSize: 32, numClasses: 10 }, description: 'MobileNetV2 at 32×32 with 10 classes, for tests' },
  bert: { architecture: 'bert', options: {}, description: 'bert-base-uncased: 12 layers, hidden 768, 12 heads, vocab 30522' },
  'bert-base-uncased': { architecture: 'bert', options: {}, description: 'the same as bert' },
  'bert-base-chinese': { architecture: 'bert', options: { vocabSize: 21128 }, description: 'bert-base with the Chinese vocabulary (21128)' },
  'bert-tiny': {
    architecture: 'bert',
    options: { layers: 2, hidden: 64, heads: 2, intermediate: 256 },
    description: 'BERT topology shrunk for tests: 2 layers, hidden 64, vocab 30522',
  },
} as const satisfies Record<string, ModelSpec & { description: string }>;

/** A built-in model name. */
export type PresetName = keyof typeof MODEL_PRESETS;

/** True when `name` is a built-in model. */
export function isPresetName(name: string): name is PresetName {
  return Object.hasOwn(MODEL_PRESETS, name);
}

/** The spec of a built-in model with `overrides` applied (e.g. `{ batch: 1, opset: 13 }`). */
export function presetSpec(name: string, overrides: ResNetOptions & BertOptions & VisionOptions = {}): ModelSpec {
  if (!isPresetName(name)) {
    throw new OrtbenchError(ErrorCode.INVALID_ARGUMENT, `unknown model "${name}" (built-in: ${Object.keys(MODEL_PRESETS).join(', ')})`);
  }
  const preset = MODEL_PRESETS[name] as ModelSpec;
  return { architecture: preset.architecture, options: { ...preset.options, ...pick(preset.architecture, overrides) } } as ModelSpec;
}

/** The spec with every default filled in: what the cache key and the model metadata record. */
export function resolvedOptions(spec: ModelSpec): Record<string, unknown> {
  return { ...ARCHITECTURES[spec.architecture].defaults, ...spec.options };
}

/** Builds the model a spec describes. */
export function buildModel(spec: ModelSpec): onnx.IModelProto {
  return ARCHITECTURES[spec.architecture].build(spec.options);
}

// Overrides name options of both builders; keep only those the architecture has.
function pick(architecture: ModelSpec["architecture"], overrides: object): Record<string, unknown> {
  const known = ARCHITECTURES[architecture].defaults;
  return Object.fromEntries(Object.entries(overrides).filter(([key, value]) => key in known && value !== undefined));
}

/** Every option of a built-in model with defaults filled (e.g. `maxPositions` of a BERT preset). */
export function resolvedOptionsFor(name: string): Record<string, unknown> {
  return resolvedOptions(presetSpec(name));
}
