// The browser tab's steps (REAL_SYSTEM.md "Client (browser tab) flow"): get
// or create the meeting, /joining (designs with reservations), the WebRTC
// handshake, /joined, and closing the tab. Each one is a single await of the
// real code (or a group of them that may be merged, as its comment argues),
// so that the other actors can interleave between a read and the write that
// depends on it. The comment on each quotes the sentence of REAL_SYSTEM.md
// ("real") or PRESENCE_RACE_DESIGN_DOC.md ("doc") it models.
import { countsJoins } from '../designs.ts';
import { activeMeeting, inCall, type Meeting, type Phase, type State } from '../state.ts';
import {
  arrow,
  BACKEND,
  DAILY,
  meetingName as M,
  tabName,
  userLane,
  userName,
  type Act,
  type Context,
  type UserParams,
} from './context.ts';
import type { Params } from '../../checker/index.ts';

interface JoiningErrorParams extends Params {
  readonly user: number;
  readonly written: boolean;
}
import { pmNext, pmProgress } from './process-meetings.ts';

/** What the user's open tab does next, from its phase (for explanations). */
function nextOf(c: Context, s: State, open: number, phase: Phase): string {
  const m = M(c.tabOf(s, open).meeting);
  switch (phase) {
    case 'got-meeting':
      return `its next step is ${c.res?.checksActive === 'then-write' ? 'joiningChecksMeeting' : 'postJoining'}`;
    case 'joining-checked':
      return 'its next step is joiningWritesKey';
    case 'refused':
      return '/joining refused it, so its next step is getOrCreateMeeting';
    case 'handshaking':
      return `it is in its WebRTC handshake with ${m}'s Daily room; its next step is connect`;
    case 'connected':
      return `it is in ${m}'s call; its next step is postJoined`;
    case 'joined':
      return `it is in ${m}'s call and has POSTed /joined`;
    case 'idle':
      return 'it is closed';
  }
}

/** Why the user's open tab is not in `phase` (null when it is). */
function needPhase(c: Context, s: State, user: number, phase: Phase): string | null {
  const u = userName(user);
  const open = c.openTab(s, user);
  if (open < 0) return `${u} has no tab ${phase} (${u} has no open tab; getOrCreateMeeting opens one)`;
  const t = c.tabOf(s, open);
  if (t.phase === phase) return null;
  return `${u} has no tab ${phase} (its open tab ${c.labelOf(open)} is ${t.phase}; ${nextOf(c, s, open, t.phase)})`;
}

const fromTab = ({ user }: UserParams) => arrow(userLane(user), 'request', BACKEND);

