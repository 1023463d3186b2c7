// Spilling to disk: what a search does when its own structures outgrow the
// memory budget it was given (CheckOptions.memory), as TLC's DiskStateQueue
// and DiskGraph do. The checker does no I/O: it writes and reads blocks of
// 32-bit integers through a SpillStore its caller hands in (the CLI's keeps
// them in files of a temporary directory, cli/spill-files.ts; MemorySpillStore
// below keeps them in memory, for tests).
//
// What spills, in order of value (docs/checker.md#memory-past-ram):
//   1. the BFS frontier (frontier.ts SpillFrontier): a level is written in
//      blocks and read back once, in order;
//   2. the liveness graph's edge arrays (graph.ts): written once, in order,
//      as fixed-size pages; read back at random by the liveness analysis
//      through an LRU cache of pages that fits in what the budget leaves;
//   3. the visited set (disk-visited.ts, as TLC's DiskFPSet): its table of
//      fingerprints is merged into a sorted run on disk when the budget has
//      no room for a bigger one; lookups probe the table, then the run.
// What cannot spill (the visited set's smallest table and its index, the
// graph's per-state offsets, an --exact visited set, the liveness
// analysis's own arrays): when it outgrows the budget, the search stops
// (limit 'memory') and says how much it held.
//
// The budget is looked at every few hundred states (Ledger.overLimit, where
// the clock is) and at the end of each level, never per transition: a search
// without a budget does exactly what it did before.

/**
 * Numbered files of 32-bit integers: appended to, read back by position.
 * Synchronous, as the search is. A failure (a full disk) is thrown as it is.
 */
export interface SpillStore {
  /** A new empty file; its handle. */
  create(): number;
  /** Appends ints[from, to) to the file; returns the position (in ints) where they start. */
  append(handle: number, ints: Int32Array, from: number, to: number): number;
  /** Reads `count` ints of the file from position `at` into out[offset, offset + count). */
  read(handle: number, at: number, out: Int32Array, offset: number, count: number): void;
  /** Deletes the file and gives its space back. */
  release(handle: number): void;
  /** Where the files are, for the report (a directory), or "memory". */
  readonly where: string;
}

/** A SpillStore in memory: what the tests give a search (nothing is saved, but everything takes the disk path). */
export class MemorySpillStore implements SpillStore {
  private readonly files = new Map<number, { data: Int32Array; length: number }>();
  private next = 0;
  /** ints appended and read, over the store's life (tests look at them) */
  written = 0;
  reads = 0;
  readonly where = 'memory';

  create(): number {
    const handle = this.next++;
    this.files.set(handle, { data: new Int32Array(1024), length: 0 });
    return handle;
  }

  append(handle: number, ints: Int32Array, from: number, to: number): number {
    const file = this.file(handle);
    const at = file.length;
    const n = to - from;
    if (at + n > file.data.length) {
      let capacity = file.data.length * 2;
      while (capacity < at + n) capacity *= 2;
      const bigger = new Int32Array(capacity);
      bigger.set(file.data.subarray(0, at));
      file.data = bigger;
    }
    file.data.set(ints.subarray(from, to), at);
    file.length = at + n;
    this.written += n;
    return at;
  }

  read(handle: number, at: number, out: Int32Array, offset: number, count: number): void {
    const file = this.file(handle);
    if (at < 0 || at + count > file.length)
      throw new RangeError(`spill store: read of ${count} ints at ${at} past the end (${file.length})`);
    out.set(file.data.subarray(at, at + count), offset);
    this.reads++;
  }

  release(handle: number): void {
    this.file(handle);
    this.files.delete(handle);
  }

  /** files not released yet */
  get open(): number {
    return this.files.size;
  }

  private file(handle: number): { data: Int32Array; length: number } {
    const file = this.files.get(handle);
    if (file === undefined) throw new Error(`spill store: no file ${handle}`);
    return file;
  }
}

