// The explored state graph, recorded compactly for liveness checking (only
// when a model has `leadsTo` properties; the safety-only search records
// nothing). States are expanded in id order, so the edges are stored CSR-like:
// node u's out-edges are edges offsets[u] .. offsets[u+1]-1, in the fixed
// transition order. Per edge: the target id (4 bytes), the fairness instance
// id (0 = not fair; 1, 2 or 4 bytes, widened as ids grow) and 2 bits per
// liveness property, p and q on that transition (bit 2k: p of property k, bit
// 2k+1: q; one word per 16 properties, 1, 2 or 4 bytes as needed). Initial
// states have their p/q bits too (evaluated with no step).
//
// With a model Symmetry (the encoding merges renamed states: see
// symmetric-liveness.ts), each edge also records its target's frame: the id
// of the renaming that takes the target state, as the step made it, to its
// canonical form (renaming.ts); so do the initial states.
//
// Under a memory budget (spill.ts) the edges spill: spill() writes the edges
// recorded so far to the store in pages of a fixed number of edges (per page:
// its targets, then its instance ids, then each group's p/q words, 4 bytes
// each, the last page padded), and keeps the rest, less than a page, in
// memory. The per-node offsets stay in memory. The liveness analysis reads
// the edges through columns (edges()): the arrays themselves, or pages read
// back through an LRU cache sized to what the budget leaves.
import { FairnessKeys, InstanceTable } from './fairness.ts';
import { Int32Buffer } from './int-buffer.ts';
import type { LeadsToProperty, Model, Params, Step } from './types.ts';
import { ModelFault } from './successors.ts';
import { PageCache, type Spillable, type Spiller } from './spill.ts';
import { InstanceBindings, Renamings } from './renaming.ts';

/** A growable array of unsigned ints that starts at 1 byte an element and widens (to 2, then 4) when a value needs it. */
export class UintBuffer {
  data: Uint8Array | Uint16Array | Uint32Array;
  length = 0;
  /** the largest value the current width holds */
  private limit = 0xff;

  constructor(capacity = 1024) {
    this.data = new Uint8Array(capacity);
  }

  push(x: number): void {
    if (this.length === this.data.length || x > this.limit) this.regrow(x);
    this.data[this.length++] = x;
  }

  get bytes(): number {
    return this.data.byteLength;
  }

  /** the bytes the values pushed so far take, at the current width */
  get usedBytes(): number {
    return this.length * this.data.BYTES_PER_ELEMENT;
  }

  private regrow(x: number): void {
    const capacity = this.length === this.data.length ? this.data.length * 2 : this.data.length;
    this.limit = Math.max(x, this.limit) <= 0xff ? 0xff : Math.max(x, this.limit) <= 0xffff ? 0xffff : 0xffffffff;
    const next =
      this.limit === 0xff ? new Uint8Array(capacity) : this.limit === 0xffff ? new Uint16Array(capacity) : new Uint32Array(capacity);
    next.set(this.data.subarray(0, this.length));
    this.data = next;
  }
}

/** The p/q bits of properties 16g .. 16g+15 on a state entered by `step` (undefined: an initial state). */
export function labelWord<S>(props: readonly LeadsToProperty<S>[], g: number, state: S, step: Step<S> | undefined): number {
  let word = 0;
  const end = Math.min(props.length, 16 * g + 16);
  for (let k = 16 * g; k < end; k++) {
    const shift = (k & 15) * 2;
    try {
      if (props[k].p(state, step)) word |= 1 << shift;
      if (props[k].q(state, step)) word |= 2 << shift;
    } catch (e) {
      throw new ModelFault('property', e, step ?? null, state, props[k].name);
    }
  }
  return word >>> 0;
}

export const isLeadsTo = <S>(p: { readonly kind: string }): p is LeadsToProperty<S> => p.kind === 'leadsTo';

/** One value per edge, read by edge index (liveness.ts reads the graph through these). */
export interface EdgeColumn {
  get(e: number): number;
}

/** A column over an array in memory. */
class ArrayColumn implements EdgeColumn {
  constructor(private readonly data: Int32Array | Uint8Array | Uint16Array | Uint32Array) {}
  get(e: number): number {
    return this.data[e];
  }
}

/** The recorded edges, as the liveness analysis reads them. */
export interface GraphEdges {
  readonly targets: EdgeColumn;
  readonly instances: EdgeColumn;
  /** the targets' frames (with a Symmetry; all 0 without) */
  readonly frames: EdgeColumn;
  /** p/q words of group g */
  words(g: number): EdgeColumn;
}

