/** `@ortbench/preprocess`: inputs prepared the way deployed models expect, and their postprocessing. */
export { softmax, topK } from './postprocess';

export type { Ranked } from './postprocess';