/** A memory budget for a search, and where what does not fit goes. */
export interface MemoryOptions {
  /**
   * The most bytes the search's own structures may hold in memory: the
   * visited set, the BFS frontier and the liveness graph (the model's own
   * objects and the JavaScript heap aside).
   */
  readonly bytes: number;
  readonly store: SpillStore;
  /** bytes in a block of a spilled frontier (default: the budget / 32, between 4 KiB and 64 MiB) */
  readonly blockBytes?: number;
  /** edges in a page of a spilled liveness graph, a power of two (default: about the budget / 64 in bytes, 64 to 65,536 edges) */
  readonly pageEdges?: number;
}

/** What spilled, and the memory figures, as a search reports them (CheckResult.memory). */
export interface MemoryUse {
  /** the budget (MemoryOptions.bytes) */
  readonly budget: number;
  /**
   * the most the visited set, frontier and graph held in memory together, at
   * the points where the budget is looked at, and during the liveness
   * analysis (with its own arrays and its cache of pages)
   */
  readonly peak: number;
  /** the visited set's bytes at the end (it stays in memory) */
  readonly visited: number;
  /**
   * bytes written to the store, by structure (0: it never spilled); the
   * visited set's count each merge of its table into the sorted run, which
   * rewrites the run
   */
  readonly spilled: { readonly frontier: number; readonly graph: number; readonly visited: number };
  /** the largest the store's files were at once, in bytes */
  readonly peakOnDisk: number;
  /**
   * when the first spill happened: during the search (the level being
   * expanded, and the distinct states known then), or once it was over,
   * before the liveness analysis (the graph's edges, to leave the analysis
   * room); null: nothing spilled
   */
  readonly firstSpill: { readonly during: 'search' | 'liveness'; readonly depth: number; readonly states: number } | null;
  /** pages of the spilled graph read back by the liveness analysis (0 when the graph did not spill) */
  readonly graphPageReads: number;
  /**
   * bytes of the liveness analysis's own arrays, at most (38 a state, 42 more
   * for a lasso; they do not spill; typed arrays the analysis does not write
   * to may never be resident), 0 without liveness
   */
  readonly analysisBytes: number;
  /** where the store keeps its files (SpillStore.where), or null when nothing spilled */
  readonly where: string | null;
  /**
   * set when the search stopped (limit 'memory') because the budget was
   * exhausted by what cannot spill: the visited set's bytes then (its
   * smallest table, its page index and cache; an --exact set whole), and the
   * rest that stayed in memory (the frontier block being read, the graph's
   * per-state offsets and its last page)
   */
  readonly exhausted: { readonly visited: number; readonly other: number } | null;
}

/** A visited set that can spill (disk-visited.ts): it answers to the budget once attached. */
export interface SpillingVisited extends Spillable {
  readonly bytes: number;
  attach(spiller: Spiller): void;
}

/** A structure that can move part of itself to the store. */
export interface Spillable {
  /** bytes it holds in memory now */
  readonly memoryBytes: number;
  /** Writes what it can to the store and frees that memory; returns the bytes written. */
  spill(): number;
  /** Deletes its files. */
  release(): void;
}

/**
 * The budget of one search: the frontiers and the graph register here, and
 * check() spills them, frontier first, whenever the structures together
 * pass the budget.
 */
export class Spiller {
  readonly budget: number;
  readonly store: SpillStore;
  readonly blockBytes: number;
  readonly pageEdges: number;
  /** the search's frontiers (two: the level being read, and the next one; the searches swap them level after level) */
  private readonly frontiers: Spillable[] = [];
  private graph: Spillable | null = null;
  private visited: { readonly bytes: number } = { bytes: 0 };
  /** the visited set, when it can spill (disk-visited.ts); it spills last */
  private spillingVisited: Spillable | null = null;
  private spilledFrontier = 0;
  private spilledGraph = 0;
  private spilledVisited = 0;
  private onDisk = 0;
  private peakDisk = 0;
  private peakMemory = 0;
  private first: { during: 'search' | 'liveness'; depth: number; states: number } | null = null;
  private exhaustedBy: { visited: number; other: number } | null = null;
  /** set before the liveness analysis */
  pageReads = 0;
  analysisBytes = 0;

