import { SeededRandom } from '@ortbench/core';

/**
 * A uniform sample of at most `capacity` values from a stream of any length (reservoir sampling,
 * Li's algorithm L: it draws random numbers only for the values it keeps, so millions of
 * activations cost little). Every value seen has the same chance to be in the sample — whichever
 * image, channel or position it came from — and memory stays bounded. Seeded: the same stream
 * gives the same sample.
 */
export class Reservoir {
  // float32, as activations are: half the memory of plain numbers.
  readonly #values: Float32Array;
  #size = 0;
  #seen = 0;
  #next = 0;
  #w = 1;
  readonly #random: SeededRandom;

  constructor(
    readonly capacity: number,
    seed: string | number = 'reservoir',
  ) {
    this.#random = new SeededRandom(seed);
    this.#values = new Float32Array(capacity);
  }

  /** The sample: every value so far while fewer than `capacity`, else `capacity` of them. */
  get values(): Float32Array {
    return this.#values.subarray(0, this.#size);
  }

  /** How many values the stream has had. */
  get seen(): number {
    return this.#seen;
  }

  add(data: ArrayLike<number>): void {
    let i = 0;
    // Filling: the first `capacity` values are kept as they come.
    while (this.#size < this.capacity && i < data.length) {
      this.#values[this.#size++] = data[i++] as number;
      this.#seen++;
      if (this.#size === this.capacity) this.#skipAhead(true);
    }
    // Then jump straight to the next value that replaces a random slot.
    while (i < data.length) {
      const jump = this.#next - this.#seen;
      if (jump >= data.length - i) {
        this.#seen += data.length - i;
        return;
      }
      i += jump;
      this.#seen += jump;
      this.#values[Math.floor(this.#uniform() * this.capacity)] = data[i++] as number;
      this.#seen++;
      this.#skipAhead(false);
    }
  }

  /** Algorithm L's step: shrink W (start it when the reservoir fills), then skip a geometric number of values. */
  #skipAhead(first: boolean): void {
    const shrink = Math.exp(Math.log(this.#uniform()) / this.capacity);
    this.#w = first ? shrink : this.#w * shrink;
    this.#next = this.#seen + Math.floor(Math.log(this.#uniform()) / Math.log(1 - this.#w));
  }

  /** A uniform draw in (0, 1): log(0) would jump to infinity. */
  #uniform(): number {
    return this.#random.next() || Number.MIN_VALUE;
  }
}
