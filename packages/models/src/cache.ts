import { createHash } from 'node:crypto';
import { access } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { ModelSpec } from './presets';
import { buildModel, resolvedOptions } from './presets';
import { saveModel } from './serialize';

/** Bumped whenever a builder's output changes, so stale cached models are never reused. */
export const BUILDER_VERSION = 2;

/**
 * Where built models are cached: `$ORTBENCH_CACHE_DIR`, else `$XDG_CACHE_HOME/ortbench`,
 * else `~/.cache/ortbench`. Relative overrides are taken from the current directory.
 */
export function modelCacheDir(env: Record<string, string | undefined> = process.env): string {
  if (env.ORTBENCH_CACHE_DIR) return path.resolve(env.ORTBENCH_CACHE_DIR);
  // The XDG spec says a relative XDG_CACHE_HOME is invalid and must be ignored.
  if (env.XDG_CACHE_HOME && path.isAbsolute(env.XDG_CACHE_HOME)) return path.join(env.XDG_CACHE_HOME, 'ortbench');
  return path.join(os.homedir(), '.cache', 'ortbench');
}

/** The cache file of a spec: `<architecture>-<hash of builder version + resolved options>.onnx`. */
export function cachedModelPath(spec: ModelSpec, cacheDir = modelCacheDir()): string {
  const key = JSON.stringify({ builder: BUILDER_VERSION, architecture: spec.architecture, options: sortKeys(resolvedOptions(spec)) });
  const hash = createHash('sha256').update(key).digest('hex').slice(0, 16);
  return path.join(cacheDir, 'models', `${spec.architecture}-${hash}.onnx`);
}

/**
 * The path of the built model for `spec`, building it on first use. The file is written
 * atomically (temp + rename), so an interrupted build never leaves a corrupt model behind.
 */
export async function ensureModel(spec: ModelSpec, options: { cacheDir?: string } = {}): Promise<{ path: string; built: boolean }> {
  const file = cachedModelPath(spec, options.cacheDir ?? modelCacheDir());
  try {
    await access(file);
    return { path: file, built: false };
  } catch {
    await saveModel(file, buildModel(spec));
    return { path: file, built: true };
  }
}

function sortKeys(value: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(value).sort(([a], [b]) => a.localeCompare(b)));
}
