import { z } from 'zod';
import type { Measurement } from './engine';
import { ErrorCode, firstLineOf, OrtbenchError } from './errors';
import type { ConfigurationResult } from './sweep';

/** The results document's schema version this build writes and the newest it reads. */
export const RESULTS_SCHEMA_VERSION = 2;

/** The `schema` field every results document carries. */
export const RESULTS_SCHEMA_ID = 'ortbench/results';

const statisticsSchema = z.object({
  count: z.number().int().positive(),
  min: z.number(),
  max: z.number(),
  mean: z.number(),
  sd: z.number().nonnegative(),
  cv: z.number(),
  median: z.number(),
  p90: z.number(),
  p95: z.number(),
  p99: z.number(),
  p999: z.number(),
  mad: z.number().nonnegative(),
  medianCiLower: z.number(),
  medianCiUpper: z.number(),
  medianCiCoverage: z.number().min(0).max(1),
  autocorrelation: z.number(),
  outliers: z.object({
    lowSevere: z.number().int().nonnegative(),
    lowMild: z.number().int().nonnegative(),
    highMild: z.number().int().nonnegative(),
    highSevere: z.number().int().nonnegative(),
  }),
});

const measurementSchema = z.object({
  session: z.object({
    runner: z.string(),
    executionProvider: z.string(),
    settings: z.record(z.string(), z.unknown()),
    runtime: z.string().optional(),
  }),
  itemsPerRun: z.number().int().positive(),
  concurrency: z.number().int().positive(),
  sessions: z.number().int().positive().optional(),
  phases: z.object({
    loadMs: z.number().nonnegative().optional(),
    firstRunMs: z.number().nonnegative(),
    warmupMs: z.number().nonnegative(),
    warmupIterations: z.number().int().nonnegative(),
    steadyMs: z.number().nonnegative(),
    iterations: z.number().int().positive(),
  }),
  latencyMs: statisticsSchema,
  throughput: z.object({
    itemsPerSecond: z.number().nonnegative(),
    runsPerSecond: z.number().nonnegative(),
    basis: z.enum(['median latency', 'wall clock']),
    wallItemsPerSecond: z.number().nonnegative(),
    wallRunsPerSecond: z.number().nonnegative(),
  }),
  stability: z.object({
    stop: z.enum(['target', 'fixed', 'cap', 'interrupted']),
    ciTarget: z.number().positive().optional(),
    ciHalfWidth: z.number().nonnegative(),
    unstable: z.boolean(),
    notes: z.array(z.string()),
  }),
  rounds: z.object({ count: z.number().int().positive(), mediansMs: z.array(z.number()), spread: z.number().nonnegative() }).optional(),
  timingSource: z.enum(['host', 'runner']),
  hostRoundTripMs: z.number().nonnegative().optional(),
  samplesNs: z.array(z.number().nonnegative()).optional(),
  profile: z
    .object({
      file: z.string().optional(),
      totalMs: z.number().nonnegative(),
      topOps: z.array(z.object({ op: z.string(), totalMs: z.number().nonnegative(), percent: z.number(), calls: z.number().int().nonnegative() })),
    })
    .optional(),
  scenario: z
    .object({
      name: z.string(),
      targetQps: z.number().positive().optional(),
      queriesPerSecond: z.number().nonnegative(),
      offeredQps: z.number().positive().optional(),
      reported: z.object({ metric: z.string(), value: z.number() }),
      insufficient: z.string().optional(),
    })
    .optional(),
  accuracy: z.object({ top1: z.number().min(0).max(1), top5: z.number().min(0).max(1), images: z.number().int().positive() }).optional(),
  /** Images whose top-1 class differs from the `reference` precision's (fp32) on the same images. */
  agreement: z.object({ reference: z.string(), differing: z.number().int().nonnegative(), images: z.number().int().positive() }).optional(),
  compute: z
    .object({
      flopsPerRun: z.number().nonnegative(),
      gflops: z.number().nonnegative(),
      peakGflops: z.number().positive().optional(),
      fractionOfPeak: z.number().nonnegative().optional(),
    })
    .optional(),
  pipeline: z
    .object({
      images: z.number().int().positive(),
      preprocessItemsPerSecond: z.number().nonnegative(),
      endToEndItemsPerSecond: z.number().nonnegative(),
      efficiency: z.number().nonnegative(),
    })
    .optional(),
  /** The shapes and dtypes really fed, and how the values were made. */
  inputs: z.array(z.object({ name: z.string(), dtype: z.string(), dims: z.array(z.number().int().nonnegative()), values: z.string() })).optional(),
  alternation: z.object({ mode: z.enum(['runs', 'slices', 'alone']), group: z.number().int().positive(), reason: z.string().optional() }).optional(),
  /** Memory in bytes, read between runs by `source`: before and after loading, the peak from the first run on, the end. */
  memory: z
    .object({
      source: z.string(),
      beforeLoadBytes: z.number().nonnegative().optional(),
      afterLoadBytes: z.number().nonnegative(),
      loadedBytes: z.number().optional(),
      peakBytes: z.number().nonnegative(),
      peakIsHighWater: z.boolean(),
      peakAboveBaseBytes: z.number().optional(),
      endBytes: z.number().nonnegative(),
      steadyGrowthBytes: z.number(),
      readings: z.number().int().nonnegative(),
      leak: z.object({ bytesPerRun: z.number().positive(), runs: z.number().int().positive(), reason: z.string() }).optional(),
      unmeasured: z.array(z.string()).optional(),
      shared: z.string().optional(),
    })
    .optional(),
  /** The model file measured, and its size with external data. */
  modelFile: z.object({ path: z.string(), bytes: z.number().int().nonnegative() }).optional(),
  /** A variant's outputs against fp32's on the same inputs, or why they were not compared. */
  fidelity: z
    .union([
      z.object({
        reference: z.string(),
        output: z.string(),
        items: z.number().int().nonnegative(),
        pooled: z.boolean().optional(),
        cosineMin: z.number().min(-1.000001).max(1.000001),
        cosineMean: z.number().min(-1.000001).max(1.000001),
        maxAbsDiff: z.number().nonnegative(),
        top1Changed: z.number().int().nonnegative().optional(),
        /** What the outputs were compared on: `8 built-in sentences, tokenised by …`, `15 photos (--images) …`, `the inputs timed (seeded)`. */
        inputs: z.string().optional(),
      }),
      z.object({ reference: z.string(), unavailable: z.string() }),
    ])
    .optional(),
  /** Paired ratios (time per item over the baseline's) with their 95 % intervals (only from 6 pairs on: fewer support no interval). */
  comparisons: z
    .array(
      z.object({
        axis: z.string(),
        baseline: z.string(),
        baselineValue: z.string(),
        ratio: z.number().positive(),
        lower: z.number().nonnegative(),
        upper: z.number().positive(),
        level: z.number().gt(0).lt(1),
        pairs: z.number().int().nonnegative(),
        excluded: z.number().int().nonnegative(),
        orderEffect: z.number().positive().optional(),
      }),
    )
    .optional(),
});

