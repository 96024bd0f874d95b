/** A monotonic clock in nanoseconds. Injected so tests can run the engine on virtual time. */
export type Clock = () => bigint;

/** The host's monotonic clock: `process.hrtime.bigint()` in Node, `performance.now()` elsewhere. */
export const monotonicClock: Clock =
  typeof process !== 'undefined' && typeof process.hrtime?.bigint === 'function'
    ? () => process.hrtime.bigint()
    : () => BigInt(Math.round(performance.now() * 1e6));

/** Nanoseconds between two clock readings, as a number (exact below 2⁵³ ns ≈ 104 days). */
export function elapsedNs(start: bigint, end: bigint): number {
  return Number(end - start);
}
