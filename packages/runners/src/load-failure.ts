import { ErrorCode, OrtbenchError } from '@ortbench/core';

/** What a runner family can do about an operator it has no kernel for. */
export type OperatorAdvice = 'node' | 'web';

const ADVICE: Record<OperatorAdvice, string> = {
  node: "onnxruntime-node's JavaScript API cannot register a custom-op library (its session options have no such entry): run the model where the library can be registered (ORT's Python or C/C++ API), or export it without the custom op",
  web: 'onnxruntime-web cannot load custom-op libraries: export the model without the custom op',
};

/**
 * The error a failed session creation really is, when its message says: an operator no
 * kernel is registered for (OPERATOR_UNSUPPORTED, naming op, domain and what to do), or an
 * external data file that is not there (FILE_NOT_FOUND naming it). Undefined otherwise.
 */
export function classifyLoadFailure(runner: string, model: string, message: string, advice: OperatorAdvice, cause?: unknown): OrtbenchError | undefined {
  const unregistered = /([\w.]*):([\w.]+)\((-?\d+)\) is not a registered function\/op/.exec(message);
  if (unregistered) {
    const [, domain, op, version] = unregistered;
    const where = domain ? `of domain ${domain}` : 'of the default domain';
    const newer = domain && domain !== 'ai.onnx' ? '' : ` (opset ${version}: a newer onnxruntime may have it)`;
    return new OrtbenchError(ErrorCode.OPERATOR_UNSUPPORTED, `${runner} cannot load ${model}: operator ${op} ${where} is not registered${newer}; ${ADVICE[advice]}`, { cause });
  }
  const missing = /External data path does not exist: "([^"]+)"/.exec(message) ?? /Failed to load external data file "+([^"]+)"+/.exec(message);
  if (missing) {
    return new OrtbenchError(ErrorCode.FILE_NOT_FOUND, `${model}: its external data file ${missing[1]} is missing; keep it beside the model`, { cause });
  }
  return undefined;
}
