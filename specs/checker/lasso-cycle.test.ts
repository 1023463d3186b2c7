// A lasso's cycle is built with only the requirements of the nodes it
// passes: a weak instance is met by passing a node where it is disabled as
// well as by taking it (issue 22: with N weak instances that a short cycle
// meets, the cycle took every one of them, N·(N+1) steps here).
import { describe, expect, it } from 'vitest';
import { action, check, eventually, judgeLasso, type Model } from '../../checker/index.ts';
import { buildRunReport } from '../../report/build.ts';
import { formatRun } from '../../export/index.ts';

/**
 * States: 0 the entry E, 1 a hub H, and N detours of N states each. From E,
 * toHub (not fair) goes to H and `detour(j)` (weakly fair, per j) to the
 * first state of detour j, which leads back to E in N steps; from H, `back`
 * (weakly fair, so nothing may stay at H) goes to E. Every detour instance is
 * enabled at E only, so the cycle E -> H -> E meets them all by passing H: 2
 * steps. Taking each detour instead costs N + 1 steps apiece.
 */
function detours(n: number): Model<number> {
  const first = (j: number) => 2 + (j - 1) * n;
  const last = (j: number) => first(j) + n - 1;
  const onDetour = (s: number) => s >= 2;
  return {
    name: `detours-${n}`,
    init: [0],
    actions: [
      action<number>({ name: 'toHub', guard: (s) => s === 0, effect: () => 1 }),
      action<number>({ name: 'back', guard: (s) => s === 1, effect: () => 0, fairness: 'weak' }),
      action<number, { j: number }>({
        name: 'detour',
        params: () => DETOURS.slice(0, n),
        guard: (s) => s === 0,
        effect: (_s, { j }) => first(j),
        fairness: 'weak',
      }),
      action<number>({
        name: 'walk',
        guard: onDetour,
        // along the detour, and from its last state back to E
        effect: (s) => (Array.from({ length: n }, (_, j) => last(j + 1)).includes(s) ? 0 : s + 1),
      }),
    ],
    // nothing ever gets done: violated by any fair cycle
    properties: [eventually('done', 'something gets done', () => false)],
    deadlockIsError: false,
  };
}
const DETOURS = Array.from({ length: 64 }, (_, k) => ({ j: k + 1 }));

describe('lasso cycles', () => {
  it.each([4, 16, 40])('with %i weak instances that passing one node meets, the cycle has at most 2·N steps', (n) => {
    const model = detours(n);
    const r = check(model);
    expect([r.verdict, r.property, r.loop]).toEqual(['violated', 'done', 0]);
    const cycle = r.trace.length - 1 - r.loop!;
    expect(cycle).toBeLessThanOrEqual(2 * n);
    // and it is a real fair cycle, judged from the definitions
    expect(judgeLasso(model, r.trace, r.loop!)).toEqual({ closes: true, unfair: [], violates: ['done'] });
    // the report gives its length
    const report = buildRunReport(model, r, {
      design: null,
      model: model.name,
      modelPath: null,
      bounds: null,
      boundsText: null,
      preset: null,
      symmetry: null,
      symmetryApplied: null,
      liveness: true,
      settles: null,
      faults: null,
      assumptions: null,
      exact: false,
      limits: { maxStates: null, maxTimeMs: null, maxDepth: null },
      rerun: null,
      job: { kind: 'module', path: 'detours', liveness: true },
    });
    expect(report.cycleLength).toBe(cycle);
    expect(formatRun(report)).toContain(`(a cycle of ${cycle} ${cycle === 1 ? 'step' : 'steps'}) forever, after 0 steps`);
  });

  it('a weak instance enabled at every node the cycle passes is still taken', () => {
    // the same, but each detour is enabled everywhere: no node meets it, so every detour is taken
    const n = 3;
    const base = detours(n);
    const model: Model<number> = {
      ...base,
      actions: base.actions.map((a) => (a.name === 'detour' ? { ...a, guard: () => true } : a)),
    };
    const r = check(model);
    expect(r.verdict).toBe('violated');
    const steps = r.trace.slice(r.loop! + 1).map((t) => `${t.action}${t.params.j ?? ''}`);
    for (let j = 1; j <= n; j++) expect(steps).toContain(`detour${j}`);
    expect(judgeLasso(model, r.trace, r.loop!)).toEqual({ closes: true, unfair: [], violates: ['done'] });
  });
});
