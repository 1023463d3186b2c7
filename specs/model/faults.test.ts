// The infrastructure's failures (model/faults.ts), each a switch of the run:
// that each one happens when asked for (its witness), what it does to the
// design that rests on its absence (fixed-ttl), that fixed survives it, and
// that each of fixed's changes is needed: without it, the checker finds a
// split at the smallest bound and fault where it matters. Every verdict and
// trace length here is computed by the checker; the lengths are pinned as
// regressions, after their traces were read against REAL_SYSTEM.md.
import { describe, expect, it } from 'vitest';
import { check, type CheckResult } from '../../checker/index.ts';
import {
  assumptionsOf,
  designByName,
  FAULT_NAMES,
  FAULTS,
  faultWitness,
  presenceModel,
  type Bounds,
  type Design,
  type FaultName,
  type State,
} from '../../model/index.ts';

const run = (
  design: Design | string,
  bounds: Partial<Bounds>,
  faults: readonly FaultName[] = [],
  maxStates = 4_000_000,
): CheckResult<State> => check(presenceModel(design, bounds, { faults }), { maxStates });

const fixed = designByName('fixed')!;
const fixedTtl = designByName('fixed-ttl')!;

describe('each fault', () => {
  it.each(FAULT_NAMES)('%s: adds a witness when it can touch the design, and its run reaches it', (fault) => {
    const f = FAULTS.find((x) => x.name === fault)!;
    // one user is enough for every fault to happen: a small, complete search
    const design = f.applies(fixedTtl) ? fixedTtl : designByName('current')!;
    const model = presenceModel(design, { users: 1, lag: 1 }, { faults: [fault] });
    expect(model.properties.map((p) => p.name)).toContain(faultWitness(fault));
    // witnesses are existential: a partial search that reaches them proves them reachable
    const r = check(
      { ...model, properties: model.properties.filter((p) => p.kind === 'sometimes'), deadlockIsError: false },
      { maxStates: 300_000 },
    );
    expect(r.properties.find((p) => p.name === faultWitness(fault))?.status).toBe('reached');
    // and nothing it adds is dead code
    const own = presenceModel(design, { users: 1, lag: 1 }).actions.map((a) => a.name);
    const added = model.actions.map((a) => a.name).filter((a) => !own.includes(a));
    expect(added.filter((a) => !(r.coverage[a] > 0))).toEqual([]);
  });

  it('that cannot touch a design adds nothing, and the design assumes nothing about it', () => {
    // fixed keeps no Redis key, and its get-or-create hands out the occupied meeting
    const model = presenceModel(fixed, { users: 1, lag: 0 }, { faults: ['key-lost', 'meeting-rollover'] });
    const plain = presenceModel(fixed, { users: 1, lag: 0 });
    expect(model.actions.map((a) => a.name)).toEqual(plain.actions.map((a) => a.name));
    expect(model.properties.map((p) => p.name)).toEqual(plain.properties.map((p) => p.name));
    expect(assumptionsOf(fixed, [])).not.toContain('Redis keeps a pending-join key for its whole TTL');
  });

  it('in force takes its guarantee out of the assumptions', () => {
    const all = assumptionsOf(fixedTtl, []);
    for (const f of FAULTS.filter((x) => x.applies(fixedTtl))) {
      expect(all).toContain(f.guarantee);
      expect(assumptionsOf(fixedTtl, [f.name])).not.toContain(f.guarantee);
    }
    expect(all[0]).toBe('ttl > handshake + lag');
  });
});

