// What must hold (invariants), what must happen in the end (liveness), and
// what must be seen at least once (witnesses: without them a "holds" could
// come from a model that never gets anywhere interesting). Each invariant
// also says who and what break it in a state where it fails, for the reports.
import { always, leadsTo, sometimes, type Explanation, type Property, type Step } from '../checker/index.ts';
import { FAULTS, faultWitness, type FaultName } from './faults.ts';
import type { Switches } from './designs.ts';
import { activeMeeting, inCall, isOpen, type ReadTab, type State } from './state.ts';
import { readsOpenSessions } from './fields.ts';
import { meetingName, openTab, tabName, userName, type Setup } from './actions/setup.ts';
import { joinPastBound } from './actions/time.ts';

export const SAME_DAILY_ROOM = 'same-daily-room';
export const NO_ORPHANED_CALL = 'no-orphaned-call';
export const ONE_ACTIVE_MEETING = 'one-active-meeting';
export const NO_CALL_CUT = 'no-call-cut';

/**
 * Properties that rest on a guarantee a fault lifts: with that fault in
 * force the property is not judged (the verdict says so, and why), unless
 * asked for (`--judge NAME`), when it is checked and may well fail. No design
 * at this layer keeps a call whose tab's refreshes stop landing: the backend
 * learns of a join only from the reservation and from presence, and a
 * handshake that ends between process_meetings' look and its UPDATE is seen
 * by neither (docs/model.md, "What no design here survives").
 */
export const PREMISES: Readonly<
  Record<string, { readonly fault: FaultName; readonly why: string; readonly applies: (design: Switches) => boolean }>
> = {
  [NO_CALL_CUT]: {
    fault: 'refresh-fails',
    // only a design that deletes a deactivated meeting's Daily room can cut a call (the owner's end-meeting aside: that is asked for)
    applies: (d) => d.roomDeletion !== 'never',
    why: 'a tab whose refreshes fail for longer than the TTL may have its call cut (it then asks again and rejoins); calls are never split',
  },
};

/** Whether property `name` is judged in this run (its premise holds, or it was asked for). */
export function judged(c: Setup, name: string): boolean {
  const premise = PREMISES[name];
  return premise === undefined || !c.fault(premise.fault) || c.judge.has(name);
}

/** A tab in a call, named for a reader. */
interface Caller {
  readonly tab: string;
  readonly user: string;
  readonly meeting: number;
}

const list = (xs: readonly string[]) => (xs.length <= 1 ? xs.join('') : `${xs.slice(0, -1).join(', ')} and ${xs[xs.length - 1]}`);
const unique = <T>(xs: readonly T[]) => [...new Set(xs)];
const who = (c: Caller) => `${c.user} (tab ${c.tab})`;

function callersOf(s: State): Caller[] {
  const per = s.layout.tabsPerUser;
  const out: Caller[] = [];
  for (let i = 0; i < s.layout.slots; i++) {
    const t = s.tab(i);
    if (inCall(t))
      out.push({ tab: tabName(Math.floor(i / per) + 1, (i % per) + 1), user: userName(Math.floor(i / per) + 1), meeting: t.meeting });
  }
  return out;
}

function activeIds(s: State): number[] {
  const out: number[] = [];
  for (let id = 1; id <= s.layout.meetingIds; id++) if (s.meeting(id)?.active === true) out.push(id);
  return out;
}