const configurationSchema = z.object({
  id: z.string().min(1),
  runner: z.string().min(1),
  model: z.string().optional(),
  batchSize: z.number().int().positive(),
  sequenceLength: z.number().int().positive().optional(),
  threads: z.number().int().positive().optional(),
  options: z.record(z.string(), z.unknown()),
});

/** The fleet worker (and its machine) that measured a result. */
const measuredBySchema = z.object({
  worker: z.string().min(1),
  hostname: z.string(),
  cpu: z.string(),
  logicalCores: z.number().int().positive(),
  memoryBytes: z.number().nonnegative(),
  platform: z.string(),
  tags: z.array(z.string()),
  runners: z.array(z.string()),
  packages: z.record(z.string(), z.string()),
});

const resultSchema = z.discriminatedUnion('status', [
  z.object({ status: z.literal('completed'), configuration: configurationSchema, measurement: measurementSchema, measuredBy: measuredBySchema.optional() }),
  z.object({
    status: z.literal('errored'),
    configuration: configurationSchema,
    error: z.object({ code: z.string(), message: z.string(), log: z.string().optional() }),
    measuredBy: measuredBySchema.optional(),
  }),
  z.object({ status: z.literal('skipped'), configuration: configurationSchema, reason: z.string(), measuredBy: measuredBySchema.optional() }),
]);

