// The browser tab's steps (REAL_SYSTEM.md "Client (browser tab) flow"): get
// or create the meeting, /joining (designs with reservations), the WebRTC
// handshake, /joined, the reservation's heartbeat, and closing the tab.
// Each one is a single await of the real code (or a group of them that may
// be merged, as its `models` argues), so that the other actors can
// interleave between a read and the write that depends on it.
import type { Params } from '../../checker/index.ts';
import { countsJoins } from '../designs.ts';
import { enqueue } from '../polls.ts';
import { activeMeeting, inCall, isOpen, type Draft, type Phase, type ReadMeeting, type ReadTab, type State } from '../state.ts';
import { presenceAction, type CodeStep, type PresenceAction } from './define.ts';
import { runProgress } from './process-meetings.ts';
import {
  BACKEND,
  DAILY,
  freeSlot,
  labelOf,
  meetingName as M,
  openPhase,
  openSlot,
  openTab,
  roomOpen,
  userLane,
  userName,
  userOfSlot,
  type Setup,
  type UserParams,
} from './setup.ts';

const request = (from: string, to: string) => ({ from, to, style: 'request' as const });
const fromTab = ({ user }: UserParams) => request(userLane(user), BACKEND);
const users = (c: Setup) => c.users;

/** What an open tab in `phase` does next, for explanations. */
function nextOf(c: Setup, s: State, slot: number): string {
  const t = s.tab(slot);
  const m = M(t.meeting);
  switch (t.phase) {
    case 'got-meeting':
      return `its next step is ${c.res?.checksActive === 'then-write' ? 'joiningChecksMeeting' : 'postJoining'}`;
    case 'creating':
      return 'it is creating a meeting; its next step is getOrCreateInserts';
    case 'joining-checked':
      return 'its next step is joiningWritesKey';
    case 'refused':
      return 'it asks for the meeting again next (getOrCreateAgain)';
    case 'handshaking':
      return `it is in its WebRTC handshake with ${m}'s Daily room; its next step is connect${roomOpen(s, t.meeting) ? '' : ' (which fails: the room is gone)'}`;
    case 'connected':
      return `it is in ${m}'s call; its next step is postJoined`;
    case 'joined':
      return `it is in ${m}'s call and has POSTed /joined`;
    case 'idle':
      return 'it is closed';
  }
}

/** Why the user's open tab is not in one of `phases` (null when it is). */
function needPhase(c: Setup, s: State, user: number, ...phases: Phase[]): string | null {
  const u = userName(user);
  const i = openSlot(c, s, user);
  const want = phases.join(' or ');
  if (i < 0) return `${u} has no tab ${want} (${u} has no open tab; getOrCreateMeeting opens one)`;
  const t = s.tab(i);
  if (phases.includes(t.phase)) return null;
  return `${u} has no tab ${want} (its open tab ${labelOf(c, i)} is ${t.phase}; ${nextOf(c, s, i)})`;
}

/**
 * What POST /rooms/R/meeting answers now: the active meeting; 503 while a
 * meeting is closing (roomDeletion 'before-next-meeting'); with the unique
 * index, the meeting that holds it (an INSERT would fail); else a new one.
 */
type Answer = { readonly kind: 'meeting' | 'wait'; readonly id: number } | { readonly kind: 'create' };

function answerOf(c: Setup, s: State): Answer {
  const active = activeMeeting(s);
  if (active !== 0) return { kind: 'meeting', id: active };
  const waits = c.design.roomDeletion === 'before-next-meeting';
  for (let id = 1; id <= s.layout.meetingIds; id++) {
    const m = s.meeting(id);
    if (m === null) continue;
    if (m.closing && waits) return { kind: 'wait', id };
    // an active meeting get_active passed over (its end_date) still holds the unique index
    if (c.design.oneActiveIndex && m.active) return { kind: 'meeting', id };
  }
  return { kind: 'create' };
}

/** What a tab got from get-or-create, as the trace says it: `t` is the tab after the step. */
function receivedText(a: Answer, t: ReadTab): string {
  if (a.kind !== 'create') return answerText(a);
  return t.phase !== 'creating' ? `${M(t.meeting)} (created, new Daily room)` : 'no meeting: creating one';
}

function answerText(a: Answer): string {
  if (a.kind === 'meeting') return `${M(a.id)} (active)`;
  if (a.kind === 'wait') return `503: ${M(a.id)} is closing (its Daily room is being deleted); will ask again`;
  return 'a new meeting';
}

/** What the tab does with each answer of get-or-create. */
function getOrCreateAnswers(c: Setup): string {
  const next = c.res !== null ? 'POST /joining' : 'join its Daily room';
  return c.design.roomDeletion === 'before-next-meeting'
    ? `200: ${next}; 503 (a meeting is closing): ask again in a moment`
    : `200: ${next}`;
}

/** When a tab asks for the meeting again, in this design. */
function askAgainWhen(c: Setup): string {
  const when: string[] = [];
  if (c.res?.onRefused === 'retry') when.push('on any answer but 200 from /joining (400, 5xx, timeout, network error)');
  if (c.design.roomDeletion === 'before-next-meeting') when.push('on 503 from get-or-create');
  if (c.design.roomDeletion !== 'never') when.push('when daily-js reports that the room is gone (the call or the handshake ends)');
  return when.join('; ');
}

