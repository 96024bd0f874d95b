/**
 * `@ortbench/runners/web`: runners for a browser bundle. Pass your own onnxruntime-web module,
 * so the bundle never resolves onnxruntime-node or Node built-ins:
 *
 *     import * as ort from 'onnxruntime-web';
 *     const runner = createOrtWebRunner(ort, { name: 'page-wasm', description: '…', executionProviders: ['wasm'], defaultThreads: 4 });
 */
export { createOrtWebRunner } from './ort-web-runner';
export { compareOutputs, verifyParity } from './parity';

export type { OrtWebModule, OrtWebOptions, OrtWebRunnerConfig } from './ort-web-runner';
export type { ParityOptions, ParityResult, ParityRow } from './parity';
