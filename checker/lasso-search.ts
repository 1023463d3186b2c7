// The parts of a liveness lasso's construction that liveness.ts and
// symmetric-liveness.ts share: the stem's BFS over (node, phase) pairs, and
// the requirements a greedy fair cycle must meet as it goes.
import { STRONG, WEAK } from './fairness.ts';

/**
 * A shortest stem: BFS over pairs 2X + phase (phase 0 follows any edge, a
 * p∧¬q entry moves to phase 1, phase 1 follows ¬q edges only), from the
 * starts the caller visits, until `goal` accepts a pair. `visit` returns
 * true once the goal is found; the caller then stops and reads `path()`.
 */
export class StemSearch {
  private readonly seen: Uint8Array;
  private readonly prevState: Int32Array;
  private readonly prevEdge: Int32Array;
  private readonly queue: Int32Array;
  private head = 0;
  private tail = 0;
  /** the goal pair, once found (-1 until then) */
  found = -1;

  constructor(
    nodes: number,
    private readonly goal: (x: number) => boolean,
  ) {
    this.seen = new Uint8Array(2 * nodes);
    this.prevState = new Int32Array(2 * nodes);
    this.prevEdge = new Int32Array(2 * nodes);
    this.queue = new Int32Array(2 * nodes);
  }

  /** bytes a node takes in its arrays */
  static readonly BYTES_PER_NODE = 26;

  /** Pair x is reached from pair `from` by edge e (-1, -1: a start); true when it is the goal. */
  visit(x: number, from: number, e: number): boolean {
    if (this.seen[x] === 1) return false;
    this.seen[x] = 1;
    this.prevState[x] = from;
    this.prevEdge[x] = e;
    this.queue[this.tail++] = x;
    if (this.goal(x)) this.found = x;
    return this.found >= 0;
  }

  /** The next pair to expand, or -1 when none is left. */
  next(): number {
    return this.head < this.tail ? this.queue[this.head++] : -1;
  }

  /** The stem to the goal: its first pair, and the edges after it. */
  path(): { start: number; edges: number[] } {
    if (this.found < 0) throw new Error('liveness: internal error, no stem reaches a fair component');
    const edges: number[] = [];
    let x = this.found;
    for (; this.prevState[x] >= 0; x = this.prevState[x]) edges.push(this.prevEdge[x]);
    return { start: x, edges: edges.reverse() };
  }

  /**
   * Follows edge e, with p/q word w, from pair x to node Y: to phase 1 on a p∧¬q entry or in phase 1
   * on a ¬q one, to phase 0 from phase 0 anyway (pm, qm: the property's bits in w). True at the goal.
   */
  follow(x: number, e: number, w: number, Y: number, pm: number, qm: number): boolean {
    if ((x & 1) === 0) {
      if ((w & pm) !== 0 && (w & qm) === 0 && this.visit(2 * Y + 1, x, e)) return true;
      this.visit(2 * Y, x, e);
      return false;
    }
    return (w & qm) === 0 && this.visit(2 * Y + 1, x, e);
  }
}

/**
 * What a greedy fair cycle still has to do, worked out as it goes: a weak
 * instance only while it is enabled at every node the cycle has passed (the
 * entry included), so passing one node where it is disabled does as well as
 * taking it; a strong instance once the cycle has passed a node where it is
 * enabled. No requirement at the entry: the behaviour may stutter there.
 */
export class CycleRequirements {
  readonly pendingWeak = new Set<number>();
  readonly pendingStrong = new Set<number>();
  private readonly taken = new Set<number>();

  /** The cycle starts at its entry, where the instances `enabledAtEntry` are enabled. */
  constructor(
    private readonly kindOf: (instance: number) => number,
    enabledAtEntry: ReadonlySet<number>,
  ) {
    for (const a of enabledAtEntry) if (kindOf(a) === WEAK) this.pendingWeak.add(a);
    this.arrive(enabledAtEntry);
  }

  get required(): boolean {
    return this.pendingWeak.size + this.pendingStrong.size > 0;
  }

  /** The cycle passes a node enabling `on`: weak instances disabled there are met; strong ones enabled there are now required. */
  arrive(on: ReadonlySet<number>): void {
    for (const a of this.pendingWeak) if (!on.has(a)) this.pendingWeak.delete(a);
    for (const a of on) if (this.kindOf(a) === STRONG && !this.taken.has(a)) this.pendingStrong.add(a);
  }

  /** The cycle takes instance a (0: none). */
  take(a: number): void {
    if (a === 0) return;
    this.taken.add(a);
    this.pendingWeak.delete(a);
    this.pendingStrong.delete(a);
  }

  /** Whether taking instance a meets a requirement. */
  wants(a: number): boolean {
    return a !== 0 && (this.pendingWeak.has(a) || this.pendingStrong.has(a));
  }

  /**
   * Whether passing a node meets a weak requirement (one is disabled there);
   * `enabledHere` gives the node's enabled instances, asked only while a weak one is pending.
   */
  metBy(enabledHere: () => ReadonlySet<number>): boolean {
    if (this.pendingWeak.size === 0) return false;
    const on = enabledHere();
    for (const a of this.pendingWeak) if (!on.has(a)) return true;
    return false;
  }
}