/** get-or-create's server side, as one step while its lease holds (the read, and the creation when there is nothing to read). */
function getOrCreateServer(c: Setup): CodeStep[] {
  const waits = c.design.roomDeletion === 'before-next-meeting';
  const read: CodeStep = {
    where: 'POST /rooms/{room}/meeting, under its Redis lease create_meeting:{room}',
    call: 'SQL',
    text: waits
      ? "SELECT id, state FROM meeting WHERE room_id = :room AND state IN ('active', 'closing')"
      : c.design.oneActiveIndex || c.design.getOrCreate === 'keeps-occupied'
        ? 'SELECT id FROM meeting WHERE room_id = :room AND is_active'
        : 'SELECT id FROM meeting WHERE room_id = :room AND is_active AND end_date > now()',
    onAnswer: waits ? "'active': answer it; 'closing': answer 503; none: create one" : 'one: answer it; none: create one',
  };
  // with create-lock-lost the creation is a later step (getOrCreateInserts): the lease may have lapsed by then
  return c.fault('create-lock-lost') ? [read] : [read, ...createCode(c)];
}

/** Creating a meeting: its Daily room, then its row. */
function createCode(c: Setup): CodeStep[] {
  const index = c.design.roomDeletion === 'before-next-meeting' ? "state IN ('active', 'closing')" : "state = 'active'";
  return [
    {
      where: 'POST /rooms/{room}/meeting',
      call: 'HTTP',
      text: "POST https://api.daily.co/v1/rooms (the meeting's Daily room, 10 s timeout)",
    },
    {
      where: 'POST /rooms/{room}/meeting',
      call: 'SQL',
      text: c.design.oneActiveIndex
        ? `INSERT INTO meeting (room_id, room_name, state, is_active, end_date) VALUES (:room, :name, 'active', true, now() + interval '8 hours')\n  -- CREATE UNIQUE INDEX one_active_meeting ON meeting (room_id) WHERE ${index} (rooms with allow_duplicated aside)`
        : "INSERT INTO meeting (room_id, room_name, is_active, end_date) VALUES (:room, :name, true, now() + interval '8 hours')",
      onAnswer: c.design.oneActiveIndex
        ? 'a unique violation: answer the meeting that holds the index (503 if it is closing)'
        : 'answer the new meeting',
    },
  ];
}

/** The tab in `slot` enters meeting `id`: /joining next (designs with reservations), else the WebRTC handshake. */
function enterMeeting(d: Draft, c: Setup, slot: number, id: number): void {
  const t = d.tab(slot);
  t.meeting = id;
  t.direct = false;
  if (c.res !== null) t.phase = 'got-meeting';
  else startHandshake(d, c, slot);
  // doc option C: "Each join attempt increments a version"
  if (countsJoins(c.design)) d.meeting(id).joinedSinceVersionRead = true;
}

function startHandshake(d: Draft, c: Setup, slot: number): void {
  const t = d.tab(slot);
  t.phase = 'handshaking';
  t.handshake = c.b.handshake;
}

/** A new meeting (its Daily room, then its row), in the first free id. */
function createMeeting(d: Draft, c: Setup): number {
  const id = d.newMeeting();
  if (id === 0) throw new RangeError('every meeting id is in use (model/state.ts Layout.meetingIds is too small for this run)');
  if (c.design.processMeetings.includes('recent-activity')) d.meeting(id).quiet = c.b.grace;
  return id;
}

/** Writes get-or-create's answer into the tab in `slot`. */
function receive(d: Draft, c: Setup, slot: number, a: Answer): void {
  if (a.kind === 'meeting') {
    enterMeeting(d, c, slot, a.id);
    return;
  }
  const t = d.tab(slot);
  if (a.kind === 'wait') {
    t.meeting = a.id;
    t.phase = 'refused';
    return;
  }
  if (c.fault('create-lock-lost')) {
    // the read found nothing; the Daily room and the row come in a later step, the lease perhaps lapsed by then
    t.meeting = 0;
    t.phase = 'creating';
    return;
  }
  enterMeeting(d, c, slot, createMeeting(d, c));
}

/** Whether anything can send a tab back to asking for the meeting (else getOrCreateAgain could never fire). */
function tabsAskAgain(c: Setup): boolean {
  const res = c.res;
  const refusedByJoining = res !== null && res.onRefused === 'retry' && (res.checksActive !== 'never' || c.fault('joining-error'));
  const ownerDrops = c.fault('owner-deactivate') && c.design.ownerDeactivate !== 'deactivate';
  return refusedByJoining || c.design.roomDeletion !== 'never' || ownerDrops;
}

/** /joining's check: the meeting is active (and, for refuses 'had-sessions', has no recorded session). */
const admits = (c: Setup, m: ReadMeeting): boolean => m.active && !(c.res?.refuses === 'had-sessions' && m.hadSessions);

/** Redis SET pending_join:{meeting}:{key} EX ttl, or the reservation row's upsert. A per-user key overwrites the user's earlier one. */
function writeReservation(d: Draft, c: Setup, slot: number): void {
  const meeting = d.tab(slot).meeting;
  if (c.res?.key === 'per-user') dropUserReservations(d, c, userOfSlot(c, slot), meeting);
  d.tab(slot).reservation = c.b.ttl;
}

function dropUserReservations(d: Draft, c: Setup, user: number, meeting: number): void {
  const first = (user - 1) * c.b.tabs;
  for (let i = first; i < first + c.b.tabs; i++) {
    const t = d.tab(i);
    if (t.meeting === meeting && t.reservation >= 0) t.reservation = -1;
  }
}

