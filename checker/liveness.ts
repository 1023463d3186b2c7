// Liveness under fairness, TLC-style, on the state graph a complete search
// recorded (graph.ts).
//
// Semantics. A behaviour is an infinite sequence of states s0 s1 ... from an
// initial state, each step a transition of the model, or a stutter: a
// behaviour may stay in a state forever, but only where no weakly or
// strongly fair action instance is enabled (stuttering is implicit, as in
// TLA+; fairness forbids it). p ~> q is violated by a fair behaviour with an
// i where p holds (on s_i and the step that entered it; no step for s0) and
// q holds at no j >= i (q is evaluated on each transition into s_j; while
// stuttering a state is not re-entered, so q keeps its value). An action
// declared `finite` is taken finitely often on every behaviour that counts (an
// environment that eventually stops): a cycle never takes its edges. Weak fairness
// of instance A: a behaviour may not keep A enabled forever from some point
// on without taking it. Strong fairness: it may not have A enabled infinitely
// often without taking it infinitely often. A property whose p never holds
// in the explored graph is vacuous (reported with the unreached witnesses).
//
// Algorithm, per property: the "p∧¬q points" are the initial states and edge
// targets where p holds and q does not on that same entry. From them, follow
// ¬q edges only; a counterexample is an infinite ¬q walk from a point, i.e. it
// ends in a strongly connected component C of that subgraph, without the
// edges of finite actions (the walk to C may take them; C may not; computed by an
// iterative Tarjan) that a fair behaviour can stay in: the behaviour that
// takes every edge of C infinitely often is the fairest there is, so C is
// fair unless a weak instance is enabled at every node of C (enabled = an
// edge of it leaves the node in the full graph, whatever q says) and taken by
// no edge inside C, or a strong instance is enabled somewhere in C and taken
// inside C nowhere. A weak failure rules out every subset of C too; a strong
// failure only rules out the nodes where that instance is enabled: those are
// removed and the SCCs of the rest are checked again (the Streett /
// Emerson-Lei refinement). A single node without a ¬q self-loop is then the
// stutter case: fair iff no fair instance is enabled there.
//
// Lasso: the shortest stem, by BFS over (node, phase) pairs: phase 0 follows
// any edge, a p∧¬q edge (or initial state) enters phase 1, phase 1 follows
// ¬q edges only; the target is any phase-1 node in a fair component. Then a
// cycle inside that component from the entry node back to it, built greedily
// (nearest requirement first, BFS in edge order), with only the requirements
// of the nodes it passes: a weak instance enabled at every node passed so far
// must be taken, or a node where it is disabled passed (whichever is nearer);
// a strong instance enabled at a node passed must be taken. No requirement at
// the entry: the behaviour stutters there. The concrete trace is replayed
// through the model like trace.ts does, matching each recorded edge by target
// id, instance and p/q bits. When the model's encoding merges states (a
// symmetry reduction), one pass round the cycle may end in another member of
// the entry's class: the cycle is then replayed again, up to MAX_ROUNDS
// times, until the concrete state is exactly the entry state.
import { encodeValue } from './encode.ts';
import { ModelDefinitionError } from './errors.ts';
import { IntCollector } from './fingerprint.ts';
import { FINITE, STRONG, WEAK } from './fairness.ts';
import type { EdgeColumn, GraphEdges, LivenessGraph } from './graph.ts';
import { bindingsOf } from './successors.ts';
import type { ActionDef, LiveModel, Params, Step, TraceStep } from './types.ts';
import type { VisitedSet } from './visited.ts';

/**
 * Bytes a node the analysis's own arrays take at most while it looks for
 * fair components (the Analyzer's: 29, its offsets included; the reach of
 * one property: 9): they live in memory beside the visited set, and a memory
 * budget leaves them room before the pages of a spilled graph (ledger.ts).
 * A violated property's lasso adds LASSO_BYTES_PER_NODE for its searches.
 */
export const ANALYSIS_BYTES_PER_NODE = 38;
export const LASSO_BYTES_PER_NODE = 42;

/** Rounds of the cycle replayed, at most, to come back to the exact entry state. */
export const MAX_ROUNDS = 24;

