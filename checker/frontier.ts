// One BFS level: the states to expand, in discovery order, with their ids.
// With the model's codec the states are kept packed in one Int32Array (a few
// dozen bytes a state, and nothing for the garbage collector to trace);
// without it, as the objects themselves.
import { Int32Buffer } from './int-buffer.ts';
import type { StateCodec } from './types.ts';
import { ModelFault } from './successors.ts';

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
  /** the packed states, back to back */
  readonly ints = new Int32Buffer(4096);
  /** where each state's packing starts in `ints` */
  readonly starts = new Int32Buffer();
  readonly ids = new Int32Buffer();

  constructor(private readonly codec: StateCodec<S>) {}

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

export function newFrontier<S>(codec: StateCodec<S> | undefined): Frontier<S> {
  return codec ? new PackedFrontier(codec) : new LiveFrontier<S>();
}
