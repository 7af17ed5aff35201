/**
 * The fuzzer's own random numbers: mulberry32, 32 bits of state. Every input is made from a
 * generator reseeded with (run seed, target, iteration), so any finding can be made again from
 * those three numbers alone, whichever other targets ran and however long.
 */
export class Rng {
  private state = 0;

  constructor(seed = 0) {
    this.state = seed >>> 0;
  }

  reseed(seed: number): void {
    this.state = seed >>> 0;
  }

  /** A uniform 32-bit unsigned integer. */
  next(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) | 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  }

  /** An integer in [0, n); the modulo bias is irrelevant for fuzzing. */
  below(n: number): number {
    return n <= 1 ? 0 : this.next() % n;
  }

  /** An integer in [low, high]. */
  between(low: number, high: number): number {
    return low + this.below(high - low + 1);
  }

  /** True with probability `numerator / denominator`. */
  chance(numerator: number, denominator: number): boolean {
    return this.below(denominator) < numerator;
  }

  pick<T>(items: readonly T[]): T {
    return items[this.below(items.length)]!;
  }

  /** Small numbers often, large ones sometimes: lengths and repeat counts fuzz best that way. */
  smallish(max: number): number {
    const scale = this.pick([4, 16, 64, 256, max]);
    return this.below(Math.min(scale, max) + 1);
  }
}

/** FNV-1a of a target name, so that each target draws from its own sequence. */
export const hashName = (name: string): number => {
  let hash = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) hash = Math.imul(hash ^ name.charCodeAt(i), 0x01000193);
  return hash >>> 0;
};

/** The seed of one input: a murmur3-style finaliser over the run seed, target and iteration. */
export const inputSeed = (runSeed: number, targetHash: number, iteration: number): number => {
  let h = (runSeed ^ Math.imul(targetHash, 0x9e3779b1) ^ Math.imul(iteration, 0x85ebca6b)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
};