/** refused by /joining: ask again (retry) or go on to the Daily room anyway (proceed) */
function refuse(d: Draft, c: Setup, slot: number): void {
  if (c.res!.onRefused === 'retry') d.tab(slot).phase = 'refused';
  else startHandshake(d, c, slot);
}

/** pending_join:M1:u1 (a per-user Redis key), pending_join:M1:u1#2 (per-tab), or reservation(M1, u1#2) (a DB row) */
export function reservationName(c: Setup, meeting: number, slot: number): string {
  return c.res?.store === 'db'
    ? `reservation(${M(meeting)}, ${labelOf(c, slot)})`
    : `pending_join:${M(meeting)}:${c.res?.key === 'per-tab' ? labelOf(c, slot) : userName(userOfSlot(c, slot))}`;
}

/** The user's tab a user step acted on: the open one before the step, else the one after (a new tab). */
function actingSlot(c: Setup, from: State, to: State, user: number): number {
  const before = openSlot(c, from, user);
  return before >= 0 ? before : openSlot(c, to, user);
}

export const getOrCreateMeeting = presenceAction<UserParams>({
  name: 'getOrCreateMeeting',
  models:
    'real: "POST /rooms/R/meeting: get-or-create, under a Redis lock per room (create_meeting:R). Returns the active meeting or creates a ' +
    'new one (new Daily room). So get-or-create itself is atomic." A user with no open tab opens one (a quick rejoin, if an earlier ' +
    "tab's traces linger). With create-lock-lost the creation is a later step of its own (getOrCreateInserts).",
  domain: users,
  fairness: () => 'environment',
  guard: (s, { user }, c) => openSlot(c, s, user) < 0 && freeSlot(c, s, user) >= 0,
  effect: (d, { user }, c, s) => receive(d, c, freeSlot(c, s, user), answerOf(c, s)),
  describe: (from, to, { user }, c) => {
    const i = actingSlot(c, from, to, user);
    const got = receivedText(answerOf(c, from), to.tab(i));
    return `${userName(user)} opens a new tab ${labelOf(c, i)}: POST /rooms/R/meeting → ${got}`;
  },
  explain: (s, { user }, c) => {
    const u = userName(user);
    const open = openSlot(c, s, user);
    if (open >= 0)
      return `${u} already has an open tab, ${labelOf(c, open)} (${s.tab(open).phase}; ${nextOf(c, s, open)}): a user opens a new tab after closing the old one (closeTab)`;
    if (freeSlot(c, s, user) >= 0) return null;
    const lingering: string[] = [];
    for (let k = 0; k < c.b.tabs; k++) {
      const i = (user - 1) * c.b.tabs + k;
      const t = s.tab(i);
      const why = [
        t.visible ? 'Daily presence still shows it' : null,
        t.sessionOpen ? 'its DB session is open' : null,
        t.reservation >= 0 ? 'its reservation lives' : null,
        t.leftHooks > 0 ? 'its participant.left webhook is in flight' : null,
        t.seenByPoll ? 'a running poll saw it' : null,
      ].filter(Boolean);
      lingering.push(`${labelOf(c, i)} (${why.length > 0 ? why.join(', ') : t.phase})`);
    }
    return `${u} has no free tab slot (--tabs ${c.b.tabs}): closed tabs linger until Daily, the DB and Redis forget them: ${lingering.join('; ')}`;
  },
  arrow: fromTab,
  code: (c) => [
    { where: 'frontend', call: 'browser', text: 'POST /rooms/{room}/meeting (get-or-create)', onAnswer: getOrCreateAnswers(c) },
    ...getOrCreateServer(c),
  ],
});

export const getOrCreateAgain = presenceAction<UserParams>({
  name: 'getOrCreateAgain',
  models:
    'A tab that /joining refused, that get-or-create answered 503, or whose call or handshake was dropped, asks for the meeting again: ' +
    'the same request, from the same tab (a step of its own: it is fair, where opening a new tab is not).',
  when: tabsAskAgain,
  domain: users,
  fairness: () => 'weak',
  guard: (s, { user }, c) => openPhase(c, s, user) === 'refused',
  effect: (d, { user }, c, s) => {
    const i = openSlot(c, s, user);
    const t = d.tab(i);
    t.cut = false;
    receive(d, c, i, answerOf(c, s));
  },
  describe: (from, to, { user }, c) => {
    const i = actingSlot(c, from, to, user);
    const got = receivedText(answerOf(c, from), to.tab(i));
    return `${labelOf(c, i)} POST /rooms/R/meeting again → ${got}`;
  },
  explain: (s, { user }, c) => needPhase(c, s, user, 'refused'),
  arrow: fromTab,
  code: (c) => [
    {
      where: 'frontend',
      call: 'browser',
      text: `POST /rooms/{room}/meeting again: ${askAgainWhen(c)}`,
      onAnswer: getOrCreateAnswers(c),
    },
    ...getOrCreateServer(c),
  ],
});