export interface LivenessOutcome<S> {
  /** per leadsTo property, in declaration order: a fair counterexample exists */
  readonly violated: readonly boolean[];
  /** per leadsTo property: p held somewhere (on an initial state or a transition) */
  readonly premise: readonly boolean[];
  /** the first violated property's index, or -1 */
  readonly first: number;
  /** its lasso (empty when none is violated) */
  readonly trace: TraceStep<S>[];
  readonly loop: number | null;
  /** bytes of the analysis's own arrays, at most (ANALYSIS_BYTES_PER_NODE a node, and LASSO_BYTES_PER_NODE more when it built a lasso) */
  readonly scratchBytes: number;
}

/** A strongly connected set of nodes found fair: its nodes carry `tag` in the region array. */
interface FairComponent {
  readonly tag: number;
  readonly nodes: Int32Array;
}

const FAIR = 0,
  UNFAIR = 1,
  REFINE = 2;

class Analyzer {
  readonly n: number;
  readonly off: Int32Array;
  readonly tgt: EdgeColumn;
  readonly inst: EdgeColumn;
  readonly kinds: Uint8Array;
  /** region tag per node: the node set a Tarjan run or a component check works in (0: none) */
  readonly region: Int32Array;
  private readonly index: Int32Array;
  private readonly low: Int32Array;
  private readonly onStack: Uint8Array;
  private readonly callNode: Int32Array;
  private readonly callEdge: Int32Array;
  readonly sstack: Int32Array;
  private lastTag = 0;
  private surveys = 0;
  // per instance id, scratch for component checks
  private readonly compOf: Int32Array;
  private readonly count: Int32Array;
  private readonly taken: Uint8Array;
  private readonly lastNode: Int32Array;
  private readonly failAt: Int32Array;
  private readonly touched: number[] = [];

  constructor(
    readonly graph: LivenessGraph<unknown>,
    readonly edges: GraphEdges,
  ) {
    const n = graph.nodes;
    this.n = n;
    this.off = new Int32Array(n + 1);
    this.off.set(graph.offsets.data.subarray(0, n));
    this.off[n] = graph.edges;
    this.tgt = edges.targets;
    this.inst = edges.instances;
    this.kinds = Uint8Array.from(graph.instances.kinds);
    this.region = new Int32Array(n);
    this.index = new Int32Array(n);
    this.low = new Int32Array(n);
    this.onStack = new Uint8Array(n);
    this.callNode = new Int32Array(n);
    this.callEdge = new Int32Array(n);
    this.sstack = new Int32Array(n);
    const ni = this.kinds.length;
    this.compOf = new Int32Array(ni);
    this.count = new Int32Array(ni);
    this.taken = new Uint8Array(ni);
    this.lastNode = new Int32Array(ni);
    this.failAt = new Int32Array(ni);
  }

  newTag(): number {
    return ++this.lastTag;
  }

