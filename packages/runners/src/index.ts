/**
 * `@ortbench/runners`: what every runner shares and nothing Node-only, so a web bundle can
 * import it. The onnxruntime-node runners are in `@ortbench/runners/node`.
 */
export { compareOutputs, failedRow, verifyParity } from './parity';

export type { ParityOptions, ParityResult, ParityRow } from './parity';
