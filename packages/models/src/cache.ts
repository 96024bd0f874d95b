import os from 'node:os';
import path from 'node:path';

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
