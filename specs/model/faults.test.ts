// The infrastructure's failures (model/faults.ts), each a switch of the run:
// that each one happens where it can touch a design (its witness) and adds
// no dead steps, that one that cannot touch a design changes nothing and is
// not assumed, that the assumptions a verdict names shrink by exactly the
// faults in force (and grow by the bounds put on them), and that each new
// fault has a design it breaks. Every verdict and trace length here is
// computed by the checker; the lengths are pinned as regressions after their
// traces were read against REAL_SYSTEM.md (the shapes say what was read).
// clock-skew's design to break takes a minute: specs/prove/clock-skew.test.ts.
import { describe, expect, it } from 'vitest';
import {
  assumptionsOf,
  DESIGNS,
  FAULT_BOUND_SPECS,
  FAULT_NAMES,
  FAULTS,
  faultBoundsError,
  faultsInForce,
  faultWitness,
  presenceModel,
  type Bounds,
  type FaultBounds,
  type FaultName,
} from '../../model/index.ts';
import { inCall } from '../../model/state.ts';
import { actionsOf, expectHoldsNonVacuously, FAST_POLLS, run, searchUntil, statuses, variant } from './helpers.ts';

const FLAP_GUARANTEE = 'presence never hides a connected participant';

/**
 * Where a fault's witness can be reached at the smallest bounds: one user,
 * but two for create-lock-lost (with one user there is one get-or-create at
 * a time), and clock-skew beside the faults it needs (the fence misjudges
 * only a sighting in the tick of a decision made by a run that then lost its
 * lock, while presence hid the look after: lock-lost and presence-flap).
 */
const WHERE: Partial<Record<FaultName, { users: number; companions: FaultName[] }>> = {
  'create-lock-lost': { users: 2, companions: [] },
  'clock-skew': { users: 1, companions: ['lock-lost', 'presence-flap'] },
};

describe('each fault where it can touch a design', () => {
  it.each(FAULT_NAMES)('%s: adds its witness, its run reaches it, and every step it adds fires (every design it applies to)', (fault) => {
    const f = FAULTS.find((x) => x.name === fault)!;
    const { users, companions } = WHERE[fault] ?? { users: 1, companions: [] };
    const bounds: Partial<Bounds> = { ...FAST_POLLS, users, tabs: 1, lag: 1 };
    const problems: string[] = [];
    const applies = DESIGNS.filter((d) => f.applies(d));
    expect(applies.length).toBeGreaterThan(0);
    for (const d of applies) {
      const model = presenceModel(d, bounds, { faults: [fault, ...companions] });
      const without = presenceModel(d, bounds, { faults: companions }).actions.map((a) => a.name);
      const added = model.actions.map((a) => a.name).filter((a) => !without.includes(a));
      expect(
        model.properties.map((p) => p.name),
        d.name,
      ).toContain(faultWitness(fault));
      const r = searchUntil(model, [faultWitness(fault)], added);
      if (statuses(r)[faultWitness(fault)] !== 'reached') problems.push(`${d.name}: its witness is not reached`);
      const dead = added.filter((a) => !(r.coverage[a] > 0));
      if (dead.length > 0) problems.push(`${d.name}: ${dead.join(', ')} never fires`);
    }
    expect(problems).toEqual([]);
  });

  it('create-lock-lost needs two users: with one, the one get-or-create at a time never races another', () => {
    const model = presenceModel('current', { users: 1, tabs: 2, lag: 0 }, { faults: ['create-lock-lost'] });
    const r = run('current', { users: 1, tabs: 2, lag: 0 }, { faults: ['create-lock-lost'] });
    expect(model.actions.map((a) => a.name)).toContain('getOrCreateInserts');
    expect([r.verdict, r.vacuity.unreachedWitnesses]).toEqual(['vacuous', ['fault:create-lock-lost']]);
  });
});

