// One BFS level: the states to expand, in discovery order, with their ids.
// With the model's codec the states are kept packed in one Int32Array (a few
// dozen bytes a state, and nothing for the garbage collector to trace);
// without it, as the objects themselves. Under a memory budget (spill.ts) a
// packed level can move to disk in blocks, and is read back one block at a
// time (SpillFrontier).
import { Int32Buffer } from './int-buffer.ts';
import type { StateCodec } from './types.ts';
import { ModelFault } from './successors.ts';
import type { Spillable, Spiller } from './spill.ts';

export interface Frontier<S> {
  readonly size: number;
  push(state: S, id: number): void;
  /** Empties it, keeping its buffers for the next level. */
  clear(): void;
  state(i: number): S;
  id(i: number): number;
  /** bytes held (for the benchmark) */
  readonly bytes: number;
}

export class LiveFrontier<S> implements Frontier<S> {
  private readonly states: S[] = [];
  private readonly ids: number[] = [];
  get size(): number {
    return this.states.length;
  }
  push(state: S, id: number): void {
    this.states.push(state);
    this.ids.push(id);
  }
  clear(): void {
    this.states.length = 0;
    this.ids.length = 0;
  }
  state(i: number): S {
    return this.states[i];
  }
  id(i: number): number {
    return this.ids[i];
  }
  get bytes(): number {
    return 0; // unknown: the objects' size is the model's business
  }
}

export class PackedFrontier<S> implements Frontier<S> {
  constructor(
    private readonly codec: StateCodec<S>,
    /** the packed states, back to back */
    readonly ints = new Int32Buffer(4096),
    /** where each state's packing starts in `ints` */
    readonly starts = new Int32Buffer(),
    readonly ids = new Int32Buffer(),
  ) {}

  get size(): number {
    return this.ids.length;
  }
  push(state: S, id: number): void {
    const at = this.ints.length;
    try {
      this.codec.pack(state, this.ints);
    } catch (e) {
      this.ints.length = at;
      throw new ModelFault('codec', e, null, state, null);
    }
    this.starts.int(at);
    this.ids.int(id);
  }
  clear(): void {
    this.ints.clear();
    this.starts.clear();
    this.ids.clear();
  }
  /** Adds a state packed elsewhere: packed[from, to). */
  pushPacked(packed: Int32Array, from: number, to: number, id: number): void {
    this.starts.int(this.ints.length);
    this.ints.append(packed, from, to);
    this.ids.int(id);
  }
  state(i: number): S {
    try {
      return this.codec.unpack(this.ints.data, this.starts.get(i));
    } catch (e) {
      throw new ModelFault('codec', e, null, null, null);
    }
  }
  id(i: number): number {
    return this.ids.get(i);
  }
  /** The end of state i's packing. */
  end(i: number): number {
    return i + 1 < this.starts.length ? this.starts.get(i + 1) : this.ints.length;
  }
  get bytes(): number {
    return this.ints.bytes + this.starts.bytes + this.ids.bytes;
  }
}

/**
 * A packed level under a memory budget: states are pushed to a tail in
 * memory; spill() writes the tail to the store in blocks of at most the
 * budget's block size and starts a new tail. A level is read in order (by
 * the search, state after state): each block is read back once, into a
 * window that holds one block. Block layout, in ints: the states n, the
 * packing's length m, the n ids, the n starts (from the packing's first
 * int), then the m ints of the packing.
 */
export class SpillFrontier<S> implements Frontier<S>, Spillable {
  /** the blocks in the store, in order: position and length (ints), and the index of their first state */
  private readonly blocks: { readonly at: number; readonly length: number; readonly first: number }[] = [];
  /** the store's file for the blocks (-1: none yet) */
  private handle = -1;
  /** states in the blocks (the tail's come after them) */
  private spilled = 0;
  private diskBytes = 0;
  private tail: PackedFrontier<S>;
  /** the states being read, [windowStart, windowEnd): a block read back, or the tail */
  private window: PackedFrontier<S>;
  private windowStart = 0;
  private windowEnd = 0;

  constructor(
    private readonly codec: StateCodec<S>,
    private readonly spiller: Spiller,
  ) {
    this.tail = this.window = this.newTail();
    spiller.register(this);
  }

  /** A tail that starts small (its buffers double as it grows), so that it counts for little in the budget until it is used. */
  private newTail(): PackedFrontier<S> {
    return new PackedFrontier(this.codec, new Int32Buffer(256), new Int32Buffer(64), new Int32Buffer(64));
  }

  get size(): number {
    return this.spilled + this.tail.size;
  }

  push(state: S, id: number): void {
    this.tail.push(state, id);
  }

  pushPacked(packed: Int32Array, from: number, to: number, id: number): void {
    this.tail.pushPacked(packed, from, to, id);
  }

  state(i: number): S {
    if (i < this.windowStart || i >= this.windowEnd) this.seek(i);
    return this.window.state(i - this.windowStart);
  }

