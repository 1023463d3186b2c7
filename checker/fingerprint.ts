// A streaming 64-bit fingerprint of a state's integer encoding: two 32-bit
// lanes with different mixing (a Murmur3 round and an xxHash32 round), each
// finished with Murmur3's avalanche. The checker treats two states with the
// same fingerprint as one state; with n states the chance that any two
// distinct ones collide is about n^2 / 2^65 (see docs/checker.md).
//
// An item is any safe integer (|x| < 2^53), taken exactly: a 32-bit one is
// one word; a wider one is its low word, then its high word mixed with other
// constants (so it never reads as two 32-bit items). Anything else is an error
// naming the value: the encoding must never lose information silently.
import { EncodingRangeError } from './errors.ts';
import type { IntSink } from './types.ts';

const TWO_32 = 4294967296;

export function notAnInteger(x: number): EncodingRangeError {
  const what = Number.isInteger(x) ? 'an integer beyond ±2^53 (not exact in a double)' : 'not an integer';
  return new EncodingRangeError(
    `out.int(${x}): ${what}; write integers with out.int, and other values ` +
      '(fractions, strings, structures) with encodeValue(value, out) from the checker',
  );
}

export class Fingerprinter implements IntSink {
  lo = 0;
  hi = 0;
  private a = 0;
  private b = 0;
  private n = 0;
  /**
   * 32-bit items not yet mixed in: int() only stores them, and mix() runs
   * over them in one loop of locals (a call per item that loads and stores
   * the lanes costs more than the mixing itself). The hash is the same.
   */
  private pending = new Int32Array(64);
  private count = 0;

  reset(): void {
    this.a = 0x9747b28c;
    this.b = 0x165667b1;
    this.n = 0;
    this.count = 0;
  }

  int(x: number): void {
    const w = x | 0;
    if (w !== x) {
      this.wide(x);
      return;
    }
    if (this.count === this.pending.length) this.mix();
    this.pending[this.count++] = w;
  }

  /** Mixes the pending items into the lanes, in order. */
  private mix(): void {
    const p = this.pending;
    const count = this.count;
    let a = this.a;
    let b = this.b;
    for (let i = 0; i < count; i++) {
      const w = p[i];
      let k = Math.imul(w, 0xcc9e2d51);
      k = (k << 15) | (k >>> 17);
      k = Math.imul(k, 0x1b873593);
      a ^= k;
      a = (a << 13) | (a >>> 19);
      a = (Math.imul(a, 5) + 0xe6546b64) | 0;

      b = (b + Math.imul(w, 0x85ebca77)) | 0;
      b = (b << 13) | (b >>> 19);
      b = Math.imul(b, 0x9e3779b1);
    }
    this.a = a;
    this.b = b;
    this.n += count;
    this.count = 0;
  }

  /** A safe integer beyond 32 bits: its low word as an item, then its high word mixed differently. */
  private wide(x: number): void {
    if (!Number.isSafeInteger(x)) throw notAnInteger(x);
    const high = Math.floor(x / TWO_32);
    this.int((x - high * TWO_32) | 0);
    this.mix();
    let k = Math.imul(high, 0x2545f491);
    k = (k << 17) | (k >>> 15);
    this.a = (Math.imul(this.a ^ k, 0x27d4eb2f) + 0x165667b1) | 0;
    this.b = Math.imul((this.b ^ high) + 0x61c88647, 0x85ebca6b);
  }

  /** Ends the stream; the fingerprint is then (lo, hi), never (0, 0). */
  finish(): void {
    this.mix();
    this.lo = avalanche(this.a ^ this.n);
    this.hi = avalanche(this.b ^ Math.imul(this.n, 0x27d4eb2f));
    if (this.lo === 0 && this.hi === 0) this.lo = 1;
  }
}

/** Murmur3's finaliser: a bijection of 32-bit words that mixes every bit into every other (random.ts seeds with it too). */
export function avalanche(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Collects the encoding itself, exactly: the exact (collision-free) visited set's key, and sorting in encode.ts. */
export class IntCollector implements IntSink {
  ints: number[] = [];
  int(x: number): void {
    if ((x | 0) !== x && !Number.isSafeInteger(x)) throw notAnInteger(x);
    this.ints.push(x === 0 ? 0 : x); // -0 is 0
  }
  take(): string {
    const key = this.ints.join(',');
    this.ints.length = 0;
    return key;
  }
}
