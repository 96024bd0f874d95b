/** `@ortbench/models`: build, inspect and transform ONNX models offline. */
export { modelCacheDir } from './cache';
