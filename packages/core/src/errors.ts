/**
 * Stable error codes. The CLI maps each to one line and an exit code; scripts may
 * match on them, so a code is never renamed once released.
 */
export const ErrorCode = {
  /** A command-line value or API argument is malformed (batch `0`, unknown preset, …). */
  INVALID_ARGUMENT: 'INVALID_ARGUMENT',
  /** A file or directory that was named does not exist or cannot be read. */
  FILE_NOT_FOUND: 'FILE_NOT_FOUND',
  /** No runner is registered under the requested name. */
  RUNNER_UNKNOWN: 'RUNNER_UNKNOWN',
  /** The runner exists but cannot run here (missing provider libraries, no GPU, no browser, …). */
  RUNNER_UNAVAILABLE: 'RUNNER_UNAVAILABLE',
  /** A runner failed while loading a model or running it. */
  RUNNER_FAILED: 'RUNNER_FAILED',
  /** The bytes given as a model are not a loadable ONNX model. */
  MODEL_INVALID: 'MODEL_INVALID',
  /** A symbolic dimension or a scalar value of the model's inputs has no value, and ortbench will not guess one (set it with --dim, --shape or --input). */
  INPUT_UNSET: 'INPUT_UNSET',
  /** The model uses an operator that the runtime has no kernel for (a custom op whose library is not registered, an op of a newer opset). */
  OPERATOR_UNSUPPORTED: 'OPERATOR_UNSUPPORTED',
  /** Feeds do not match the model's inputs (names, dtypes, ranks, sizes). */
  INPUT_MISMATCH: 'INPUT_MISMATCH',
  /** An image cannot be decoded, is empty, or exceeds the pixel limit. */
  IMAGE_INVALID: 'IMAGE_INVALID',
  /** A vocabulary, tokenizer or labels file is missing, empty or malformed. */
  VOCAB_INVALID: 'VOCAB_INVALID',
  /** A data file (NumPy .npy/.npz, …) is malformed or holds a type ortbench does not read. */
  DATA_INVALID: 'DATA_INVALID',
  /** A results document does not match the schema. */
  RESULTS_INVALID: 'RESULTS_INVALID',
  /** A results document was written by a newer, unknown schema version. */
  RESULTS_VERSION_UNSUPPORTED: 'RESULTS_VERSION_UNSUPPORTED',
  /** The run was cancelled (SIGINT, an AbortSignal). */
  ABORTED: 'ABORTED',
  /** Outputs differ beyond tolerance. */
  MISMATCH: 'MISMATCH',
  /** The runtime could not allocate memory (ORT's allocation failure, bad_alloc, a SIGKILL under --isolate). */
  OUT_OF_MEMORY: 'OUT_OF_MEMORY',
  /** The output folder cannot be created or written (checked before measuring; after, the results go to a fallback file the error names). */
  OUTPUT_UNWRITABLE: 'OUTPUT_UNWRITABLE',
  /** The job queue (Redis) of a fleet sweep cannot be reached, or went away for too long. */
  QUEUE_UNAVAILABLE: 'QUEUE_UNAVAILABLE',
  /** The job queue refused the credentials (wrong user or password, or a TLS certificate it does not trust). */
  QUEUE_AUTH_FAILED: 'QUEUE_AUTH_FAILED',
} as const;

/** One of the stable {@link ErrorCode} values. */
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/**
 * The base of every error ortbench throws on purpose. `code` is stable; `message`
 * is one line meant for a person and names the file or value at fault.
 */
export class OrtbenchError extends Error {
  override name = 'OrtbenchError';
  readonly code: ErrorCode;
  /** What the runtime logged about the failure (several lines), kept for the result instead of printed. */
  readonly log?: string;

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown; log?: string }) {
    super(message, options);
    this.code = code;
    if (options?.log) this.log = options.log;
  }
}

/** A runner was asked for but cannot run here; `reason` says why in words. */
export class RunnerUnavailableError extends OrtbenchError {
  override name = 'RunnerUnavailableError';
  readonly runner: string;
  readonly reason: string;

  constructor(runner: string, reason: string, options?: { cause?: unknown }) {
    super(ErrorCode.RUNNER_UNAVAILABLE, `runner "${runner}" is unavailable: ${reason}`, options);
    this.runner = runner;
    this.reason = reason;
  }
}

/** The bytes named as a model are not a loadable ONNX model. */
export class ModelInvalidError extends OrtbenchError {
  override name = 'ModelInvalidError';

  constructor(source: string, problem: string, options?: { cause?: unknown }) {
    super(ErrorCode.MODEL_INVALID, `${source}: not a valid ONNX model: ${problem}`, options);
  }
}

/** Feeds do not fit the model's declared inputs. */
export class InputMismatchError extends OrtbenchError {
  override name = 'InputMismatchError';

  constructor(message: string, options?: { cause?: unknown }) {
    super(ErrorCode.INPUT_MISMATCH, message, options);
  }
}

/** A value supplied by the user is malformed. */
export class InvalidArgumentError extends OrtbenchError {
  override name = 'InvalidArgumentError';

  constructor(message: string, options?: { cause?: unknown }) {
    super(ErrorCode.INVALID_ARGUMENT, message, options);
  }
}

/** True for errors thrown by ortbench on purpose (they carry a stable code). */
export function isOrtbenchError(error: unknown): error is OrtbenchError {
  return error instanceof OrtbenchError;
}

/** A plain, serialisable description of any thrown value, as stored in errored results. */
export interface ErrorRecord {
  code: string;
  message: string;
  /** What the runtime logged around the failure, captured instead of printed. */
  log?: string;
}

/**
 * Reduces any thrown value to `{ code, message }`. Errors that are not ours get the
 * code `fallbackCode`, so a runner's raw exception still lands in a result file.
 */
export function toErrorRecord(error: unknown, fallbackCode: ErrorCode = ErrorCode.RUNNER_FAILED): ErrorRecord {
  const message = error instanceof Error ? firstLineOf(error) || error.name : firstLineOf(error);
  const record: ErrorRecord = isOrtbenchError(error)
    ? { code: error.code, message: error.message }
    : { code: isOutOfMemoryMessage(message) ? ErrorCode.OUT_OF_MEMORY : fallbackCode, message };
  const log = (error as { log?: unknown } | null)?.log;
  if (typeof log === 'string' && log) record.log = log;
  return record;
}

/**
 * Whether a runtime's message says it ran out of memory: ONNX Runtime's "Failed to allocate
 * memory", C++'s bad_alloc, CUDA's and others' "out of memory".
 */
export function isOutOfMemoryMessage(message: string): boolean {
  return /failed to allocate memory|\bbad_alloc\b|out of memory|\bOOM\b|cannot allocate memory|allocation failed/i.test(message);
}

/**
 * The first line of any thrown value's message. Parsers and native libraries quote the bad
 * input or append call logs over several lines; ortbench's errors are one line.
 */
export function firstLineOf(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return (text.split('\n').find((line) => line.trim()) ?? '').trim();
}
