/**
 * Deterministic pseudo-random numbers (mulberry32). Each tensor gets its own stream, seeded
 * from the model seed and the tensor's name, so adding a tensor never shifts another's values.
 */
export class SeededRandom {
  #state: number;

  constructor(seed: number | string) {
    this.#state = typeof seed === 'number' ? seed >>> 0 : hashString(seed);
  }

  /** The next value in [0, 1). */
  next(): number {
    const out = new Float32Array(1);
    this.fillUniform(out, 0, 1);
    return out[0] as number;
  }

  /** Fills `target` with values uniform in [low, high), in place: one tight loop, no allocation. */
  fillUniform(target: Float32Array, low: number, high: number): Float32Array {
    let a = this.#state;
    const scale = (high - low) / 4294967296;
    for (let i = 0; i < target.length; i++) {
      a = (a + 0x6d2b79f5) | 0;
      let t = Math.imul(a ^ (a >>> 15), a | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      target[i] = low + ((t ^ (t >>> 14)) >>> 0) * scale;
    }
    this.#state = a;
    return target;
  }
}

/** FNV-1a, for turning a tensor name into a seed. */
export function hashString(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** A float32 tensor of `count` values uniform in (−bound, bound), from `seed` and `name`. */
export function uniformWeights(seed: number, name: string, count: number, bound: number): Float32Array {
  return new SeededRandom(`${seed}:${name}`).fillUniform(new Float32Array(count), -bound, bound);
}
