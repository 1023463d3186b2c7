// Every action of every design carries its own words, so that reports,
// exports and replay never fall back to a bare name for a presence step:
// a sentence for each step, a reason when it is not enabled (and none when it
// is), a lane to draw it in, and the bindings it can ever take.
import { describe, expect, it } from 'vitest';
import { forEachSuccessor, type ActionDef, type Params, type TraceStep } from '../../checker/index.ts';
import { DESIGN_NAMES, presenceModel, type State } from '../../model/index.ts';

/** The first `limit` states of a breadth-first walk, each with a run that reaches it. */
function runs(model: ReturnType<typeof presenceModel>, limit: number): TraceStep<State>[][] {
  const out: TraceStep<State>[][] = [[{ action: null, params: {}, state: model.init[0] }]];
  const seen = new Set<State>([model.init[0]]);
  for (let head = 0; head < out.length && out.length < limit; head++) {
    const run = out[head];
    forEachSuccessor(model.actions as readonly ActionDef<State, Params>[], run[run.length - 1].state, (a, params, next) => {
      if ([...seen].some((s) => s.equals(next))) return;
      seen.add(next);
      out.push([...run, { action: model.actions[a].name, params, state: next }]);
    });
  }
  return out;
}

describe.each(DESIGN_NAMES)('%s', (design) => {
  const model = presenceModel(design, { users: 2, lag: 1 }, { symmetry: false });
  const actions = model.actions as readonly ActionDef<State, Params>[];
  const lanes = new Set(model.lanes!.map((l) => l.id));
  const sample = runs(model, 400);

  it("every action has a sentence, an explanation, an arrow into the model's lanes, and a domain covering its bindings", () => {
    for (const a of actions) {
      expect([a.name, typeof a.describe, typeof a.explain, typeof a.arrow]).toEqual([a.name, 'function', 'function', 'function']);
      const domain = a.domain ?? [{}];
      for (const p of domain) {
        const arrow = a.arrow!(p);
        const used = 'across' in arrow ? [] : 'over' in arrow ? [arrow.over] : [arrow.from, arrow.to];
        for (const l of used) expect(lanes.has(l), `${a.name}: lane ${l}`).toBe(true);
      }
      for (const run of sample)
        for (const p of a.params ? a.params(run[run.length - 1].state) : [{}]) {
          expect(
            domain.some((d) => JSON.stringify(d) === JSON.stringify(p)),
            `${a.name} ${JSON.stringify(p)}`,
          ).toBe(true);
        }
    }
  });

  it('says what each step did, and explains exactly the steps that are not enabled', () => {
    let explained = 0;
    for (const run of sample) {
      const s = run[run.length - 1].state;
      for (const a of actions) {
        for (const p of a.domain ?? [{}]) {
          const bound = a.params ? [...a.params(s)].some((q) => JSON.stringify(q) === JSON.stringify(p)) : true;
          const enabled = bound && a.guard(s, p);
          const why = a.explain!(run, p);
          if (enabled) {
            expect(why, `${a.name} ${JSON.stringify(p)} is enabled`).toBeNull();
            const text = a.describe!({ from: s, action: a.name, params: p }, a.effect(s, p));
            expect(text.trim().length).toBeGreaterThan(0);
            expect(text).not.toMatch(/\bundefined\b|\bNaN\b|\[object/);
          } else if (why !== null) {
            explained++;
            expect(why).not.toMatch(/\bundefined\b|\bNaN\b|\[object/);
          }
        }
      }
    }
    // most disabled steps get a reason in words (the rest fall back to "its guard is false")
    expect(explained).toBeGreaterThan(0);
  });
});
