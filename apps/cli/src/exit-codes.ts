import { ErrorCode } from '@ortbench/core';

/** Exit codes: 0 ok, 1 a check failed, 2 a usage error, 3 a runtime error. */
export const EXIT = { ok: 0, checkFailed: 1, usage: 2, runtime: 3 } as const;

const USAGE_CODES = new Set<string>([ErrorCode.INVALID_ARGUMENT, ErrorCode.INPUT_UNSET, ErrorCode.OUTPUT_UNWRITABLE, ErrorCode.RUNNER_UNKNOWN, ErrorCode.FILE_NOT_FOUND, ErrorCode.QUEUE_AUTH_FAILED]);

/** The exit code for an error code. */
export function exitCodeFor(code: string): number {
  if (code === ErrorCode.MISMATCH) return EXIT.checkFailed;
  return USAGE_CODES.has(code) ? EXIT.usage : EXIT.runtime;
}
