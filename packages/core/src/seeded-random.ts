/**
 * Deterministic pseudo-random numbers (mulberry32): the same seed gives the same values on
 * every machine and run. Seed with a string to derive independent streams by name.
 */
export class SeededRandom {
  #state: number;
  readonly #one = new Float64Array(1);

  constructor(seed: number | string) {
    this.#state = typeof seed === 'number' ? seed >>> 0 : hashString(seed);
  }

  /** The next value in [0, 1). */
  next(): number {
    return this.#fill(this.#one, 0, 1, false)[0] as number;
  }

  /** An integer uniform in [low, high). */
  integer(low: number, high: number): number {
    return low + Math.floor(this.next() * (high - low));
  }

  /** Fills `target` with values uniform in [low, high), in place: one tight loop, no allocation. */
  fillUniform<T extends Float32Array | Float64Array>(target: T, low: number, high: number): T {
    return this.#fill(target, low, high - low, false);
  }

  /** Fills `target` with integers uniform in [low, high), in place. */
  fillIntegers<T extends Int32Array | Uint8Array | Float64Array>(target: T, low: number, high: number): T {
    return this.#fill(target, low, high - low, true);
  }

  #fill<T extends Float32Array | Float64Array | Int32Array | Uint8Array>(target: T, low: number, span: number, integers: boolean): T {
    let a = this.#state;
    for (let i = 0; i < target.length; i++) {
      a = (a + 0x6d2b79f5) | 0;
      let t = Math.imul(a ^ (a >>> 15), a | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      const unit = ((t ^ (t >>> 14)) >>> 0) / 4294967296;
      target[i] = integers ? low + Math.floor(unit * span) : low + unit * span;
    }
    this.#state = a;
    return target;
  }
}

/** FNV-1a, for turning a name into a seed. */
export function hashString(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}
