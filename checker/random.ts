// A seeded pseudo-random generator for simulation: xoshiro128** (Blackman and
// Vigna), 32-bit words, period 2^128 - 1, in pure integer arithmetic so that
// the same seed gives the same numbers on every machine and in every thread.
// Each run of a simulation draws from its own generator, seeded from the
// master seed and the run's index (`forRun`), so a run's walk does not depend
// on which thread runs it or on what other runs did.

import { avalanche as fmix } from './fingerprint.ts';

/** The largest master seed: seeds are safe integers, 0 to 2^53 - 1. */
export const MAX_SEED = Number.MAX_SAFE_INTEGER;

const TWO_32 = 4294967296;

const rotl = (x: number, k: number) => (x << k) | (x >>> (32 - k));

export class Random {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;

  /** A generator whose 128-bit state is the four words given (not all zero). */
  constructor(a: number, b: number, c: number, d: number) {
    this.s0 = a | 0;
    this.s1 = b | 0;
    this.s2 = c | 0;
    this.s3 = d | 0;
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1;
  }

  /**
   * Run `run`'s generator under master seed `seed` (both safe integers >= 0).
   * Its four words are SplitMix32-style hashes of (seed, run, word index):
   * distinct (seed, run) pairs give unrelated streams.
   */
  static forRun(seed: number, run: number): Random {
    if (!Number.isSafeInteger(seed) || seed < 0) throw new RangeError(`a seed is an integer from 0 to ${MAX_SEED} (got ${seed})`);
    const seedLo = seed % TWO_32,
      seedHi = Math.floor(seed / TWO_32);
    const runLo = run % TWO_32,
      runHi = Math.floor(run / TWO_32);
    const key = fmix(fmix(fmix(seedLo ^ 0x9e3779b9) ^ seedHi) ^ 0x632be5ab);
    const words = [0, 1, 2, 3].map((i) => fmix(key ^ fmix(runLo + Math.imul(i + 1, 0x9e3779b9)) ^ fmix(runHi ^ Math.imul(i, 0x85ebca6b))));
    return new Random(words[0], words[1], words[2], words[3]);
  }

  /** The next 32 random bits, as an unsigned integer. */
  next(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5), 7), 9);
    const t = this.s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return result >>> 0;
  }

  /** A uniform integer in [0, n), 1 <= n <= 2^32, without bias (draws again above the largest multiple of n). */
  below(n: number): number {
    if (!(n >= 1 && n <= TWO_32 && Number.isInteger(n))) throw new RangeError(`below(${n}): n must be an integer from 1 to 2^32`);
    const limit = TWO_32 - (TWO_32 % n);
    for (;;) {
      const x = this.next();
      if (x < limit) return x % n;
    }
  }

  /** A uniform number in [0, 1) with 53 random bits. */
  float(): number {
    return ((this.next() >>> 5) * 67108864 + (this.next() >>> 6)) / 9007199254740992;
  }
}