  /** Whether p held anywhere for property k, and its fair components (none: the property holds). */
  analyze(k: number): { premise: boolean; comps: FairComponent[] } {
    const { n, off, tgt, graph, region } = this;
    const g = k >> 4;
    const pm = 1 << ((k & 15) * 2),
      qm = 2 << ((k & 15) * 2);
    const B = this.edges.words(g);
    let premise = false;

    // the nodes a ¬q walk from a p∧¬q point reaches
    const reach = new Uint8Array(n);
    const queue = new Int32Array(n);
    let head = 0,
      tail = 0;
    const seed = (v: number) => {
      if (reach[v] === 0) {
        reach[v] = 1;
        queue[tail++] = v;
      }
    };
    const initCount = graph.initBits.length / graph.groups;
    for (let i = 0; i < initCount; i++) {
      const w = graph.initBits[i * graph.groups + g];
      if ((w & pm) !== 0) {
        premise = true;
        if ((w & qm) === 0) seed(i);
      }
    }
    for (let e = 0; e < off[n]; e++) {
      const w = B.get(e);
      if ((w & pm) !== 0) {
        premise = true;
        if ((w & qm) === 0) seed(tgt.get(e));
      }
    }
    while (head < tail) {
      const u = queue[head++];
      for (let e = off[u]; e < off[u + 1]; e++) if ((B.get(e) & qm) === 0) seed(tgt.get(e));
    }
    region.fill(0);
    const top = this.newTag();
    const roots = new Int32Array(tail);
    let r = 0;
    for (let v = 0; v < n; v++) {
      if (reach[v] === 1) {
        roots[r++] = v;
        region[v] = top;
      }
    }

    const comps: FairComponent[] = [];
    // regions to split into SCCs: the whole ¬q region first, then what strong-fairness
    // refinements leave of components
    const work: { nodes: Int32Array; tag: number }[] = [{ nodes: roots, tag: top }];
    while (work.length > 0) {
      const { nodes, tag } = work.shift()!;
      this.tarjan(nodes, tag, B, qm, (start, end) => {
        const stack = this.sstack;
        const t = this.newTag();
        for (let i = start; i < end; i++) region[stack[i]] = t;
        const verdict = this.checkComponent(stack, start, end, t, B, qm);
        if (verdict === FAIR) comps.push({ tag: t, nodes: stack.slice(start, end) });
        else if (verdict === UNFAIR) for (let i = start; i < end; i++) region[stack[i]] = 0;
        else {
          const rest: number[] = [];
          const rt = this.newTag();
          for (let i = start; i < end; i++) {
            const v = stack[i];
            if (this.enablesFailing(v, t)) region[v] = 0;
            else rest.push(v);
          }
          if (rest.length > 0) {
            rest.sort((a, b) => a - b);
            for (const v of rest) region[v] = rt;
            work.push({ nodes: Int32Array.from(rest), tag: rt });
          }
        }
      });
    }
    return { premise, comps };
  }

  /**
   * Iterative Tarjan (no recursion: millions of nodes) over the ¬q edges between the nodes of
   * region `tag` (`roots`, all of them); `onScc(start, end)` gets each SCC as sstack[start, end),
   * in the order Tarjan closes them. onScc may retag the SCC's nodes (they are done with).
   */
  private tarjan(roots: Int32Array, tag: number, B: EdgeColumn, qm: number, onScc: (start: number, end: number) => void): void {
    const { off, tgt, region, index, low, onStack, callNode, callEdge, sstack } = this;
    for (let ri = 0; ri < roots.length; ri++) index[roots[ri]] = -1; // the roots are the whole region
    let counter = 0;
    let sp = 0;
    for (let ri = 0; ri < roots.length; ri++) {
      const root = roots[ri];
      if (region[root] !== tag || index[root] >= 0) continue;
      let top = 0;
      callNode[0] = root;
      callEdge[0] = off[root];
      index[root] = low[root] = counter++;
      sstack[sp++] = root;
      onStack[root] = 1;
      while (top >= 0) {
        const v = callNode[top];
        const e = callEdge[top];
        if (e < off[v + 1]) {
          callEdge[top] = e + 1;
          if ((B.get(e) & qm) !== 0 || this.kinds[this.inst.get(e)] === FINITE) continue;
          const w = tgt.get(e);
          if (region[w] !== tag) continue;
          if (index[w] < 0) {
            top++;
            callNode[top] = w;
            callEdge[top] = off[w];
            index[w] = low[w] = counter++;
            sstack[sp++] = w;
            onStack[w] = 1;
          } else if (onStack[w] === 1 && index[w] < low[v]) low[v] = index[w];
        } else {
          if (low[v] === index[v]) {
            let s = sp;
            do {
              s--;
              onStack[sstack[s]] = 0;
            } while (sstack[s] !== v);
            onScc(s, sp);
            sp = s;
          }
          top--;
          if (top >= 0) {
            const u = callNode[top];
            if (low[v] < low[u]) low[u] = low[v];
          }
        }
      }
    }
  }

