/**
 * `@ortbench/core/node`: the parts of core that need Node's file system and OS modules,
 * kept apart so the main entry stays usable in a browser bundle.
 */
export { makeFolders, writeFileAtomic } from './atomic-write';
export { collectEnvironment, physicalCoreCount } from './environment';
export { describeMachineLoad, sampleMachine } from './machine-state';
export { pidMemoryProbe, processGroupMemoryProbe, processMemoryProbe } from './process-memory';
export { workerLanes } from './worker-lanes';

export type { MachineSample } from './machine-state';
export type { WorkerLaneSpec } from './worker-lanes';
export { readResultsFile, writeResultsFile } from './results-file';