describe('a fault that cannot touch a design', () => {
  const pairs = DESIGNS.flatMap((d) => FAULTS.filter((f) => !f.applies(d)).map((f) => [d.name, f.name] as const));

  it('exists for some designs (what cannot be lost, failed or skewed there)', () => {
    expect(pairs.length).toBeGreaterThan(0);
  });

  it.each(pairs)('%s, %s: adds nothing to the model, is named not applicable, and is not assumed', (design, fault) => {
    const d = DESIGNS.find((x) => x.name === design)!;
    const f = FAULTS.find((x) => x.name === fault)!;
    const asked = presenceModel(d, { users: 1, tabs: 1, lag: 1 }, { faults: [fault] });
    const plain = presenceModel(d, { users: 1, tabs: 1, lag: 1 });
    expect(asked.actions.map((a) => a.name)).toEqual(plain.actions.map((a) => a.name));
    expect(asked.properties.map((p) => p.name)).toEqual(plain.properties.map((p) => p.name));
    expect(faultsInForce(d, [fault])).toEqual({ inForce: [], notApplicable: [fault] });
    expect(assumptionsOf(d, [])).not.toContain(f.guarantee);
    expect(assumptionsOf(d, [fault])).toEqual(assumptionsOf(d, []));
  });
});

describe('the assumptions a verdict names', () => {
  it.each(DESIGNS.map((d) => d.name))('%s: each fault in force takes its guarantee out, and only its own', (design) => {
    const d = DESIGNS.find((x) => x.name === design)!;
    const none = assumptionsOf(d, []);
    for (const f of FAULTS.filter((x) => x.applies(d))) {
      expect(none).toContain(f.guarantee);
      expect(assumptionsOf(d, [f.name])).toEqual(none.filter((a) => a !== f.guarantee));
    }
    const all = assumptionsOf(d, FAULT_NAMES);
    for (const f of FAULTS) expect(all).not.toContain(f.guarantee);
  });

  it("fixed-ttl's first assumption is its timing: ttl > handshake + lag", () => {
    expect(assumptionsOf(DESIGNS.find((d) => d.name === 'fixed-ttl')!, [])[0]).toBe('ttl > handshake + lag');
  });

  it(`no assumptions list with presence-flap in force contains '${FLAP_GUARANTEE}' (every design, every set of faults with it, every bound and liveness premise)`, () => {
    const others = FAULT_NAMES.filter((f) => f !== 'presence-flap');
    const boundsTried: FaultBounds[] = [
      { flapTicks: null, flaps: null },
      { flapTicks: 1, flaps: null },
      { flapTicks: null, flaps: 2 },
      { flapTicks: 3, flaps: 1 },
    ];
    const premises = [
      { checked: false, settles: true },
      { checked: true, settles: true },
      { checked: true, settles: false },
    ];
    let lists = 0;
    // every design with every set of faults that includes it
    for (const d of DESIGNS)
      for (let mask = 0; mask < 2 ** others.length; mask++) {
        const faults: FaultName[] = ['presence-flap', ...others.filter((_, i) => mask & (1 << i))];
        expect(assumptionsOf(d, faults)).not.toContain(FLAP_GUARANTEE);
        lists++;
      }
    // and with each bound on it and each liveness premise, alone or beside every other fault
    for (const d of DESIGNS)
      for (const faults of [['presence-flap'], FAULT_NAMES] as FaultName[][])
        for (const fb of boundsTried)
          for (const live of premises) {
            expect(assumptionsOf(d, faults, live, fb)).not.toContain(FLAP_GUARANTEE);
            lists++;
          }
    expect(lists).toBe(DESIGNS.length * (2 ** 11 + 2 * 12));
    // and without it, every design assumes it
    for (const d of DESIGNS) expect(assumptionsOf(d, others)).toContain(FLAP_GUARANTEE);
  });

  it('--flap-ticks and --flaps appear as assumptions only when given and presence-flap is in force', () => {
    expect(FAULT_BOUND_SPECS.map((s) => [s.name, s.flag, s.fault])).toEqual([
      ['flapTicks', 'flap-ticks', 'presence-flap'],
      ['flaps', 'flaps', 'presence-flap'],
    ]);
    const [ticks, flaps] = FAULT_BOUND_SPECS;
    for (const d of DESIGNS) {
      const named = (faults: FaultName[], fb: FaultBounds) => assumptionsOf(d, faults, undefined, fb);
      const unbounded = named(['presence-flap'], { flapTicks: null, flaps: null });
      expect(named(['presence-flap'], { flapTicks: 2, flaps: null }).filter((a) => !unbounded.includes(a))).toEqual([ticks.assumption(2)]);
      expect(named(['presence-flap'], { flapTicks: null, flaps: 1 }).filter((a) => !unbounded.includes(a))).toEqual([flaps.assumption(1)]);
      expect(named(['presence-flap'], { flapTicks: 3, flaps: 2 }).filter((a) => !unbounded.includes(a))).toEqual([
        ticks.assumption(3),
        flaps.assumption(2),
      ]);
      // given, but presence-flap not in force: nothing to bound, nothing named
      expect(named(['lock-lost'], { flapTicks: 3, flaps: 2 })).toEqual(named(['lock-lost'], { flapTicks: null, flaps: null }));
      expect(named([], { flapTicks: 3, flaps: 2 })).toEqual(assumptionsOf(d, []));
    }
    expect(ticks.assumption(1)).toBe('presence hides a connected participant for at most 1 tick at a time');
    expect(flaps.assumption(2)).toBe('presence hides a connected participant at most 2 times a connection');
  });

  it('refuses fault bounds out of range, naming the flag', () => {
    expect(faultBoundsError({ flapTicks: 0 })).toBe('--flap-ticks must be an integer from 1 to 15 (got 0)');
    expect(faultBoundsError({ flaps: 8 })).toBe('--flaps must be an integer from 1 to 7 (got 8)');
    expect(faultBoundsError({ flapTicks: 1.5 })).toMatch(/^--flap-ticks must be an integer/);
    expect(faultBoundsError({ flapTicks: 15, flaps: 7 })).toBeNull();
    expect(() => presenceModel('fixed', {}, { faults: ['presence-flap'], faultBounds: { flaps: 0 } })).toThrow(
      '--flaps must be an integer from 1 to 7 (got 0)',
    );
  });
});