/** A sweep run by fleet workers on a queue (`ortbench bench --queue`). */
const fleetSchema = z.object({
  sweepId: z.string().min(1),
  /** The queue's URL with any password replaced by ***. */
  queue: z.string(),
  /** spread: each configuration once, on any worker; each-worker: every configuration on every selected worker. */
  mode: z.enum(['spread', 'each-worker']),
  /** The workers that measured results of this sweep, by name. */
  workers: z.array(z.string()),
});

/** The machine a run happened on, and the software versions that took part. */
const environmentSchema = z.object({
  os: z.object({ platform: z.string(), release: z.string(), arch: z.string() }),
  cpu: z.object({
    model: z.string(),
    logicalCores: z.number().int().positive(),
    physicalCores: z.number().int().positive(),
  }),
  memoryBytes: z.number().nonnegative(),
  node: z.string(),
  /** Versions of the ortbench packages and runtimes (onnxruntime-node, sharp, …) that ran. */
  packages: z.record(z.string(), z.string()),
  /** How busy the machine was around the run (Linux: /proc), and a warning when it was. */
  machine: z
    .object({
      loadAverageStart: z.array(z.number()),
      loadAverageEnd: z.array(z.number()),
      /** CPU time other processes took during the run, as cores busy on average. */
      otherCpuCores: z.number().nonnegative().optional(),
      /** A fixed reference workload's median time (ms) at the start and end: the machine's own speed. */
      referenceMs: z.object({ start: z.number().positive(), end: z.number().positive() }).optional(),
      /** True when the reference workload's time changed by more than 10 % during the run. */
      speedChanged: z.boolean().optional(),
      governor: z.string().optional(),
      busy: z.boolean(),
      warning: z.string().optional(),
    })
    .optional(),
});

/** The zod schema of a results document; `z.toJSONSchema` of it is published as JSON Schema. */
export const resultsDocumentSchema = z.object({
  schema: z.literal(RESULTS_SCHEMA_ID),
  version: z.literal(RESULTS_SCHEMA_VERSION),
  createdAt: z.iso.datetime(),
  /** True when the run was interrupted and `results` holds only what finished. */
  partial: z.boolean(),
  tool: z.object({ name: z.string(), version: z.string() }),
  /** The command or API call that produced the document, for reproducing it. */
  command: z.string().optional(),
  environment: environmentSchema,
  /** Present when fleet workers measured the results; each result then names its machine. */
  fleet: fleetSchema.optional(),
  results: z.array(resultSchema),
});

/** A results document as written by ortbench. */
export type ResultsDocument = z.infer<typeof resultsDocumentSchema>;
/** The machine and software a run happened on. */
export type Environment = z.infer<typeof environmentSchema>;
/** How a fleet sweep was run (queue, mode, workers). */
export type FleetInfo = z.infer<typeof fleetSchema>;

// Keep the schema and the engine's types in step: each must be assignable to the other.
type Mutual<A, B> = [A] extends [B] ? ([B] extends [A] ? true : never) : never;
const schemaMatchesTypes: [
  Mutual<z.infer<typeof measurementSchema>, Measurement>,
  Mutual<z.infer<typeof resultSchema>, ConfigurationResult>,
] = [true, true];
void schemaMatchesTypes;

/**
 * Parses and validates a results document. `source` (a file name) starts every error line.
 * A newer schema version gets RESULTS_VERSION_UNSUPPORTED; anything else malformed gets
 * RESULTS_INVALID naming the first bad field.
 */
export function parseResults(text: string, source = 'results'): ResultsDocument {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new OrtbenchError(ErrorCode.RESULTS_INVALID, `${source}: not JSON (${firstLineOf(error)})`);
  }
  return validateResults(json, source);
}

