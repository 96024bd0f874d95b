import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);
const NAMES = ['ortbench', '@ortbench/tasks', '@ortbench/core', '@ortbench/runners', '@ortbench/preprocess', '@ortbench/reporters', '@ortbench/models', 'onnxruntime-node', 'onnxruntime-web', 'sharp'];

/** Installed versions of the packages that take part in a run, for results and `ortbench env`. */
export function packageVersions(): Record<string, string> {
  const versions: Record<string, string> = {};
  for (const name of NAMES) {
    const version = versionOf(name);
    if (version) versions[name] = version;
  }
  return versions;
}

/** The installed version of a package, or undefined when it is not installed. */
export function installedVersion(name: string): string | undefined {
  return versionOf(name);
}

// Some packages (onnxruntime-web) do not export their package.json: walk up from their entry.
function versionOf(name: string): string | undefined {
  try {
    return (require(`${name}/package.json`) as { version: string }).version;
  } catch {
    try {
      let directory = path.dirname(require.resolve(name));
      for (let depth = 0; depth < 5; depth++, directory = path.dirname(directory)) {
        try {
          const manifest = JSON.parse(readFileSync(path.join(directory, 'package.json'), 'utf8')) as { name?: string; version?: string };
          if (manifest.name === name) return manifest.version;
        } catch {
          // no package.json here: go up
        }
      }
    } catch {
      // not installed
    }
    return undefined;
  }
}
