import { RunnerRegistry } from '@ortbench/core';
import { registerNodeRunners } from '@ortbench/runners/node';

/** The runners the CLI offers, in a fresh registry. */
export function createDefaultRegistry(): RunnerRegistry {
  return registerNodeRunners(new RunnerRegistry());
}
