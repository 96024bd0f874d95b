import { readFileSync } from 'node:fs';
import os from 'node:os';
import type { Configuration, ConfigurationResult } from '@ortbench/core';
import { formatBytes } from '@ortbench/core';

/** What a configuration is forecast to need, and from which measured batches. */
export interface MemoryForecast {
  bytes: number;
  from: { batch: number; bytes: number }[];
}

/**
 * The peak memory a configuration should need, extrapolated along the batch axis from the two
 * largest smaller batches of the same configuration already measured in this sweep (a line
 * through them: weights and arena are the intercept, activations the slope). Undefined when
 * fewer than two were measured, or their figures were taken with other configurations loaded.
 */
export function forecastPeak(configuration: Configuration, measured: readonly ConfigurationResult[]): MemoryForecast | undefined {
  const sameBut = (other: Configuration) => other.id.replace(/ batch=\d+/, '') === configuration.id.replace(/ batch=\d+/, '');
  const smaller = measured
    .flatMap((r) => (r.status === 'completed' && r.measurement.memory && !r.measurement.memory.shared && sameBut(r.configuration) && r.configuration.batchSize < configuration.batchSize ? [{ batch: r.configuration.batchSize, bytes: r.measurement.memory.peakAboveBaseBytes ?? r.measurement.memory.peakBytes }] : []))
    .sort((a, b) => a.batch - b.batch)
    .slice(-2);
  if (smaller.length < 2) return undefined;
  const [a, b] = smaller as [{ batch: number; bytes: number }, { batch: number; bytes: number }];
  const slope = Math.max(0, (b.bytes - a.bytes) / (b.batch - a.batch));
  return { bytes: b.bytes + slope * (configuration.batchSize - b.batch), from: smaller };
}

/** Memory a new allocation can take now: MemAvailable on Linux (free plus reclaimable cache), else free memory. */
export function availableMemory(): number {
  try {
    const match = /^MemAvailable:\s+(\d+) kB/m.exec(readFileSync('/proc/meminfo', 'utf8'));
    if (match) return Number(match[1]) * 1024;
  } catch {
    // not Linux
  }
  return os.freemem();
}

/** The warning for a configuration forecast not to fit, or undefined when it should. */
export function memoryWarning(configuration: Configuration, measured: readonly ConfigurationResult[], isolated: boolean, available = availableMemory()): string | undefined {
  const forecast = forecastPeak(configuration, measured);
  if (!forecast || forecast.bytes <= available) return undefined;
  const from = forecast.from.map((f) => `batch ${f.batch}: ${formatBytes(f.bytes)}`).join(', ');
  return `${configuration.id}: forecast to need about ${formatBytes(forecast.bytes)} at its peak (a line through ${from}), more than the ${formatBytes(available)} available now${isolated ? '; it runs in its own process, so running out of memory is recorded as OUT_OF_MEMORY' : ': it may fail or push the machine into swap (--isolate records running out of memory as OUT_OF_MEMORY)'}`;
}