  /**
   * The fair instances enabled somewhere in component `tag` (nodes[start, end)), with, for
   * each, at how many of its nodes it is enabled and whether an edge inside takes it.
   */
  private survey(nodes: Int32Array, start: number, end: number, tag: number, B: EdgeColumn, qm: number): number[] {
    const { off, tgt, inst, region, compOf, count, taken, lastNode, touched } = this;
    const id = ++this.surveys; // the scratch entries of the instances met in this survey
    touched.length = 0;
    for (let i = start; i < end; i++) {
      const v = nodes[i];
      for (let e = off[v]; e < off[v + 1]; e++) {
        const a = inst.get(e);
        if (a === 0 || this.kinds[a] === FINITE) continue;
        if (compOf[a] !== id) {
          compOf[a] = id;
          count[a] = 0;
          taken[a] = 0;
          lastNode[a] = -1;
          touched.push(a);
        }
        if (lastNode[a] !== v) {
          lastNode[a] = v;
          count[a]++;
        }
        if (taken[a] === 0 && (B.get(e) & qm) === 0 && region[tgt.get(e)] === tag) taken[a] = 1;
      }
    }
    return touched;
  }

  private checkComponent(nodes: Int32Array, start: number, end: number, tag: number, B: EdgeColumn, qm: number): number {
    const touched = this.survey(nodes, start, end, tag, B, qm);
    let refine = false;
    for (const a of touched) {
      if (this.taken[a] === 1) continue;
      if (this.kinds[a] === WEAK) {
        if (this.count[a] === end - start) return UNFAIR;
      } else if (this.kinds[a] === STRONG) {
        this.failAt[a] = tag;
        refine = true;
      }
    }
    return refine ? REFINE : FAIR;
  }

  /** Whether a strong instance that failed in component `tag` is enabled at v. */
  private enablesFailing(v: number, tag: number): boolean {
    for (let e = this.off[v]; e < this.off[v + 1]; e++) {
      const a = this.inst.get(e);
      if (a !== 0 && this.failAt[a] === tag) return true;
    }
    return false;
  }
}

/**
 * Checks every leadsTo property on the recorded graph of a complete search;
 * builds the lasso of the first violated one. `edges`: how the analysis reads
 * the edges (LivenessGraph.edgesFor: the arrays, or a spilled graph's pages).
 */
export function checkLiveness<S>(
  model: LiveModel<S>,
  visited: VisitedSet<S>,
  graph: LivenessGraph<S>,
  edges: GraphEdges = graph.edgesFor(0),
): LivenessOutcome<S> {
  const analyzer = new Analyzer(graph as LivenessGraph<unknown>, edges);
  const violated: boolean[] = [],
    premise: boolean[] = [];
  let first = -1;
  let trace: TraceStep<S>[] = [];
  let loop: number | null = null;
  for (let k = 0; k < graph.props.length; k++) {
    const { premise: held, comps } = analyzer.analyze(k);
    premise.push(held);
    violated.push(comps.length > 0);
    if (comps.length > 0 && first < 0) {
      first = k;
      ({ trace, loop } = buildLasso(model, visited, graph, analyzer, k, comps));
    }
  }
  const n = graph.nodes;
  return { violated, premise, first, trace, loop, scratchBytes: ANALYSIS_BYTES_PER_NODE * n + (first >= 0 ? LASSO_BYTES_PER_NODE * n : 0) };
}

