import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/** Installed versions of the packages that take part in a run, for results and `ortbench env`. */
export function packageVersions(): Record<string, string> {
  const names = ['ortbench', '@ortbench/core', '@ortbench/runners', '@ortbench/preprocess', '@ortbench/reporters', '@ortbench/models', 'onnxruntime-node'];
  const versions: Record<string, string> = {};
  for (const name of names) {
    try {
      versions[name] = (require(`${name}/package.json`) as { version: string }).version;
    } catch {
      // Not installed (or not exporting its package.json): leave it out rather than guess.
    }
  }
  return versions;
}

/** This CLI's own version. */
export function cliVersion(): string {
  return packageVersions().ortbench ?? '0.0.0';
}
