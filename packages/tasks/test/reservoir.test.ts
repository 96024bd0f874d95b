import { describe, expect, it } from 'vitest';
import { Reservoir } from '../src/reservoir';

describe('Reservoir', () => {
  it('keeps everything until full, then exactly its capacity', () => {
    const reservoir = new Reservoir(1000);
    reservoir.add(Float32Array.from({ length: 600 }, (_, i) => i));
    expect([...reservoir.values]).toEqual(Array.from({ length: 600 }, (_, i) => i));
    reservoir.add(new Float32Array(50_000).fill(-1));
    expect(reservoir.values.length).toBe(1000);
    expect(reservoir.seen).toBe(50_600);
  });

  it('samples every part of the stream alike: images, and channels within them', () => {
    // 40 "images" of 4 "channels" × 25,000 values; the value names its image and channel.
    const reservoir = new Reservoir(20_000, 'test');
    for (let image = 0; image < 40; image++) {
      const data = new Float32Array(100_000);
      for (let i = 0; i < data.length; i++) data[i] = image * 4 + Math.floor(i / 25_000);
      reservoir.add(data);
    }
    const perImage = new Array<number>(40).fill(0);
    const perChannel = new Array<number>(4).fill(0);
    for (const v of reservoir.values) {
      perImage[Math.floor(v / 4)]!++;
      perChannel[v % 4]!++;
    }
    // Uniform: 500 per image (binomial sd ≈ 22), 5,000 per channel (sd ≈ 61); the old sampler kept image 0's first channel whole.
    for (const count of perImage) expect(Math.abs(count - 500)).toBeLessThan(120);
    for (const count of perChannel) expect(Math.abs(count - 5000)).toBeLessThan(300);
  });

  it('gives the same sample for the same seed and stream', () => {
    const stream = Float32Array.from({ length: 300_000 }, (_, i) => i);
    const a = new Reservoir(5000, 'x');
    const b = new Reservoir(5000, 'x');
    a.add(stream);
    b.add(stream.subarray(0, 123_457));
    b.add(stream.subarray(123_457));
    expect([...a.values]).toEqual([...b.values]);
  });
});