function buildLasso<S>(
  model: LiveModel<S>,
  visited: VisitedSet<S>,
  graph: LivenessGraph<S>,
  an: Analyzer,
  k: number,
  comps: FairComponent[],
): { trace: TraceStep<S>[]; loop: number } {
  const { n, off, tgt, inst, region } = an;
  const g = k >> 4,
    shift = (k & 15) * 2;
  const pm = 1 << shift,
    qm = 2 << shift;
  const B = an.edges.words(g);
  const fairOf = new Int32Array(n).fill(-1);
  comps.forEach((c, i) => {
    for (const v of c.nodes) fairOf[v] = i;
  });

  // ---- the stem: BFS over (node, phase), state 2v + phase
  const seen = new Uint8Array(2 * n);
  const prevState = new Int32Array(2 * n);
  const prevEdge = new Int32Array(2 * n);
  const queue = new Int32Array(2 * n);
  let head = 0,
    tail = 0,
    found = -1;
  const visit = (x: number, from: number, e: number): boolean => {
    if (seen[x] === 1) return false;
    seen[x] = 1;
    prevState[x] = from;
    prevEdge[x] = e;
    queue[tail++] = x;
    if ((x & 1) === 1 && fairOf[x >> 1] >= 0) found = x;
    return found >= 0;
  };
  const initCount = graph.initBits.length / graph.groups;
  /** the BFS, until it finds a phase-1 node of a fair component (then `found` is set) */
  const searchStem = (): void => {
    for (let i = 0; i < initCount; i++) {
      const w = graph.initBits[i * graph.groups + g];
      if ((w & pm) !== 0 && (w & qm) === 0 && visit(2 * i + 1, -1, -1)) return;
      visit(2 * i, -1, -1);
    }
    while (head < tail) {
      const x = queue[head++];
      const u = x >> 1;
      for (let e = off[u]; e < off[u + 1]; e++) {
        const w = B.get(e),
          v = tgt.get(e);
        if ((x & 1) === 0) {
          if ((w & pm) !== 0 && (w & qm) === 0 && visit(2 * v + 1, x, e)) return;
          visit(2 * v, x, e);
        } else if ((w & qm) === 0 && visit(2 * v + 1, x, e)) return;
      }
    }
  };
  searchStem();
  if (found < 0) throw new Error('liveness: internal error, no stem reaches a fair component');
  const stem: number[] = [];
  let x = found;
  for (; prevState[x] >= 0; x = prevState[x]) stem.push(prevEdge[x]);
  stem.reverse();
  const startNode = x >> 1;
  const entry = found >> 1;
  const comp = comps[fairOf[entry]];

  // ---- the cycle: greedy, nearest requirement first, inside the component. What is
  // required is worked out as the cycle goes: a weak instance only while it is enabled at
  // every node the cycle has passed (entry included), so passing one node where it is
  // disabled does as well as taking it; a strong instance once the cycle has passed a
  // node where it is enabled. The component is fair, so each can be met inside it.
  const enabledAt = (u: number) => {
    const on = new Set<number>();
    for (let e = off[u]; e < off[u + 1]; e++) if (inst.get(e) !== 0) on.add(inst.get(e));
    return on;
  };
  const pendingWeak = new Set<number>();
  const pendingStrong = new Set<number>();
  const taken = new Set<number>();
  for (const a of enabledAt(entry)) if (an.kinds[a] === WEAK) pendingWeak.add(a);
  /** The cycle passes node u: weak instances disabled there are met; strong ones enabled there are now required. */
  const arrive = (u: number) => {
    const on = enabledAt(u);
    for (const a of pendingWeak) if (!on.has(a)) pendingWeak.delete(a);
    for (const a of on) if (an.kinds[a] === STRONG && !taken.has(a)) pendingStrong.add(a);
  };
  const take = (e: number) => {
    const a = inst.get(e);
    taken.add(a);
    pendingWeak.delete(a);
    pendingStrong.delete(a);
  };
  const meetsWeakAt = (u: number) => {
    if (pendingWeak.size === 0) return false;
    const on = enabledAt(u);
    for (const a of pendingWeak) if (!on.has(a)) return true;
    return false;
  };
  const inside = (e: number) => (B.get(e) & qm) === 0 && an.kinds[inst.get(e)] !== FINITE && region[tgt.get(e)] === comp.tag;
  const mark = new Int32Array(n);
  const viaEdge = new Int32Array(n);
  const viaNode = new Int32Array(n);
  let stamp = 0;
  /** The shortest path (edges, in edge order) inside the component from `from` to the first node `atNode` or edge `onEdge` accepts. */
  const search = (from: number, atNode: (u: number) => boolean, onEdge: (e: number) => boolean): number[] => {
    stamp++;
    const q: number[] = [from];
    mark[from] = stamp;
    const pathTo = (u: number) => {
      const p: number[] = [];
      for (let v = u; v !== from; v = viaNode[v]) p.push(viaEdge[v]);
      return p.reverse();
    };
    for (let h = 0; h < q.length; h++) {
      const u = q[h];
      if (h > 0 && atNode(u)) return pathTo(u);
      for (let e = off[u]; e < off[u + 1]; e++) {
        if (!inside(e)) continue;
        if (onEdge(e)) return [...pathTo(u), e];
        const v = tgt.get(e);
        if (mark[v] !== stamp) {
          mark[v] = stamp;
          viaEdge[v] = e;
          viaNode[v] = u;
          q.push(v);
        }
      }
    }
    throw new Error('liveness: internal error, a requirement of a fair component cannot be met inside it');
  };
  const cycle: number[] = [];
  let cur = entry;
  arrive(entry);
  for (;;) {
    const required = pendingWeak.size + pendingStrong.size > 0;
    // nothing required and back at the entry (or never left it: a stutter, nothing fair enabled there)
    if (!required && cur === entry) break;
    const path = required
      ? search(cur, meetsWeakAt, (e) => pendingWeak.has(inst.get(e)) || pendingStrong.has(inst.get(e)))
      : search(
          cur,
          (u) => u === entry,
          () => false,
        );
    for (const e of path) {
      cycle.push(e);
      take(e);
      arrive(tgt.get(e));
    }
    cur = tgt.get(path[path.length - 1]);
  }

  return replayLasso(model, visited, graph, an.edges, k, startNode, stem, cycle);
}

