import { z } from 'zod';
import type { Measurement } from './engine';
import { ErrorCode, firstLineOf, OrtbenchError } from './errors';
import type { ConfigurationResult } from './sweep';

/** The results document's schema version this build writes and the newest it reads. */
export const RESULTS_SCHEMA_VERSION = 1;

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
  phases: z.object({
    loadMs: z.number().nonnegative().optional(),
    firstRunMs: z.number().nonnegative(),
    warmupMs: z.number().nonnegative(),
    warmupIterations: z.number().int().nonnegative(),
    steadyMs: z.number().nonnegative(),
    iterations: z.number().int().positive(),
  }),
  latencyMs: statisticsSchema,
  throughput: z.object({ itemsPerSecond: z.number().nonnegative(), runsPerSecond: z.number().nonnegative() }),
  timingSource: z.enum(['host', 'runner']),
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
      reported: z.object({ metric: z.string(), value: z.number() }),
    })
    .optional(),
  accuracy: z.object({ top1: z.number().min(0).max(1), top5: z.number().min(0).max(1), images: z.number().int().positive() }).optional(),
  compute: z
    .object({
      flopsPerRun: z.number().nonnegative(),
      gflops: z.number().nonnegative(),
      peakGflops: z.number().positive().optional(),
      fractionOfPeak: z.number().nonnegative().optional(),
    })
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

const resultSchema = z.discriminatedUnion('status', [
  z.object({ status: z.literal('completed'), configuration: configurationSchema, measurement: measurementSchema }),
  z.object({
    status: z.literal('errored'),
    configuration: configurationSchema,
    error: z.object({ code: z.string(), message: z.string() }),
  }),
  z.object({ status: z.literal('skipped'), configuration: configurationSchema, reason: z.string() }),
]);

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
  results: z.array(resultSchema),
});

/** A results document as written by ortbench. */
export type ResultsDocument = z.infer<typeof resultsDocumentSchema>;
/** The machine and software a run happened on. */
export type Environment = z.infer<typeof environmentSchema>;

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
  const parsed = resultsDocumentSchema.safeParse(json);
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
    results: [...results],
  };
}

function formatPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>(
    (text, key) => (typeof key === 'number' ? `${text}[${key}]` : `${text}${text ? '.' : ''}${String(key)}`),
    '',
  );
}
