import { readFileSync, writeFileSync } from 'node:fs';
import type { MemoryProbe } from './memory';

/**
 * This process's resident set. On Linux it reads VmRSS and the high-water mark VmHWM from
 * /proc/self/status and resets the mark by writing 5 to /proc/self/clear_refs (Linux ≥ 4.0), so a
 * peak covers only the runs it was opened for, transients inside them included. Elsewhere it
 * reads `process.memoryUsage.rss()` and keeps no high-water mark.
 */
export function processMemoryProbe(source = 'process RSS'): MemoryProbe {
  if (procStatusWorks()) {
    return {
      source,
      current: () => statusKib('VmRSS') * 1024,
      resetPeak: () => writeFileSync('/proc/self/clear_refs', '5'),
      peak: () => statusKib('VmHWM') * 1024,
    };
  }
  return { source, current: () => process.memoryUsage.rss() };
}

function procStatusWorks(): boolean {
  try {
    writeFileSync('/proc/self/clear_refs', '5');
    return statusKib('VmHWM') > 0 && statusKib('VmRSS') > 0;
  } catch {
    return false;
  }
}

function statusKib(field: 'VmRSS' | 'VmHWM'): number {
  const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync('/proc/self/status', 'utf8'));
  return match ? Number(match[1]) : 0;
}