export const getOrCreateInserts = presenceAction<UserParams>({
  name: 'getOrCreateInserts',
  models:
    'fault create-lock-lost, real: "The get-or-create lease (30 s) covers a Daily room creation that can take 10 s and a DB insert; when it ' +
    'lapses, a second get-or-create can create a second meeting. Nothing in the schema forbids two active meetings in one room." ' +
    'With the unique index (oneActiveIndex) the INSERT fails while another meeting holds it, and get-or-create reads that one.',
  when: (c) => c.fault('create-lock-lost'),
  domain: users,
  fairness: () => 'weak',
  guard: (s, { user }, c) => openPhase(c, s, user) === 'creating',
  effect: (d, { user }, c, s) => {
    const i = openSlot(c, s, user);
    const held = c.design.oneActiveIndex ? answerOf(c, s) : ({ kind: 'create' } as const);
    if (held.kind !== 'create') return receive(d, c, i, held);
    enterMeeting(d, c, i, createMeeting(d, c));
  },
  describe: (from, to, { user }, c) => {
    const i = actingSlot(c, from, to, user);
    const held = c.design.oneActiveIndex ? answerOf(c, from) : ({ kind: 'create' } as const);
    if (held.kind !== 'create')
      return `${labelOf(c, i)} get-or-create's INSERT fails (the unique index: ${M(held.id)} holds it) → ${answerText(held)}`;
    const others = activeMeeting(from);
    return `${labelOf(c, i)} get-or-create creates a Daily room and INSERTs ${M(to.tab(i).meeting)}${others !== 0 ? ` (while ${M(others)} is active)` : ''}`;
  },
  explain: (s, { user }, c) => needPhase(c, s, user, 'creating'),
  arrow: fromTab,
  code: (c) => createCode(c),
});

export const getOrCreateRollsOver = presenceAction<UserParams>({
  name: 'getOrCreateRollsOver',
  models:
    'fault meeting-rollover, real: "`get_active` returns only meetings with `end_date > now` ... After 8 h, get-or-create makes a new ' +
    'meeting while the old one is still active and occupied." "A change of the room\'s settings also makes a new meeting on the next ' +
    'get-or-create." The old meeting stays active (process_meetings deactivates it once nobody is there: "Else if now > end_date: ' +
    'deactivate") but is never handed out again.',
  when: (c) => c.fault('meeting-rollover'),
  domain: users,
  fairness: () => 'environment',
  guard: (s, { user }, c) => {
    const open = openSlot(c, s, user);
    const asking = open >= 0 ? s.tab(open).phase === 'refused' : freeSlot(c, s, user) >= 0;
    return asking && activeMeeting(s) !== 0 && s.topMeeting() < s.layout.meetingIds;
  },
  effect: (d, { user }, c, s) => {
    const open = openSlot(c, s, user);
    const i = open >= 0 ? open : freeSlot(c, s, user);
    d.meeting(activeMeeting(s)).expired = true;
    d.tab(i).cut = false;
    enterMeeting(d, c, i, createMeeting(d, c));
  },
  describe: (from, to, { user }, c) => {
    const i = actingSlot(c, from, to, user);
    const old = activeMeeting(from);
    const who =
      from.tab(i).phase === 'refused'
        ? `${labelOf(c, i)} POST /rooms/R/meeting again`
        : `${userName(user)} opens a new tab ${labelOf(c, i)}: POST /rooms/R/meeting`;
    return `${who} → ${M(to.tab(i).meeting)} (created: ${M(old)}'s end_date has passed or the room's settings changed; ${M(old)} stays active)`;
  },
  explain: (s, { user }, c) => {
    if (activeMeeting(s) === 0) return 'no meeting is active: get-or-create makes a new one anyway (getOrCreateMeeting)';
    if (s.topMeeting() >= s.layout.meetingIds) return `every meeting id up to M${s.layout.meetingIds} is in use`;
    const open = openSlot(c, s, user);
    if (open >= 0 && s.tab(open).phase !== 'refused') return `${userName(user)} has an open tab that is not asking for a meeting`;
    return open < 0 && freeSlot(c, s, user) < 0 ? `${userName(user)} has no free tab slot` : null;
  },
  arrow: fromTab,
});

/** The sentence of a /joining step that answered (postJoining, joiningChecksMeeting). */
function joiningText(c: Setup, from: State, to: State, user: number, action: 'postJoining' | 'joiningChecksMeeting'): string {
  const i = actingSlot(c, from, to, user);
  const label = labelOf(c, i);
  const id = from.tab(i).meeting;
  const after = to.tab(i);
  if (action === 'joiningChecksMeeting' && after.phase === 'joining-checked')
    return `${label} POST /joining ${M(id)}: server sees ${M(id)} active`;
  if (after.reservation >= 0 && after.phase === 'handshaking') {
    const wrote =
      c.res?.store === 'db'
        ? `upserts ${reservationName(c, id, i)} (expires in ${after.reservation})`
        : `${reservationName(c, id, i)} set (TTL ${after.reservation})`;
    return `${label} POST /joining ${M(id)} → 200, ${wrote}`;
  }
  const m = from.meeting(id)!;
  const why = m.closing ? 'closing' : m.active ? 'it had sessions' : 'inactive';
  return after.phase === 'refused'
    ? `${label} POST /joining ${M(id)} → 400 (${why}); will ask for the meeting again`
    : `${label} POST /joining ${M(id)} → 400 (${why}); frontend goes on to the Daily room`;
}

