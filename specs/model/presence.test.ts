// The executable claims about the presence protocol. Every verdict here is
// computed by the checker from the model; the tests state what the answer
// must be and check each trace's shape against the design doc and
// REAL_SYSTEM.md. Trace lengths are pinned as regressions, each after its
// trace was read against REAL_SYSTEM.md (the shapes say what was read).
import { describe, expect, it } from 'vitest';
import { check, replay, type CheckResult, type TraceStep } from '../../checker/index.ts';
import {
  DEFAULT_BOUNDS,
  DESIGNS,
  FAULT_NAMES,
  faultsInForce,
  presenceModel,
  timingAssumptionOf,
  type Bounds,
  type PresenceOptions,
  type State,
} from '../../model/index.ts';
import { activeMeeting, inCall } from '../../model/state.ts';
import { actionsOf, expectHoldsNonVacuously, FAST_POLLS, QUICK, run, statuses, stepsOf } from './helpers.ts';

/**
 * One run of each check in this file, read by every test that asks for it (each reads its own part of the
 * result; none changes it): the same design, bounds and options give the same result (the determinism test
 * below runs one of them again).
 */
const runs = new Map<string, CheckResult<State>>();
function shared(design: string, bounds: Partial<Bounds>, options: PresenceOptions = {}): CheckResult<State> {
  const key = JSON.stringify([design, bounds, options]);
  if (!runs.has(key)) runs.set(key, run(design, bounds, options));
  return runs.get(key)!;
}

const userOfSlot = (s: State, i: number) => Math.floor(i / s.layout.tabsPerUser) + 1;
const slotsOf = (s: State) => Array.from({ length: s.layout.slots }, (_, i) => i);

/** The orphan of a no-orphaned-call violation: a tab in the call of a meeting other than the active one. */
function orphanOf(s: State): number {
  const active = activeMeeting(s);
  return slotsOf(s).find((i) => inCall(s.tab(i)) && s.tab(i).meeting !== active) ?? -1;
}

describe('current (main branch): the race the design doc describes', () => {
  const result = (lag: number) => shared('current', { users: 2, tabs: 2, lag });

  it.each([
    [0, 12],
    [1, 14],
    [2, 14],
  ])('is violated at 2 users × 2 tabs, lag %i, by a shortest trace of %i steps', (lag, length) => {
    const r = result(lag);
    expect([r.verdict, r.property, r.trace.length - 1]).toEqual(['violated', 'no-orphaned-call', length]);
  });

  it.each([0, 1, 2])(
    'has the doc timeline shape at lag %i: a tab joining M1 is invisible to process_meetings when it deactivates M1; then another user gets a new meeting',
    (lag) => {
      const trace = result(lag).trace;
      const last = trace[trace.length - 1].state;
      const newMeeting = activeMeeting(last);
      expect(trace[trace.length - 1].action).toBe('getOrCreateMeeting');
      expect(activeMeeting(trace[trace.length - 2].state)).toBe(0);
      expect(newMeeting).not.toBe(0);

      // the orphan: in the Daily call of the old, deactivated meeting
      const orphan = orphanOf(last);
      expect(orphan).toBeGreaterThanOrEqual(0);
      const oldMeeting = last.tab(orphan).meeting;
      expect(last.meeting(oldMeeting)!.active).toBe(false);
      // the new meeting went to another user than the orphan
      const newcomer = slotsOf(last).find((i) => last.tab(i).meeting === newMeeting)!;
      expect(userOfSlot(last, newcomer)).not.toBe(userOfSlot(last, orphan));

      // when process_meetings decided, the orphan's tab was already on its way into M1 (handshaking, or in
      // the call before any poll recorded it) yet had no open DB session, which is all the main branch reads
      const decision = trace.findIndex((s) => s.action === 'pmReadsSessions' && (s.state.meeting(oldMeeting)?.worker ?? 0) > 0);
      expect(decision).toBeGreaterThan(0);
      const atDecision = trace[decision].state.tab(orphan);
      expect(atDecision.meeting).toBe(oldMeeting);
      expect(['handshaking', 'connected', 'joined']).toContain(atDecision.phase);
      expect(atDecision.sessionOpen).toBe(false);
      expect(trace[decision + 1].action).toBe('pmDeactivates');
    },
  );

  it('prints a trace that is a real run of the model without symmetry reduction, and of the unreduced model', () => {
    const trace = result(1).trace;
    const plain = replay(presenceModel('current', { users: 2, lag: 1 }, { symmetry: false }), stepsOf(trace));
    expect(plain.ok).toBe(true);
    if (!plain.ok) return;
    expect(plain.violation).toEqual({ property: 'no-orphaned-call', step: trace.length - 1 });
    expect(plain.trace[plain.trace.length - 1].state.equals(trace[trace.length - 1].state)).toBe(true);
    // the reductions of docs/checker.md off too: the same steps, the same violation at the same step
    const unreduced = replay(presenceModel('current', { users: 2, lag: 1 }, { symmetry: false, reduce: false }), stepsOf(trace));
    expect(unreduced.ok && unreduced.violation).toEqual({ property: 'no-orphaned-call', step: trace.length - 1 });
  });
});