/** Validates an already parsed value as a results document (see {@link parseResults}). */
export function validateResults(json: unknown, source = 'results'): ResultsDocument {
  if (typeof json !== 'object' || json === null || (json as { schema?: unknown }).schema !== RESULTS_SCHEMA_ID) {
    throw new OrtbenchError(ErrorCode.RESULTS_INVALID, `${source}: not an ortbench results document (no "schema": "${RESULTS_SCHEMA_ID}")`);
  }
  const version = (json as { version?: unknown }).version;
  if (typeof version === 'number' && Number.isInteger(version) && version > RESULTS_SCHEMA_VERSION) {
    throw new OrtbenchError(
      ErrorCode.RESULTS_VERSION_UNSUPPORTED,
      `${source}: written with results schema version ${version}; this ortbench reads up to version ${RESULTS_SCHEMA_VERSION} — upgrade ortbench`,
    );
  }
  const parsed = resultsDocumentSchema.safeParse(version === 1 ? upgradeFromVersion1(json as Record<string, unknown>) : json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue ? formatPath(issue.path) : '';
    throw new OrtbenchError(ErrorCode.RESULTS_INVALID, `${source}: ${where ? `${where}: ` : ''}${issue?.message ?? 'invalid'}`);
  }
  return parsed.data;
}

/** Serialises a document (validated first, so nothing invalid is ever written). */
export function serializeResults(document: ResultsDocument): string {
  return `${JSON.stringify(validateResults(document, 'document to write'), null, 2)}\n`;
}

/** Everything except the results, for building a document around a sweep's outcome. */
export type ResultsHeader = Omit<ResultsDocument, 'schema' | 'version' | 'results' | 'partial' | 'createdAt'> & {
  createdAt?: string;
};

/** Wraps sweep results in a complete document. */
export function createResultsDocument(
  header: ResultsHeader,
  results: readonly ConfigurationResult[],
  partial = false,
): ResultsDocument {
  return {
    schema: RESULTS_SCHEMA_ID,
    version: RESULTS_SCHEMA_VERSION,
    createdAt: header.createdAt ?? new Date().toISOString(),
    partial,
    tool: header.tool,
    ...(header.command === undefined ? {} : { command: header.command }),
    environment: header.environment,
    ...(header.fleet === undefined ? {} : { fleet: header.fleet }),
    results: [...results],
  };
}

/**
 * Version 1 documents paired the median with a wall-clock throughput and had no stability,
 * outlier or autocorrelation figures. They are read as what they were: the throughput is
 * labelled wall clock, and the new statistics are marked unknown rather than invented.
 */
function upgradeFromVersion1(document: Record<string, unknown>): unknown {
  const results = Array.isArray(document.results) ? document.results : [];
  return {
    ...document,
    version: RESULTS_SCHEMA_VERSION,
    results: results.map((result: Record<string, unknown>) => {
      const measurement = result?.measurement as Record<string, unknown> | undefined;
      if (result?.status !== 'completed' || typeof measurement !== 'object' || measurement === null) return result;
      const throughput = (measurement.throughput ?? {}) as { itemsPerSecond?: number; runsPerSecond?: number };
      const latency = (measurement.latencyMs ?? {}) as Record<string, unknown>;
      return {
        ...result,
        measurement: {
          ...measurement,
          latencyMs: { autocorrelation: 0, outliers: { lowSevere: 0, lowMild: 0, highMild: 0, highSevere: 0 }, ...latency },
          throughput: { ...throughput, basis: 'wall clock', wallItemsPerSecond: throughput.itemsPerSecond, wallRunsPerSecond: throughput.runsPerSecond },
          stability: { stop: 'fixed', ciHalfWidth: halfWidthOf(latency), unstable: false, notes: ['read from a version 1 document: precision and outliers were not recorded'] },
        },
      };
    }),
  };
}

function halfWidthOf(latency: Record<string, unknown>): number {
  const [median, lower, upper] = [latency.median, latency.medianCiLower, latency.medianCiUpper].map(Number) as [number, number, number];
  const width = Math.max(median - lower, upper - median) / median;
  return Number.isFinite(width) && width >= 0 ? width : 0;
}

function formatPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>(
    (text, key) => (typeof key === 'number' ? `${text}[${key}]` : `${text}${text ? '.' : ''}${String(key)}`),
    '',
  );
}