export const postJoining = presenceAction<UserParams>({
  name: 'postJoining',
  models:
    'doc: "POST /joining → I\'m about to connect (wait for 200 OK)"; the endpoint "Creates Redis key with 30s TTL, Returns 200 OK". ' +
    "With 'under-meeting-lock' the is_active check and the write hold process_meetings' lock for the meeting, so no deactivation step can " +
    "come between them: one step. With 'in-transaction' they are one DB transaction on the meeting's row (SELECT … FOR UPDATE), never " +
    "blocked by process_meetings' reads: its conditional UPDATE is the other transaction on that row. The client waits for the answer, so " +
    'the write and the answer are one step too (a tab closed before the write is a tab closed in got-meeting).',
  when: (c) => c.res !== null && c.res.checksActive !== 'then-write',
  domain: users,
  // a request is eventually handled; one that waits for process_meetings' lock gets it in the end (it is free again and again)
  fairness: (c) => (c.res?.checksActive === 'under-meeting-lock' ? 'strong' : 'weak'),
  guard: (s, { user }, c) => {
    const t = openTab(c, s, user);
    if (t === null || t.phase !== 'got-meeting') return false;
    return c.res!.checksActive !== 'under-meeting-lock' || s.meeting(t.meeting)!.worker === 0;
  },
  effect: (d, { user }, c, s) => {
    const i = openSlot(c, s, user);
    if (c.res!.checksActive === 'never' || admits(c, s.meeting(s.tab(i).meeting)!)) {
      writeReservation(d, c, i);
      startHandshake(d, c, i);
    } else refuse(d, c, i);
  },
  describe: (from, to, { user }, c) => joiningText(c, from, to, user, 'postJoining'),
  explain: (s, { user }, c) => {
    const wrong = needPhase(c, s, user, 'got-meeting');
    if (wrong !== null) return wrong;
    const id = openTab(c, s, user)!.meeting;
    const m = s.meeting(id);
    if (c.res!.checksActive === 'under-meeting-lock' && m !== null && m.worker !== 0)
      return `process_meetings holds ${M(id)}'s lock (${runProgress(c, s, id)}): /joining checks is_active under that lock, so it waits until the run ends`;
    return null;
  },
  arrow: fromTab,
  code: (c) =>
    c.res?.checksActive === 'in-transaction'
      ? [
          {
            where: 'frontend',
            call: 'browser',
            text: 'POST /rooms/{room}/meetings/{id}/joining {tab_id}, and wait for the answer',
            onAnswer: `200: join the Daily room (callFrame.join); any other answer: ${c.res.onRefused === 'retry' ? 'ask for the meeting again' : 'join anyway'}`,
          },
          {
            where: 'POST /rooms/{room}/meetings/{id}/joining',
            call: 'SQL',
            clock: "the DB's: expires_at = now() + TTL, read as expires_at > now()",
            text:
              `BEGIN;\nSELECT ${c.design.roomDeletion !== 'never' ? 'state' : 'is_active'} FROM meeting WHERE id = :id FOR UPDATE;  -- 400 unless ${c.design.roomDeletion !== 'never' ? "state = 'active'" : 'is_active'}\n` +
              'INSERT INTO meeting_reservation (meeting_id, tab_id, expires_at) VALUES (:id, :tab_id, now() + :ttl)\n' +
              '  ON CONFLICT (meeting_id, tab_id) DO UPDATE SET expires_at = excluded.expires_at;\nCOMMIT;',
            onAnswer: '200 after the COMMIT; 400 when the meeting is not active',
          },
        ]
      : [],
});

export const joiningChecksMeeting = presenceAction<UserParams>({
  name: 'joiningChecksMeeting',
  models:
    'real: "POST /joining {connection_id}. The server refuses (400) when the meeting is no longer active. The shipped frontend only logs ' +
    'a warning when /joining fails and goes on to join the Daily room anyway." The check and the key write are two awaits, with no lock between them.',
  when: (c) => c.res?.checksActive === 'then-write',
  domain: users,
  fairness: () => 'weak',
  guard: (s, { user }, c) => openPhase(c, s, user) === 'got-meeting',
  effect: (d, { user }, c, s) => {
    const i = openSlot(c, s, user);
    if (admits(c, s.meeting(s.tab(i).meeting)!)) d.tab(i).phase = 'joining-checked';
    else refuse(d, c, i);
  },
  describe: (from, to, { user }, c) => joiningText(c, from, to, user, 'joiningChecksMeeting'),
  explain: (s, { user }, c) => needPhase(c, s, user, 'got-meeting'),
  arrow: fromTab,
});

export const joiningWritesKey = presenceAction<UserParams>({
  name: 'joiningWritesKey',
  models: "real: /joining's SETEX of the pending-join key, the await after its is_active check",
  when: (c) => c.res?.checksActive === 'then-write',
  domain: users,
  fairness: () => 'weak',
  guard: (s, { user }, c) => openPhase(c, s, user) === 'joining-checked',
  effect: (d, { user }, c, s) => {
    const i = openSlot(c, s, user);
    writeReservation(d, c, i);
    startHandshake(d, c, i);
  },
  describe: (from, to, { user }, c) => {
    const i = actingSlot(c, from, to, user);
    return `${labelOf(c, i)} /joining writes ${reservationName(c, from.tab(i).meeting, i)} (TTL ${c.b.ttl}) → 200`;
  },
  explain: (s, { user }, c) => needPhase(c, s, user, 'joining-checked'),
  arrow: fromTab,
});

interface JoiningErrorParams extends Params {
  readonly user: number;
  readonly written: boolean;
}

/** whether a failing /joining gets as far as its write before it fails */
function joiningWouldWrite(c: Setup, s: State, slot: number): boolean {
  const res = c.res!;
  if (res.checksActive === 'never') return true;
  const t = s.tab(slot);
  if (res.checksActive === 'then-write') return t.phase === 'joining-checked';
  const m = s.meeting(t.meeting)!;
  return admits(c, m) && (res.checksActive !== 'under-meeting-lock' || m.worker === 0);
}

