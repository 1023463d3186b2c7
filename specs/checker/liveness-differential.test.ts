// Differential testing of liveness: random small models (live-graph.ts) checked by the
// checker and by a brute-force reference written here straight from the definitions
// (checker/liveness.ts states them): a fair counterexample to p ~> q exists iff, among the
// nodes a ¬q walk reaches from a p∧¬q point, some node lets the behaviour stop (no fair
// instance enabled there), or some nonempty set S of ¬q edges between such nodes is strongly
// connected, takes no edge of a finite action, and is fair when every edge of S is taken
// infinitely often: no weak instance enabled
// at every node of S and never taken in S, no strong instance enabled at some node of S and
// never taken in S. Every edge set is enumerated, so the graphs are kept small. Every lasso
// the checker returns is also replayed and checked against the definitions.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { check, type CheckResult } from '../../checker/index.ts';
import { liveGraphArb, liveGraphModel, MAX_BINDINGS, paramsOf, type LiveGraph } from './live-graph.ts';

/** the reference enumerates 2^(¬q edges in the region) subsets: at most this many edges */
const MAX_REGION_EDGES = 13;

interface Edge {
  readonly from: number;
  readonly to: number;
  readonly a: number;
  readonly k: number;
  /** the fairness instance, as the definition says (null: not fair) */
  readonly inst: string | null;
}

/** The fairness instance of action a, binding k, computed here from the spec, independently of the checker. */
function instanceOf(g: LiveGraph, a: number, k: number): string | null {
  const spec = g.actions[a].fairness;
  if (spec === 'none' || spec === 'finite') return null;
  if (spec === 'weak' || spec === 'strong') return `${a}:k=${k}`; // all params: {k, g} where g follows from k
  if (spec.endsWith('-g')) return `${a}:g=${k >> 1}`;
  return `${a}`;
}
const kindOf = (g: LiveGraph, inst: string) => (g.actions[Number(inst.split(':')[0])].fairness.startsWith('weak') ? 'weak' : 'strong');

function explore(g: LiveGraph) {
  const seen = new Set<number>(g.init);
  const queue = [...seen];
  const edges: Edge[] = [];
  for (let h = 0; h < queue.length; h++) {
    const s = queue[h];
    g.actions.forEach((act, a) => {
      for (let k = 0; k < act.bindings; k++) {
        const to = act.targets[s * MAX_BINDINGS + k];
        if (to < 0) continue;
        edges.push({ from: s, to, a, k, inst: instanceOf(g, a, k) });
        if (!seen.has(to)) {
          seen.add(to);
          queue.push(to);
        }
      }
    });
  }
  const insts = [...new Set(edges.map((e) => e.inst).filter((i): i is string => i !== null))];
  const enabled = (v: number, inst: string) => edges.some((e) => e.from === v && e.inst === inst);
  return { nodes: queue, edges, insts, enabled };
}

const takenFinitely = (g: LiveGraph, e: Edge) => g.actions[e.a].fairness === 'finite';
const pq = (g: LiveGraph, prop: number, e: Edge) => g.labels[prop][(e.a * g.n + e.from) * MAX_BINDINGS + e.k];

/** Whether the cycle that visits `nodes` and takes `taken` (instances) forever is fair. */
function fairCycle(g: LiveGraph, world: ReturnType<typeof explore>, nodes: readonly number[], taken: ReadonlySet<string | null>): boolean {
  for (const inst of world.insts) {
    if (taken.has(inst)) continue;
    const at = nodes.filter((v) => world.enabled(v, inst)).length;
    if (kindOf(g, inst) === 'weak' ? at === nodes.length : at > 0) return false;
  }
  return true;
}

/** The brute-force verdict for property `prop`: a fair counterexample exists. */
function referenceViolated(g: LiveGraph, prop: number, world: ReturnType<typeof explore>): boolean | 'too-big' {
  const points = new Set<number>();
  for (const s of new Set(g.init)) if (g.initLabels[prop][s] === 1) points.add(s); // p and not q
  for (const e of world.edges) if (pq(g, prop, e) === 1) points.add(e.to);
  const region = new Set(points);
  const queue = [...points];
  for (let h = 0; h < queue.length; h++) {
    for (const e of world.edges) {
      if (e.from === queue[h] && (pq(g, prop, e) & 2) === 0 && !region.has(e.to)) {
        region.add(e.to);
        queue.push(e.to);
      }
    }
  }
  // stop forever where no fair instance is enabled
  for (const v of region) if (world.insts.every((i) => !world.enabled(v, i))) return true;
  // a cycle never takes a finite action's edge (the walk into the region may)
  const inner = world.edges.filter((e) => region.has(e.from) && region.has(e.to) && (pq(g, prop, e) & 2) === 0 && !takenFinitely(g, e));
  if (inner.length > MAX_REGION_EDGES) return 'too-big';
  for (let mask = 1; mask < 1 << inner.length; mask++) {
    const S = inner.filter((_, i) => (mask >> i) & 1);
    const nodes = [...new Set(S.flatMap((e) => [e.from, e.to]))];
    const reaches = (from: number, forward: boolean) => {
      const got = new Set([from]);
      const q = [from];
      for (let h = 0; h < q.length; h++) {
        for (const e of S) {
          const [x, y] = forward ? [e.from, e.to] : [e.to, e.from];
          if (x === q[h] && !got.has(y)) {
            got.add(y);
            q.push(y);
          }
        }
      }
      return got.size === nodes.length;
    };
    if (!reaches(nodes[0], true) || !reaches(nodes[0], false)) continue;
    if (fairCycle(g, world, nodes, new Set(S.map((e) => e.inst)))) return true;
  }
  return false;
}

