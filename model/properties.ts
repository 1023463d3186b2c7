// What must hold (invariants) and what must be seen at least once
// (witnesses: without them a "holds" could come from a model that never
// gets anywhere interesting). Each invariant also says who and what break it
// in a state where it fails, for the reports.
import { always, leadsTo, sometimes, type Explanation, type Property, type Step } from '../checker/index.ts';
import type { Bounds } from './bounds.ts';
import type { Design } from './designs.ts';
import { FAULTS, faultWitness, type FaultName } from './faults.ts';
import { activeMeeting, inCall, isOpen, someTab, type State, type Tab } from './state.ts';
import { meetingName, tabName, userName } from './actions/index.ts';

/** The users in a Daily call, as [user (1-based), meeting] pairs. */
export function callers(s: State, tabsPerUser: number): [number, number][] {
  const out: [number, number][] = [];
  s.tabs.forEach((t, i) => {
    if (inCall(t)) out.push([Math.floor(i / tabsPerUser) + 1, t.meeting]);
  });
  return out;
}

export const SAME_DAILY_ROOM = 'same-daily-room';
export const NO_ORPHANED_CALL = 'no-orphaned-call';
export const ONE_ACTIVE_MEETING = 'one-active-meeting';

/** A tab in a call, named for a reader. */
interface Caller {
  readonly tab: string;
  readonly user: string;
  readonly meeting: number;
}

const list = (xs: readonly string[]) => (xs.length <= 1 ? xs.join('') : `${xs.slice(0, -1).join(', ')} and ${xs[xs.length - 1]}`);
const unique = <T>(xs: readonly T[]) => [...new Set(xs)];
const who = (c: Caller) => `${c.user} (tab ${c.tab})`;

function explainer(b: Bounds) {
  const callersOf = (s: State): Caller[] =>
    s.tabs.flatMap((t, i) =>
      inCall(t)
        ? [{ tab: tabName(Math.floor(i / b.tabs) + 1, (i % b.tabs) + 1), user: userName(Math.floor(i / b.tabs) + 1), meeting: t.meeting }]
        : [],
    );
  const activeIds = (s: State) => s.meetings.flatMap((m, i) => (m?.active === true ? [i + 1] : []));
  const names = (ids: readonly number[]) => ids.map(meetingName);

  return {
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
      const active = names(activeIds(s));
      if (active.length < 2) return null;
      return {
        text: `${list(active)} are all active: the room has more than one active meeting`,
        involved: [{ label: 'meetings', items: active }],
      };
    },
  };
}

/** The witness of each fault: a step only the fault makes possible happened. */
const FAULT_HAPPENED: Readonly<Record<FaultName, (s: State, step: Step<State> | undefined) => boolean>> = {
  // a tick passed while a join was past its bound (the handshake, or presence's catch-up after a connect)
  'slow-join': (_s, step) =>
    step?.action === 'tick' &&
    someTab(step.from, (t) => (t.phase === 'handshaking' && t.handshake === 0) || (inCall(t) && !t.visible && !t.flapped && t.lag === 0)),
  'lock-lost': (_s, step) => step?.action === 'pmLosesLock',
  'key-lost': (_s, step) => step?.action === 'pendingJoinLost',
  'presence-flap': (_s, step) => step?.action === 'presenceFlaps',
  'joining-error': (_s, step) => step?.action === 'joiningFails',
  'webhook-dup': (_s, step) => step?.action === 'pollWebhookDuplicated' || step?.action === 'leftWebhookDuplicated',
  'meeting-rollover': (_s, step) => step?.action === 'getOrCreateRollsOver',
  'owner-deactivate': (_s, step) => step?.action === 'ownerDeactivates',
};

/** Which of the user's tab slots (0-based, within the user's) holds their open tab, or -1. */
function openSlotOf(s: State, b: Bounds, user: number): number {
  for (let t = 0; t < b.tabs; t++) if (isOpen(s.tabs[(user - 1) * b.tabs + t])) return t;
  return -1;
}

/** The user's open tab, or null. */
function openTabOf(s: State, b: Bounds, user: number) {
  const t = openSlotOf(s, b, user);
  return t < 0 ? null : s.tabs[(user - 1) * b.tabs + t];
}