describe('every design before the fixes is violated at 2 users × 1 tab × lag 0', () => {
  // each trace read against REAL_SYSTEM.md: a tab is on its way into M1 (or, shipped, in it with its
  // session closed by a poll that read presence before it connected) when process_meetings deactivates M1;
  // the next get-or-create makes M2 for the other user
  it.each([
    ['current', 12],
    ['current-presence-api', 10],
    ['fail-loudly', 10],
    ['grace-period', 14],
    ['version-check', 11],
    ['pending-joins', 14],
    ['shipped', 12],
  ] as const)('%s: no-orphaned-call, by a shortest trace of %i steps', (design, length) => {
    const r = shared(design, { users: 2, tabs: 1, lag: 0 });
    expect([r.verdict, r.property, r.trace.length - 1]).toEqual(['violated', 'no-orphaned-call', length]);
    const actions = actionsOf(r.trace);
    expect(actions[actions.length - 1]).toBe('getOrCreateMeeting');
    expect(actions[actions.length - 2]).toBe('pmDeactivates');
    const last = r.trace[r.trace.length - 1].state;
    const orphan = orphanOf(last);
    expect(last.meeting(last.tab(orphan).meeting)!.active).toBe(false);
  });

  it('pending-joins: process_meetings reads "no pending join", then a /joining lands before it deactivates', () => {
    const actions = actionsOf(shared('pending-joins', { users: 2, tabs: 1, lag: 0 }).trace);
    const readPending = actions.lastIndexOf('pmReadsPendingJoins');
    expect(readPending).toBeGreaterThan(0);
    expect(actions.slice(readPending, actions.indexOf('pmDeactivates'))).toContain('postJoining');
  });
});