describe('fixed-ttl (the fixed design of before, keys with a TTL) rests on their absence', () => {
  // its argument: every join shows in presence before its key expires, the
  // meeting's lock is a mutex, Redis keeps its keys, presence never hides anyone
  it.each([
    ['slow-join', 20],
    ['lock-lost', 14],
    ['key-lost', 14],
    ['presence-flap', 17],
    ['owner-deactivate', 5],
  ] as const)('is violated under %s at 2 users, lag 0, by a shortest trace of %i steps', (fault, length) => {
    const r = run(fixedTtl, { users: 2, lag: 0 }, [fault]);
    expect([r.verdict, r.property, r.trace.length - 1]).toEqual(['violated', 'no-orphaned-call', length]);
    expect(r.properties.find((p) => p.name === faultWitness(fault))?.status).toBe('reached');
  });

  it('breaks one-active-meeting under meeting-rollover: get-or-create makes a second active meeting', () => {
    const r = run(fixedTtl, { users: 2, lag: 0 }, ['meeting-rollover']);
    expect([r.verdict, r.property, r.trace.map((t) => t.action)]).toEqual([
      'violated',
      'one-active-meeting',
      [null, 'getOrCreateMeeting', 'getOrCreateRollsOver'],
    ]);
  });
});

describe('fixed survives them', () => {
  it('holds with every fault at 1 user, lag 1, and no witness goes unreached', () => {
    const r = run(fixed, { users: 1, lag: 1 }, FAULT_NAMES);
    expect(r.verdict).toBe('holds');
    expect(r.vacuity).toEqual({ unreachedWitnesses: [], unfiredActions: [] });
  });

  // (at 2 users, each fault alone and all together: the fault matrix, specs/prove/fault-matrix.test.ts)
});

describe("each of fixed's changes is needed", () => {
  const without = (name: string, switches: Partial<Design>): Design => ({ ...fixed, ...switches, name: `fixed without ${name}` });
  const reservation = (r: Partial<NonNullable<Design['reservation']>>) => ({ reservation: { ...fixed.reservation!, ...r } });
  // [what is taken out, the design without it, the smallest bound and fault where the checker finds a split]
  const ablations: [string, Design, Partial<Bounds>, FaultName[]][] = [
    [
      '/joining checking is_active in its transaction',
      without('the check', reservation({ checksActive: 'never' })),
      { users: 2, lag: 0 },
      [],
    ],
    [
      'the tab asking again when /joining refuses it',
      without('the retry', reservation({ onRefused: 'proceed' })),
      { users: 2, lag: 0 },
      [],
    ],
    ['the conditional deactivation', without('the conditional update', { deactivation: 'write' }), { users: 2, lag: 0 }, []],
    // a run that lost its lock decides, a poll then sees the joiner, and another run's look (in a flap) restarts the
    // count: the stale run's update must compare with its own decision, not with the row's latest count
    [
      'the fence on the conditional update',
      without('the fence', { deactivation: 'conditional' }),
      { users: 2, tabs: 1, lag: 1 },
      ['lock-lost', 'presence-flap'],
    ],
    [
      '/joined leaving the reservation alone',
      without('keeping the reservation', reservation({ joinedDeletesKey: true })),
      { users: 2, lag: 1 },
      [],
    ],
    [
      'the second look at presence',
      without('the second look', { processMeetings: ['presence-else-skip'] }),
      { users: 2, lag: 0 },
      ['presence-flap'],
    ],
    ['the tab refreshing its reservation', without('the refresh', reservation({ refresh: false })), { users: 2, lag: 0 }, ['slow-join']],
    ['reservations in the DB', without('the DB', reservation({ store: 'redis' })), { users: 2, lag: 0 }, ['key-lost']],
    [
      'get-or-create keeping the occupied meeting',
      without('keeps-occupied', { getOrCreate: 'by-end-date' }),
      { users: 2, lag: 0 },
      ['meeting-rollover'],
    ],
    [
      "the owner's end-meeting deleting the room",
      without('ends-call', { ownerDeactivate: 'deactivate' }),
      { users: 2, lag: 0 },
      ['owner-deactivate'],
    ],
  ];
  it.each(ablations)(
    'without %s it splits users',
    (_what, design, bounds, faults) => {
      const r = run(design, bounds, faults);
      expect(r.verdict).toBe('violated');
      expect(['no-orphaned-call', 'same-daily-room', 'one-active-meeting']).toContain(r.property);
    },
    120_000,
  );
});