export function clientActions(c: Context): Act<UserParams>[] {
  const { b, design, res } = c;
  const actions: Act<UserParams>[] = [];

  /** Redis SET pending_join:{meeting}:{key} EX ttl. A per-user key overwrites the user's earlier one. */
  const writeKey = (s: State, i: number): State => {
    const meeting = c.tabOf(s, i).meeting;
    if (res?.key === 'per-user') s = dropUserKeys(s, c.userOfSlot(i), meeting);
    return c.setTab(s, i, (t) => t.set('pendingJoin', b.ttl));
  };
  const dropUserKeys = (s: State, user: number, meeting: number): State => {
    for (let t = 0; t < b.tabs; t++) {
      const j = (user - 1) * b.tabs + t;
      const tab = c.tabOf(s, j);
      if (tab.meeting === meeting && tab.pendingJoin >= 0) s = c.setTab(s, j, (x) => x.set('pendingJoin', -1));
    }
    return s;
  };
  /** The user's tab gets meeting `id` (0: a new one, in the first free id). */
  const getOrCreate = (s: State, user: number, active: number): State => {
    const open = c.openTab(s, user);
    const i = open >= 0 ? open : c.freeSlot(s, user);
    let id = active;
    if (id === 0) {
      const hole = s.meetings.indexOf(null);
      id = hole >= 0 ? hole + 1 : s.meetings.length + 1;
      s = s.withMeeting(id, c.newMeeting());
    }
    // doc option C: "Each join attempt increments a version"
    if (countsJoins(design)) s = c.setMeeting(s, id, (m) => m.set('joinedSinceVersionRead', true));
    return c.setTab(s, i, (t) => {
      const got = t.set('meeting', id);
      return res ? got.set('phase', 'got-meeting') : c.startHandshake(got);
    });
  };
  /** a user with no open tab may open one; a refused tab may ask again */
  const mayAsk = (s: State, user: number) => {
    const open = c.openTab(s, user);
    return open >= 0 ? c.tabOf(s, open).phase === 'refused' : c.freeSlot(s, user) >= 0;
  };

  /** refused by /joining: ask again (retry) or go on to the Daily room anyway (proceed) */
  /** whether /joining's check lets a tab in: the meeting is active (and, for refuses 'had-sessions', has no recorded session) */
  const admits = (m: Meeting): boolean => m.active && !(res?.refuses === 'had-sessions' && m.hadSessions);
  const refused = (s: State, i: number): State =>
    c.setTab(s, i, (t) => (res!.onRefused === 'retry' ? t.set('phase', 'refused') : c.startHandshake(t)));

  // real: "POST /rooms/R/meeting: get-or-create, under a Redis lock per room
  // ... Returns the active meeting or creates a new one (new Daily room). So
  // get-or-create itself is atomic." A user with no open tab opens one (a
  // quick rejoin, if an earlier tab's traces linger); a refused tab asks again.
  actions.push({
    name: 'getOrCreateMeeting',
    params: () => c.users,
    domain: c.users,
    ...c.environment,
    guard: (s, { user }) => c.openTab(s, user) < 0 && c.freeSlot(s, user) >= 0,
    effect: (s, { user }) => getOrCreate(s, user, activeMeeting(s)),
    describe: ({ from, params }, to) => {
      const user = params.user as number;
      const i = c.actingTab(from, to, user);
      const id = c.tabOf(to, i).meeting;
      const created = activeMeeting(from) !== id;
      return `${userName(user)} opens a new tab ${c.labelOf(i)}: POST /rooms/R/meeting → ${M(id)} (${created ? 'created, new Daily room' : 'active'})`;
    },
    explain: (trace, { user }) => {
      const s = c.last(trace);
      const u = userName(user);
      const open = c.openTab(s, user);
      if (open >= 0) {
        const t = c.tabOf(s, open);
        return (
          `${u} already has an open tab, ${c.labelOf(open)} (${t.phase}; ${nextOf(c, s, open, t.phase)}): ` +
          `a user opens a new tab after closing the old one (closeTab)${t.phase === 'refused' ? '; a refused tab asks again (getOrCreateAgain)' : ''}`
        );
      }
      const lingering: string[] = [];
      for (let t = 1; t <= b.tabs; t++) {
        const i = c.slot({ user, tab: t });
        const tab = c.tabOf(s, i);
        if (tab.meeting === 0) return null;
        const why = [
          tab.visible ? 'Daily presence still shows it' : null,
          tab.sessionOpen ? 'its DB session is open' : null,
          tab.pendingJoin >= 0 ? 'its pending join lives' : null,
          tab.leftHooks > 0 ? 'its participant.left webhook is in flight' : null,
          tab.seenByPoll ? 'a running poll saw it' : null,
        ].filter(Boolean);
        lingering.push(`${c.labelOf(i)} (${why.length > 0 ? why.join(', ') : tab.phase})`);
      }
      return `${u} has no free tab slot (--tabs ${b.tabs}): closed tabs linger until Daily, the DB and Redis forget them: ${lingering.join('; ')}`;
    },
    arrow: fromTab,
  });

  // A tab that /joining refused (or whose call the owner's end-meeting
  // dropped) asks for the meeting again: the same request, from the same tab
  // (a step of its own: it is fair, where opening a new tab is not).
  if (res?.onRefused === 'retry' || design.ownerDeactivate === 'ends-call') {
    actions.push({
      name: 'getOrCreateAgain',
      params: () => c.users,
      domain: c.users,
      fairness: 'weak',
      guard: (s, { user }) => c.openPhase(s, user) === 'refused',
      effect: (s, { user }) => getOrCreate(s, user, activeMeeting(s)),
      describe: ({ from, params }, to) => {
        const i = c.actingTab(from, to, params.user as number);
        const id = c.tabOf(to, i).meeting;
        return `${c.labelOf(i)} POST /rooms/R/meeting again → ${M(id)} (${activeMeeting(from) !== id ? 'created, new Daily room' : 'active'})`;
      },
      explain: (trace, { user }) => needPhase(c, c.last(trace), user, 'refused'),
      arrow: fromTab,
    });
  }

  if (c.fault('meeting-rollover')) {
    // fault meeting-rollover, real: "`get_active` returns only meetings with
    // `end_date > now` ... After 8 h, get-or-create makes a new meeting while
    // the old one is still active and occupied." "A change of the room's
    // settings also makes a new meeting on the next get-or-create." The old
    // meeting stays active (process_meetings deactivates it once nobody is
    // there: "Else if now > end_date: deactivate") but is never handed out again.
    actions.push({
      name: 'getOrCreateRollsOver',
      params: () => c.users,
      domain: c.users,
      ...c.environment,
      guard: (s, { user }) => mayAsk(s, user) && activeMeeting(s) !== 0 && s.meetings.length < c.meetings.length,
      effect: (s, { user }) =>
        getOrCreate(
          c.setMeeting(s, activeMeeting(s), (m) => m.set('expired', true)),
          user,
          0,
        ),
      describe: ({ from, params }, to) => {
        const user = params.user as number;
        const i = c.actingTab(from, to, user);
        const old = activeMeeting(from);
        const who =
          c.tabOf(from, i).phase === 'refused'
            ? `${c.labelOf(i)} POST /rooms/R/meeting again`
            : `${userName(user)} opens a new tab ${c.labelOf(i)}: POST /rooms/R/meeting`;
        return `${who} → ${M(c.tabOf(to, i).meeting)} (created: ${M(old)}'s end_date has passed or the room's settings changed; ${M(old)} stays active)`;
      },
      explain: (trace, { user }) => {
        const s = c.last(trace);
        if (activeMeeting(s) === 0) return 'no meeting is active: get-or-create makes a new one anyway (getOrCreateMeeting)';
        if (s.meetings.length >= c.meetings.length) return `every meeting id up to M${c.meetings.length} is in use`;
        return mayAsk(s, user) ? null : `${userName(user)} has an open tab that is not asking for a meeting`;
      },
      arrow: fromTab,
    });
  }

  if (res && res.checksActive !== 'then-write') {
    // doc: "POST /joining → I'm about to connect (wait for 200 OK)"; the
    // endpoint "Creates Redis key with 30s TTL, Returns 200 OK". With
    // 'under-meeting-lock' the is_active check and the write run while holding
    // process_meetings' lock for the meeting, so no deactivation step can come
    // between them: one step. The client waits for the answer, so the write
    // and the answer are one step too (a tab closed before the write is a tab
    // closed in got-meeting; one closed after it leaves the key to its TTL).
    // With 'in-transaction' the check and the write are one DB transaction on
    // the meeting's row, never blocked by process_meetings' reads: its write
    // is the other transaction on that row (deactivation 'conditional').
    actions.push({
      name: 'postJoining',
      params: () => c.users,
      domain: c.users,
      // a request is eventually handled; one that waits for process_meetings' lock gets it in the end (it is free again and again)
      fairness: res.checksActive === 'under-meeting-lock' ? 'strong' : 'weak',
      guard: (s, { user }) => {
        const i = c.openTab(s, user);
        if (i < 0 || c.tabOf(s, i).phase !== 'got-meeting') return false;
        return res.checksActive !== 'under-meeting-lock' || c.meetingOf(s, c.tabOf(s, i).meeting).worker === 0;
      },
      effect: (s, { user }) => {
        const i = c.openTab(s, user);
        if (res.checksActive === 'never' || admits(c.meetingOf(s, c.tabOf(s, i).meeting)))
          return c.setTab(writeKey(s, i), i, c.startHandshake);
        return refused(s, i);
      },
      describe: ({ from, params }, to) => joiningText(c, from, to, params.user as number, 'postJoining'),
      explain: (trace, { user }) => {
        const s = c.last(trace);
        const wrong = needPhase(c, s, user, 'got-meeting');
        if (wrong !== null) return wrong;
        const id = c.tabOf(s, c.openTab(s, user)).meeting;
        const m = s.meeting(id);
        if (res.checksActive === 'under-meeting-lock' && m !== null && m.worker !== 0) {
          return (
            `process_meetings holds ${M(id)}'s lock (${pmProgress(m.worker, design.processMeetings.length)}): ` +
            `/joining checks is_active under that lock, so it waits until the run ends (next: ${pmNext(m.worker, design.processMeetings)} ${M(id)})`
          );
        }
        return null;
      },
      arrow: fromTab,
    });
  } else if (res) {
    // real: "POST /joining {connection_id}. The server refuses (400) when the
    // meeting is no longer active. The shipped frontend only logs a warning
    // when /joining fails and goes on to join the Daily room anyway." The
    // check and the key write are two awaits, with no lock between them.
    actions.push({
      name: 'joiningChecksMeeting',
      params: () => c.users,
      domain: c.users,
      fairness: 'weak',
      guard: (s, { user }) => c.openPhase(s, user) === 'got-meeting',
      effect: (s, { user }) => {
        const i = c.openTab(s, user);
        if (admits(c.meetingOf(s, c.tabOf(s, i).meeting))) return c.setTab(s, i, (t) => t.set('phase', 'joining-checked'));
        return refused(s, i);
      },
      describe: ({ from, params }, to) => joiningText(c, from, to, params.user as number, 'joiningChecksMeeting'),
      explain: (trace, { user }) => needPhase(c, c.last(trace), user, 'got-meeting'),
      arrow: fromTab,
    });
    actions.push({
      name: 'joiningWritesKey',
      params: () => c.users,
      domain: c.users,
      fairness: 'weak',
      guard: (s, { user }) => c.openPhase(s, user) === 'joining-checked',
      effect: (s, { user }) => {
        const i = c.openTab(s, user);
        return c.setTab(writeKey(s, i), i, c.startHandshake);
      },
      describe: ({ from, params }, to) => {
        const i = c.actingTab(from, to, params.user as number);
        return `${c.labelOf(i)} /joining writes ${c.keyName(c.tabOf(from, i).meeting, i)} (TTL ${b.ttl}) → 200`;
      },
      explain: (trace, { user }) => needPhase(c, c.last(trace), user, 'joining-checked'),
      arrow: fromTab,
    });
  }

  if (res && c.fault('joining-error')) {
    // fault joining-error: /joining fails (5xx, a timeout, a network error)
    // before its write, or after it; the tab sees only "not 200" and does
    // what the design does on a refusal: asks again, or goes on to the call.
    // real: "a design that refuses must say what the client does on every
    // non-200 answer (400, 5xx, lock timeout, network error)."
    const failing = (s: State, user: number) => {
      const phase = c.openPhase(s, user);
      return phase === 'got-meeting' || phase === 'joining-checked';
    };
    /** whether the server gets as far as the write before the failure */
    const wouldWrite = (s: State, i: number) => {
      const m = c.meetingOf(s, c.tabOf(s, i).meeting);
      if (res.checksActive === 'never') return true;
      if (res.checksActive === 'under-meeting-lock' && m.worker !== 0) return false;
      return admits(m);
    };
    const bindings: JoiningErrorParams[] = c.users.flatMap(({ user }) => [
      { user, written: false },
      { user, written: true },
    ]);
    actions.push({
      name: 'joiningFails',
      params: () => bindings,
      domain: bindings,
      ...c.environment,
      guard: (s, { user, written }) => failing(s, user) && (!written || wouldWrite(s, c.openTab(s, user))),
      effect: (s, { user, written }) => {
        const i = c.openTab(s, user);
        return refused(written ? writeKey(s, i) : s, i);
      },
      describe: ({ from, params }, to) => {
        const p = params as JoiningErrorParams;
        const i = c.actingTab(from, to, p.user);
        const id = c.tabOf(from, i).meeting;
        const then =
          c.tabOf(to, i).phase === 'refused' ? 'the tab will ask for the meeting again' : 'the frontend goes on to the Daily room';
        return `${c.labelOf(i)} POST /joining ${M(id)} fails (5xx or network) ${p.written ? `after writing ${c.keyName(id, i)}` : 'before any write'}: ${then}`;
      },
      explain: (trace, { user, written }) => {
        const s = c.last(trace);
        if (!failing(s, user)) return needPhase(c, s, user, 'got-meeting');
        return written && !wouldWrite(s, c.openTab(s, user))
          ? 'the server would not get to its write now (the meeting is inactive, or its lock is held)'
          : null;
      },
      arrow: ({ user }) => arrow(userLane(user), 'lost', BACKEND),
    } satisfies Act<JoiningErrorParams> as unknown as Act<UserParams>);
  }

  // real: "WebRTC handshake with the Daily room ... During it the user is
  // invisible to the presence API and no webhook has fired." "Connected:
  // Daily fires participant.joined (late); the presence API shows the user
  // after its lag." "The Daily room is not deleted at once ... so a tab
  // finishing its handshake still gets into the old Daily room."
  actions.push({
    name: 'connect',
    params: () => c.users,
    domain: c.users,
    // a handshake completes in the end (or the tab closes), however long it takes (slow-join)
    fairness: 'weak',
    guard: (s, { user }) => c.openPhase(s, user) === 'handshaking',
    effect: (s, { user }) => {
      const i = c.openTab(s, user);
      s = c.setTab(s, i, (t) => {
        const visible = b.lag === 0 || t.visible;
        return t.with({ phase: 'connected', handshake: 0, visible, lag: visible ? 0 : b.lag });
      });
      // participant.joined's handler only queues a poll: a webhook in flight is
      // that poll, due at once (delivered late = run late, lost = never run)
      return c.setMeeting(s, c.tabOf(s, i).meeting, (m) => c.queuePoll(m, 0));
    },
    describe: ({ from, params }, to) => {
      const i = c.actingTab(from, to, params.user as number);
      const id = c.tabOf(to, i).meeting;
      const inactive = !to.meeting(id)!.active ? ` (${M(id)} is no longer active)` : '';
      return `${c.labelOf(i)} WebRTC handshake completes: in ${M(id)}'s Daily call${inactive}; participant.joined → poll(${M(id)}) queued`;
    },
    explain: (trace, { user }) => needPhase(c, c.last(trace), user, 'handshaking'),
    arrow: ({ user }) => arrow(userLane(user), 'request', DAILY),
  });

  // real: "Frontend then calls POST /joined." current: /joined queues a
  // presence poll "3 s later". doc option B: "On /joined endpoint ...
  // pending_joins.delete". shipped: "/joined deletes the pending join, inserts
  // an active DB session directly, and queues a presence poll 3 s later.
  // /joined succeeds even when the meeting was deactivated meanwhile."
  // The request is not awaited by the tab; it is modelled as handled while the
  // tab is still open (one sent just before a close is handled before it).
  actions.push({
    name: 'postJoined',
    params: () => c.users,
    domain: c.users,
    fairness: 'weak',
    guard: (s, { user }) => c.openPhase(s, user) === 'connected',
    effect: (s, { user }) => {
      const i = c.openTab(s, user);
      const meeting = c.tabOf(s, i).meeting;
      if (res?.joinedDeletesKey) {
        s = res.key === 'per-user' ? dropUserKeys(s, user, meeting) : c.setTab(s, i, (t) => t.set('pendingJoin', -1));
      }
      s = c.setTab(s, i, (t) => t.with({ phase: 'joined', sessionOpen: design.joinedInsertsSession || t.sessionOpen }));
      return c.setMeeting(s, meeting, (m) => c.queuePoll(design.joinedInsertsSession ? c.sessionWritten(m) : m, b.pollDelay));
    },
    describe: ({ from, params }, to) => {
      const i = c.actingTab(from, to, params.user as number);
      const id = c.tabOf(to, i).meeting;
      const effects = [
        res?.joinedDeletesKey ? `deletes ${c.keyName(id, i)}` : null,
        design.joinedInsertsSession ? 'inserts an open session' : null,
        `queues poll(${M(id)}) in ${b.pollDelay}`,
      ].filter(Boolean);
      return `${c.labelOf(i)} POST /joined ${M(id)}: ${effects.join(', ')}`;
    },
    explain: (trace, { user }) => needPhase(c, c.last(trace), user, 'connected'),
    arrow: fromTab,
  });

  // real: "Leave (tab close): sendBeacon POST /leave. Shipped fix: closes the
  // DB session directly when the session id is known, else queues a poll in
  // 3 s. Daily fires participant.left (late); presence drops the user after
  // its lag." "A tab can close at any step, including mid-handshake
  // (abandoned join: no /joined ever comes; the pending join only expires by
  // TTL)." The beacon is handled at the close: its 3 s delay dwarfs its
  // latency, and a later direct close only keeps a session open longer.
  actions.push({
    name: 'closeTab',
    params: () => c.users,
    domain: c.users,
    ...c.environment,
    guard: (s, { user }) => c.openTab(s, user) >= 0,
    effect: (s, { user }) => {
      const i = c.openTab(s, user);
      const tab = c.tabOf(s, i);
      const sessionKnown = tab.phase === 'joined';
      if (design.leaveClosesSession && sessionKnown) {
        if (tab.sessionOpen) s = c.setMeeting(s, tab.meeting, c.sessionWritten);
        s = c.setTab(s, i, (t) => t.set('sessionOpen', false));
      } else {
        s = c.setMeeting(s, tab.meeting, (m) => c.queuePoll(m, b.pollDelay));
      }
      s = c.setTab(s, i, (t) => {
        const left = t.with({ phase: 'idle', handshake: 0, flapped: false });
        if (!inCall(t)) return left;
        const visible = b.lag > 0 && t.visible;
        return left.with({ leftHooks: design.leaveClosesSession ? 1 : 0, visible, lag: visible ? b.lag : 0 });
      });
      // participant.left: where its handler only queues a poll, the webhook in
      // flight is that poll (see connect)
      if (inCall(tab) && !design.leaveClosesSession) s = c.setMeeting(s, tab.meeting, (m) => c.queuePoll(m, 0));
      return s;
    },
    describe: ({ from, params }, to) => {
      const i = c.actingTab(from, to, params.user as number);
      const t = c.tabOf(from, i);
      const where = inCall(t) ? `leaves ${M(t.meeting)}'s call` : `during ${t.phase}`;
      const leave =
        design.leaveClosesSession && t.phase === 'joined' ? 'closes its session' : `queues poll(${M(t.meeting)}) in ${b.pollDelay}`;
      const hook = !inCall(t)
        ? ''
        : design.leaveClosesSession
          ? '; Daily will send participant.left'
          : `; participant.left → poll(${M(t.meeting)}) queued`;
      return `${c.labelOf(i)} tab closes (${where}); sendBeacon /leave ${leave}${hook}`;
    },
    explain: (trace, { user }) => (c.openTab(c.last(trace), user) < 0 ? `${userName(user)} has no open tab` : null),
    arrow: fromTab,
  });

  return actions;
}

/** The sentence of a /joining step (postJoining, joiningChecksMeeting). */
function joiningText(c: Context, from: State, to: State, user: number, action: 'postJoining' | 'joiningChecksMeeting'): string {
  const i = c.actingTab(from, to, user);
  const label = c.labelOf(i);
  const id = c.tabOf(from, i).meeting;
  const after = c.tabOf(to, i);
  if (action === 'joiningChecksMeeting' && after.phase === 'joining-checked')
    return `${label} POST /joining ${M(id)}: server sees ${M(id)} active`;
  if (after.pendingJoin >= 0) {
    const wrote =
      c.res?.store === 'db'
        ? `inserts ${c.keyName(id, i)} (expires in ${after.pendingJoin})`
        : `${c.keyName(id, i)} set (TTL ${after.pendingJoin})`;
    return `${label} POST /joining ${M(id)} → 200, ${wrote}`;
  }
  const why = c.meetingOf(from, id).active ? 'it had sessions' : 'inactive';
  return after.phase === 'refused'
    ? `${label} POST /joining ${M(id)} → 400 (${why}); will ask for the meeting again`
    : `${label} POST /joining ${M(id)} → 400 (${why}); frontend goes on to the Daily room`;
}

export { tabName };
