import type { RunnerRegistry } from '@ortbench/core';
import { registerNodeRunners } from '@ortbench/runners/node';
import { registerPlugins } from './registry';

/**
 * Loaded by each measuring worker thread (concurrency above 1): the built-in runners and the
 * same plugin modules as the parent, so a worker measures exactly what was asked.
 */
export async function register(registry: RunnerRegistry, args: { plugins?: string[] } = {}): Promise<void> {
  registerNodeRunners(registry);
  await registerPlugins(registry, args.plugins ?? []);
}
