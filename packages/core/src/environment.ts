import { readFileSync } from 'node:fs';
import os from 'node:os';
import type { Environment } from './schema';

/**
 * Physical cores, which ORT's intra-op default should match: on Linux, distinct
 * (physical id, core id) pairs in /proc/cpuinfo; elsewhere the logical count.
 */
export function physicalCoreCount(cpuinfo?: string): number {
  const logical = os.availableParallelism();
  let text = cpuinfo;
  if (text === undefined) {
    try {
      text = readFileSync('/proc/cpuinfo', 'utf8');
    } catch {
      return logical;
    }
  }
  const cores = new Set<string>();
  for (const block of text.split(/\n\s*\n/)) {
    const physical = /^physical id\s*:\s*(\d+)/m.exec(block)?.[1];
    const core = /^core id\s*:\s*(\d+)/m.exec(block)?.[1];
    if (physical !== undefined && core !== undefined) cores.add(`${physical}:${core}`);
  }
  // Containers often list every host CPU: never report more than the CPUs we may use.
  return cores.size > 0 ? Math.min(cores.size, logical) : logical;
}

/** Describes this machine and the given package versions, for a results document. */
export function collectEnvironment(packages: Record<string, string> = {}): Environment {
  const cpus = os.cpus();
  return {
    os: { platform: os.platform(), release: os.release(), arch: os.arch() },
    cpu: {
      model: cpus[0]?.model.trim() || 'unknown',
      logicalCores: os.availableParallelism(),
      physicalCores: physicalCoreCount(),
    },
    memoryBytes: os.totalmem(),
    node: process.version,
    packages: { ...packages },
  };
}
