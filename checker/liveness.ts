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
import { CycleRequirements, StemSearch } from './lasso-search.ts';
import { FAIR, REFINE, refineComponent, type Region, Tarjan, tagReached, UNFAIR } from './scc.ts';
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

class Analyzer {
  readonly n: number;
  readonly off: Int32Array;
  readonly tgt: EdgeColumn;
  readonly inst: EdgeColumn;
  readonly kinds: Uint8Array;
  /** region tag per node: the node set a Tarjan run or a component check works in (0: none) */
  readonly region: Int32Array;
  private readonly scc: Tarjan;
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
    this.scc = new Tarjan(n);
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
  analyze(k: number): { premise: boolean; comps: Region[] } {
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
    const roots = tagReached(reach, tail, region, top);

    const comps: Region[] = [];
    // regions to split into SCCs: the whole ¬q region first, then what strong-fairness
    // refinements leave of components
    const work: Region[] = [{ nodes: roots, tag: top }];
    // ¬q edges, none of a finite action
    const inside = (e: number): number => ((B.get(e) & qm) !== 0 || this.kinds[this.inst.get(e)] === FINITE ? -1 : tgt.get(e));
    while (work.length > 0) {
      const { nodes, tag } = work.shift()!;
      this.scc.run(nodes, region, tag, off, 1, inside, (stack, start, end) => {
        const t = this.newTag();
        for (let i = start; i < end; i++) region[stack[i]] = t;
        const verdict = this.checkComponent(stack, start, end, t, B, qm);
        if (verdict === FAIR) comps.push({ tag: t, nodes: stack.slice(start, end) });
        else if (verdict === UNFAIR) for (let i = start; i < end; i++) region[stack[i]] = 0;
        else {
          const rest = refineComponent(stack, start, end, region, (v) => this.enablesFailing(v, t), this.newTag());
          if (rest !== null) work.push(rest);
        }
      });
    }
    return { premise, comps };
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
  comps: Region[],
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
  const stemSearch = new StemSearch(n, (x) => (x & 1) === 1 && fairOf[x >> 1] >= 0);
  const initCount = graph.initBits.length / graph.groups;
  /** the BFS, until it finds a phase-1 node of a fair component */
  const searchStem = (): void => {
    for (let i = 0; i < initCount; i++) {
      const w = graph.initBits[i * graph.groups + g];
      if ((w & pm) !== 0 && (w & qm) === 0 && stemSearch.visit(2 * i + 1, -1, -1)) return;
      stemSearch.visit(2 * i, -1, -1);
    }
    for (let x = stemSearch.next(); x >= 0; x = stemSearch.next()) {
      const u = x >> 1;
      for (let e = off[u]; e < off[u + 1]; e++) if (stemSearch.follow(x, e, B.get(e), tgt.get(e), pm, qm)) return;
    }
  };
  searchStem();
  const { start: x, edges: stem } = stemSearch.path();
  const found = stemSearch.found;
  const startNode = x >> 1;
  const entry = found >> 1;
  const comp = comps[fairOf[entry]];

  // ---- the cycle: greedy, nearest requirement first, inside the component, with what is
  // required worked out as the cycle goes (CycleRequirements). The component is fair, so
  // each requirement can be met inside it.
  const enabledAt = (u: number) => {
    const on = new Set<number>();
    for (let e = off[u]; e < off[u + 1]; e++) if (inst.get(e) !== 0) on.add(inst.get(e));
    return on;
  };
  const needs = new CycleRequirements((a) => an.kinds[a], enabledAt(entry));
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
  for (;;) {
    const required = needs.required;
    // nothing required and back at the entry (or never left it: a stutter, nothing fair enabled there)
    if (!required && cur === entry) break;
    const path = required
      ? search(
          cur,
          (u) => needs.metBy(() => enabledAt(u)),
          (e) => needs.wants(inst.get(e)),
        )
      : search(
          cur,
          (u) => u === entry,
          () => false,
        );
    for (const e of path) {
      cycle.push(e);
      needs.take(inst.get(e));
      needs.arrive(enabledAt(tgt.get(e)));
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
