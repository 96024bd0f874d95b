/**
 * `@ortbench/preprocess`: inputs prepared exactly as deployed models expect — images with
 * sharp, BERT text with @huggingface/tokenizers — feeds builders, synthetic inputs, and
 * postprocessing.
 */
export { BertTokenizer, wordPieceTokenizerJson } from './bert-tokenizer';
export { bertFeeds, imageFeeds } from './feeds';
export { fromFloat16Bits, toFloat16Bits } from '@ortbench/core';
export { hfImageSteps, hfOutputSize, hfProcessImage, readHfImageSteps } from './hf-image-processor';
export { IMAGE_PRESETS, imageConfig, outputSize } from './image-config';
export { preprocessImages } from './image-batch';
export { centreCropOrigin, decodeRgb, resizedSize, roundHalfEven } from './image-decode';
export { IMAGENET_LABELS, loadLabels, parseLabels } from './labels';
export { loadArrays, parseNpy, parseNpz } from './npy';
export { describeFed, modelFeeds } from './model-feeds';
export { encodeNpy } from './npy-write';
export { isPillowInterpolation, pillowResize } from './pillow-resample';
export { channelTransform, writePixels } from './pixels-to-tensor';
export { softmax, topK } from './postprocess';
export { syntheticFeeds, syntheticImages, syntheticTokens } from './synthetic';
export { TextTokenizer } from './text-tokenizer';

export type { BertEncoding, EncodeOptions, TextInput, VocabOptions } from './bert-tokenizer';
export type { HfImageSteps } from './hf-image-processor';
export type { TextEncodeOptions } from './text-tokenizer';
export type { ImageConfig, ImagePreset, Interpolation } from './image-config';
export type { PreprocessOptions } from './image-batch';
export type { DecodeConfig, ImageSource, RgbImage } from './image-decode';
export type { PillowInterpolation, Window } from './pillow-resample';
export type { ChannelTransform } from './pixels-to-tensor';
export type { Ranked } from './postprocess';
export type { FedInput, ModelFeedOptions } from './model-feeds';
export type { SyntheticFeedOptions, SyntheticTokenOptions } from './synthetic';