  constructor(options: MemoryOptions) {
    if (!(options.bytes > 0)) throw new RangeError(`memory budget: ${options.bytes} is not a positive number of bytes`);
    this.budget = options.bytes;
    this.store = options.store;
    this.blockBytes = options.blockBytes ?? clamp(Math.floor(this.budget / 32), 4096, 64 * 2 ** 20);
    const pageEdges = options.pageEdges ?? 2 ** Math.round(Math.log2(Math.max(1, this.budget / 64 / 12)));
    this.pageEdges = clamp(pageEdges, options.pageEdges !== undefined ? 1 : 64, 65_536);
    if (!Number.isInteger(Math.log2(this.pageEdges)))
      throw new RangeError(`memory budget: pageEdges ${this.pageEdges} is not a power of two`);
  }

  watchVisited(visited: { readonly bytes: number } | SpillingVisited): void {
    this.visited = visited;
    if ('attach' in visited) {
      visited.attach(this);
      this.spillingVisited = visited;
    }
  }

  watchGraph(graph: Spillable): void {
    this.graph = graph;
  }

  /** A frontier of the search (it deletes its own files when the search clears it for another level). */
  register(frontier: Spillable): void {
    this.frontiers.push(frontier);
  }

  /** The search is over: every frontier's files are deleted (the graph's go after the liveness analysis, the visited set's after the trace). */
  releaseFrontiers(): void {
    for (const f of this.frontiers) f.release();
  }

  /** The result is built: the visited set's files are deleted. */
  releaseVisited(): void {
    this.spillingVisited?.release();
  }

  /** Bytes written to the store by a frontier, the graph or the visited set. */
  wrote(kind: 'frontier' | 'graph' | 'visited', bytes: number): void {
    if (kind === 'frontier') this.spilledFrontier += bytes;
    else if (kind === 'graph') this.spilledGraph += bytes;
    else this.spilledVisited += bytes;
    this.onDisk += bytes;
    if (this.onDisk > this.peakDisk) this.peakDisk = this.onDisk;
  }

  /**
   * The visited set's table is full and would double: spills the frontiers
   * and the graph, if need be, so that the budget has `bytes` to spare; true
   * when it has (else the table goes to disk instead).
   */
  makeRoom(bytes: number): boolean {
    if (this.budget - this.inMemory() >= bytes) return true;
    const parts = [...this.frontiers].sort((a, b) => b.memoryBytes - a.memoryBytes);
    if (this.graph !== null) parts.push(this.graph);
    for (const part of parts) {
      if (part.memoryBytes === 0) continue;
      if (part.spill() > 0) this.spilledAt(this.depthNow, this.statesNow);
      if (this.budget - this.inMemory() >= bytes) return true;
    }
    return false;
  }

  /** Where the search was at the last check (the report's "when", should the visited set make something spill between two checks). */
  private depthNow = 0;
  private statesNow = 0;

  /** Something spilled while the search was at `depth` with `states` known, or after it (the first time is the report's "when"). */
  spilledAt(depth: number, states: number, during: 'search' | 'liveness' = 'search'): void {
    this.first ??= { during, depth, states };
  }

  /** Bytes held in memory at some point the budget was not looked at (the liveness analysis): the peak counts them. */
  observe(bytes: number): void {
    if (bytes > this.peakMemory) this.peakMemory = bytes;
  }

  /** Bytes of the store's files deleted. */
  freed(bytes: number): void {
    this.onDisk -= bytes;
  }

  get spilledBytes(): number {
    return this.spilledFrontier + this.spilledGraph + this.spilledVisited;
  }

  /** The structures' bytes in memory now. */
  inMemory(): number {
    let n = this.visited.bytes + (this.graph?.memoryBytes ?? 0);
    for (const f of this.frontiers) n += f.memoryBytes;
    return n;
  }