export class LivenessGraph<S> implements Spillable {
  readonly props: readonly LeadsToProperty<S>[];
  /** words of p/q bits per edge: one per 16 properties */
  readonly groups: number;
  readonly instances: InstanceTable;
  /** with a model Symmetry: the renamings met, and the binding of each fairness instance */
  readonly renamings: Renamings | null;
  readonly bindings: InstanceBindings | null;
  /** per edge, its target's frame (with a Symmetry; empty without) */
  frames = new UintBuffer(64);
  /** the frames of the initial nodes, by id (with a Symmetry) */
  readonly initFrames: number[] = [];
  /** offsets[u]: the first edge of node u (pushed as u is expanded; the end is edges) */
  readonly offsets = new Int32Buffer();
  /** the edges in memory: all of them, or those after the pages spilled (a new buffer after each spill) */
  targets = new Int32Buffer(4096);
  inst = new UintBuffer(4096);
  bits: UintBuffer[];
  /** p/q words of the initial nodes: initBits[id * groups + g] */
  readonly initBits: number[] = [];
  /** edges written to the store, in whole pages (the arrays above hold the edges after them) */
  private spilledEdges = 0;
  private handle = -1;
  private pages = 0;
  private diskBytes = 0;

  constructor(
    readonly model: Model<S>,
    /** the search's memory budget (null: none, the graph stays in memory) */
    private readonly spiller: Spiller | null = null,
  ) {
    this.props = model.properties.filter(isLeadsTo<S>);
    this.groups = Math.ceil(this.props.length / 16);
    this.instances = new InstanceTable(new FairnessKeys(model));
    this.renamings = model.symmetry ? new Renamings(model.symmetry as never) : null;
    this.bindings = model.symmetry ? new InstanceBindings(model, this.instances) : null;
    this.bits = Array.from({ length: this.groups }, () => new UintBuffer(4096));
    if (this.renamings !== null) this.frames = new UintBuffer(4096);
    if (spiller !== null) {
      // under a budget the arrays start small (they double as they grow)
      this.targets = new Int32Buffer(64);
      this.inst = new UintBuffer(64);
      this.bits = this.bits.map(() => new UintBuffer(64));
      this.frames = new UintBuffer(64);
      spiller.watchGraph(this);
    }
  }

  get edges(): number {
    return this.spilledEdges + this.targets.length;
  }

  /** Nodes whose out-edges are recorded (all of them, once a search is complete). */
  get nodes(): number {
    return this.offsets.length;
  }

  /** the bytes the recorded graph takes: offsets, targets, instances and p/q words (the buffers' spare capacity aside), and its pages on disk */
  get bytes(): number {
    return (
      this.offsets.usedBytes +
      this.targets.usedBytes +
      this.inst.usedBytes +
      this.frames.usedBytes +
      this.bits.reduce((n, b) => n + b.usedBytes, 0) +
      this.diskBytes
    );
  }

  /** the bytes held in memory: the offsets, and the edges not spilled (capacity included) */
  get memoryBytes(): number {
    return this.offsets.bytes + this.targets.bytes + this.inst.bytes + this.frames.bytes + this.bits.reduce((n, b) => n + b.bytes, 0);
  }

  /** Whether edges went to the store. */
  get hasSpilled(): boolean {
    return this.pages > 0;
  }

  /** A newly discovered initial state (ids 0, 1, ... in order). */
  initial(state: S, id: number): void {
    if (id * this.groups !== this.initBits.length) throw new Error('liveness graph: initial states out of order');
    for (let g = 0; g < this.groups; g++) this.initBits.push(labelWord(this.props, g, state, undefined));
    if (this.renamings !== null) this.initFrames.push(this.framed(state, null));
  }

  /** The frame of a state (with a Symmetry), a throw from the model's canonical() located as a ModelFault. */
  private framed(state: S, step: Step<S> | null): number {
    try {
      return this.renamings!.canonical(state);
    } catch (e) {
      throw new ModelFault('encode', e, step, state, null);
    }
  }

  /** Node `id` is being expanded: its out-edges follow. Nodes must come in id order. */
  node(id: number): void {
    if (id !== this.offsets.length) throw new Error(`liveness graph: node ${id} expanded out of order`);
    this.offsets.int(this.spilledEdges + this.targets.length);
  }

  /** A transition of the node being expanded, labelled here (the one-thread search). */
  edge(target: number, a: number, params: Params, from: S, action: string, to: S): void {
    this.targets.int(target);
    const id = this.instances.of(a, params);
    this.inst.push(id);
    const step: Step<S> = { from, action, params };
    for (let g = 0; g < this.groups; g++) this.bits[g].push(labelWord(this.props, g, to, step));
    if (this.renamings !== null) {
      this.bindings!.note(id, a, params);
      this.frames.push(this.framed(to, step));
    }
  }

  /** A transition labelled elsewhere (by a worker thread): its instance id, its frame (with a Symmetry, else ignored), then its `groups` words via word(). */
  labelled(target: number, instance: number, frame = 0): void {
    this.targets.int(target);
    this.inst.push(instance);
    if (this.renamings !== null) this.frames.push(frame);
  }

  word(g: number, w: number): void {
    this.bits[g].push(w >>> 0);
  }

  /** Writes the whole pages of edges in memory to the store; the rest (less than a page) stays. */
  spill(): number {
    return this.writePages(false);
  }