describe('fixed-ttl (the first fix: Redis keys checked under the lock)', () => {
  // (at 2 users × 2 tabs: specs/prove/fixed-ttl.test.ts; at 1 user × 2 tabs × lag 0 it is vacuous: reductions.test.ts)
  it.each([[{ users: 1, tabs: 1, lag: 0 }], [{ users: 1, tabs: 2, lag: 1 }], [{ users: 2, tabs: 1, lag: 0 }]])(
    'holds, non-vacuously, at %o',
    (bounds) => {
      expectHoldsNonVacuously(run('fixed-ttl', bounds));
    },
  );

  // its timing assumption, ttl > handshake + lag, swept across the boundary at 2 users × 1 tab (polls 1 tick after /joined)
  const sweep: [number, number, number][] = [
    [0, 0, 1],
    [1, 0, 1],
    [1, 0, 2],
    [0, 1, 1],
    [0, 1, 2],
    [1, 1, 2],
    [1, 1, 3],
    [2, 0, 2],
    [2, 0, 3],
  ];
  it.each(sweep)('handshake %i, lag %i, ttl %i: holds exactly when ttl > handshake + lag', (handshake, lag, ttl) => {
    const bounds: Bounds = { ...DEFAULT_BOUNDS, users: 2, tabs: 1, lag, handshake, ttl, pollDelay: 1 };
    const r = run('fixed-ttl', bounds);
    const assumed = timingAssumptionOf(DESIGNS.find((d) => d.name === 'fixed-ttl')!)!;
    expect(assumed.text).toBe('ttl > handshake + lag');
    if (assumed.holds(bounds)) expectHoldsNonVacuously(r);
    else {
      expect([r.verdict, r.property]).toEqual(['violated', 'no-orphaned-call']);
      // the orphan's key expired before presence showed it
      expect(actionsOf(r.trace)).toContain('reservationExpires');
    }
  });

  it('handshake 1, lag 0, ttl 1: both keys expire while u2 is still in its handshake (16 steps)', () => {
    const r = run('fixed-ttl', { users: 2, tabs: 1, lag: 0, handshake: 1, ttl: 1, pollDelay: 1 });
    expect(r.trace.length - 1).toBe(16);
    const actions = actionsOf(r.trace);
    const expired = actions.lastIndexOf('reservationExpires');
    const orphan = orphanOf(r.trace[r.trace.length - 1].state);
    // the orphan was handshaking when its key expired, and connected only after process_meetings had read everything
    expect(r.trace[expired + 1].state.tab(orphan).phase).toBe('handshaking');
    expect(actions.slice(expired, actions.indexOf('pmDeactivates'))).toEqual([
      'reservationExpires',
      'pmReadsPendingJoins',
      'pmReadsPresence',
      'connect',
    ]);
  });
});

describe('fixed (the fix to ship)', () => {
  it('has every fault in force but those that cannot touch it (no Redis key, no second step to lose a lock in, one active meeting, no fence)', () => {
    expect(faultsInForce(DESIGNS.find((d) => d.name === 'fixed')!, FAULT_NAMES).notApplicable).toEqual([
      'lock-lost',
      'key-lost',
      'meeting-rollover',
      'clock-skew',
    ]);
  });

  it.each([0, 1])('holds at 2 users × 1 tab × lag %i without faults: every witness reached, every action fired', (lag) => {
    expectHoldsNonVacuously(shared('fixed', { users: 2, tabs: 1, lag }));
  });

  // (polls 1 tick ahead; at the default delays, with liveness: specs/prove/fixed-faults-proof.test.ts)
  it.each([0, 1])(
    'holds at 2 users × 1 tab × lag %i with every fault (polls 1 tick ahead): every witness (each fault in force happened) reached, every action fired',
    (lag) => {
      const r = run('fixed', { ...FAST_POLLS, users: 2, tabs: 1, lag }, { faults: FAULT_NAMES });
      expectHoldsNonVacuously(r);
      expect(Object.keys(statuses(r, 'sometimes')).filter((w) => w.startsWith('fault:'))).toHaveLength(8);
    },
  );
});

