import { readFileSync, writeFileSync } from 'node:fs';
import type { MemoryProbe } from './memory';

/**
 * This process's resident set. On Linux it reads VmRSS and the high-water mark VmHWM from
 * /proc/self/status and resets the mark by writing 5 to /proc/self/clear_refs (Linux ≥ 4.0), so a
 * peak covers only the runs it was opened for, transients inside them included. Elsewhere it
 * reads `process.memoryUsage.rss()` and keeps no high-water mark.
 */
export function processMemoryProbe(source = 'process RSS'): MemoryProbe {
  if (procWorks('self')) return procProbe('self', source);
  return { source, current: () => process.memoryUsage.rss() };
}

/**
 * Another process's resident set (a runner's worker: a Python child), read the same way from
 * /proc/<pid>. Undefined where /proc cannot be read or its mark reset (not Linux, not ours).
 */
export function pidMemoryProbe(pid: number, source: string): MemoryProbe | undefined {
  return procWorks(String(pid)) ? procProbe(String(pid), source) : undefined;
}

/**
 * Several processes together (a browser's: its own, the renderers, the GPU process), listed
 * anew at every reading by `pids`. A sum of high-water marks is not the high-water mark of the
 * sum, so the peak is the highest reading taken between runs.
 */
export function processGroupMemoryProbe(pids: () => Promise<number[]>, source: string): MemoryProbe {
  return {
    source,
    current: async () => (await pids()).reduce((sum, pid) => sum + statusKib(String(pid), 'VmRSS') * 1024, 0),
  };
}

function procProbe(pid: string, source: string): MemoryProbe {
  return {
    source,
    current: () => statusKib(pid, 'VmRSS') * 1024,
    resetPeak: () => writeFileSync(`/proc/${pid}/clear_refs`, '5'),
    peak: () => statusKib(pid, 'VmHWM') * 1024,
  };
}

function procWorks(pid: string): boolean {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5');
    return statusKib(pid, 'VmHWM') > 0 && statusKib(pid, 'VmRSS') > 0;
  } catch {
    return false;
  }
}

/** A field of /proc/<pid>/status in KiB; 0 for a process that has gone. */
function statusKib(pid: string, field: 'VmRSS' | 'VmHWM'): number {
  try {
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) : 0;
  } catch {
    return 0;
  }
}