export const joiningFails = presenceAction<JoiningErrorParams>({
  name: 'joiningFails',
  models:
    'fault joining-error: /joining fails (5xx, a timeout, a network error) before its write, or after it; the tab sees only "not 200" and ' +
    'does what the design does on a refusal: asks again, or goes on to the call. real: "a design that refuses must say what the client does ' +
    'on every non-200 answer (400, 5xx, lock timeout, network error)."',
  when: (c) => c.res !== null && c.fault('joining-error'),
  domain: (c) => c.users.flatMap(({ user }) => [false, true].map((written) => Object.freeze({ user, written }))),
  fairness: () => 'environment',
  guard: (s, { user, written }, c) => {
    const i = openSlot(c, s, user);
    if (i < 0) return false;
    const phase = s.tab(i).phase;
    if (phase !== 'got-meeting' && phase !== 'joining-checked') return false;
    return !written || joiningWouldWrite(c, s, i);
  },
  effect: (d, { user, written }, c, s) => {
    const i = openSlot(c, s, user);
    if (written) writeReservation(d, c, i);
    refuse(d, c, i);
  },
  describe: (from, to, { user, written }, c) => {
    const i = actingSlot(c, from, to, user);
    const id = from.tab(i).meeting;
    const then = to.tab(i).phase === 'refused' ? 'the tab will ask for the meeting again' : 'the frontend goes on to the Daily room';
    return `${labelOf(c, i)} POST /joining ${M(id)} fails (5xx or network) ${written ? `after writing ${reservationName(c, id, i)}` : 'before any write'}: ${then}`;
  },
  explain: (s, { user, written }, c) => {
    const wrong = needPhase(c, s, user, 'got-meeting', 'joining-checked');
    if (wrong !== null) return wrong;
    return written && !joiningWouldWrite(c, s, openSlot(c, s, user))
      ? 'the server would not get to its write now (the meeting is inactive, or its lock is held)'
      : null;
  },
  arrow: ({ user }) => ({ from: userLane(user), to: BACKEND, style: 'lost' }),
});

export const joinsDirectly = presenceAction<UserParams>({
  name: 'joinsDirectly',
  models:
    'fault direct-join, real: "a room is created `public` unless the Reflector room is locked ... anyone with the URL can join it ' +
    'directly, without `/joining`, until then". An open tab that knows a meeting\'s Daily room URL (it got the meeting, or was refused ' +
    'or told to wait about it) starts the WebRTC handshake with that room without /joining: no reservation, no heartbeat.',
  when: (c) => c.fault('direct-join'),
  domain: users,
  fairness: () => 'environment',
  guard: (s, { user }, c) => {
    const t = openTab(c, s, user);
    if (t === null || t.meeting === 0) return false;
    return (t.phase === 'got-meeting' || t.phase === 'refused' || t.phase === 'joining-checked') && roomOpen(s, t.meeting);
  },
  effect: (d, { user }, c, s) => {
    const i = openSlot(c, s, user);
    startHandshake(d, c, i);
    const t = d.tab(i);
    t.direct = true;
    t.cut = false;
  },
  describe: (from, _to, { user }, c) => {
    const i = openSlot(c, from, user);
    const id = from.tab(i).meeting;
    const m = from.meeting(id)!;
    return `${labelOf(c, i)} joins ${M(id)}'s Daily room directly by its URL, without /joining${m.active ? '' : ` (${M(id)} is no longer active)`}`;
  },
  explain: (s, { user }, c) => {
    const wrong = needPhase(c, s, user, 'got-meeting', 'refused', 'joining-checked');
    if (wrong !== null) return wrong;
    const t = openTab(c, s, user)!;
    return roomOpen(s, t.meeting) ? null : `${M(t.meeting)}'s Daily room has been deleted: its URL leads nowhere`;
  },
  arrow: ({ user }) => request(userLane(user), DAILY),
});

export const connect = presenceAction<UserParams>({
  name: 'connect',
  models:
    'real: "WebRTC handshake with the Daily room ... During it the user is invisible to the presence API and no webhook has fired." ' +
    '"Connected: Daily fires participant.joined (late); the presence API shows the user after its lag." "The Daily room is not deleted ' +
    'at once ... so a tab finishing its handshake still gets into the old Daily room." participant.joined\'s handler only queues a poll: ' +
    'the webhook in flight is that poll, due at once (delivered late = run late, lost = never run). A handshake with a Daily room that ' +
    'has been deleted fails instead, and the tab asks for the meeting again (daily-js reports the error).',
  domain: users,
  // a handshake ends in the end (or the tab closes), however long it takes (slow-join)
  fairness: () => 'weak',
  guard: (s, { user }, c) => openPhase(c, s, user) === 'handshaking',
  effect: (d, { user }, c, s) => {
    const i = openSlot(c, s, user);
    const t = d.tab(i);
    if (!roomOpen(s, t.meeting)) {
      t.phase = 'refused';
      t.handshake = 0;
      t.direct = false;
      return;
    }
    const visible = c.b.lag === 0 || t.visible;
    t.phase = 'connected';
    t.handshake = 0;
    t.visible = visible;
    t.lag = visible ? 0 : c.b.lag;
    t.hidden = false;
    t.hiddenFor = 0;
    t.flaps = 0;
    const m = s.meeting(t.meeting)!;
    if (m.active) {
      const dm = d.meeting(t.meeting);
      dm.polls = enqueue(dm.polls, 0);
    }
  },
  describe: (from, to, { user }, c) => {
    const i = actingSlot(c, from, to, user);
    const id = from.tab(i).meeting;
    if (!roomOpen(from, id))
      return `${labelOf(c, i)} WebRTC handshake fails: ${M(id)}'s Daily room is gone; will ask for the meeting again`;
    const m = to.meeting(id);
    const inactive = m === null || !m.active ? ` (${M(id)} is no longer active)` : '';
    return `${labelOf(c, i)} WebRTC handshake completes: in ${M(id)}'s Daily call${inactive}; participant.joined → poll(${M(id)}) queued`;
  },
  explain: (s, { user }, c) => needPhase(c, s, user, 'handshaking'),
  arrow: ({ user }) => request(userLane(user), DAILY),
  code: (c) => [
    {
      where: 'frontend',
      call: 'browser',
      text: 'callFrame.join({ url: meeting.room_url }) (daily-js)',
      onAnswer: `on 'joined-meeting': POST /joined${c.design.roomDeletion !== 'never' ? "; on 'left-meeting' or an error because the room is gone: ask for the meeting again" : ''}`,
    },
  ],
});

