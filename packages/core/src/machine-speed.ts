/**
 * A fixed reference workload, timed to tell whether the machine itself got slower or faster.
 *
 * On shared virtual machines the host can slow a guest by half with nothing visible inside it —
 * no steal time, no other process, no load average (measured on the development machine: the
 * same resnet50 single-thread run at 58 ms and at 107 ms an hour apart). Timing the same
 * arithmetic at the start and the end of a run, and in two runs being compared, is the one
 * way left to say "this difference may be the machine, not the change".
 */

const DATA = new Float64Array(1 << 15).map((_, i) => (i % 13) / 13);

// Scalar multiply-adds over a 256 KiB array: compute-bound, cache-resident, allocation-free.
function kernel(): number {
  let sum = 0;
  for (let round = 0; round < 64; round++) {
    for (let i = 0; i < DATA.length; i++) sum += DATA[i]! * 1.0000001;
  }
  return sum;
}

let sink = 0;

/** The median time, in ms, of a fixed scalar workload (3–5 ms on the 2-core development machine), over `repeats` timings. */
export function probeMachineSpeed(repeats = 21): number {
  for (let i = 0; i < 3; i++) sink += kernel();
  const times: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const t0 = performance.now();
    sink += kernel();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  if (!Number.isFinite(sink)) throw new Error('unreachable: keeps the workload from being optimised away');
  return Number(times[Math.floor(repeats / 2)]!.toFixed(3));
}

/** How much slower `later` is than `earlier` (0.1 = 10 % slower, negative = faster). */
export function speedChange(earlierMs: number, laterMs: number): number {
  return laterMs / earlierMs - 1;
}

/** A change of the reference workload's time beyond this is worth a warning. */
export const SPEED_CHANGE_WARNING = 0.1;
