/**
 * `@ortbench/core`: the runner contract and registry, the benchmark engine, statistics,
 * sweeps, the results schema, allclose and typed errors. No ONNX Runtime, no Node-only APIs
 * (those are in `@ortbench/core/node`).
 */
export { allclose, formatAllcloseReport, TOLERANCE_PRESETS } from './allclose';
export { elapsedNs, monotonicClock } from './clock';
export { bootstrapRatioOfMedians, mannWhitneyU, normalTail } from './compare-statistics';
export { benchmark, finishMeasurement, measureSession, openMeasurement } from './engine';
export { runInterleavedSweep, runSweep } from './interleave';
export { alternateRuns, compareEntries, pairsOf } from './alternate';
export { baselinePairs } from './baselines';
export { hodgesLehmann, MIN_PAIRS_FOR_INTERVAL, normalQuantile, pairedPrecision, pairedRatio, signedRankInterval } from './paired-ratio';
export { abVerdict, describeRatio } from './verdict';
export { detectLeak, formatBytes, LEAK_MIN_BYTES, LEAK_MIN_READINGS, LEAK_MIN_RUNS, parseBytes } from './memory';
export { MEMORY_READING_INTERVAL_MS, MemoryRecorder } from './memory-recorder';
export { SteadyState, summariseRounds } from './steady-state';
export { assessStability, DEFAULT_STOP_RULE, DEFAULT_WARMUP_RULE, fixedDuration, fixedIterations, medianPrecision, MIN_RUNS_FOR_MEDIAN_CI, resolveStopRule } from './stop-rule';
export {
  ErrorCode,
  firstLineOf,
  InputMismatchError,
  InvalidArgumentError,
  isOrtbenchError,
  isOutOfMemoryMessage,
  ModelInvalidError,
  OrtbenchError,
  RunnerUnavailableError,
  toErrorRecord,
} from './errors';
export { validateFeeds } from './feeds';
export { dimListAssignment, evaluateDimExpression, inputValueAssignment, isDimExpression, resolveInputShapes, shapeAssignment, symbolicDims } from './input-shapes';
export { fromFloat16Bits, toFloat16Bits } from './float16';
export { pipelined } from './pipeline';
export { probeMachineSpeed, SPEED_CHANGE_WARNING, speedChange } from './machine-speed';
export { RunnerRegistry } from './registry';
export { findMaxQps, poissonGaps, runScenario } from './scenarios';
export { hashString, SeededRandom } from './seeded-random';
export {
  createResultsDocument,
  parseResults,
  RESULTS_SCHEMA_ID,
  RESULTS_SCHEMA_VERSION,
  resultsDocumentSchema,
  serializeResults,
  validateResults,
} from './schema';
export {
  computeStatistics,
  meanAndVariance,
  medianAbsoluteDeviation,
  medianConfidenceIntervalSorted,
  minimumSamplesForQuantile,
  quantileSorted,
  relativeCiHalfWidth,
  signAutocorrelation,
  supportsPercentile,
  TAIL_PERCENTILES,
  tukeyOutliersSorted,
} from './statistics';
export { ConfigurationSkippedError, configurationId, expandMatrix } from './sweep';
export { tune } from './tune';
export { batchOrDynamic, byteSize, dimAssignment, fraction, nameList, nearestName, nonEmptyText, nonNegativeNumber, oneOf, percentage, positiveInteger, positiveIntegerList, positiveNumber } from './validate';
export { bytesPerElement, createTensor, elementCount, formatDims } from './tensor';

export type { AllcloseOptions, AllcloseReport, Comparable, Tolerance } from './allclose';
export type { Clock } from './clock';
export type { BootstrapInterval, MannWhitneyResult } from './compare-statistics';
export type { BenchmarkOptions, BenchmarkProgress, FedInputRecord, LanesSource, MeasuredFile, Measurement, MeasurementSource, MeasureOptions, OpenMeasurement, PhaseTimings, RoundSlice, RoundsSummary, Throughput, WholeSource } from './engine';
export type { Runs, RunsContext, TakeBudget, WarmPhases } from './open-measurement';
export type { InterleaveOptions } from './interleave';
export type { AlternateOptions, AlternatedComparison, AlternatedEntry } from './alternate';
export type { BaselinePair } from './baselines';
export type { PairedRatio, RunPair } from './paired-ratio';
export type { AbVerdict, VerdictRule } from './verdict';
export type { Alternation, PairedComparison } from './measurement';
export type { Lane, LaneOpened, LaneWindow } from './lanes';
export type { MemoryFigures, MemoryProbe, MemoryReading } from './memory';
export type { Stability, StopReason, StopRule } from './stop-rule';
export type { ErrorRecord } from './errors';
export type { PipelineResult } from './pipeline';
export type { RunnerStatus } from './registry';
export type { QpsProbe, ScenarioName, ScenarioOptions, ScenarioResult } from './scenarios';
export type {
  Availability,
  ModelSource,
  ProfileSummary,
  RunOptions,
  RunResult,
  RunTiming,
  Runner,
  RunnerOptions,
  Session,
  SessionInfo,
} from './runner';
export type { Environment, FleetInfo, ResultsDocument, ResultsHeader } from './schema';
export type { MedianInterval, Outliers, Statistics } from './statistics';
export type { Configuration, ConfigurationResult, MeasuredBy, SweepMatrix, SweepOptions, SweepOutcome } from './sweep';
export type { TuneEvaluation, TuneMeasurement, TuneOutcome, TunePoint } from './tune';
export type { DimRole, DimSource, ResolvedShapes, ShapeRequest, SymbolicDim } from './input-shapes';
export type { Dim, DType, Feeds, Tensor, TensorData, TensorDataMap, ValueInfo } from './tensor';