/** Where a tab is, in words: "u1#2 (waiting for /joining's answer about M1)". */
const PHASE_WORDS: Readonly<Record<string, string>> = {
  'got-meeting': 'about to call /joining for',
  'joining-checked': "between /joining's check and its write for",
  refused: 'refused by /joining, about to ask for a meeting again after',
  handshaking: 'in the WebRTC handshake with',
  connected: 'in the Daily call of',
  joined: 'in the Daily call of',
};

/** Who a lasso leaves waiting: the user's open tab, where it is, and the meeting it should be in. */
function waitingTab(s: State, b: Bounds, user: number): Explanation | null {
  const t = openSlotOf(s, b, user);
  if (t < 0) return null;
  const tab = s.tabs[(user - 1) * b.tabs + t];
  const label = tabName(user, t + 1);
  const active = activeMeeting(s);
  const where = `${PHASE_WORDS[tab.phase] ?? tab.phase} ${meetingName(tab.meeting)}${s.meeting(tab.meeting)?.active === false ? ' (deactivated)' : ''}`;
  const goal = active === 0 ? 'no meeting is active, so there is no call to be in' : `${meetingName(active)} is the room's active meeting`;
  return {
    text: `${label} stays open and stays out of the active meeting's call forever (at the cycle's start it is ${where}; ${goal})`,
    involved: [
      { label: 'users', items: [userName(user)], detail: { one: 'tab', many: 'tabs', items: [label] } },
      { label: 'meetings', items: unique([tab.meeting, ...(active !== 0 ? [active] : [])].map(meetingName)) },
    ],
  };
}

/** /joining's steps: where a tab can be refused (400, or any non-200 under joining-error). */
const JOINING_STEPS = new Set(['postJoining', 'joiningChecksMeeting', 'joiningFails']);

/**
 * The liveness properties (issue 13), each checked under the fairness the
 * actions declare (actions/*.ts; the README's table says which and why):
 * - latecomer-joins[u]: a user with an open tab is, in the end, in the call
 *   of the meeting get-or-create hands out, unless they close the tab (so a
 *   design that keeps refusing latecomers fails it);
 * - refused-tab-joins[u]: a tab /joining refused (or, with joining-error,
 *   answered anything but 200) is, in the end, in that call, or closed;
 * - empty-meeting-closes: a meeting that had sessions (or whose end_date has
 *   passed) and that no open tab refers to is, in the end, deactivated, or
 *   someone comes back to it: no meeting (and its Daily room) leaks.
 */
export function livenessProperties(design: Design, b: Bounds, faults: readonly FaultName[]): Property<State>[] {
  const users = Array.from({ length: b.users }, (_, u) => u + 1);
  /** an active meeting nobody is in, joining or asking about, that process_meetings should close */
  const idleMeeting = (s: State): number => {
    for (let i = 0; i < s.meetings.length; i++) {
      const m = s.meetings[i];
      if (!m?.active || !(m.hadSessions || m.expired)) continue;
      let wanted = false;
      for (let j = 0; j < s.tabs.length && !wanted; j++) wanted = s.tabs[j].meeting === i + 1 && isOpen(s.tabs[j]);
      if (!wanted) return i + 1;
    }
    return 0;
  };
  // What the properties read of a state, worked out once for the state they
  // are asked about: the checker asks every p and q of every property about
  // each transition's target in turn. (States are immutable: the same object
  // is the same state.)
  let factsOf: State | null = null;
  const openTab: (Tab | null)[] = new Array(b.users + 1).fill(null);
  let idleId = 0;
  let active = 0;
  const facts = (s: State): void => {
    if (s === factsOf) return;
    for (const u of users) openTab[u] = openTabOf(s, b, u);
    idleId = idleMeeting(s);
    active = activeMeeting(s);
    factsOf = s;
  };
  const hasOpenTab = (s: State, u: number) => {
    facts(s);
    return openTab[u] !== null;
  };
  const inCurrentCall = (s: State, u: number) => {
    facts(s);
    const t = openTab[u];
    return t === null || (inCall(t) && t.meeting === active);
  };
  const idle = (s: State) => {
    facts(s);
    return idleId !== 0;
  };
  /** the user's open tab was just refused (or its meeting is inactive) */
  const refusedNow = (s: State, u: number) => {
    facts(s);
    const t = openTab[u];
    return t !== null && (t.phase === 'refused' || !s.meeting(t.meeting)!.active);
  };
  const refuses = design.reservation !== null && (design.reservation.checksActive !== 'never' || faults.includes('joining-error'));
  return [
    ...users.map((u) => ({
      ...leadsTo<State>(
        `latecomer-joins[${userName(u)}]`,
        `a tab of ${userName(u)} that stays open ends up in the call of the room's active meeting`,
        (s) => hasOpenTab(s, u),
        (s) => inCurrentCall(s, u),
      ),
      explain: (s: State) => waitingTab(s, b, u),
    })),
    ...(refuses
      ? users.map((u) => ({
          ...leadsTo<State>(
            `refused-tab-joins[${userName(u)}]`,
            `a tab of ${userName(u)} that /joining refused ends up in the call of the room's active meeting, unless it closes`,
            (s, step) => step !== undefined && JOINING_STEPS.has(step.action) && step.params.user === u && refusedNow(s, u),
            (s) => inCurrentCall(s, u),
          ),
          explain: (s: State) => waitingTab(s, b, u),
        }))
      : []),
    {
      ...leadsTo<State>(
        'empty-meeting-closes',
        'an active meeting that had sessions and that no open tab refers to is deactivated in the end (or someone comes back to it)',
        idle,
        (s) => !idle(s),
      ),
      explain: (s: State): Explanation | null => {
        const id = idleMeeting(s);
        if (id === 0) return null;
        return {
          text: `${meetingName(id)} stays active forever with nobody in its call or on the way to it: process_meetings never deactivates it, and its Daily room leaks`,
          involved: [{ label: 'meetings', items: [meetingName(id)] }],
        };
      },
    },
  ];
}

