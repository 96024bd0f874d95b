import { SeededRandom } from '../src/index';
import type { VirtualClock } from './fake-runner';

/**
 * The development VM's CPU as measured: two speeds about 1.8× apart, switching invisibly every
 * 0.3–1 s of work (a slow spell lasts as many runs as a fast one, so 1.8× longer), plus a few per
 * cent of run-to-run noise — half the runs slow, so a median can land in either mode.
 * `serviceMs(baseMs)` is a run's time if it starts now on the virtual clock.
 */
export function twoSpeedMachine(virtual: VirtualClock, seed: number, options: { slowdown?: number; noise?: number } = {}) {
  const random = new SeededRandom(`two-speed:${seed}`);
  const slowdown = options.slowdown ?? 1.8;
  const noise = options.noise ?? 0.03;
  let slow = random.next() < 0.5;
  const dwellMs = () => (300 + 700 * random.next()) * (slow ? slowdown : 1);
  let nextSwitchMs = dwellMs();
  const speedAt = (nowMs: number) => {
    while (nowMs >= nextSwitchMs) {
      slow = !slow;
      nextSwitchMs += dwellMs();
    }
    return slow ? slowdown : 1;
  };
  const normal = () => Math.sqrt(-2 * Math.log(1 - random.next())) * Math.cos(2 * Math.PI * random.next());
  return {
    serviceMs: (baseMs: number) => baseMs * speedAt(Number(virtual.clock()) / 1e6) * Math.exp(noise * normal()),
  };
}
