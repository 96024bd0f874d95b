import type { Measurement, RoundsSummary } from './measurement';
import { computeStatistics, quantileSorted } from './statistics';
import type { StopReason, StopRule } from './stop-rule';
import { assessStability, medianPrecision } from './stop-rule';

/**
 * The steady-state samples of one configuration, gathered in one go or in slices (rounds of an
 * interleaved sweep), and what they say: whether the stop rule is met, and the figures.
 */
export class SteadyState {
  /** Latencies in nanoseconds, in completion order. */
  readonly samplesNs: number[] = [];
  /** Index in `samplesNs` where each slice began. */
  readonly sliceStarts: number[] = [];
  /** Steady time measured so far (the sum of the slices' wall times). */
  steadyNs = 0;
  runnerTimed = false;
  /** With runner timing: the host's own clock around each of the same runs (transport included). */
  readonly hostSamplesNs: number[] = [];
  #nextCheck: number;
  #lastPrecise = false;

  constructor(readonly rule: StopRule) {
    this.#nextCheck = rule.minIterations;
  }

  get count(): number {
    return this.samplesNs.length;
  }

  get elapsedMs(): number {
    return this.steadyNs / 1e6;
  }

  /** A cap is reached (given `extraCount` runs and `extraMs` of the slice under way). */
  capped(extraCount = 0, extraMs = 0): boolean {
    return this.count + extraCount >= this.rule.maxIterations || this.elapsedMs + extraMs >= this.rule.maxDurationMs;
  }

  minimumsMet(extraMs = 0): boolean {
    return this.count >= this.rule.minIterations && this.elapsedMs + extraMs >= this.rule.minDurationMs;
  }

  precise(): boolean {
    return this.rule.ciTarget > 0 && medianPrecision(this.samplesNs) <= this.rule.ciTarget;
  }

  /** Whether the whole rule is met: a cap, or the minimums and (with a target) the precision. */
  get done(): boolean {
    return this.capped() || (this.minimumsMet() && (this.rule.ciTarget <= 0 || this.precise()));
  }

  /**
   * The same test while a single-visit phase runs (`sliceMs` of it so far): the CI is checked
   * only as the sample grows by 5 %, since sorting on every run would cost O(n² log n).
   */
  doneWhileRunning(sliceMs: number): boolean {
    if (this.capped(0, sliceMs)) return true;
    if (!this.minimumsMet(sliceMs)) return false;
    if (this.rule.ciTarget <= 0) return true;
    // Between checks the last answer stands, so every loop in flight stops together.
    if (this.count < this.#nextCheck) return this.#lastPrecise;
    this.#nextCheck = Math.max(this.count + 1, Math.ceil(this.count * 1.05));
    this.#lastPrecise = this.precise();
    return this.#lastPrecise;
  }

  stopReason(interrupted: boolean): StopReason {
    if (interrupted) return 'interrupted';
    if (this.rule.ciTarget > 0) return this.precise() ? 'target' : 'cap';
    return this.minimumsMet() ? 'fixed' : 'cap';
  }

  /**
   * The figures of a measurement. `windowRunsPerSecond` is the wall-clock rate over a common
   * window when several runs were in flight; with one, the headline rate is 1000 / median.
   */
  figures(
    itemsPerRun: number,
    interrupted: boolean,
    windowRunsPerSecond?: number,
  ): Pick<Measurement, 'latencyMs' | 'throughput' | 'stability' | 'rounds'> {
    const latencyMs = computeStatistics(this.samplesNs.map((ns) => ns / 1e6));
    const rounds = this.sliceStarts.length > 1 ? summariseRounds(this.samplesNs, this.sliceStarts, latencyMs.median) : undefined;
    // No wall time recorded (a run finished as the phase was aborted): the runs' own sum stands in, never a rate of Infinity.
    const seconds = (this.steadyNs > 0 ? this.steadyNs : this.samplesNs.reduce((sum, ns) => sum + ns, 0)) / 1e9;
    const wallRunsPerSecond = seconds > 0 ? this.count / seconds : 0;
    const runsPerSecond = windowRunsPerSecond ?? 1000 / latencyMs.median;
    const figures: Pick<Measurement, 'latencyMs' | 'throughput' | 'stability' | 'rounds'> = {
      latencyMs,
      throughput: {
        itemsPerSecond: runsPerSecond * itemsPerRun,
        runsPerSecond,
        basis: windowRunsPerSecond === undefined ? 'median latency' : 'wall clock',
        wallItemsPerSecond: wallRunsPerSecond * itemsPerRun,
        wallRunsPerSecond,
      },
      stability: assessStability(latencyMs, this.rule, this.stopReason(interrupted), rounds?.spread),
    };
    if (rounds) figures.rounds = rounds;
    return figures;
  }
}

/** Medians of each round's slice of the samples, and their spread relative to the overall median. */
export function summariseRounds(samplesNs: readonly number[], sliceStarts: readonly number[], medianMs: number): RoundsSummary {
  const mediansMs = sliceStarts
    .map((start, i) => samplesNs.slice(start, sliceStarts[i + 1] ?? samplesNs.length))
    .filter((slice) => slice.length > 0)
    .map((slice) => quantileSorted(Float64Array.from(slice).sort(), 0.5) / 1e6);
  const spread = mediansMs.length > 1 ? (Math.max(...mediansMs) - Math.min(...mediansMs)) / medianMs : 0;
  return { count: mediansMs.length, mediansMs, spread };
}