const explain = {
  orphans(s: State): Explanation | null {
    const inCallNow = callersOf(s);
    const current = activeMeeting(s);
    const orphans = inCallNow.filter((c) => c.meeting !== current);
    if (orphans.length === 0 || current === 0) return null;
    const dead = unique(orphans.map((c) => meetingName(c.meeting)));
    const others = inCallNow.filter((c) => c.meeting === current);
    const gone = orphans.every((c) => s.meeting(c.meeting)?.active === false)
      ? 'which has been deactivated'
      : 'which get-or-create no longer hands out';
    const elsewhere = others.length > 0 ? ` (where ${list(others.map(who))} ${others.length === 1 ? 'is' : 'are'})` : '';
    return {
      text:
        `${list(orphans.map(who))} ${orphans.length === 1 ? 'is' : 'are'} still in the Daily call of ${list(dead)}, ` +
        `${gone}, while ${meetingName(current)} is the room's active meeting${elsewhere}: ` +
        `whoever joins the room now gets ${meetingName(current)}'s Daily room, not ${orphans.length === 1 ? orphans[0].user : 'their'}'s`,
      involved: [
        {
          label: 'users',
          items: unique(orphans.map((c) => c.user)),
          detail: { one: 'tab', many: 'tabs', items: orphans.map((c) => c.tab) },
        },
        { label: 'meetings', items: [...dead, meetingName(current)] },
      ],
    };
  },
  split(s: State): Explanation | null {
    const inCallNow = callersOf(s);
    for (const a of inCallNow) {
      const c = inCallNow.find((x) => x.user !== a.user && x.meeting !== a.meeting);
      if (!c) continue;
      return {
        text:
          `${who(a)} is in the Daily call of ${meetingName(a.meeting)} and ${who(c)} in that of ${meetingName(c.meeting)}: ` +
          'two users of the same room are in different Daily rooms',
        involved: [
          { label: 'users', items: [a.user, c.user], detail: { one: 'tab', many: 'tabs', items: [a.tab, c.tab] } },
          { label: 'meetings', items: [meetingName(a.meeting), meetingName(c.meeting)] },
        ],
      };
    }
    return null;
  },
  twoActive(s: State): Explanation | null {
    const active = activeIds(s).map(meetingName);
    if (active.length < 2) return null;
    return {
      text: `${list(active)} are all active: the room has more than one active meeting`,
      involved: [{ label: 'meetings', items: active }],
    };
  },
  cut(s: State): Explanation | null {
    const per = s.layout.tabsPerUser;
    for (let i = 0; i < s.layout.slots; i++) {
      const t = s.tab(i);
      if (!t.cut) continue;
      const label = tabName(Math.floor(i / per) + 1, (i % per) + 1);
      return {
        text:
          `${label} was in ${meetingName(t.meeting)}'s call, through /joining, when process_meetings closed ${meetingName(t.meeting)} and ` +
          'deleted its Daily room: a call with someone in it was cut',
        involved: [
          { label: 'users', items: [userName(Math.floor(i / per) + 1)], detail: { one: 'tab', many: 'tabs', items: [label] } },
          { label: 'meetings', items: [meetingName(t.meeting)] },
        ],
      };
    }
    return null;
  },
};

/** The witness of each fault: a step only the fault makes possible happened. */
const FAULT_HAPPENED: Readonly<Record<FaultName, (s: State, step: Step<State> | undefined) => boolean>> = {
  // a tick passed while a join was past its bound (the handshake, or presence's catch-up after a connect)
  'slow-join': (_s, step) => step?.action === 'tick' && someTabIn(step.from, joinPastBound),
  'lock-lost': (_s, step) => step?.action === 'pmLosesLock',
  'key-lost': (_s, step) => step?.action === 'reservationLost',
  'presence-flap': (_s, step) => step?.action === 'presenceHides',
  'joining-error': (_s, step) => step?.action === 'joiningFails',
  'webhook-dup': (_s, step) => step?.action === 'pollWebhookDuplicated' || step?.action === 'leftWebhookDuplicated',
  'meeting-rollover': (_s, step) => step?.action === 'getOrCreateRollsOver',
  'owner-deactivate': (_s, step) => step?.action === 'ownerEndsMeeting',
  'refresh-fails': (_s, step) => step?.action === 'reservationLapses',
  'direct-join': (_s, step) => step?.action === 'joinsDirectly',
  // a get-or-create inserted after its read went stale: another meeting is active or closing, or another get-or-create is creating too
  'create-lock-lost': (_s, step) => step?.action === 'getOrCreateInserts' && (someMeetingLive(step.from) || creatingTabs(step.from) > 1),
  'clock-skew': (_s, step) => step?.action === 'pmFenceMisjudged',
};