/** The lasso is a real fair counterexample to property `prop`, checked step by step from the definitions. */
function checkLasso(g: LiveGraph, r: CheckResult<number>, prop: number, world: ReturnType<typeof explore>): void {
  const { trace, loop } = r;
  expect(loop).not.toBeNull();
  const end = trace.length - 1;
  expect(loop!).toBeGreaterThanOrEqual(0);
  expect(loop!).toBeLessThanOrEqual(end);
  expect(g.init).toContain(trace[0].state);
  const labels: number[] = [g.initLabels[prop][trace[0].state]];
  const insts: (string | null)[] = [null];
  for (let i = 1; i <= end; i++) {
    const a = Number(trace[i].action!.slice(1));
    const k = trace[i].params.k as number;
    expect(trace[i].params).toEqual(paramsOf(k));
    expect(g.actions[a].targets[trace[i - 1].state * MAX_BINDINGS + k]).toBe(trace[i].state);
    const e: Edge = { from: trace[i - 1].state, to: trace[i].state, a, k, inst: instanceOf(g, a, k) };
    labels.push(pq(g, prop, e));
    insts.push(e.inst);
  }
  expect(trace[end].state).toBe(trace[loop!].state);
  // p and not q at some i, and q false at every later entry, the cycle's included
  const notQ = (j: number) => (labels[j] & 2) === 0;
  const from = labels.findIndex((l, i) => l === 1 && labels.slice(i).every((_, j) => notQ(i + j)));
  expect(from).toBeGreaterThanOrEqual(0);
  for (let j = loop! + 1; j <= end; j++) expect(notQ(j)).toBe(true);
  if (loop === end) {
    // stutters forever: allowed only where no fair instance is enabled
    expect(world.insts.filter((i) => world.enabled(trace[end].state, i))).toEqual([]);
  } else {
    const nodes = [...new Set(trace.slice(loop!, end).map((t) => t.state))];
    // the cycle takes no finite action
    for (let i = loop! + 1; i <= end; i++) expect(g.actions[Number(trace[i].action!.slice(1))].fairness).not.toBe('finite');
    expect(fairCycle(g, world, nodes, new Set(insts.slice(loop! + 1)))).toBe(true);
  }
}

describe('liveness, differential: the checker against a brute-force reference', () => {
  it('agrees on the verdict of every property, and every lasso is a real fair counterexample', () => {
    let violated = 0,
      compared = 0;
    fc.assert(
      fc.property(liveGraphArb, (g) => {
        const world = explore(g);
        const ref = g.labels.map((_, prop) => referenceViolated(g, prop, world));
        fc.pre(ref.every((v) => v !== 'too-big'));
        const model = liveGraphModel(g);
        const r = check(model);
        const { elapsedMs: _a, visitedBytes: _b, ...one } = r;
        const { elapsedMs: _c, visitedBytes: _d, ...exact } = check(model, { exact: true });
        expect(exact).toEqual(one);
        const status = g.labels.map((_, prop) => r.properties.find((p) => p.name === `live${prop}`)!.status);
        expect(status).toEqual(ref.map((v) => (v ? 'violated' : 'holds')));
        const first = ref.indexOf(true);
        compared++;
        if (first >= 0) {
          violated++;
          expect(r.verdict).toBe('violated');
          expect(r.property).toBe(`live${first}`);
          checkLasso(g, r, first, world);
        } else {
          expect(r.loop).toBeNull();
          expect(r.verdict).not.toBe('violated');
          // p never held: the property proves nothing, the run is vacuous
          g.labels.forEach((_labels, prop) => {
            const premise =
              world.edges.some((e) => (pq(g, prop, e) & 1) === 1) || [...new Set(g.init)].some((s) => (g.initLabels[prop][s] & 1) === 1);
            expect(r.vacuity.unreachedWitnesses.includes(`live${prop}`)).toBe(!premise);
          });
        }
      }),
      { numRuns: 600 },
    );
    // the random models must exercise both answers
    expect(violated).toBeGreaterThan(compared / 10);
    expect(compared - violated).toBeGreaterThan(compared / 10);
  });
});