describe('presence-flap as Daily does it: unbounded unless bounded, and the bounds are real assumptions', () => {
  // two-looks at 2 users × 1 tab × lag 1, polls 1 tick ahead
  const bounds = { ...FAST_POLLS, users: 2, tabs: 1, lag: 1 };
  it('unbounded: one flap longer than the lag hides u1 at both looks (14 steps)', () => {
    const r = run('two-looks', bounds, { faults: ['presence-flap'] });
    expect([r.verdict, r.property, r.trace.length - 1]).toEqual(['violated', 'no-orphaned-call', 14]);
    expect(actionsOf(r.trace).filter((a) => a === 'presenceHides')).toHaveLength(1);
  });

  it('--flap-ticks 1: two blips of a tick each, one at each look, do the same (16 steps)', () => {
    const r = run('two-looks', bounds, { faults: ['presence-flap'], faultBounds: { flapTicks: 1 } });
    expect([r.verdict, r.property, r.trace.length - 1]).toEqual(['violated', 'no-orphaned-call', 16]);
    const actions = actionsOf(r.trace);
    const looks = actions.flatMap((a, i) => (a === 'pmReadsPresence' ? [i] : []));
    expect(actions.filter((a) => a === 'presenceHides')).toHaveLength(2);
    // the participant is hidden at each look, and shown again between them
    for (const k of looks) expect(r.trace[k].state.tab(0).hidden, `look at step ${k}`).toBe(true);
    expect(actions.slice(looks[0], looks[1])).toContain('presenceShowsAgain');
  });

  it('--flap-ticks 1 --flaps 1: one short blip a connection cannot cover both looks: holds, non-vacuously', () => {
    expectHoldsNonVacuously(run('two-looks', bounds, { faults: ['presence-flap'], faultBounds: { flapTicks: 1, flaps: 1 } }));
  });
});

