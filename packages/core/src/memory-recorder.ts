import type { Clock } from './clock';
import { elapsedNs } from './clock';
import type { MemoryFigures, MemoryProbe, MemoryReading } from './memory';
import { detectLeak } from './memory';

/** How often memory is read between runs (on the measurement's clock): often enough to see a trend, rarely enough to cost nothing. */
export const MEMORY_READING_INTERVAL_MS = 25;

/**
 * Takes one configuration's memory readings for the engine. Every reading happens between runs:
 * a peak window is opened (the probe's high-water mark reset) just before the runs it covers and
 * read just after them, so in a loop that alternates configurations a window never spans another
 * configuration's runs.
 */
export class MemoryRecorder {
  readonly #probe: MemoryProbe;
  readonly #clock: Clock;
  readonly #beforeLoadBytes: number | undefined;
  #afterLoadBytes: number | undefined;
  #peak = 0;
  #highWater = false;
  #last: bigint | undefined;
  #windowOpen = false;
  #steadyStart: number | undefined;
  #end = 0;
  readonly #readings: MemoryReading[] = [];
  /** Set when the figures are shared with configurations alternated in the same process. */
  shared: string | undefined;

  constructor(probe: MemoryProbe, clock: Clock, beforeLoadBytes?: number, afterLoadBytes?: number) {
    this.#probe = probe;
    this.#clock = clock;
    this.#beforeLoadBytes = beforeLoadBytes;
    this.#afterLoadBytes = afterLoadBytes;
  }

  /** Before the first run: the loaded reading (unless the loader gave it), and a peak window for the first run and warm-up. */
  async loaded(): Promise<void> {
    this.#afterLoadBytes ??= await this.#probe.current();
    this.#peak = Math.max(this.#peak, this.#afterLoadBytes);
    await this.open();
  }

  /** Whether a reading is due (one per {@link MEMORY_READING_INTERVAL_MS}). */
  due(): boolean {
    return this.#last === undefined || elapsedNs(this.#last, this.#clock()) / 1e6 >= MEMORY_READING_INTERVAL_MS;
  }

  /** Opens a peak window for the runs that follow. */
  async open(): Promise<void> {
    await this.#probe.resetPeak?.();
    this.#windowOpen = true;
  }

  /**
   * Closes the open window: reads the bytes in use and the window's high-water mark. `steadyRuns`:
   * the steady-state runs taken so far, when the reading belongs to the steady-state trend.
   */
  async read(steadyRuns?: number): Promise<void> {
    const bytes = await this.#probe.current();
    this.#last = this.#clock();
    this.#peak = Math.max(this.#peak, bytes);
    if (this.#windowOpen && this.#probe.peak) {
      this.#peak = Math.max(this.#peak, await this.#probe.peak());
      this.#highWater = true;
    }
    this.#windowOpen = false;
    this.#end = bytes;
    if (steadyRuns !== undefined) {
      this.#steadyStart ??= bytes;
      this.#readings.push({ run: steadyRuns, bytes });
    }
  }

  /** The figures so far; undefined before the model was loaded. */
  figures(): MemoryFigures | undefined {
    const afterLoadBytes = this.#afterLoadBytes;
    if (afterLoadBytes === undefined) return undefined;
    const before = this.#beforeLoadBytes;
    const loadedBytes = before === undefined ? undefined : afterLoadBytes - before;
    const figures: MemoryFigures = {
      source: this.#probe.source,
      afterLoadBytes,
      peakBytes: this.#peak,
      peakIsHighWater: this.#highWater,
      endBytes: this.#end || afterLoadBytes,
      steadyGrowthBytes: this.#steadyStart === undefined ? 0 : this.#end - this.#steadyStart,
      readings: this.#readings.length,
    };
    if (before !== undefined) {
      figures.beforeLoadBytes = before;
      figures.loadedBytes = loadedBytes;
      figures.peakAboveBaseBytes = this.#peak - before;
    }
    // Growth of a process shared with other configurations' runs cannot be laid at this one's door.
    const leak = this.shared ? undefined : detectLeak(this.#readings, Math.max(0, loadedBytes ?? 0));
    if (leak) figures.leak = leak;
    if (this.#probe.unmeasured?.length) figures.unmeasured = [...this.#probe.unmeasured];
    if (this.shared) figures.shared = this.shared;
    return figures;
  }
}