export const postJoined = presenceAction<UserParams>({
  name: 'postJoined',
  models:
    'real: "Frontend then calls POST /joined." current: /joined queues a presence poll "3 s later". doc option B: "On /joined endpoint ' +
    '... pending_joins.delete". shipped: "/joined deletes the pending join, inserts an active DB session directly, and queues a presence ' +
    'poll 3 s later. /joined succeeds even when the meeting was deactivated meanwhile." The request is not awaited by the tab; it is ' +
    'modelled as handled while the tab is still open (one sent just before a close is handled before it).',
  domain: users,
  fairness: () => 'weak',
  guard: (s, { user }, c) => openPhase(c, s, user) === 'connected',
  effect: (d, { user }, c, s) => {
    const i = openSlot(c, s, user);
    const t = d.tab(i);
    const meeting = t.meeting;
    if (c.res?.joinedDeletesKey) {
      if (c.res.key === 'per-user') dropUserReservations(d, c, user, meeting);
      else t.reservation = -1;
    }
    t.phase = 'joined';
    if (c.design.joinedInsertsSession) t.sessionOpen = true;
    if (c.design.joinedBindsParticipant) t.bound = true;
    const m = s.meeting(meeting)!;
    if (m.active || m.closing) {
      const dm = d.meeting(meeting);
      if (c.design.joinedInsertsSession) sessionWritten(dm, c);
      dm.polls = enqueue(dm.polls, c.b.pollDelay);
    }
  },
  describe: (from, to, { user }, c) => {
    const i = actingSlot(c, from, to, user);
    const id = to.tab(i).meeting;
    const effects = [
      c.res?.joinedDeletesKey ? `deletes ${reservationName(c, id, i)}` : null,
      c.design.joinedInsertsSession ? 'inserts an open session' : null,
      c.design.joinedBindsParticipant ? 'records its Daily participant id' : null,
      `queues poll(${M(id)}) in ${c.b.pollDelay}`,
    ].filter(Boolean);
    return `${labelOf(c, i)} POST /joined ${M(id)}: ${effects.join(', ')}`;
  },
  explain: (s, { user }, c) => needPhase(c, s, user, 'connected'),
  arrow: fromTab,
  code: (c) => [
    {
      where: 'POST /rooms/{room}/meetings/{id}/joined',
      call: 'SQL',
      text:
        [
          c.design.joinedInsertsSession
            ? 'INSERT INTO daily_participant_sessions (meeting_id, session_id, joined_at) VALUES (:id, :session, now())'
            : null,
          c.res?.joinedDeletesKey ? 'DELETE FROM meeting_reservation WHERE meeting_id = :id AND tab_id = :tab_id' : null,
          c.design.joinedBindsParticipant
            ? 'UPDATE meeting_reservation SET daily_participant_id = :participant WHERE meeting_id = :id AND tab_id = :tab_id'
            : null,
        ]
          .filter(Boolean)
          .join(';\n') || '(no write: the reservation is left alone)',
      onAnswer: 'queue poll_daily_room_presence(meeting) in 3 s',
    },
  ],
});

/** A session row was written: "had sessions", and activity for the grace period. */
export function sessionWritten(m: { hadSessions: boolean; quiet: number }, c: Setup): void {
  m.hadSessions = true;
  if (c.design.processMeetings.includes('recent-activity')) m.quiet = 0;
}

/** the tab refreshes its reservation: it holds one (or had one lapse) from /joining, and did not join directly */
const heartbeats = (t: { phase: Phase; direct: boolean }) => (t.phase === 'handshaking' || inCall(t)) && !t.direct;