describe('each new fault has a design it breaks', () => {
  it("refresh-fails breaks two-looks (2 users × 1 tab × lag 0, 16 steps): a joining tab's reservation lapses, and both looks miss it", () => {
    // (two-looks holds at these bounds without it: presence.test.ts)
    const r = run('two-looks', { users: 2, tabs: 1, lag: 0 }, { faults: ['refresh-fails'] });
    expect([r.verdict, r.property, r.trace.length - 1]).toEqual(['violated', 'no-orphaned-call', 16]);
    const actions = actionsOf(r.trace);
    const lapse = actions.indexOf('reservationLapses');
    const user = r.trace[lapse + 1].params.user as number;
    // it lapsed while the tab was in its handshake, which ends after process_meetings' second look
    expect(r.trace[lapse].state.tab(user - 1).phase).toBe('handshaking');
    expect(actions.slice(lapse)).toEqual([
      'reservationLapses',
      'tick',
      'pmReadsPresence',
      'connect',
      'pmDeactivates',
      'getOrCreateMeeting',
    ]);
  });

  it.each([
    ['fixed-ttl', 13],
    ['two-looks', 14],
  ] as const)(
    'direct-join breaks %s (2 users × 1 tab × lag 0, %i steps): a tab in the old room came in by its URL, with no reservation',
    (design, length) => {
      const r = run(design, { users: 2, tabs: 1, lag: 0 }, { faults: ['direct-join'] });
      expect([r.verdict, r.property, r.trace.length - 1]).toEqual(['violated', 'no-orphaned-call', length]);
      const last = r.trace[r.trace.length - 1].state;
      const orphan = [0, 1].find((i) => inCall(last.tab(i)) && !last.meeting(last.tab(i).meeting)!.active)!;
      expect(last.tab(orphan).direct).toBe(true);
      expect(r.trace.some((s) => s.action === 'joinsDirectly' && s.params.user === orphan + 1)).toBe(true);
    },
  );

  it('create-lock-lost breaks current: two get-or-creates both find no meeting and both insert one (one-active-meeting, 4 steps)', () => {
    const r = run('current', { users: 2, tabs: 1, lag: 0 }, { faults: ['create-lock-lost'] });
    expect([r.verdict, r.property]).toEqual(['violated', 'one-active-meeting']);
    expect(r.trace.slice(1).map((s) => [s.action, s.params])).toEqual([
      ['getOrCreateMeeting', { user: 1 }],
      ['getOrCreateMeeting', { user: 2 }],
      ['getOrCreateInserts', { user: 1 }],
      ['getOrCreateInserts', { user: 2 }],
    ]);
  });

  // the smallest config: 2 users (1 cannot split), 1 tab, lag 0, and every timing bound at its least
  const tiny: Partial<Bounds> = { users: 2, tabs: 1, lag: 0, handshake: 0, pollDelay: 0, leftPollDelay: 0, ttl: 1 };
  it("the owner ejecting (ownerDeactivate 'ejects') splits where deleting the room ('ends-call') does not: a handshake in progress lands in the ejected room (6 steps)", () => {
    const ejects = run(variant('two-looks', { ownerDeactivate: 'ejects' }), tiny, { faults: ['owner-deactivate'] });
    expect([ejects.verdict, ejects.property]).toEqual(['violated', 'no-orphaned-call']);
    expect(ejects.trace.slice(1).map((s) => [s.action, s.params])).toEqual([
      ['getOrCreateMeeting', { user: 1 }],
      ['postJoining', { user: 1 }],
      ['ownerEndsMeeting', { meeting: 1 }],
      ['connect', { user: 1 }],
      ['ownerDeactivates', { meeting: 1 }],
      ['getOrCreateMeeting', { user: 2 }],
    ]);
    expectHoldsNonVacuously(run(variant('two-looks', { ownerDeactivate: 'ends-call' }), tiny, { faults: ['owner-deactivate'] }));
    // and one user cannot split, so 2 users is the smallest
    expect(
      statuses(run(variant('two-looks', { ownerDeactivate: 'ejects' }), { ...tiny, users: 1 }, { faults: ['owner-deactivate'] }), 'always'),
    ).toMatchObject({
      'same-daily-room': 'holds',
      'no-orphaned-call': 'holds',
    });
  });

  // 2 users × 2 tabs × lag 0, handshake 1, polls at once, TTL 2
  const twoTabs: Partial<Bounds> = { users: 2, tabs: 2, lag: 0, handshake: 1, pollDelay: 0, leftPollDelay: 0, ttl: 2 };
  const perUser = () => variant('two-looks', { reservation: { pollClears: 'per-user' }, joinedBindsParticipant: false });
  it("pollClears 'per-user' splits a user's second tab: a poll that saw the closed tab clears the new tab's reservation (14 steps)", () => {
    const r = run(perUser(), twoTabs);
    expect([r.verdict, r.property, r.trace.length - 1]).toEqual(['violated', 'no-orphaned-call', 14]);
    const actions = actionsOf(r.trace);
    const write = actions.indexOf('pollWritesSessions');
    const before = r.trace[write].state;
    const after = r.trace[write + 1].state;
    // u1#1 (slot 0) was seen and has closed; u1#2 (slot 1) is joining, its reservation cleared by that poll
    expect([before.tab(0).phase, before.tab(0).seenByPoll, before.tab(1).phase]).toEqual(['idle', true, 'handshaking']);
    expect([before.tab(1).reservation >= 0, after.tab(1).reservation]).toEqual([true, -1]);
    // with one tab a user has no second tab to lose
    expect(run(perUser(), { ...twoTabs, tabs: 1 }).verdict).toBe('holds');
  });

  it("pollClears 'per-tab' with joinedBindsParticipant (two-looks) does not split there", () => {
    const r = run('two-looks', twoTabs);
    expect(r.limit).toBeNull();
    expect(Object.values(statuses(r, 'always')).every((s) => s === 'holds')).toBe(true);
    // (the run is vacuous, quick-rejoin unreached: the reduction drops the field that witness reads; reductions.test.ts)
  });
});