function someTabIn(s: State, test: (t: ReadTab) => boolean): boolean {
  for (let i = 0; i < s.layout.slots; i++) if (test(s.tab(i))) return true;
  return false;
}

function someMeetingLive(s: State): boolean {
  for (let id = 1; id <= s.layout.meetingIds; id++) {
    const m = s.meeting(id);
    if (m !== null && (m.active || m.closing)) return true;
  }
  return false;
}

function creatingTabs(s: State): number {
  let n = 0;
  for (let i = 0; i < s.layout.slots; i++) if (s.tab(i).phase === 'creating') n++;
  return n;
}

/** Where a tab is, in words: "u1#2 (in the WebRTC handshake with M1)". */
const PHASE_WORDS: Readonly<Record<string, string>> = {
  'got-meeting': 'about to call /joining for',
  creating: 'creating a meeting,',
  'joining-checked': "between /joining's check and its write for",
  refused: 'about to ask for a meeting again after',
  handshaking: 'in the WebRTC handshake with',
  connected: 'in the Daily call of',
  joined: 'in the Daily call of',
};

/** Who a lasso leaves waiting: the user's open tab, where it is, and the meeting it should be in. */
function waitingTab(c: Setup, s: State, user: number): Explanation | null {
  const t = openTab(c, s, user);
  if (t === null) return null;
  const label = tabName(user, (t.slot % c.b.tabs) + 1);
  const active = activeMeeting(s);
  const m = t.meeting === 0 ? null : s.meeting(t.meeting);
  const where = `${PHASE_WORDS[t.phase] ?? t.phase} ${t.meeting === 0 ? 'no meeting' : meetingName(t.meeting)}${m !== null && !m.active ? ' (inactive)' : ''}`;
  const goal = active === 0 ? 'no meeting is active, so there is no call to be in' : `${meetingName(active)} is the room's active meeting`;
  return {
    text: `${label} stays open and stays out of the active meeting's call forever (at the cycle's start it is ${where}; ${goal})`,
    involved: [
      { label: 'users', items: [userName(user)], detail: { one: 'tab', many: 'tabs', items: [label] } },
      { label: 'meetings', items: unique([t.meeting, ...(active !== 0 ? [active] : [])].filter((x) => x !== 0).map(meetingName)) },
    ],
  };
}

/** /joining's steps: where a tab can be refused (400, or any non-200 under joining-error). */
const JOINING_STEPS = new Set(['postJoining', 'joiningChecksMeeting', 'joiningFails']);

/** Whether anything in this run can refuse a tab or send it back to asking (then refused-tab-joins is checked). */
export function refusalPossible(c: Setup): boolean {
  const res = c.res;
  const byJoining = res !== null && (res.checksActive !== 'never' || c.fault('joining-error'));
  const ownerDrops = c.fault('owner-deactivate') && c.design.ownerDeactivate !== 'deactivate';
  return byJoining || c.design.roomDeletion !== 'never' || ownerDrops;
}

/**
 * The liveness properties, each checked under the fairness the actions
 * declare (per instance: each tab's, each meeting's; docs/model.md says
 * which and why):
 * - latecomer-joins[u]: a user with an open tab is, in the end, in the call
 *   of the meeting get-or-create hands out, unless they close the tab (so a
 *   design that keeps refusing latecomers fails it);
 * - refused-tab-joins[u]: a tab refused (by /joining, by a 503 while a
 *   meeting closes, or dropped from its call) is, in the end, in that call,
 *   or closed;
 * - empty-meeting-closes: a meeting that had sessions (or whose end_date has
 *   passed), or that is closing, and that no open tab refers to is, in the
 *   end, closed, or someone comes back to it: no meeting (and its Daily
 *   room) leaks.
 */