  /**
   * Spills what must spill to bring the structures under the budget: the
   * frontiers (the next level, and the unread rest of the current one; the
   * one holding more memory first), then the graph's edges, then the
   * visited set's table. True when even
   * that is not enough (what cannot spill has outgrown the budget): the
   * search must stop.
   */
  check(depth: number, states: number): boolean {
    this.depthNow = depth;
    this.statesNow = states;
    let used = this.inMemory();
    if (used > this.peakMemory) this.peakMemory = used;
    if (used <= this.budget) return false;
    const parts = [...this.frontiers].sort((a, b) => b.memoryBytes - a.memoryBytes);
    if (this.graph !== null) parts.push(this.graph);
    if (this.spillingVisited !== null) parts.push(this.spillingVisited);
    for (const part of parts) {
      if (part.memoryBytes === 0) continue;
      if (part.spill() > 0) this.spilledAt(depth, states);
      used = this.inMemory();
      if (used <= this.budget) return false;
    }
    this.exhaustedBy = { visited: this.visited.bytes, other: used - this.visited.bytes };
    return true;
  }

  /** What spilled, for the result. */
  use(): MemoryUse {
    return {
      budget: this.budget,
      peak: this.peakMemory,
      visited: this.visited.bytes,
      spilled: { frontier: this.spilledFrontier, graph: this.spilledGraph, visited: this.spilledVisited },
      peakOnDisk: this.peakDisk,
      firstSpill: this.first,
      graphPageReads: this.pageReads,
      analysisBytes: this.analysisBytes,
      where: this.spilledBytes > 0 ? this.store.where : null,
      exhausted: this.exhaustedBy,
    };
  }
}

/**
 * Pages of a file of the store in memory, each `pageInts` ints at
 * p·pageInts (the file padded to whole pages): at most `capacity`, the least
 * recently used one evicted for a new one (a spilled graph's edges, a
 * spilled visited set's sorted run).
 */
export class PageCache {
  private readonly slots: Int32Array[] = [];
  private readonly slotPage: number[] = [];
  /** the slots in order of use, most recent first: a doubly linked list over slot numbers */
  private readonly newer: number[] = [];
  private readonly older: number[] = [];
  private head = -1;
  private tail = -1;
  /** per page, its slot, or -1 */
  private readonly pageSlot: Int32Array;
  /** pages read from the store */
  reads = 0;

  /** bytes of the pages held */
  get bytes(): number {
    return this.slots.length * this.pageInts * 4;
  }

  constructor(
    private readonly store: SpillStore,
    private readonly handle: number,
    pages: number,
    private readonly pageInts: number,
    private readonly capacity: number,
  ) {
    this.pageSlot = new Int32Array(pages).fill(-1);
  }

  page(p: number): Int32Array {
    const s = this.pageSlot[p];
    if (s < 0) return this.load(p);
    if (s !== this.head) {
      this.unlink(s);
      this.pushFront(s);
    }
    return this.slots[s];
  }

  private load(p: number): Int32Array {
    let s: number;
    if (this.slots.length < this.capacity) {
      s = this.slots.length;
      this.slots.push(new Int32Array(this.pageInts));
      this.slotPage.push(-1);
      this.newer.push(-1);
      this.older.push(-1);
    } else {
      // the least recently used page goes
      s = this.tail;
      this.unlink(s);
      this.pageSlot[this.slotPage[s]] = -1;
    }
    this.store.read(this.handle, p * this.pageInts, this.slots[s], 0, this.pageInts);
    this.reads++;
    this.slotPage[s] = p;
    this.pageSlot[p] = s;
    this.pushFront(s);
    return this.slots[s];
  }

  private unlink(s: number): void {
    const a = this.newer[s],
      b = this.older[s];
    if (a >= 0) this.older[a] = b;
    else this.head = b;
    if (b >= 0) this.newer[b] = a;
    else this.tail = a;
  }

  private pushFront(s: number): void {
    this.newer[s] = -1;
    this.older[s] = this.head;
    if (this.head >= 0) this.newer[this.head] = s;
    this.head = s;
    if (this.tail < 0) this.tail = s;
  }
}

function clamp(x: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, x));
}
