import { spawnSync } from 'node:child_process';

/** A Python that imports torchvision (ORTBENCH_PYTHON, python3, Debian's /usr/bin/python3), or why there is none. */
export function torchvisionPython(): { python: string } | { reason: string } {
  const tried: string[] = [];
  for (const python of [process.env.ORTBENCH_PYTHON, 'python3', '/usr/bin/python3'].filter((p): p is string => Boolean(p))) {
    const probe = spawnSync(python, ['-c', 'import torchvision'], { encoding: 'utf8' });
    if (probe.status === 0) return { python };
    tried.push(`${python}: ${probe.error?.message ?? probe.stderr.trim().split('\n').at(-1)}`);
  }
  return { reason: `no Python with torchvision (${tried.join('; ')}); apt-get install python3-torchvision` };
}

/** Runs a Python snippet and parses the JSON it prints. */
export function pythonJson<T>(python: string, code: string): T {
  const run = spawnSync(python, ['-c', code], { encoding: 'utf8', maxBuffer: 64 * 2 ** 20 });
  if (run.status !== 0) throw new Error(`python failed: ${run.stderr}`);
  return JSON.parse(run.stdout) as T;
}