describe('two-looks (the previous fix, kept unchanged)', () => {
  it.each([
    [0, 12],
    [1, 14],
  ])('is violated under presence-flap at 2 users × 1 tab × lag %i, by a shortest trace of %i steps', (lag, length) => {
    const r = run('two-looks', { users: 2, tabs: 1, lag }, { faults: ['presence-flap'] });
    expect([r.verdict, r.property, r.trace.length - 1]).toEqual(['violated', 'no-orphaned-call', length]);
    // the shape: a poll sees u1 and clears its reservation while presence hides it; process_meetings' two
    // looks, more than a lag apart (lag + 1 ticks), both find the room empty; u1 is still hidden, in M1's
    // call, when the conditional update deactivates M1
    const actions = actionsOf(r.trace);
    const hides = actions.indexOf('presenceHides');
    const looks = actions.flatMap((a, i) => (a === 'pmReadsPresence' ? [i] : []));
    const deactivates = actions.indexOf('pmDeactivates');
    expect(hides).toBeGreaterThan(0);
    expect(looks).toHaveLength(2);
    expect(hides).toBeLessThan(looks[0]);
    expect(actions.slice(looks[0], looks[1]).filter((a) => a === 'tick')).toHaveLength(lag + 1);
    expect(actions).not.toContain('presenceShowsAgain');
    const atDeactivation = r.trace[deactivates].state; // (actions[k] is trace[k + 1]'s step: this is the state it starts from)
    const orphan = orphanOf(r.trace[r.trace.length - 1].state);
    expect(atDeactivation.tab(orphan).hidden).toBe(true);
    expect(atDeactivation.tab(orphan).reservation).toBe(-1);
    expect(inCall(atDeactivation.tab(orphan))).toBe(true);
  });

  it.each([
    ['lag 0', { users: 2, tabs: 1, lag: 0 }],
    ['lag 1 (quick timings)', { ...QUICK, users: 2, tabs: 1, lag: 1 }],
  ] as const)('holds without faults at 2 users × 1 tab × %s, non-vacuously', (_what, bounds) => {
    expectHoldsNonVacuously(shared('two-looks', bounds));
  });
});

describe('symmetry and the exact visited set change nothing but the count', () => {
  const cases: [string, Partial<Bounds>, readonly (typeof FAULT_NAMES)[number][]][] = [
    ['current', { users: 2, tabs: 2, lag: 0 }, []],
    ['pending-joins', { users: 2, tabs: 1, lag: 0 }, []],
    ['shipped', { users: 2, tabs: 1, lag: 0 }, []],
    ['two-looks', { users: 2, tabs: 1, lag: 0 }, ['presence-flap']],
    ['fixed', { users: 2, tabs: 1, lag: 0 }, []],
    ['fixed', { ...QUICK, users: 2, tabs: 1, lag: 0 }, ['direct-join', 'refresh-fails']],
  ];
  it.each(cases)('%s at %o, faults %o: the same verdict, property and shortest trace', (design, bounds, faults) => {
    const reduced = shared(design, bounds, faults.length > 0 ? { faults } : {});
    const full = run(design, bounds, { faults, symmetry: false });
    const exact = check(presenceModel(design, bounds, { faults }), { maxStates: 3_000_000, exact: true });
    const summary = (r: CheckResult<State>) => [r.verdict, r.property, r.trace.length, r.vacuity];
    expect(summary(full)).toEqual(summary(reduced));
    expect(reduced.states).toBeLessThan(full.states);
    expect([exact.verdict, exact.property, exact.states, exact.transitions, exact.trace.length]).toEqual([
      reduced.verdict,
      reduced.property,
      reduced.states,
      reduced.transitions,
      reduced.trace.length,
    ]);
  });
});

describe('model sanity', () => {
  it.each(DESIGNS.map((d) => d.name))('%s: a single user never splits (1 user × 1 tab × lag 0, complete)', (design) => {
    const r = run(design, { users: 1, tabs: 1, lag: 0 });
    expect(r.limit).toBeNull();
    expect(statuses(r, 'always')).toMatchObject({ 'same-daily-room': 'holds', 'no-orphaned-call': 'holds' });
  });

  it('runs are deterministic: same counts, same trace, same coverage', () => {
    // a run made earlier in this file, and one made now
    const a = shared('pending-joins', { users: 2, tabs: 1, lag: 0 });
    const b = run('pending-joins', { users: 2, tabs: 1, lag: 0 });
    const steps = (t: readonly TraceStep<State>[]) => t.map((s) => [s.action, s.params]);
    expect([b.states, b.transitions, steps(b.trace), b.coverage]).toEqual([a.states, a.transitions, steps(a.trace), a.coverage]);
    expect(b.trace[b.trace.length - 1].state.equals(a.trace[a.trace.length - 1].state)).toBe(true);
  });
});