  id(i: number): number {
    if (i < this.windowStart || i >= this.windowEnd) this.seek(i);
    return this.window.id(i - this.windowStart);
  }

  /** the packed level's bytes, in memory and on disk */
  get bytes(): number {
    return this.tail.bytes + this.diskBytes;
  }

  get memoryBytes(): number {
    return this.tail.bytes + (this.window === this.tail ? 0 : this.window.bytes);
  }

  /** Whether part of the level is on disk. */
  get hasSpilled(): boolean {
    return this.spilled > 0;
  }

  /**
   * The states [from, ...) of the level as one packed frontier in memory,
   * starting at state `from`: the block that holds it (read back), or the
   * tail. For the parallel search, which hands packed chunks to its threads.
   */
  segmentAt(from: number): { packed: PackedFrontier<S>; first: number } {
    this.seek(from);
    return { packed: this.window, first: this.windowStart };
  }

  /** Empties it for another level: its blocks are deleted, and its tail starts small again. */
  clear(): void {
    this.release();
    this.blocks.length = 0;
    this.spilled = 0;
    this.diskBytes = 0;
    this.tail = this.window = this.newTail();
    this.windowStart = this.windowEnd = 0;
  }

  spill(): number {
    const { tail } = this;
    if (tail.size === 0) return 0;
    if (this.handle < 0) this.handle = this.spiller.store.create();
    const budgetInts = Math.max(1, this.spiller.blockBytes >> 2);
    let written = 0;
    for (let a = 0; a < tail.size; ) {
      // as many states as fit in a block, one at least
      let b = a + 1;
      while (b < tail.size && tail.end(b) - tail.starts.get(a) + 2 * (b + 1 - a) + 2 <= budgetInts) b++;
      const n = b - a;
      const base = tail.starts.get(a);
      const m = tail.end(b - 1) - base;
      const block = new Int32Array(2 + 2 * n + m);
      block[0] = n;
      block[1] = m;
      block.set(tail.ids.data.subarray(a, b), 2);
      for (let k = 0; k < n; k++) block[2 + n + k] = tail.starts.get(a + k) - base;
      block.set(tail.ints.data.subarray(base, base + m), 2 + 2 * n);
      const at = this.spiller.store.append(this.handle, block, 0, block.length);
      this.blocks.push({ at, length: block.length, first: this.spilled + a });
      written += block.length * 4;
      a = b;
    }
    this.spilled += tail.size;
    this.diskBytes += written;
    this.spiller.wrote('frontier', written);
    // a new tail: the old one's memory goes (reading resumes from the blocks)
    this.tail = this.window = this.newTail();
    this.windowStart = this.windowEnd = 0;
    return written;
  }

  release(): void {
    if (this.handle < 0) return;
    this.spiller.store.release(this.handle);
    this.spiller.freed(this.diskBytes);
    this.handle = -1;
  }

  /** Makes the window the block (or the tail) that holds state i. */
  private seek(i: number): void {
    if (i >= this.spilled) {
      this.window = this.tail;
      this.windowStart = this.spilled;
      this.windowEnd = this.spilled + this.tail.size;
      return;
    }
    // the last block whose first state is at most i
    let lo = 0,
      hi = this.blocks.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.blocks[mid].first <= i) lo = mid;
      else hi = mid - 1;
    }
    const block = this.blocks[lo];
    const data = new Int32Array(block.length);
    this.spiller.store.read(this.handle, block.at, data, 0, block.length);
    const n = data[0];
    this.window = new PackedFrontier(
      this.codec,
      Int32Buffer.over(data.subarray(2 + 2 * n)),
      Int32Buffer.over(data.subarray(2 + n, 2 + 2 * n)),
      Int32Buffer.over(data.subarray(2, 2 + n)),
    );
    this.windowStart = block.first;
    this.windowEnd = block.first + n;
  }
}

/** A packed level's frontier (for the parallel search), spillable under a memory budget. */
export function packedFrontier<S>(codec: StateCodec<S>, spiller: Spiller | null): PackedFrontier<S> | SpillFrontier<S> {
  return spiller === null ? new PackedFrontier(codec) : new SpillFrontier(codec, spiller);
}

/** States [first, first + packed.size) of a packed level, in memory, from state `from` on (SpillFrontier.segmentAt; a level in memory is one segment). */
export function segmentAt<S>(level: PackedFrontier<S> | SpillFrontier<S>, from: number): { packed: PackedFrontier<S>; first: number } {
  return level instanceof SpillFrontier ? level.segmentAt(from) : { packed: level, first: 0 };
}

/** A level's frontier: packed when the model has a codec (and spillable under a memory budget), else the states themselves. */
export function newFrontier<S>(codec: StateCodec<S> | undefined, spiller: Spiller | null = null): Frontier<S> {
  if (!codec) return new LiveFrontier<S>();
  return spiller === null ? new PackedFrontier(codec) : new SpillFrontier(codec, spiller);
}
