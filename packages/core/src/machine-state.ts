import { readFileSync } from 'node:fs';
import os from 'node:os';
import { probeMachineSpeed, SPEED_CHANGE_WARNING, speedChange } from './machine-speed';
import type { Environment } from './schema';

/** A reading of how busy the machine is, taken at the start and the end of a run. */
export interface MachineSample {
  atMs: number;
  loadAverage: number[];
  /** Busy CPU ticks of the whole machine (Linux /proc/stat), when readable. */
  busyTicks?: number;
  /** CPU ticks of this process and its finished children (/proc/self/stat), when readable. */
  ownTicks?: number;
  /** The reference workload's median time in ms (see machine-speed.ts), unless asked not to probe. */
  referenceMs?: number;
}

// Linux reports /proc times in USER_HZ, which is 100 on every mainstream architecture.
const TICKS_PER_SECOND = 100;

/** Reads the machine's load now, and times the reference workload (about 0.1 s) unless `probe` is false. */
export function sampleMachine(options: { probe?: boolean } = {}): MachineSample {
  const sample: MachineSample = { atMs: performance.now(), loadAverage: os.loadavg().map((x) => Number(x.toFixed(2))) };
  if (options.probe !== false) sample.referenceMs = probeMachineSpeed();
  const busy = readBusyTicks();
  const own = readOwnTicks();
  if (busy !== undefined) sample.busyTicks = busy;
  if (own !== undefined) sample.ownTicks = own;
  return sample;
}

/**
 * What the machine did around a run: load average at both ends, the CPU time other processes
 * took (as cores busy on average), the reference workload's time at both ends, the frequency
 * governor, and a one-line warning when other processes used more than a tenth of a core or the
 * machine's own speed changed by more than 10 % — either is enough to move the figures.
 */
export function describeMachineLoad(start: MachineSample, end: MachineSample): NonNullable<Environment['machine']> {
  const machine: NonNullable<Environment['machine']> = { loadAverageStart: start.loadAverage, loadAverageEnd: end.loadAverage, busy: false };
  const seconds = (end.atMs - start.atMs) / 1000;
  if (start.busyTicks !== undefined && end.busyTicks !== undefined && start.ownTicks !== undefined && end.ownTicks !== undefined && seconds > 0) {
    const other = (end.busyTicks - start.busyTicks - (end.ownTicks - start.ownTicks)) / TICKS_PER_SECOND;
    machine.otherCpuCores = Number(Math.max(0, other / seconds).toFixed(3));
    if (machine.otherCpuCores > 0.1) {
      machine.busy = true;
      machine.warning = `the machine was busy: other processes used ${machine.otherCpuCores.toFixed(2)} cores on average during the run (load average ${start.loadAverage[0]} at the start); figures may be slower and noisier than on an idle machine`;
    }
  }
  if (start.referenceMs !== undefined && end.referenceMs !== undefined) {
    machine.referenceMs = { start: start.referenceMs, end: end.referenceMs };
    const change = speedChange(start.referenceMs, end.referenceMs);
    if (Math.abs(change) > SPEED_CHANGE_WARNING) {
      machine.speedChanged = true;
      const speed = `the machine's speed changed during the run: a fixed reference workload took ${start.referenceMs} ms at the start and ${end.referenceMs} ms at the end (${change > 0 ? '+' : ''}${(change * 100).toFixed(0)} %); figures from different parts of the run may differ for that reason alone`;
      machine.warning = machine.warning ? `${machine.warning}; ${speed}` : speed;
    }
  }
  const governor = readGovernor();
  if (governor) machine.governor = governor;
  return machine;
}

function readBusyTicks(): number | undefined {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0] ?? '';
    const [, user, nice, system, , , irq, softirq, steal] = line.trim().split(/\s+/).map(Number);
    const busy = [user, nice, system, irq, softirq, steal].reduce<number>((sum, x) => sum + (x ?? 0), 0);
    return Number.isFinite(busy) ? busy : undefined;
  } catch {
    return undefined;
  }
}

function readOwnTicks(): number | undefined {
  try {
    const text = readFileSync('/proc/self/stat', 'utf8');
    // Fields after the command name (which may hold spaces): state is field 3, utime 14 … cstime 17.
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ').map(Number);
    const ticks = (fields[11] ?? 0) + (fields[12] ?? 0) + (fields[13] ?? 0) + (fields[14] ?? 0);
    return Number.isFinite(ticks) ? ticks : undefined;
  } catch {
    return undefined;
  }
}

function readGovernor(): string | undefined {
  try {
    return readFileSync('/sys/devices/system/cpu/cpu0/cpufreq/scaling_governor', 'utf8').trim() || undefined;
  } catch {
    return undefined;
  }
}
