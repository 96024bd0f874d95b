import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Runner } from '@ortbench/core';
import { InvalidArgumentError, RunnerRegistry } from '@ortbench/core';
import { registerNodeRunners } from '@ortbench/runners/node';

const plugins: string[] = [];

/** Remembers `--plugin` modules for every registry the CLI creates (set once, before the command runs). */
export function usePlugins(files: readonly string[]): void {
  plugins.splice(0, plugins.length, ...files.map((file) => path.resolve(file)));
}

/** The plugin modules in use, so a child process (--isolate) loads the same ones. */
export function pluginFiles(): readonly string[] {
  return plugins;
}

/**
 * The built-in runners plus those of each `--plugin` module. A plugin exports
 * `register(registry)`, or a runner (or runners) as its default export.
 */
export async function createDefaultRegistry(): Promise<RunnerRegistry> {
  return registerPlugins(registerNodeRunners(new RunnerRegistry()), plugins);
}

/** Registers the runners of each plugin module in `registry`. */
export async function registerPlugins(registry: RunnerRegistry, files: readonly string[]): Promise<RunnerRegistry> {
  for (const file of files) {
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
