// The fleet's entry points, loading BullMQ and ioredis only when a fleet is used: every other
// command (classify, bench without --queue) starts without them.
import type { BenchInput } from '../bench/options';
import type { FleetHooks, FleetOptions, fleetBench as fleetBenchType } from './submit';
import type { startFleetWorker as startFleetWorkerType } from './worker';

/** A sweep on fleet workers through Redis: see `fleet/submit.ts`. */
export async function fleetBench(input: BenchInput | undefined, fleet: FleetOptions, hooks: FleetHooks = {}): ReturnType<typeof fleetBenchType> {
  return (await import('./submit')).fleetBench(input, fleet, hooks);
}

/** A fleet worker taking sweep configurations from Redis: see `fleet/worker.ts`. */
export async function startFleetWorker(...args: Parameters<typeof startFleetWorkerType>): ReturnType<typeof startFleetWorkerType> {
  return (await import('./worker')).startFleetWorker(...args);
}