  /**
   * The search is over: if the graph spilled, its last edges go too (a last,
   * padded page), so that the analysis reads every edge the same way.
   */
  finish(): void {
    if (this.pages > 0) this.writePages(true);
  }

  /** Deletes the graph's pages (after the analysis). */
  release(): void {
    if (this.handle < 0 || this.spiller === null) return;
    this.spiller.store.release(this.handle);
    this.spiller.freed(this.diskBytes);
    this.handle = -1;
  }

  /**
   * The edges as the analysis reads them; a spilled graph through a cache of
   * at most `cacheBytes` of pages (two pages at least). `pageReads` and
   * `cacheBytes` say what the cache did and held.
   */
  edgesFor(cacheBytes: number): GraphEdges & { readonly pageReads: () => number; readonly cacheBytes: () => number } {
    if (this.pages === 0) {
      const targets = new ArrayColumn(this.targets.data),
        instances = new ArrayColumn(this.inst.data),
        frames = new ArrayColumn(this.frames.data);
      const words = this.bits.map((b) => new ArrayColumn(b.data));
      return { targets, instances, frames, words: (g) => words[g], pageReads: () => 0, cacheBytes: () => 0 };
    }
    const spiller = this.spiller!;
    const P = spiller.pageEdges;
    const cache = new PageCache(
      spiller.store,
      this.handle,
      this.pages,
      this.stride * P,
      Math.max(2, Math.floor(cacheBytes / (this.stride * P * 4))),
    );
    const words = this.bits.map((_, g) => new PagedColumn(cache, P, 2 + g));
    return {
      targets: new PagedColumn(cache, P, 0),
      instances: new PagedColumn(cache, P, 1),
      frames: this.renamings === null ? new ArrayColumn(this.frames.data) : new PagedColumn(cache, P, 2 + this.groups),
      words: (g) => words[g],
      pageReads: () => cache.reads,
      cacheBytes: () => cache.bytes,
    };
  }

  /** bytes of one page of edges once spilled (0 without a budget) */
  get pageBytes(): number {
    return this.spiller === null ? 0 : this.stride * this.spiller.pageEdges * 4;
  }

  /** int32 fields of an edge in a page: target, instance, the p/q words, and (with a Symmetry) the frame */
  private get stride(): number {
    return 2 + this.groups + (this.renamings === null ? 0 : 1);
  }

  private writePages(all: boolean): number {
    const spiller = this.spiller;
    if (spiller === null) return 0;
    const P = spiller.pageEdges;
    const n = this.targets.length;
    const whole = all ? Math.ceil(n / P) : Math.floor(n / P);
    if (whole === 0) return 0;
    if (this.handle < 0) this.handle = spiller.store.create();
    const stride = this.stride;
    const page = new Int32Array(stride * P);
    let written = 0;
    for (let j = 0; j < whole; j++) {
      const from = j * P,
        to = Math.min(n, from + P);
      page.fill(0);
      page.set(this.targets.data.subarray(from, to), 0);
      page.set(this.inst.data.subarray(from, to), P);
      // p/q words are unsigned; stored as int32 they keep their bits
      for (let g = 0; g < this.groups; g++) page.set(this.bits[g].data.subarray(from, to), (2 + g) * P);
      if (this.renamings !== null) page.set(this.frames.data.subarray(from, to), (2 + this.groups) * P);
      const at = spiller.store.append(this.handle, page, 0, page.length);
      if (at !== this.pages * page.length) throw new Error(`liveness graph: page ${this.pages} written at ${at}, not after the others`);
      this.pages++;
      written += page.length * 4;
    }
    // the edges after the whole pages, in new arrays (the old ones' memory goes)
    const kept = whole * P;
    const targets = new Int32Buffer(Math.max(64, n - kept));
    const inst = new UintBuffer(Math.max(64, n - kept));
    const bits = this.bits.map(() => new UintBuffer(Math.max(64, n - kept)));
    const frames = new UintBuffer(Math.max(64, n - kept));
    for (let e = kept; e < n; e++) {
      targets.int(this.targets.data[e]);
      inst.push(this.inst.data[e]);
      for (let g = 0; g < this.groups; g++) bits[g].push(this.bits[g].data[e]);
      if (this.renamings !== null) frames.push(this.frames.data[e]);
    }
    this.targets = targets;
    this.inst = inst;
    this.bits = bits;
    this.frames = frames;
    this.spilledEdges += Math.min(n, kept);
    this.diskBytes += written;
    spiller.wrote('graph', written);
    return written;
  }
}

/** One field of the edges of a spilled graph: field f of edge e is page(e / P)[f * P + e mod P]. */
class PagedColumn implements EdgeColumn {
  private readonly shift: number;
  private readonly mask: number;
  private readonly base: number;

  constructor(
    private readonly cache: PageCache,
    pageEdges: number,
    field: number,
  ) {
    this.shift = Math.log2(pageEdges);
    this.mask = pageEdges - 1;
    this.base = field * pageEdges;
  }

  get(e: number): number {
    return this.cache.page(e >>> this.shift)[this.base + (e & this.mask)];
  }
}