export function buildProperties(design: Design, b: Bounds, faults: readonly FaultName[] = []): Property<State>[] {
  const explain = explainer(b);
  const props: Property<State>[] = [
    // real: "No two users of the same Reflector room are in different Daily
    // rooms at the same time (connected = in the Daily call)."
    // (the invariants are tested on every state the search meets: plain
    // loops, no allocation)
    {
      ...always(SAME_DAILY_ROOM, 'no two users are in different Daily rooms', (s: State) => {
        let room = 0;
        for (let i = 0; i < s.tabs.length; i++) {
          const t = s.tabs[i];
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
        const active = activeMeeting(s);
        if (active === 0) return true;
        for (let i = 0; i < s.tabs.length; i++) {
          const t = s.tabs[i];
          if (inCall(t) && t.meeting !== active) return false;
        }
        return true;
      }),
      explain: explain.orphans,
    },
    // real: "At most one active meeting per Reflector room is intended."
    {
      ...always(ONE_ACTIVE_MEETING, 'at most one meeting is active', (s: State) => {
        let active = 0;
        for (let i = 0; i < s.meetings.length; i++) if (s.meetings[i]?.active === true) active++;
        return active <= 1;
      }),
      explain: explain.twoActive,
    },

    sometimes(
      'meeting-deactivated',
      'process_meetings deactivates a meeting',
      (s, step) => step?.action === 'pmDeactivates' && activeMeeting(s) === 0 && activeMeeting(step.from) !== 0,
    ),
  ];
  if (b.users >= 2) {
    props.push(
      sometimes('users-connected-together', 'two users are in the same Daily call', (s) => {
        const c = callers(s, b.tabs);
        return c.some(([u, m]) => c.some(([v, n]) => v !== u && n === m));
      }),
    );
  }
  if (b.tabs >= 2) {
    props.push(
      sometimes(
        'quick-rejoin',
        "a user's new tab gets the meeting while its closed tab is still shown by presence or has an open session",
        (s) =>
          s.tabs.some((t, i) => {
            if (!isOpen(t) || t.meeting === 0) return false;
            const first = i - (i % b.tabs);
            for (let j = first; j < first + b.tabs; j++) {
              const old = s.tabs[j];
              if (j !== i && !isOpen(old) && old.meeting === t.meeting && (old.visible || old.sessionOpen)) return true;
            }
            return false;
          }),
      ),
    );
  }
  if (design.reservation) {
    props.push(
      sometimes('pending-join-expires', 'a pending-join key expires by its TTL', (_s, step) => step?.action === 'pendingJoinExpires'),
    );
  }
  for (const f of FAULTS) {
    if (faults.includes(f.name) && f.applies(design))
      props.push(sometimes(faultWitness(f.name), `the fault happens: ${f.summary}`, FAULT_HAPPENED[f.name]));
  }
  return props;
}
