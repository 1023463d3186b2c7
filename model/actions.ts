// Every action of the presence model, as a guarded step. Each one is a single
// await of the real code (or a group of them that may be merged, as its
// comment argues), so that the other actors can interleave between a read and
// the write that depends on it, as in the design doc's timeline. The comment
// on each action quotes the sentence of REAL_SYSTEM.md ("real") or
// PRESENCE_RACE_DESIGN_DOC.md ("doc") it models.
import type { ActionDef, Params } from '../checker/index.ts';
import type { Bounds } from './bounds.ts';
import { countsJoins, tracksActivity, type Design, type PmRead } from './designs.ts';
import { dropDuplicate, due, enqueue, SEVERAL, takeDue, tickPolls } from './polls.ts';
import { activeMeeting, inCall, isOpen, NEW_MEETING, someTab, tidy, type Meeting, type Phase, type State, type Tab } from './state.ts';

export interface UserParams extends Params { readonly user: number }
export interface TabParams extends Params { readonly user: number; readonly tab: number }
export interface HookParams extends TabParams { readonly event: 'participant.left' }
export interface MeetingParams extends Params { readonly meeting: number }

type Act<P extends Params> = ActionDef<State, P>;

export function buildActions(design: Design, b: Bounds): ActionDef<State, any>[] {
  const res = design.reservation;
  const slot = (p: TabParams) => (p.user - 1) * b.tabs + (p.tab - 1);
  const tabOf = (s: State, i: number): Tab => s.tabs.get(i)!;
  const meetingOf = (s: State, id: number): Meeting => s.meetings.get(id - 1)!;

  const users: UserParams[] = Array.from({ length: b.users }, (_, u) => ({ user: u + 1 }));
  const tabs: TabParams[] = users.flatMap(({ user }) => Array.from({ length: b.tabs }, (_, t) => ({ user, tab: t + 1 })));
  const hooks: HookParams[] = tabs.map((t) => ({ ...t, event: 'participant.left' as const }));
  const meetingParams: MeetingParams[] = Array.from({ length: b.users * b.tabs + 1 }, (_, m) => ({ meeting: m + 1 }));
  const meetingsIn = (s: State) => meetingParams.slice(0, s.meetings.size);

  /** index of the user's open tab, or -1 (a user has at most one open tab) */
  const openTab = (s: State, user: number): number => {
    for (let t = 0; t < b.tabs; t++) if (isOpen(tabOf(s, (user - 1) * b.tabs + t))) return (user - 1) * b.tabs + t;
    return -1;
  };
  /** the phase of the user's open tab, or null */
  const openPhase = (s: State, user: number): Phase | null => {
    const i = openTab(s, user);
    return i < 0 ? null : tabOf(s, i).phase;
  };
  const freeSlot = (s: State, user: number): number => {
    for (let t = 0; t < b.tabs; t++) if (tabOf(s, (user - 1) * b.tabs + t).meeting === 0) return (user - 1) * b.tabs + t;
    return -1;
  };
  const userOfSlot = (i: number) => Math.floor(i / b.tabs) + 1;

  const setTab = (s: State, i: number, f: (t: Tab) => Tab): State => s.set('tabs', s.tabs.set(i, f(tabOf(s, i))));
  const setMeeting = (s: State, id: number, f: (m: Meeting) => Meeting): State =>
    s.set('meetings', s.meetings.set(id - 1, f(meetingOf(s, id))));
  const queuePoll = (m: Meeting, delay: number): Meeting => m.set('polls', enqueue(m.polls, delay));
  /** a session row was written: "had sessions", and activity for the grace period */
  const sessionWritten = (m: Meeting): Meeting => m.merge({ hadSessions: true, quiet: 0 });
  const newMeeting = () => NEW_MEETING.set('quiet', tracksActivity(design) ? b.grace : 0);

  /** Redis SET pending_join:{meeting}:{key} EX ttl. A per-user key overwrites the user's earlier one. */
  const writeKey = (s: State, i: number): State => {
    const meeting = tabOf(s, i).meeting;
    if (res?.key === 'per-user') s = dropUserKeys(s, userOfSlot(i), meeting);
    return setTab(s, i, (t) => t.set('pendingJoin', b.ttl));
  };
  const dropUserKeys = (s: State, user: number, meeting: number): State => {
    for (let t = 0; t < b.tabs; t++) {
      const j = (user - 1) * b.tabs + t;
      const tab = tabOf(s, j);
      if (tab.meeting === meeting && tab.pendingJoin >= 0) s = setTab(s, j, (x) => x.set('pendingJoin', -1));
    }
    return s;
  };
  const startHandshake = (t: Tab): Tab => t.merge({ phase: 'handshaking', handshake: b.handshake });

  const actions: ActionDef<State, any>[] = [];

  // real: "POST /rooms/R/meeting: get-or-create, under a Redis lock per room
  // ... Returns the active meeting or creates a new one (new Daily room). So
  // get-or-create itself is atomic." A user with no open tab opens one (a
  // quick rejoin, if an earlier tab's traces linger); a refused tab asks again.
  actions.push({
    name: 'getOrCreateMeeting',
    params: () => users,
    guard: (s, { user }) => {
      const open = openTab(s, user);
      return open >= 0 ? tabOf(s, open).phase === 'refused' : freeSlot(s, user) >= 0;
    },
    effect: (s, { user }) => {
      const open = openTab(s, user);
      const i = open >= 0 ? open : freeSlot(s, user);
      let id = activeMeeting(s);
      if (id === 0) {
        const hole = s.meetings.indexOf(null);
        id = hole >= 0 ? hole + 1 : s.meetings.size + 1;
        s = s.set('meetings', s.meetings.set(id - 1, newMeeting()));
      }
      // doc option C: "Each join attempt increments a version"
      if (countsJoins(design)) s = setMeeting(s, id, (m) => m.set('joinedSinceVersionRead', true));
      s = setTab(s, i, (t) => {
        const got = t.set('meeting', id);
        return res ? got.set('phase', 'got-meeting') : startHandshake(got);
      });
      return tidy(s);
    },
  } satisfies Act<UserParams>);

  if (res && res.checksActive !== 'then-write') {
    // doc: "POST /joining → I'm about to connect (wait for 200 OK)"; the
    // endpoint "Creates Redis key with 30s TTL, Returns 200 OK". With
    // 'under-meeting-lock' the is_active check and the write run while holding
    // process_meetings' lock for the meeting, so no deactivation step can come
    // between them: one step. The client waits for the answer, so the write
    // and the answer are one step too (a tab closed before the write is a tab
    // closed in got-meeting; one closed after it leaves the key to its TTL).
    actions.push({
      name: 'postJoining',
      params: () => users,
      guard: (s, { user }) => {
        const i = openTab(s, user);
        if (i < 0 || tabOf(s, i).phase !== 'got-meeting') return false;
        return res.checksActive === 'never' || meetingOf(s, tabOf(s, i).meeting).worker === 0;
      },
      effect: (s, { user }) => {
        const i = openTab(s, user);
        const active = meetingOf(s, tabOf(s, i).meeting).active;
        if (res.checksActive === 'never' || active) return tidy(setTab(writeKey(s, i), i, startHandshake));
        return tidy(setTab(s, i, (t) => (res.onRefused === 'retry' ? t.set('phase', 'refused') : startHandshake(t))));
      },
    } satisfies Act<UserParams>);
  } else if (res) {
    // real: "POST /joining {connection_id}. The server refuses (400) when the
    // meeting is no longer active. The shipped frontend only logs a warning
    // when /joining fails and goes on to join the Daily room anyway." The
    // check and the key write are two awaits, with no lock between them.
    actions.push({
      name: 'joiningChecksMeeting',
      params: () => users,
      guard: (s, { user }) => openPhase(s, user) === 'got-meeting',
      effect: (s, { user }) => {
        const i = openTab(s, user);
        if (meetingOf(s, tabOf(s, i).meeting).active) return setTab(s, i, (t) => t.set('phase', 'joining-checked'));
        return tidy(setTab(s, i, (t) => (res.onRefused === 'retry' ? t.set('phase', 'refused') : startHandshake(t))));
      },
    } satisfies Act<UserParams>);
    actions.push({
      name: 'joiningWritesKey',
      params: () => users,
      guard: (s, { user }) => openPhase(s, user) === 'joining-checked',
      effect: (s, { user }) => {
        const i = openTab(s, user);
        return tidy(setTab(writeKey(s, i), i, startHandshake));
      },
    } satisfies Act<UserParams>);
  }

  // real: "WebRTC handshake with the Daily room ... During it the user is
  // invisible to the presence API and no webhook has fired." "Connected:
  // Daily fires participant.joined (late); the presence API shows the user
  // after its lag." "The Daily room is not deleted at once ... so a tab
  // finishing its handshake still gets into the old Daily room."
  actions.push({
    name: 'connect',
    params: () => users,
    guard: (s, { user }) => openPhase(s, user) === 'handshaking',
    effect: (s, { user }) => {
      const i = openTab(s, user);
      s = setTab(s, i, (t) => {
        const visible = b.lag === 0 || t.visible;
        return t.merge({ phase: 'connected', handshake: 0, visible, lag: visible ? 0 : b.lag });
      });
      // participant.joined's handler only queues a poll: a webhook in flight is
      // that poll, due at once (delivered late = run late, lost = never run)
      return tidy(setMeeting(s, tabOf(s, i).meeting, (m) => queuePoll(m, 0)));
    },
  } satisfies Act<UserParams>);

  // real: "Frontend then calls POST /joined." current: /joined queues a
  // presence poll "3 s later". doc option B: "On /joined endpoint ...
  // pending_joins.delete". shipped: "/joined deletes the pending join, inserts
  // an active DB session directly, and queues a presence poll 3 s later.
  // /joined succeeds even when the meeting was deactivated meanwhile."
  // The request is not awaited by the tab; it is modelled as handled while the
  // tab is still open (one sent just before a close is handled before it).
  actions.push({
    name: 'postJoined',
    params: () => users,
    guard: (s, { user }) => openPhase(s, user) === 'connected',
    effect: (s, { user }) => {
      const i = openTab(s, user);
      const meeting = tabOf(s, i).meeting;
      if (res?.joinedDeletesKey) {
        s = res.key === 'per-user' ? dropUserKeys(s, user, meeting) : setTab(s, i, (t) => t.set('pendingJoin', -1));
      }
      s = setTab(s, i, (t) => t.merge({ phase: 'joined', sessionOpen: design.joinedInsertsSession || t.sessionOpen }));
      s = setMeeting(s, meeting, (m) => queuePoll(design.joinedInsertsSession ? sessionWritten(m) : m, b.pollDelay));
      return tidy(s);
    },
  } satisfies Act<UserParams>);

  // real: "Leave (tab close): sendBeacon POST /leave. Shipped fix: closes the
  // DB session directly when the session id is known, else queues a poll in
  // 3 s. Daily fires participant.left (late); presence drops the user after
  // its lag." "A tab can close at any step, including mid-handshake
  // (abandoned join: no /joined ever comes; the pending join only expires by
  // TTL)." The beacon is handled at the close: its 3 s delay dwarfs its
  // latency, and a later direct close only keeps a session open longer.
  actions.push({
    name: 'closeTab',
    params: () => users,
    guard: (s, { user }) => openTab(s, user) >= 0,
    effect: (s, { user }) => {
      const i = openTab(s, user);
      const tab = tabOf(s, i);
      const sessionKnown = tab.phase === 'joined';
      if (design.leaveClosesSession && sessionKnown) {
        if (tab.sessionOpen) s = setMeeting(s, tab.meeting, sessionWritten);
        s = setTab(s, i, (t) => t.set('sessionOpen', false));
      } else {
        s = setMeeting(s, tab.meeting, (m) => queuePoll(m, b.pollDelay));
      }
      s = setTab(s, i, (t) => {
        const left = t.merge({ phase: 'idle', handshake: 0 });
        if (!inCall(t)) return left;
        const visible = b.lag > 0 && t.visible;
        return left.merge({ leftHook: design.leaveClosesSession, visible, lag: visible ? b.lag : 0 });
      });
      // participant.left: where its handler only queues a poll, the webhook in
      // flight is that poll (see connect)
      if (inCall(tab) && !design.leaveClosesSession) s = setMeeting(s, tab.meeting, (m) => queuePoll(m, 0));
      return tidy(s);
    },
  } satisfies Act<UserParams>);

  // real: "the presence API shows the user after its lag", "presence drops
  // the user after its lag": any time within `lag` ticks (tick waits for it).
  if (b.lag > 0) {
    actions.push({
      name: 'presenceCatchesUp',
      params: () => tabs,
      guard: (s, p) => {
        const t = tabOf(s, slot(p));
        return t.visible !== inCall(t);
      },
      effect: (s, p) => tidy(setTab(s, slot(p), (t) => t.merge({ visible: inCall(t), lag: 0 }))),
    } satisfies Act<TabParams>);
  }

  // real: "webhooks participant.joined / participant.left that arrive late,
  // can be lost, and can be reordered"; participant.left "shipped fix: close
  // the session directly, then poll 5 s later". (Elsewhere both handlers only
  // queue a poll, and the webhook is that poll: see connect and closeTab.)
  if (design.leaveClosesSession) {
    actions.push({
      name: 'webhookDelivered',
      params: () => hooks,
      guard: (s, p) => tabOf(s, slot(p)).leftHook,
      effect: (s, p) => {
        const i = slot(p);
        const tab = tabOf(s, i);
        s = setTab(s, i, (t) => t.merge({ leftHook: false, sessionOpen: false }));
        return tidy(setMeeting(s, tab.meeting, (m) => queuePoll(tab.sessionOpen ? sessionWritten(m) : m, b.leftPollDelay)));
      },
    } satisfies Act<HookParams>);
    actions.push({
      name: 'webhookLost',
      params: () => hooks,
      guard: (s, p) => tabOf(s, slot(p)).leftHook,
      effect: (s, p) => tidy(setTab(s, slot(p), (t) => t.set('leftHook', false))),
    } satisfies Act<HookParams>);
  }

  // real: "poll_daily_room_presence(meeting): skip if another poll of the same
  // meeting holds its lock. Reads the presence API; on API error it returns
  // without changes." A queued poll runs any time after its delay (a task
  // queue gives no upper bound). Taking the lock and reading are one step: no
  // other poll of the meeting can act between them, and nothing else reads
  // the lock.
  /** how many polls of the meeting are due: 0, 1 or SEVERAL (0 for a forgotten meeting) */
  const duePolls = (s: State, meeting: number) => {
    const m = s.meetings.get(meeting - 1);
    return m == null ? 0 : due(m.polls);
  };
  const duePoll = (s: State, meeting: number) => duePolls(s, meeting) > 0;
  const takeDuePoll = (m: Meeting): Meeting => m.set('polls', takeDue(m.polls));
  actions.push({
    name: 'pollReadsPresence',
    params: meetingsIn,
    guard: (s, { meeting }) => duePoll(s, meeting) && !meetingOf(s, meeting).pollRunning,
    effect: (s, { meeting }) => {
      s = setMeeting(s, meeting, (m) => takeDuePoll(m).set('pollRunning', true));
      s = s.set('tabs', s.tabs.map((t) => (t.meeting === meeting && t.visible ? t.set('seenByPoll', true) : t)));
      return tidy(s);
    },
  } satisfies Act<MeetingParams>);
  actions.push({
    name: 'pollApiFails',
    params: meetingsIn,
    guard: (s, { meeting }) => duePoll(s, meeting) && !meetingOf(s, meeting).pollRunning,
    effect: (s, { meeting }) => tidy(setMeeting(s, meeting, takeDuePoll)),
  } satisfies Act<MeetingParams>);
  actions.push({
    name: 'pollSkipsLocked',
    params: meetingsIn,
    guard: (s, { meeting }) => duePoll(s, meeting) && meetingOf(s, meeting).pollRunning,
    effect: (s, { meeting }) => tidy(setMeeting(s, meeting, takeDuePoll)),
  } satisfies Act<MeetingParams>);

  // See polls.ts: of several identical queued polls, one may never run.
  actions.push({
    name: 'duplicatePollDropped',
    params: meetingsIn,
    guard: (s, { meeting }) => duePolls(s, meeting) === SEVERAL,
    effect: (s, { meeting }) => tidy(setMeeting(s, meeting, (m) => m.set('polls', dropDuplicate(m.polls)))),
  } satisfies Act<MeetingParams>);

  // real: "it reconciles the DB with what the API reported: inserts sessions
  // for participants it sees without an open session, and closes (sets
  // left_at) every open session the API does not report, including one that
  // /joined inserted a moment ago if the API still lags behind." The
  // reconciliation is one step: its DB writes touch only this meeting's rows,
  // and every interleaving of a concurrent /joined insert or /leave close with
  // it ends as one of the two orders (before or after the whole write).
  actions.push({
    name: 'pollWritesSessions',
    params: meetingsIn,
    guard: (s, { meeting }) => s.meetings.get(meeting - 1)?.pollRunning === true,
    effect: (s, { meeting }) => {
      let wrote = false;
      const tabsAfter = s.tabs.map((t) => {
        if (t.meeting !== meeting) return t;
        const sessionOpen = t.seenByPoll;
        if (sessionOpen !== t.sessionOpen) wrote = true;
        return t.merge({ sessionOpen, seenByPoll: false });
      });
      s = s.set('tabs', tabsAfter);
      s = setMeeting(s, meeting, (m) => {
        const done = m.set('pollRunning', false);
        return wrote ? sessionWritten(done) : done;
      });
      return tidy(s);
    },
  } satisfies Act<MeetingParams>);

  // real: "process_meetings (every 60 s, per active meeting, under a
  // per-meeting lock)": a run may start at any moment, one at a time per
  // meeting; each read and the final write are separate awaits, so anything
  // may happen between them. "If has_active: keep. Else if has_had:
  // deactivate. Else if now > end_date: deactivate. Else keep (not started
  // yet)." end_date is hours after creation, beyond every bound here, so that
  // branch keeps.
  const reads = design.processMeetings;
  /** the run is at read k (0 = starting: the meeting must be active and unlocked) */
  const at = (s: State, meeting: number, k: number) => {
    const m = s.meetings.get(meeting - 1);
    return m != null && m.worker === k && (k > 0 || m.active);
  };
  const proceed = (s: State, meeting: number, k: number, go: boolean): State =>
    tidy(setMeeting(s, meeting, (m) => m.set('worker', go ? k + 1 : 0)));
  const hasOpenSession = (s: State, meeting: number) => someTab(s, (t) => t.meeting === meeting && t.sessionOpen);
  const shownByPresence = (s: State, meeting: number) => someTab(s, (t) => t.meeting === meeting && t.visible);
  /** "If has_active: keep. Else if has_had: deactivate. Else ... keep." */
  const nobodyButHad = (s: State, meeting: number, hasActive: boolean) => !hasActive && meetingOf(s, meeting).hadSessions;

  reads.forEach((read: PmRead, k: number) => {
    const step = (name: string, effect: (s: State, meeting: number) => State): Act<MeetingParams> => ({
      name, params: meetingsIn, guard: (s, { meeting }) => at(s, meeting, k), effect: (s, { meeting }) => effect(s, meeting),
    });
    switch (read) {
      case 'join-counter':
        // doc option C: "Each join attempt increments a version. Deactivation
        // only proceeds if version hasn't changed since presence check."
        actions.push(step('pmReadsVersion', (s, meeting) =>
          tidy(setMeeting(s, meeting, (m) => m.merge({ worker: k + 1, joinedSinceVersionRead: false })))));
        break;
      case 'sessions':
        // real: "main branch: reads DB sessions; has_active = any open session, has_had = any session."
        actions.push(step('pmReadsSessions', (s, meeting) =>
          proceed(s, meeting, k, nobodyButHad(s, meeting, hasOpenSession(s, meeting)))));
        break;
      case 'presence-else-sessions':
      case 'presence-else-skip':
        // doc: "presence = await client.get_room_presence(...);
        // has_active_sessions = presence.total_count > 0 ... except
        // Exception: ... falling back to DB sessions" (fail loudly:
        // "continue  # Don't deactivate if we can't verify"). The failed call
        // changes nothing, so failing and reading the DB are one step.
        actions.push(step('pmReadsPresence', (s, meeting) =>
          proceed(s, meeting, k, nobodyButHad(s, meeting, shownByPresence(s, meeting)))));
        actions.push(step('pmPresenceApiFails', (s, meeting) =>
          proceed(s, meeting, k, read === 'presence-else-sessions' && nobodyButHad(s, meeting, hasOpenSession(s, meeting)))));
        break;
      case 'pending-joins':
        // doc: "pending = await pending_joins.get_recent(meeting_id, ...); if
        // pending: ... skipping deactivation"; real: "before deactivating,
        // skip if any pending join exists for it."
        actions.push(step('pmReadsPendingJoins', (s, meeting) =>
          proceed(s, meeting, k, !someTab(s, (t) => t.meeting === meeting && t.pendingJoin >= 0))));
        break;
      case 'recent-activity':
        // doc option A: "recent_activity = await get_recent_activity(meeting_id,
        // within_seconds=GRACE_PERIOD_SECONDS); if recent_activity: continue".
        // Activity = a session row written (joined_at or left_at) in the window.
        actions.push(step('pmReadsRecentActivity', (s, meeting) =>
          proceed(s, meeting, k, meetingOf(s, meeting).quiet >= b.grace)));
        break;
    }
  });
  // real: "Deactivation sets is_active = false." (option C: only if the
  // counter is unchanged: a conditional UPDATE, one step.)
  actions.push({
    name: 'pmDeactivates',
    params: meetingsIn,
    guard: (s, { meeting }) => at(s, meeting, reads.length),
    effect: (s, { meeting }) => tidy(setMeeting(s, meeting, (m) => {
      if (countsJoins(design) && m.joinedSinceVersionRead) return m.set('worker', 0);
      return m.merge({ active: false, worker: 0 });
    })),
  } satisfies Act<MeetingParams>);

  if (res) {
    // doc: "Redis with TTL (30s expiry)"; real: "the pending join only expires by TTL".
    actions.push({
      name: 'pendingJoinExpires',
      params: () => tabs,
      guard: (s, p) => tabOf(s, slot(p)).pendingJoin === 0,
      effect: (s, p) => tidy(setTab(s, slot(p), (t) => t.set('pendingJoin', -1))),
    } satisfies Act<TabParams>);
  }

  // Discrete time. A tick cannot pass a deadline: a handshake at its longest,
  // presence at its largest lag, a key at the end of its TTL must act first.
  // Queued polls count down to due; the grace-period quiet counter counts up.
  actions.push({
    name: 'tick',
    guard: (s) => !someTab(s, (t) =>
      (t.phase === 'handshaking' && t.handshake === 0) || (t.visible !== inCall(t) && t.lag === 0) || t.pendingJoin === 0),
    effect: (s) => {
      const tabsAfter = s.tabs.map((t) => {
        if (t.meeting === 0) return t;
        return t.merge({
          handshake: t.phase === 'handshaking' ? t.handshake - 1 : t.handshake,
          lag: t.visible !== inCall(t) ? t.lag - 1 : t.lag,
          pendingJoin: t.pendingJoin > 0 ? t.pendingJoin - 1 : t.pendingJoin,
        });
      });
      const meetingsAfter = s.meetings.map((m) => {
        if (m === null) return m;
        return m.merge({ polls: tickPolls(m.polls), quiet: tracksActivity(design) ? Math.min(b.grace, m.quiet + 1) : m.quiet });
      });
      return tidy(s.merge({ tabs: tabsAfter, meetings: meetingsAfter }));
    },
  });

  return actions;
}