describe('a property whose premise a fault lifts (properties.ts PREMISES)', () => {
  it('no-call-cut is not judged with refresh-fails in force, and, asked for, fixed breaks it: a lapsed reservation lets process_meetings delete a room with a call in it (8 steps)', () => {
    const names = (faults: FaultName[], judge: string[] = []) =>
      presenceModel('fixed', { users: 1, tabs: 1, lag: 0 }, { faults, judge }).properties.map((p) => p.name);
    expect(names([])).toContain('no-call-cut');
    expect(names(['refresh-fails'])).not.toContain('no-call-cut');
    expect(names(['refresh-fails'], ['no-call-cut'])).toContain('no-call-cut');
    const r = run('fixed', { users: 1, tabs: 1, lag: 0 }, { faults: ['refresh-fails'], judge: ['no-call-cut'] });
    expect([r.verdict, r.property]).toEqual(['violated', 'no-call-cut']);
    expect(actionsOf(r.trace)).toEqual([
      'getOrCreateMeeting',
      'postJoining',
      'connect',
      'pollReadsPresence',
      'pollWritesSessions',
      'reservationLapses',
      'pmDeactivates',
      'pmDeletesRoom',
    ]);
    // the cut tab asks for the meeting again: cut, not split
    const last = r.trace[r.trace.length - 1].state.tab(0);
    expect([last.phase, last.cut]).toEqual(['refused', true]);
  });
});
