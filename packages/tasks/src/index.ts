/**
 * `@ortbench/tasks`: ortbench's end-to-end tasks as library calls — each is what one `ortbench`
 * command does, minus the printing. They compose the libraries (runners, models, preprocess);
 * the CLI maps flags to their options and prints their results.
 */
export { bench } from './bench/run';
export { BENCH_PRESETS } from './bench/presets';
export { resolveBenchOptions } from './bench/options';
export { planBench } from './bench/plan';
export { stopRuleOf } from './bench/stop-rule';
export { annotateClassification, LABEL_FONT, renderLabelText, uncoveredCharacters } from './annotate';
export { fontCoverage } from './font-coverage';
export { classifyImages, formatClassifications, rankImages } from './classify';
export { encodeTexts, formatEncoding } from './encode';
export { describeEnvironment, formatEnvironment } from './environment';
export { accuracyOf, evaluateImages, evaluateTexts, formatImageEvaluation, formatTextEvaluation, labelledImages } from './evaluate';
export { hfImageBatch, imageConfigForModel, imageFiles } from './images';
export { folderImageSteps, folderTokenizer, maxPositionsOf, readTexts, SAMPLE_TEXTS } from './folder-inputs';
export { exportPreprocessed } from './preprocess-export';
export { describeGraph, describeModel, folderOverrides, modelKind, modelLabel, resolveModel } from './model-source';
export { loadInputArrays, prepareInputs } from './model-inputs';
export { buildBuiltInModel, builtInModels, formatBuiltInModels, formatInspection, inspectModelAt } from './models';
export { calibrate, convertModel, precisionVariant, quantizeModel } from './precision';
export { EXPORTABLE_VARIANTS, exportModelFolder } from './export-folder';
export { isFolder, parseGraphName, readModelFolder, VARIANT_ORDER, VARIANT_SUFFIXES, variantFile, variantsOf } from './model-folder';
export { registerPlugins, runnerRegistry } from './registry';
export { peakGflops } from './roofline';
export { textTable } from './text-table';
export { formatTune, formatTunePoint, tuneModel } from './tune';
export { formatParity, verifyModel } from './verify';
export { installedVersion, packageVersions } from './versions';

export type { BenchHooks, BenchOutcome } from './bench/run';
export type { BenchPresetName } from './bench/presets';
export type { BenchInput, BenchOptions } from './bench/options';
export type { PreprocessExportOptions } from './preprocess-export';
export type { BenchPlan } from './bench/plan';
export type { Classification, ClassifyOptions } from './classify';
export type { EncodeOptions, Encoding } from './encode';
export type { EvaluateImagesOptions, EvaluateTextsOptions, ImageEvaluation, TextEvaluation } from './evaluate';
export type { FolderChoice, ModelDescription, ModelOverrides, ResolvedModel } from './model-source';
export type { FolderTokenizer } from './folder-inputs';
export type { InputRequest, PreparedInputs } from './model-inputs';
export type { BuildOptions, ModelReport } from './models';
export type { QuantizeOptions, VariantOptions } from './precision';
export type { ExportableVariant, ExportedFolder, ExportFolderOptions } from './export-folder';
export type { ModelFolder, VariantFile, VariantName } from './model-folder';
export type { RunnerSource } from './registry';
export type { MeasuredPoint, TunedPoint, TuneOptions, TuneReport } from './tune';
export type { VerifyOptions } from './verify';
export type { FleetHooks, FleetOptions, FleetProgress } from './fleet/submit';
export { fleetBench, startFleetWorker } from './fleet/lazy';
export type { FleetWorker, FleetWorkerHooks, FleetWorkerOptions } from './fleet/worker';
export type { QueueAddress } from './fleet/queue-url';
export { parseQueueUrl } from './fleet/queue-url';
export type { OptimizeOutcome } from './optimize';
export { formatOptimize, optimizeModel, OPT_LEVELS } from './optimize';
export { ab } from './ab';
export type { AbOptions, AbOutcome, AbSide, AbSideResult } from './ab';
