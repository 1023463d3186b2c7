// The liveness properties of the presence model (model/properties.ts
// livenessProperties), checked under the fairness the actions declare: a fix
// must still let people in, and still close empty meetings. Every verdict
// here is computed by the checker; the lassos are judged again from the
// definitions (checker/lasso.ts), and the negative control shows that the
// properties can fail for a design whose safety holds. Timings at their
// smallest orderings (helpers.ts QUICK): the verdicts of the default
// timings, in a fraction of the states.
import { describe, expect, it } from 'vitest';
import { check, judgeLasso, type CheckResult } from '../../checker/index.ts';
import { DESIGN_NAMES, presenceModel, type Bounds, type State } from '../../model/index.ts';
import { QUICK } from './helpers.ts';

const live = (design: string, bounds: Partial<Bounds>, options: { symmetry?: boolean; settles?: boolean } = {}) => {
  const model = presenceModel(design, { ...QUICK, ...bounds }, { liveness: true, ...options });
  return { model, r: check(model, { maxStates: 5_000_000 }) };
};
const statuses = (r: CheckResult<State>) =>
  Object.fromEntries(r.properties.filter((p) => p.kind === 'leadsTo').map((p) => [p.name, p.status]));
const safetyHolds = (r: CheckResult<State>) => r.properties.filter((p) => p.kind === 'always').every((p) => p.status === 'holds');

/** The designs that leave a lone user in the call of a meeting they deactivated under it (1 user, lag 0). */
// (two-looks-sql: its first look, in the handshake, saw nobody; its SQL second look only records that empty look)
const ORPHANING = [
  'current',
  'current-presence-api',
  'fail-loudly',
  'grace-period',
  'version-check',
  'pending-joins',
  'shipped',
  'two-looks-sql',
];
const LIVE = ['fixed-ttl', 'two-looks', 'fixed', 'refuse-latecomers'];

describe('one user, lag 0 (1 tab each: the smallest bounds where they differ)', () => {
  it('names every design in one of the two lists', () => {
    expect([...ORPHANING, ...LIVE].sort()).toEqual([...DESIGN_NAMES].sort());
  });

  it.each(ORPHANING)('%s: latecomer-joins fails by a lasso that stays out of the active meeting forever', (design) => {
    // the lone user's tab joins a meeting process_meetings has deactivated (it could not see the
    // tab yet): nothing ever moves it, and no meeting is active; safety holds (nobody else is there)
    const { model, r } = live(design, { users: 1, tabs: 1, lag: 0 });
    expect(r.verdict).toBe('violated');
    expect(r.property).toBe('latecomer-joins[u1]');
    expect(safetyHolds(r)).toBe(true);
    expect(r.loop).not.toBeNull();
    expect(judgeLasso(model, r.trace, r.loop!)).toMatchObject({ closes: true, unfair: [] });
    expect(judgeLasso(model, r.trace, r.loop!).violates).toContain('latecomer-joins[u1]');
    const last = r.trace[r.trace.length - 1].state;
    const tabs = Array.from({ length: last.layout.slots }, (_, i) => last.tab(i));
    expect(tabs.some((t) => t.meeting !== 0 && last.meeting(t.meeting)?.active === false)).toBe(true);
  });

  it("shipped also fails refused-tab-joins: a refused tab goes on to the deactivated meeting's room", () => {
    expect(statuses(live('shipped', { users: 1, tabs: 1, lag: 0 }).r)['refused-tab-joins[u1]']).toBe('violated');
  });

  it.each(LIVE)('%s: every liveness property holds', (design) => {
    const { r } = live(design, { users: 1, tabs: 1, lag: 0 });
    expect(r.verdict).toBe('holds');
    expect(Object.values(statuses(r)).every((s) => s === 'holds')).toBe(true);
  });
});

describe('refuse-latecomers, the negative control: safe by locking latecomers out', () => {
  it('keeps every invariant and is caught by latecomer-joins (2 users, 1 tab, lag 0), where fixed holds', () => {
    const control = live('refuse-latecomers', { users: 2, tabs: 1, lag: 0 });
    expect(safetyHolds(control.r)).toBe(true);
    expect(control.r).toMatchObject({ verdict: 'violated', property: 'latecomer-joins[u1]' });
    const { trace, loop } = control.r;
    const judged = judgeLasso(control.model, trace, loop!);
    expect(judged).toMatchObject({ closes: true, unfair: [] });
    expect(judged.violates).toContain('latecomer-joins[u1]');
    // the cycle: u1 is refused because the meeting had a session, asks again, gets the same meeting
    const cycle = trace.slice(loop! + 1).map((s) => s.action);
    expect(cycle).toContain('postJoining');
    expect(cycle).toContain('getOrCreateAgain');
    // the same bounds, the design without the lockout
    expect(live('fixed', { users: 2, tabs: 1, lag: 0 }).r.verdict).toBe('holds');
  });
});

describe('the environment settles (users stop opening and closing tabs in the end)', () => {
  it('without it, fixed starves a latecomer: another user joins and leaves forever, timed against its requests', () => {
    const settled = live('fixed', { users: 2, tabs: 1, lag: 0 });
    const churn = live('fixed', { users: 2, tabs: 1, lag: 0 }, { settles: false });
    expect(settled.r.verdict).toBe('holds');
    expect(churn.r).toMatchObject({ verdict: 'violated', property: 'latecomer-joins[u1]' });
    // the same graph: only which cycles count differs
    expect(churn.r.states).toBe(settled.r.states);
    const cycle = churn.r.trace.slice(churn.r.loop! + 1).map((s) => s.action);
    expect(cycle).toContain('getOrCreateMeeting');
    expect(cycle).toContain('closeTab');
    // judged with settling, the same lasso is not a behaviour that counts
    expect(judgeLasso(settled.model, churn.r.trace, churn.r.loop!).unfair).toContain('getOrCreateMeeting (taken only finitely often)');
  });
});

describe('symmetry for liveness: the verdicts of the unreduced model (docs/model.md, Symmetry)', () => {
  // liveness alone (the invariants left out, so that a design that breaks one is judged on liveness too)
  const livenessOnly = (design: string, bounds: Partial<Bounds>, symmetry: boolean) => {
    const model = presenceModel(design, { ...QUICK, ...bounds }, { liveness: true, symmetry });
    return check({ ...model, properties: model.properties.filter((p) => p.kind === 'leadsTo') }, { maxStates: 5_000_000 });
  };
  it.each([
    ['current', { users: 1, tabs: 2, lag: 0 }],
    ['fixed', { users: 1, tabs: 2, lag: 0 }],
    ['current', { users: 2, tabs: 1, lag: 0 }],
    ['shipped', { users: 2, tabs: 1, lag: 0 }],
    ['refuse-latecomers', { users: 2, tabs: 1, lag: 0 }],
    ['fixed', { users: 2, tabs: 1, lag: 0 }],
  ] as const)('%s at %o: the same statuses, property and lasso length on fewer states', (design, bounds) => {
    const reduced = livenessOnly(design, bounds, true);
    const full = livenessOnly(design, bounds, false);
    expect([reduced.limit, full.limit]).toEqual([null, null]);
    expect(statuses(reduced)).toEqual(statuses(full));
    expect([reduced.verdict, reduced.property, reduced.trace.length]).toEqual([full.verdict, full.property, full.trace.length]);
    expect(reduced.states).toBeLessThan(full.states);
  });
});
