/** `@ortbench/models`: build, inspect and transform ONNX models offline. */
export { ALEXNET_DEFAULTS, buildAlexNet } from './alexnet';
export { buildBert, BERT_BASE_DEFAULTS } from './bert';
export { BUILDER_VERSION, cachedModelPath, ensureModel, modelCacheDir } from './cache';
export { float, floats, GraphBuilder, tensorProto } from './graph-builder';
export { convertToFloat16 } from './float16-model';
export { buildInceptionV3, INCEPTION_V3_DEFAULTS } from './inception-v3';
export { inspectModel } from './inspect';
export { buildMatMul } from './matmul';
export { buildMobileNetV2, MOBILENET_V2_DEFAULTS } from './mobilenet-v2';
export { dtypeOf, elementType, onnx } from './onnx-types';
export { calibrationTensors, quantizeDynamic, quantizeStatic, upgradeToOpset13, withExtraOutputs } from './quantize';
export { buildModel, isPresetName, MODEL_PRESETS, presetSpec, resolvedOptionsFor } from './presets';
export { decodeModel, hasExternalData, readModel } from './read-model';
export { buildResNet50, RESNET50_DEFAULTS } from './resnet50';
export { encodeModel, saveModel } from './serialize';
export { FOLDED_BATCHNORM_KEY } from './vision-layers';
export { buildVgg16, VGG16_DEFAULTS } from './vgg16';

export type { BertInputStyle, BertOptions } from './bert';
export type { AttributeValue, FloatAttribute, FloatsAttribute, ModelOptions, TensorAttribute } from './graph-builder';
export type { ComputeCount, ModelInspection } from './inspect';
export type { ModelSpec, PresetName, VisionArchitecture } from './presets';
export type { Range, StaticQuantizeOptions } from './quantize';
export type { ReadModelOptions } from './read-model';
export type { ResNetOptions } from './resnet50';
export type { EncodedModel, ExternalDataOptions } from './serialize';
export type { VisionOptions } from './vision-layers';
export { ensureTorchPair, torchPairPath } from './torch-pair';
