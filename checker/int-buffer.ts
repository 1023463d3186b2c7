// A growable Int32Array: the checker's compact storage for parent ids,
// packed frontier states and the results its worker threads send back. As
// the sink of a model's codec it takes 32-bit integers only, and says so.
import { EncodingRangeError } from './errors.ts';
import type { IntSink } from './types.ts';

export class Int32Buffer implements IntSink {
  data: Int32Array;
  length = 0;

  constructor(capacity = 1024) {
    this.data = new Int32Array(capacity);
  }

  /** A buffer over `data`, full (its length is data's). */
  static over(data: Int32Array): Int32Buffer {
    const buffer = new Int32Buffer(0);
    buffer.data = data;
    buffer.length = data.length;
    return buffer;
  }

  int(x: number): void {
    if ((x | 0) !== x) throw new EncodingRangeError(`${x} is not a 32-bit integer: a codec packs states into 32-bit integers`);
    if (this.length === this.data.length) this.reserve(1);
    this.data[this.length++] = x;
  }

  /** Appends ints[from, to). */
  append(ints: Int32Array, from: number, to: number): void {
    const n = to - from;
    if (this.length + n > this.data.length) this.reserve(n);
    this.data.set(ints.subarray(from, to), this.length);
    this.length += n;
  }

  get(i: number): number {
    return this.data[i];
  }

  set(i: number, x: number): void {
    this.data[i] = x;
  }

  clear(): void {
    this.length = 0;
  }

  /** A copy of the used part, in a buffer of its own (to transfer to another thread). */
  copy(): Int32Array {
    return this.data.slice(0, this.length);
  }

  get bytes(): number {
    return this.data.byteLength;
  }

  /** the bytes the ints pushed so far take (the capacity beyond them aside) */
  get usedBytes(): number {
    return this.length * 4;
  }

  private reserve(extra: number): void {
    let capacity = Math.max(16, this.data.length * 2);
    while (capacity < this.length + extra) capacity *= 2;
    const bigger = new Int32Array(capacity);
    bigger.set(this.data.subarray(0, this.length));
    this.data = bigger;
  }
}
