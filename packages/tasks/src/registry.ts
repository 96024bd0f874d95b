import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Runner } from '@ortbench/core';
import { InvalidArgumentError, RunnerRegistry } from '@ortbench/core';
import { registerNodeRunners } from '@ortbench/runners/node';

/** Where a task gets its runners: a registry of your own, and/or plugin modules by file. */
export interface RunnerSource {
  /**
   * Runners to use in this process. Default: the built-in Node runners plus `plugins`.
   * Work done in worker threads (concurrency) or child processes (isolate) cannot see this
   * object: they load the built-ins and `plugins` again, so register custom runners there by file.
   */
  registry?: RunnerRegistry;
  /** Modules exporting `register(registry)`, or a runner (or runners) as their default export. */
  plugins?: readonly string[];
}

/** The registry a task uses: the caller's own, or the built-in runners plus the plugin modules. */
export async function runnerRegistry(source: RunnerSource = {}): Promise<RunnerRegistry> {
  if (source.registry) return source.registry;
  return registerPlugins(registerNodeRunners(new RunnerRegistry()), source.plugins ?? []);
}

/** Registers the runners of each plugin module in `registry`. */
export async function registerPlugins(registry: RunnerRegistry, files: readonly string[]): Promise<RunnerRegistry> {
  for (const file of files.map((f) => path.resolve(f))) {
    let module: { register?: (registry: RunnerRegistry) => unknown; default?: Runner | Runner[] };
    try {
      module = (await import(pathToFileURL(file).href)) as typeof module;
    } catch (error) {
      throw new InvalidArgumentError(`--plugin ${file}: cannot load it (${(error as Error).message.split('\n', 1)[0]})`);
    }
    if (typeof module.register === 'function') await module.register(registry);
    else if (module.default) for (const runner of [module.default].flat()) registry.register(runner);
    else throw new InvalidArgumentError(`--plugin ${file}: exports neither register(registry) nor a default runner`);
  }
  return registry;
}

/** Absolute paths of the plugin modules, so a worker or child process loads the same ones. */
export function pluginPaths(source: RunnerSource): string[] {
  return (source.plugins ?? []).map((file) => path.resolve(file));
}