export function livenessProperties(c: Setup): Property<State>[] {
  const users = c.users.map((u) => u.user);
  /** an active (or closing) meeting nobody is in, joining or asking about, that should be closed */
  const idleMeeting = (s: State): number => {
    for (let id = 1; id <= s.layout.meetingIds; id++) {
      const m = s.meeting(id);
      if (m === null || !(m.closing || (m.active && (m.hadSessions || m.expired)))) continue;
      let wanted = false;
      for (let i = 0; i < s.layout.slots && !wanted; i++) wanted = s.tab(i).meeting === id && isOpen(s.tab(i));
      if (!wanted) return id;
    }
    return 0;
  };
  // What the properties read of a state, worked out once for the state they
  // are asked about: the checker asks every p and q of every property about
  // each transition's target in turn. (States are immutable: the same object
  // is the same state.)
  let factsOf: State | null = null;
  const open: (ReadTab | null)[] = new Array(c.b.users + 1).fill(null);
  let idleId = 0;
  let active = 0;
  const facts = (s: State): void => {
    if (s === factsOf) return;
    for (const u of users) open[u] = openTab(c, s, u);
    idleId = idleMeeting(s);
    active = activeMeeting(s);
    factsOf = s;
  };
  const hasOpenTab = (s: State, u: number) => {
    facts(s);
    return open[u] !== null;
  };
  const inCurrentCall = (s: State, u: number) => {
    facts(s);
    const t = open[u];
    return t === null || (inCall(t) && t.meeting === active);
  };
  const idle = (s: State) => {
    facts(s);
    return idleId !== 0;
  };
  /** the user's open tab is refused, or its meeting is not active */
  const refusedNow = (s: State, u: number) => {
    facts(s);
    const t = open[u];
    return t !== null && (t.phase === 'refused' || (t.meeting !== 0 && s.meeting(t.meeting)?.active !== true));
  };
  const wasAsking = (s: State, u: number) => openTab(c, s, u)?.phase === 'refused';
  return [
    ...users.map((u) => ({
      ...leadsTo<State>(
        `latecomer-joins[${userName(u)}]`,
        `a tab of ${userName(u)} that stays open ends up in the call of the room's active meeting`,
        (s) => hasOpenTab(s, u),
        (s) => inCurrentCall(s, u),
      ),
      explain: (s: State) => waitingTab(c, s, u),
    })),
    ...(refusalPossible(c)
      ? users.map((u) => ({
          ...leadsTo<State>(
            `refused-tab-joins[${userName(u)}]`,
            `a tab of ${userName(u)} that was refused (by /joining, a 503, or a dropped call) ends up in the call of the room's active meeting, unless it closes`,
            (s, step) =>
              step !== undefined &&
              refusedNow(s, u) &&
              ((JOINING_STEPS.has(step.action) && step.params.user === u) || (open[u]?.phase === 'refused' && !wasAsking(step.from, u))),
            (s) => inCurrentCall(s, u),
          ),
          explain: (s: State) => waitingTab(c, s, u),
        }))
      : []),
    {
      ...leadsTo<State>(
        'empty-meeting-closes',
        'an active meeting that had sessions, or a closing one, that no open tab refers to is closed in the end (or someone comes back to it)',
        idle,
        (s) => !idle(s),
      ),
      explain: (s: State): Explanation | null => {
        const id = idleMeeting(s);
        if (id === 0) return null;
        return {
          text: `${meetingName(id)} stays ${s.meeting(id)!.closing ? 'closing' : 'active'} forever with nobody in its call or on the way to it: it is never closed, and its Daily room leaks`,
          involved: [{ label: 'meetings', items: [meetingName(id)] }],
        };
      },
    },
  ];
}