export const refreshesReservation = presenceAction<UserParams>({
  name: 'refreshesReservation',
  models:
    "The open tab's heartbeat: while the tab lives, it upserts its reservation in /joining's transaction (only while the meeting is " +
    "active), every TTL/3. Without the fault refresh-fails the refresh always lands in time, and the model keeps an open tab's " +
    'reservation at its full TTL (time.ts); with it, a refresh may come late (real: "background tabs throttle [timers] to once a ' +
    'minute or less"), so this is the step that refreshes, at any moment.',
  when: (c) => c.res?.refresh === true && c.fault('refresh-fails'),
  domain: users,
  // the timer fires in the end (throttled, not stopped)
  fairness: () => 'weak',
  guard: (s, { user }, c) => {
    const t = openTab(c, s, user);
    return t !== null && heartbeats(t) && t.reservation !== c.b.ttl && s.meeting(t.meeting)?.active === true;
  },
  effect: (d, { user }, c, s) => {
    writeReservation(d, c, openSlot(c, s, user));
  },
  describe: (from, _to, { user }, c) => {
    const i = openSlot(c, from, user);
    const t = from.tab(i);
    return `${labelOf(c, i)} refreshes ${reservationName(c, t.meeting, i)} (expires in ${c.b.ttl}; ${t.reservation < 0 ? 'it had lapsed' : `it had ${t.reservation} left`})`;
  },
  explain: (s, { user }, c) => {
    const t = openTab(c, s, user);
    if (t === null) return `${userName(user)} has no open tab`;
    if (!heartbeats(t)) return `${userName(user)}'s open tab holds no reservation (${t.direct ? 'it joined directly' : t.phase})`;
    if (s.meeting(t.meeting)?.active !== true) return `${M(t.meeting)} is not active: the upsert finds it so and writes nothing`;
    return t.reservation === c.b.ttl ? 'its reservation was just written' : null;
  },
  arrow: fromTab,
  code: (c) =>
    c.res?.refresh
      ? [
          {
            where: 'frontend',
            call: 'browser',
            text: 'while the tab is joining or in the call: POST /joining again every TTL/3 (the heartbeat)',
            onAnswer: 'its answer changes nothing on the tab (when the meeting is closing, daily-js reports the room gone soon)',
          },
          {
            where: 'POST /rooms/{room}/meetings/{id}/joining',
            call: 'SQL',
            clock: "the DB's",
            text: 'the same transaction as the first /joining: the row lock, the state check, the upsert of expires_at = now() + :ttl',
          },
        ]
      : [],
});

export const closeTab = presenceAction<UserParams>({
  name: 'closeTab',
  models:
    'real: "Leave (tab close): sendBeacon POST /leave. Shipped fix: closes the DB session directly when the session id is known, else ' +
    'queues a poll in 3 s. Daily fires participant.left (late); presence drops the user after its lag." "A tab can close at any step, ' +
    'including mid-handshake (abandoned join: no /joined ever comes; the pending join only expires by TTL)." The beacon is handled at the ' +
    'close: its 3 s delay dwarfs its latency. participant.left: where its handler only queues a poll, the webhook in flight is that poll.',
  domain: users,
  fairness: () => 'environment',
  guard: (s, { user }, c) => openSlot(c, s, user) >= 0,
  effect: (d, { user }, c, s) => {
    const i = openSlot(c, s, user);
    const before = s.tab(i);
    const t = d.tab(i);
    const id = before.meeting;
    const m = id === 0 ? null : s.meeting(id);
    const live = m !== null && (m.active || m.closing);
    const dm = live ? d.meeting(id) : null;
    if (c.design.leaveClosesSession && before.phase === 'joined') {
      if (before.sessionOpen && dm !== null) sessionWritten(dm, c);
      t.sessionOpen = false;
    } else if (dm !== null) dm.polls = enqueue(dm.polls, c.b.pollDelay);
    t.phase = 'idle';
    t.handshake = 0;
    t.hidden = false;
    t.hiddenFor = 0;
    t.flaps = 0;
    t.direct = false;
    t.cut = false;
    if (inCall(before)) {
      const visible = c.b.lag > 0 && before.visible;
      t.visible = visible;
      t.lag = visible ? c.b.lag : 0;
      if (c.design.leaveClosesSession) t.leftHooks = 1;
      else if (dm !== null) dm.polls = enqueue(dm.polls, 0);
    }
    if (id === 0) d.w[i] = 0;
  },
  describe: (from, to, { user }, c) => {
    const i = actingSlot(c, from, to, user);
    const t = from.tab(i);
    if (t.meeting === 0) return `${labelOf(c, i)} tab closes (during ${t.phase})`;
    const where = inCall(t) ? `leaves ${M(t.meeting)}'s call` : `during ${t.phase}`;
    const leave =
      c.design.leaveClosesSession && t.phase === 'joined' ? 'closes its session' : `queues poll(${M(t.meeting)}) in ${c.b.pollDelay}`;
    const hook = !inCall(t)
      ? ''
      : c.design.leaveClosesSession
        ? '; Daily will send participant.left'
        : `; participant.left → poll(${M(t.meeting)}) queued`;
    return `${labelOf(c, i)} tab closes (${where}); sendBeacon /leave ${leave}${hook}`;
  },
  explain: (s, { user }, c) => (openSlot(c, s, user) < 0 ? `${userName(user)} has no open tab` : null),
  arrow: fromTab,
  code: (c) => [
    {
      where: 'frontend (the tab closes)',
      call: 'browser',
      text: 'navigator.sendBeacon(POST /rooms/{room}/meetings/{id}/leave)',
      onAnswer: c.design.leaveClosesSession
        ? 'the server closes the session directly when it knows it, else queues a poll in 3 s'
        : `the server queues poll_daily_room_presence(meeting) in 3 s${c.res !== null ? '; the reservation is left to expire' : ''}`,
    },
  ],
});

export const CLIENT_ACTIONS: readonly PresenceAction<UserParams>[] = [
  getOrCreateMeeting,
  getOrCreateAgain,
  getOrCreateInserts,
  getOrCreateRollsOver,
  postJoining,
  joiningChecksMeeting,
  joiningWritesKey,
  joiningFails as unknown as PresenceAction<UserParams>,
  joinsDirectly,
  connect,
  postJoined,
  refreshesReservation,
  closeTab,
];

export { isOpen };