/** The concrete lasso: replays the stem, then the cycle until it closes on the exact entry state. */
function replayLasso<S>(
  model: LiveModel<S>,
  visited: VisitedSet<S>,
  graph: LivenessGraph<S>,
  edges: GraphEdges,
  k: number,
  startNode: number,
  stem: readonly number[],
  cycle: readonly number[],
): { trace: TraceStep<S>[]; loop: number } {
  const startIndex = model.init.findIndex((s) => visited.find(s) === startNode);
  if (startIndex < 0) throw new Error('liveness lasso: no initial state has the recorded id');
  const start = model.init[startIndex];
  const prop = graph.props[k];
  const g = k >> 4,
    shift = (k & 15) * 2;
  const B = edges.words(g),
    tgt = edges.targets,
    inst = edges.instances;
  const actions = model.actions as readonly ActionDef<S, Params>[];
  const trace: TraceStep<S>[] = [{ action: null, params: {}, state: start }];
  let state = start;
  const advance = (e: number, at: number) => {
    const want = (B.get(e) >>> shift) & 3;
    for (let a = 0; a < actions.length; a++) {
      const action = actions[a];
      for (const params of bindingsOf(action, state)) {
        if (!action.guard(state, params) || graph.instances.find(a, params) !== inst.get(e)) continue;
        const next = action.effect(state, params);
        const step: Step<S> = { from: state, action: action.name, params };
        const bits = (prop.p(next, step) ? 1 : 0) | (prop.q(next, step) ? 2 : 0);
        if (bits !== want || visited.find(next) !== tgt.get(e)) continue;
        trace.push({ action: action.name, params, state: next });
        state = next;
        return;
      }
    }
    // the model's fault: its encode() merges states that its fairness or properties tell apart
    throw new ModelDefinitionError(
      `liveness lasso: no transition matches the recorded edge at step ${at} (does the model's encode merge ` +
        'states that its fairness instances or the property tell apart?)',
    );
  };
  for (const e of stem) advance(e, trace.length);
  const loop = trace.length - 1;
  if (cycle.length === 0) return { trace, loop };
  const key = exactKey(model, state);
  for (let round = 1; round <= MAX_ROUNDS; round++) {
    for (const e of cycle) advance(e, trace.length);
    if (exactKey(model, state) === key) return { trace, loop };
  }
  throw new ModelDefinitionError(
    `liveness lasso: the cycle did not come back to the exact entry state within ${MAX_ROUNDS} rounds ` +
      "(the model's encode merges states in a way the cycle does not undo)",
  );
}

/** A state's exact structural encoding (no symmetry reduction), as a string. */
function exactKey<S>(model: LiveModel<S>, state: S): string {
  const out = new IntCollector();
  try {
    encodeValue(state, out);
  } catch (e) {
    if (!model.codec) throw e;
    out.ints.length = 0;
    model.codec.pack(state, out);
  }
  return out.take();
}