export function safetyProperties(c: Setup, faults: readonly FaultName[]): Property<State>[] {
  const props: Property<State>[] = [
    // real: "No two users of the same Reflector room are in different Daily
    // rooms at the same time (connected = in the Daily call)."
    // (the invariants are tested on every state the search meets: plain loops, no allocation)
    {
      ...always(SAME_DAILY_ROOM, 'no two users are in different Daily rooms', (s: State) => {
        let room = 0;
        for (let i = 0; i < s.layout.slots; i++) {
          const t = s.tab(i);
          if (!inCall(t)) continue;
          if (room === 0) room = t.meeting;
          else if (t.meeting !== room) return false;
        }
        return true;
      }),
      explain: explain.split,
    },
    // real: "A user alone in a deactivated meeting's Daily room, while the
    // room's active meeting is another, is the same split seen from one side."
    // (The room's active meeting: the one get-or-create hands out. After a
    // meeting-rollover the old one may still be active, and its users are on
    // the wrong side of the split just the same.)
    {
      ...always(NO_ORPHANED_CALL, "nobody is in a deactivated meeting's Daily room while another meeting is active", (s: State) => {
        const current = activeMeeting(s);
        if (current === 0) return true;
        for (let i = 0; i < s.layout.slots; i++) {
          const t = s.tab(i);
          if (inCall(t) && t.meeting !== current) return false;
        }
        return true;
      }),
      explain: explain.orphans,
    },
    // real: "At most one active meeting per Reflector room is intended."
    {
      ...always(ONE_ACTIVE_MEETING, 'at most one meeting is active', (s: State) => {
        let n = 0;
        for (let id = 1; id <= s.layout.meetingIds; id++) if (s.meeting(id)?.active === true) n++;
        return n <= 1;
      }),
      explain: explain.twoActive,
    },
  ];
  if (PREMISES[NO_CALL_CUT].applies(c.design) && judged(c, NO_CALL_CUT)) {
    // A design that deletes a deactivated meeting's Daily room ends the call of whoever is in it: it must never deactivate a
    // meeting someone is in through /joining (the owner's end-meeting aside: that is asked for).
    props.push({
      ...always(NO_CALL_CUT, 'process_meetings never deletes the Daily room of a call someone joined through /joining', (s: State) => {
        for (let i = 0; i < s.layout.slots; i++) if (s.tab(i).cut) return false;
        return true;
      }),
      explain: explain.cut,
    });
  }
  props.push(
    sometimes(
      'meeting-deactivated',
      'process_meetings deactivates a meeting',
      (s, step) =>
        (step?.action === 'pmDeactivates' || step?.action === 'pmFenceMisjudged') && activeIds(s).length < activeIds(step.from).length,
    ),
  );
  if (c.b.users >= 2) {
    props.push(
      sometimes('users-connected-together', 'two users are in the same Daily call', (s) => {
        const callers = callersOf(s);
        return callers.some((a) => callers.some((b) => b.user !== a.user && b.meeting === a.meeting));
      }),
    );
  }
  if (c.b.tabs >= 2) {
    const readsSessions = readsOpenSessions(c.design);
    props.push(
      sometimes(
        'quick-rejoin',
        "a user's new tab gets the meeting while its closed tab is still remembered (by presence, a session row the design reads, a reservation or a webhook)",
        (s) => {
          const per = s.layout.tabsPerUser;
          for (let i = 0; i < s.layout.slots; i++) {
            const t = s.tab(i);
            if (!isOpen(t) || t.meeting === 0) continue;
            const first = i - (i % per);
            for (let j = first; j < first + per; j++) {
              const old = s.tab(j);
              if (
                j !== i &&
                !isOpen(old) &&
                old.meeting === t.meeting &&
                // a session row counts where something reads it: elsewhere it changes nothing (and the reduction drops it)
                (old.visible || (readsSessions && old.sessionOpen) || old.reservation >= 0 || old.leftHooks > 0)
              )
                return true;
            }
          }
          return false;
        },
      ),
    );
  }
  if (c.res !== null)
    props.push(sometimes('reservation-expires', 'a reservation expires by its TTL', (_s, step) => step?.action === 'reservationExpires'));
  if (c.design.roomDeletion !== 'never')
    props.push(sometimes('room-deleted', "a deactivated meeting's Daily room is deleted", (_s, step) => step?.action === 'pmDeletesRoom'));
  for (const f of FAULTS)
    if (faults.includes(f.name)) props.push(sometimes(faultWitness(f.name), `the fault happens: ${f.summary}`, FAULT_HAPPENED[f.name]));
  return props;
}
