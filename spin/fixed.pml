/*
 * The design `fixed` of Reflector's presence protocol, in Promela.
 *
 * Written from the design's semantics as docs/model.md and
 * model/designs.ts state them (the main branch with five changes: a
 * reservation row written in /joining's transaction with the is_active
 * check and kept alive by the open tab's heartbeat; process_meetings'
 * conditional UPDATE that does nothing while a reservation lives; the
 * closed meeting's Daily room deleted before the next meeting can be made,
 * get-or-create answering 503 meanwhile; a partial unique index), as an
 * independent cross-check of presence-check's verdicts
 * (specs/prove/spin-crosscheck.test.ts) and as the yardstick of its speed
 * (`npm run bench -- --spin fixed:USERS:TABS:LAG`). spin/README.md lists
 * where this model abstracts differently from model/.
 *
 *   spin -DUSERS=2 -DTABS=1 -DLAG=1 -a fixed.pml
 *   gcc -O2 -DBFS -DSAFETY -DNOREDUCE -DMEMLIM=8192 -o pan pan.c && ./pan -m10000000
 *
 * Bounds: USERS, TABS (tab slots a user has, counting closed tabs whose
 * traces linger), LAG (ticks Daily's presence may lag), HANDSHAKE (ticks a
 * WebRTC handshake may take). Faults (each off unless defined; FAULTS_ALL
 * turns on every one that can touch fixed): SLOW_JOIN, PRESENCE_FLAP,
 * JOINING_ERROR, WEBHOOK_DUP, OWNER_DEACTIVATE, REFRESH_FAILS, DIRECT_JOIN,
 * CREATE_LOCK_LOST. Ablations (model/ablations.ts, each takes one change of
 * fixed out again): ABLATE_CHECK (1: /joining checks, then writes),
 * ABLATE_PROCEED (4: the tab joins the call after any refusal),
 * ABLATE_JOINED_DELETES (5: /joined deletes the reservation), ABLATE_UPDATE
 * (7: a read of the reservations, then a plain UPDATE), ABLATE_WAIT (8: no
 * 503 while a meeting is closing), ABLATE_INDEX (10: no unique index).
 * PROPERTIES: which invariants to assert (a bit each, below; default all,
 * but no-call-cut is not judged under REFRESH_FAILS unless
 * JUDGE_NO_CALL_CUT). WITNESS=n asserts that witness n is never reached, so
 * that a "violation" shows it is reachable (the model is not vacuous).
 */

/* ------------------------------------------------------------ bounds */

#ifndef USERS
#define USERS 2
#endif
#ifndef TABS
#define TABS 2
#endif
#ifndef LAG
#define LAG 1
#endif
#ifndef HANDSHAKE
#define HANDSHAKE 2
#endif

#ifdef FAULTS_ALL
#define SLOW_JOIN
#define PRESENCE_FLAP
#define JOINING_ERROR
#define WEBHOOK_DUP
#define OWNER_DEACTIVATE
#define REFRESH_FAILS
#define DIRECT_JOIN
#define CREATE_LOCK_LOST
#endif

/* tab slots; meeting ids: one per slot and one more (a new meeting while
   each slot holds another), and without the unique index one more per
   user creating at once */
#define NT (USERS * TABS)
#if defined(ABLATE_INDEX) && defined(CREATE_LOCK_LOST)
#define NM (NT + 1 + USERS)
#else
#define NM (NT + 1)
#endif

#if TABS > 3 || NT > 9 || NM > 13 || LAG > 7 || HANDSHAKE > 15
#error "fixed.pml: at most 3 tabs, 9 tab slots, lag 7, handshake 15"
#endif

/* field widths */
#if NM < 4
#define MBITS 2
#elif NM < 8
#define MBITS 3
#else
#define MBITS 4
#endif
#if HANDSHAKE < 2
#define HBITS 1
#elif HANDSHAKE < 4
#define HBITS 2
#elif HANDSHAKE < 8
#define HBITS 3
#else
#define HBITS 4
#endif
#if LAG < 2
#define LBITS 1
#elif LAG < 4
#define LBITS 2
#else
#define LBITS 3
#endif
#if NM < 8
#define MASK byte
#else
#define MASK short
#endif

/* ------------------------------------------------------------ state */

/* a tab's place in the client flow */
#define IDLE 0        /* no open tab in this slot (a closed tab's traces may linger) */
#define GOT 1         /* get-or-create answered; /joining next */
#define CREATING 2    /* get-or-create read nothing; its INSERT is a later step (CREATE_LOCK_LOST) */
#define CHECKED 3     /* /joining saw the meeting active; its write is next (ABLATE_CHECK) */
#define REFUSED 4     /* asks for the meeting again: /joining refused it, a 503, or its call was dropped */
#define HANDSHAKING 5 /* WebRTC handshake with the meeting's Daily room: invisible */
#define CONNECTED 6   /* in the Daily call, /joined not handled yet */
#define JOINED 7      /* in the Daily call, /joined handled */

typedef Tab {
  unsigned ph : 3;      /* place in the client flow */
  unsigned mtg : MBITS; /* its meeting id, 0 = none */
  unsigned hs : HBITS;  /* ticks left before the handshake must be over */
  bit vis;              /* Daily's presence shows its participant (followed for active meetings only) */
  unsigned lag : LBITS; /* ticks left for presence to catch up with the call */
  bit flap;             /* PRESENCE_FLAP: presence hides it while it is in the call */
  bit resv;             /* its reservation row lives (expires_at > now()) */
  bit seen;             /* the meeting's running presence poll saw it */
  bit direct;           /* DIRECT_JOIN: it joined the Daily room by URL, without /joining */
  bit cut               /* a room deletion dropped it from a call it joined through /joining */
};
Tab tab[NT];

/* per meeting id, one bit each (bit id; bit 0 unused) */
MASK isActive;     /* state = 'active' */
MASK isClosing;    /* state = 'closing': deactivated, its Daily room not deleted yet */
MASK roomGone;     /* its Daily room is deleted */
MASK hadSessions;  /* "had sessions": a poll wrote a session row (any row at all) */
MASK pollRunning;  /* a presence poll holds the meeting's poll lock: it has read, it writes next */
MASK pmRunning;    /* ABLATE_UPDATE: process_meetings read no reservation; its UPDATE is next */
MASK endedByOwner; /* OWNER_DEACTIVATE: the owner ended it (dropping its calls is what was asked for) */

/* registers of the loops inside a step: 0 between steps, so they tell no
   two states apart (Spin's breadth-first search allows no hidden variables) */
byte k;
byte m;

#define ALLBITS ((1 << (NM + 1)) - 1)
#define BIT(x, i) (((x) >> (i)) & 1)
#define SET(x, i) x = (x) | (1 << (i))
#define CLR(x, i) x = (x) & (ALLBITS - (1 << (i)))
#define ACTIVE(i) BIT(isActive, i)
#define CLOSING(i) BIT(isClosing, i)
#define GONE(i) BIT(roomGone, i)

#define INCALL(i) (tab[i].ph == CONNECTED || tab[i].ph == JOINED)
#define OPEN(i) (tab[i].ph != IDLE)
/* a slot nothing remembers (the forgetting below leaves such a slot all zero) */
#define FREE(i) (tab[i].ph == IDLE && tab[i].mtg == 0)
/* presence disagrees with the tab's call (it is followed for active meetings only) */
#define SHOWN_WRONG(i) (ACTIVE(tab[i].mtg) && tab[i].vis != INCALL(i) && !tab[i].flap)

/* Quantifiers over the tab slots, written out (an expression has no loop):
   P(i) must be true, Q(i, x) false, for i >= NT. */
#define FORALL_TABS(P) (P(0) && P(1) && P(2) && P(3) && P(4) && P(5) && P(6) && P(7) && P(8))
#define EXISTS_TAB(Q, x) (Q(0, x) || Q(1, x) || Q(2, x) || Q(3, x) || Q(4, x) || Q(5, x) || Q(6, x) || Q(7, x) || Q(8, x))
#define REFERS(i, id) (i < NT && tab[i].mtg == id)
#define RESERVES(i, id) (i < NT && tab[i].mtg == id && tab[i].resv)
#define WAS_SEEN(i, id) (i < NT && tab[i].mtg == id && tab[i].seen)

/* ------------------------------------------------------------ forgetting */

/*
 * What nothing reads any more is forgotten, so that states that differ only
 * there are one state, and the slots and meeting ids stay bounded:
 * - an inactive meeting's polls, sessions, runs, and its tabs' presence,
 *   reservations and sightings (process_meetings, the polls and /joining
 *   look at active meetings only; get-or-create at active and closing ones);
 * - a closed tab that presence, its reservation and the poll have all
 *   forgotten frees its slot (so quick rejoins are unbounded);
 * - a meeting that is neither active nor closing and no tab refers to frees
 *   its id (unless ABLATE_WAIT: a closing one too, since nothing waits for it).
 */
inline forget() {
  k = 0;
  do
  :: k < NT ->
     if
     :: tab[k].mtg != 0 && !ACTIVE(tab[k].mtg) ->
        tab[k].vis = 0; tab[k].lag = 0; tab[k].flap = 0; tab[k].resv = 0; tab[k].seen = 0
     :: else -> skip
     fi;
     if
     :: tab[k].ph == IDLE && !tab[k].vis && !tab[k].resv && !tab[k].seen ->
        tab[k].mtg = 0; tab[k].hs = 0; tab[k].lag = 0; tab[k].flap = 0; tab[k].direct = 0; tab[k].cut = 0
     :: else -> skip
     fi;
     k++
  :: else -> break
  od;
  k = 0;
  m = 1;
  do
  :: m <= NM ->
     if
     :: !ACTIVE(m) ->
        CLR(hadSessions, m); CLR(pollRunning, m); CLR(pmRunning, m);
        if
#ifdef ABLATE_WAIT
        :: !EXISTS_TAB(REFERS, m) ->
#else
        :: !CLOSING(m) && !EXISTS_TAB(REFERS, m) ->
#endif
           CLR(isClosing, m); CLR(roomGone, m); CLR(endedByOwner, m)
        :: else -> skip
        fi
     :: else -> skip
     fi;
     m++
  :: else -> break
  od;
  m = 0
}

/* ------------------------------------------------------------ the tab's steps */

inline handshake(i) {
  tab[i].ph = HANDSHAKING;
  tab[i].hs = HANDSHAKE
}

/* the tab holds meeting `id`: /joining next */
inline enter(i, id) {
  tab[i].mtg = id;
  tab[i].direct = 0;
  tab[i].ph = GOT
}

/* a refusal (400, or any answer but 200): the tab asks again (ABLATE_PROCEED: joins anyway) */
inline refused(i) {
#ifdef ABLATE_PROCEED
  handshake(i)
#else
  tab[i].ph = REFUSED
#endif
}

/* m := the active meeting, or 0 */
inline find_active() {
  m = 1;
  do
  :: m > NM -> m = 0; break
  :: m <= NM && ACTIVE(m) -> break
  :: else -> m++
  od
}

/* m := a closing meeting get-or-create must wait for (503), or 0 */
inline find_closing() {
#ifdef ABLATE_WAIT
  m = 0
#else
  m = 1;
  do
  :: m > NM -> m = 0; break
  :: m <= NM && CLOSING(m) -> break
  :: else -> m++
  od
#endif
}

/* a new meeting (its Daily room, then its row) in the first id not in use */
inline create(i) {
  m = 1;
  do
  :: m > NM -> assert(false) /* out of meeting ids: NM is too small */
  :: m <= NM && (ACTIVE(m) || CLOSING(m) || EXISTS_TAB(REFERS, m)) -> m++
  :: else -> break
  od;
  SET(isActive, m);
  enter(i, m)
}

/* POST /rooms/R/meeting, under its lock: the active meeting; 503 while one
   is closing; else a new meeting (CREATE_LOCK_LOST: the INSERT is a later
   step, the lock perhaps lapsed by then) */
inline get_or_create(i) {
  find_active();
  if
  :: m != 0 -> enter(i, m)
  :: else ->
     find_closing();
     if
     :: m != 0 -> tab[i].mtg = m; tab[i].ph = REFUSED
     :: else ->
#ifdef CREATE_LOCK_LOST
        tab[i].mtg = 0; tab[i].ph = CREATING
#else
        create(i)
#endif
     fi
  fi;
  m = 0
}

/* CREATE_LOCK_LOST: the INSERT after a read that found nothing. With the
   unique index it fails while a meeting is active (or closing), and
   get-or-create answers that one */
inline insert(i) {
#ifdef ABLATE_INDEX
  create(i);
#else
  find_active();
  if
  :: m != 0 -> enter(i, m)
  :: else ->
     find_closing();
     if
     :: m != 0 -> tab[i].mtg = m; tab[i].ph = REFUSED
     :: else -> create(i)
     fi
  fi;
#endif
  m = 0
}

/* the WebRTC handshake ends: in the call, or it fails (the room is gone) and the tab asks again */
inline connect(i) {
  tab[i].hs = 0;
  if
  :: GONE(tab[i].mtg) -> tab[i].ph = REFUSED; tab[i].direct = 0
  :: else ->
     tab[i].ph = CONNECTED;
     tab[i].flap = 0;
     if
     :: ACTIVE(tab[i].mtg) && LAG == 0 -> tab[i].vis = 1
     :: ACTIVE(tab[i].mtg) && LAG > 0 -> tab[i].vis = 0; tab[i].lag = LAG
     :: else -> skip
     fi
  fi
}

/* the tab closes (sendBeacon /leave); presence drops it within LAG; its reservation lingers until it expires */
inline close(i) {
  if
  :: tab[i].mtg == 0 -> skip
  :: INCALL(i) && ACTIVE(tab[i].mtg) ->
     tab[i].vis = (LAG > 0 && tab[i].vis);
     tab[i].lag = (tab[i].vis -> LAG : 0)
  :: else -> skip
  fi;
  tab[i].ph = IDLE;
  tab[i].hs = 0;
  tab[i].flap = 0;
  tab[i].direct = 0;
  tab[i].cut = 0
}

#define ME tab[_pid]
#define USER (_pid / TABS)
#define SLOT(j) (USER * TABS + (j))
/* the user has no open tab */
#define USER_CLOSED (!OPEN(SLOT(0)) && (TABS < 2 || !OPEN(SLOT(1))) && (TABS < 3 || !OPEN(SLOT(2))))
/* this slot is the user's first free one */
#define FIRST_FREE (FREE(_pid) && (_pid % TABS < 1 || !FREE(_pid - 1)) && (_pid % TABS < 2 || !FREE(_pid - 2)))

/* One process per tab slot: the browser tab's steps, and what Daily's
   presence and the reservation row do with what it leaves behind. */
active [NT] proctype tab_slot() {
  do
  /* a user with no open tab opens one, in a free slot: get-or-create */
  :: d_step { USER_CLOSED && FIRST_FREE -> get_or_create(_pid); forget() }
  /* a refused, 503'd or dropped tab asks again */
  :: d_step { ME.ph == REFUSED -> ME.cut = 0; get_or_create(_pid); forget() }
#ifdef CREATE_LOCK_LOST
  :: d_step { ME.ph == CREATING -> insert(_pid); forget() }
#endif
#ifndef ABLATE_CHECK
  /* POST /joining: the state check and the reservation's upsert in one transaction; 200, then the handshake */
  :: d_step {
       ME.ph == GOT ->
       if
       :: ACTIVE(ME.mtg) -> ME.resv = 1; handshake(_pid)
       :: else -> refused(_pid)
       fi;
       forget()
     }
#else
  :: d_step {
       ME.ph == GOT ->
       if
       :: ACTIVE(ME.mtg) -> ME.ph = CHECKED
       :: else -> refused(_pid)
       fi;
       forget()
     }
  :: d_step { ME.ph == CHECKED -> ME.resv = 1; handshake(_pid); forget() }
#endif
#ifdef JOINING_ERROR
  /* /joining fails (5xx, timeout, network) before its write, or after it: the tab sees "not 200" */
  :: d_step { (ME.ph == GOT || ME.ph == CHECKED) -> refused(_pid); forget() }
#ifndef ABLATE_CHECK
  :: d_step { ME.ph == GOT && ACTIVE(ME.mtg) -> ME.resv = 1; refused(_pid); forget() }
#else
  :: d_step { ME.ph == CHECKED -> ME.resv = 1; refused(_pid); forget() }
#endif
#endif
#ifdef DIRECT_JOIN
  /* the Daily room's URL, without /joining, while the room exists */
  :: d_step {
       (ME.ph == GOT || ME.ph == REFUSED || ME.ph == CHECKED) && ME.mtg != 0 && !GONE(ME.mtg) ->
       handshake(_pid); ME.direct = 1; ME.cut = 0
     }
#endif
  :: d_step { ME.ph == HANDSHAKING -> connect(_pid); forget() }
  /* POST /joined (fixed: the reservation is left alone) */
  :: d_step {
       ME.ph == CONNECTED -> ME.ph = JOINED;
#ifdef ABLATE_JOINED_DELETES
       ME.resv = 0;
#endif
       skip
     }
#ifdef REFRESH_FAILS
  /* the heartbeat, a step of its own when refreshes may fail to land */
  :: d_step { (ME.ph == HANDSHAKING || INCALL(_pid)) && !ME.direct && !ME.resv && ACTIVE(ME.mtg) -> ME.resv = 1 }
#endif
  /* the tab closes, at any step */
  :: d_step { ME.ph != IDLE -> close(_pid); forget() }

  /* Daily's presence catches up with the call (any time within LAG ticks) */
#if LAG > 0
  :: d_step { SHOWN_WRONG(_pid) -> ME.vis = INCALL(_pid); ME.lag = 0; forget() }
#endif
#ifdef PRESENCE_FLAP
  :: d_step { INCALL(_pid) && ME.vis && !ME.flap && ACTIVE(ME.mtg) -> ME.vis = 0; ME.flap = 1 }
  :: d_step { ME.flap -> ME.flap = 0; ME.vis = 1 }
#endif
  /* a reservation nobody refreshes (its tab closed, or joined by URL) expires, any time within its TTL */
  :: d_step { ME.resv && (ME.ph == IDLE || ME.direct) -> ME.resv = 0; forget() }
#ifdef REFRESH_FAILS
  /* an open tab's refreshes stop landing: its reservation lapses */
  :: d_step { ME.resv && ME.ph != IDLE && !ME.direct -> ME.resv = 0 }
#endif
  od
}

/* ------------------------------------------------------------ the workers, per meeting */

#define ID (_pid - NT + 1)

/* is_active = false; the meeting is closing until its Daily room is deleted */
inline deactivate(id) {
  CLR(isActive, id);
  SET(isClosing, id)
}

/* DELETE the Daily room: everyone in its call or in a handshake with it is dropped and asks again */
inline delete_room(id) {
  SET(roomGone, id);
  k = 0;
  do
  :: k < NT ->
     if
     :: tab[k].mtg == id && (INCALL(k) || tab[k].ph == HANDSHAKING) ->
        if
        :: INCALL(k) && !tab[k].direct && !BIT(endedByOwner, id) -> tab[k].cut = 1
        :: else -> skip
        fi;
        tab[k].ph = REFUSED; tab[k].hs = 0; tab[k].vis = 0; tab[k].lag = 0; tab[k].flap = 0; tab[k].direct = 0
     :: else -> skip
     fi;
     k++
  :: else -> break
  od;
  k = 0
}

/* One process per meeting id: the presence polls (as far as fixed reads
   them: until the meeting had sessions), process_meetings, the room's
   deletion and close, and the owner's end-meeting. */
active [NM] proctype meeting() {
  do
  /* poll_daily_room_presence takes the poll lock and reads presence (a poll may be due at any time: webhooks, /joined, /leave, the reconciliation) */
  :: d_step {
       ACTIVE(ID) && !BIT(hadSessions, ID) && !BIT(pollRunning, ID) ->
       SET(pollRunning, ID);
       k = 0;
       do
       :: k < NT -> if :: tab[k].mtg == ID -> tab[k].seen = tab[k].vis :: else -> skip fi; k++
       :: else -> break
       od;
       k = 0
     }
  /* and writes what it saw: a session row for each participant seen */
  :: d_step {
       BIT(pollRunning, ID) ->
       if
       :: EXISTS_TAB(WAS_SEEN, ID) -> SET(hadSessions, ID)
       :: else -> skip
       fi;
       k = 0;
       do
       :: k < NT -> if :: tab[k].mtg == ID -> tab[k].seen = 0 :: else -> skip fi; k++
       :: else -> break
       od;
       k = 0;
       CLR(pollRunning, ID);
       forget()
     }
#ifndef ABLATE_UPDATE
  /* process_meetings: UPDATE meeting SET state = 'closing' WHERE state = 'active' AND no live reservation AND it had sessions */
  :: d_step {
       ACTIVE(ID) ->
       if
       :: BIT(hadSessions, ID) && !EXISTS_TAB(RESERVES, ID) -> deactivate(ID)
       :: else -> skip
       fi;
       forget()
     }
#else
  /* process_meetings reads the reservations, then a plain UPDATE */
  :: d_step { ACTIVE(ID) && !BIT(pmRunning, ID) -> if :: !EXISTS_TAB(RESERVES, ID) -> SET(pmRunning, ID) :: else -> skip fi }
  :: d_step { BIT(pmRunning, ID) -> deactivate(ID); forget() }
#endif
  /* DELETE /rooms/{name} (retried until done), then UPDATE state = 'closed' */
  :: d_step { CLOSING(ID) && !GONE(ID) -> delete_room(ID); forget() }
  :: d_step { CLOSING(ID) && GONE(ID) -> CLR(isClosing, ID); forget() }
#ifdef OWNER_DEACTIVATE
  /* the owner's PATCH /meetings/{id}/deactivate: closing, as process_meetings leaves it */
  :: d_step { ACTIVE(ID) -> deactivate(ID); SET(endedByOwner, ID); forget() }
#endif
  od
}

/* ------------------------------------------------------------ time */

#define HANDSHAKE_DUE(i) (tab[i].ph == HANDSHAKING && tab[i].hs == 0)
#define PRESENCE_DUE(i) (SHOWN_WRONG(i) && tab[i].lag == 0)
#ifdef SLOW_JOIN
/* a join (the handshake, presence showing the participant) may outlast its bound; presence dropping a leaver may not */
#define NO_DEADLINE(i) (i >= NT || !(PRESENCE_DUE(i) && !INCALL(i)))
#else
#define NO_DEADLINE(i) (i >= NT || (!HANDSHAKE_DUE(i) && !PRESENCE_DUE(i)))
#endif

/* a tick passes, unless it would pass a deadline: the countdowns go down */
active proctype clock() {
  do
  :: d_step {
       FORALL_TABS(NO_DEADLINE) ->
       k = 0;
       do
       :: k < NT ->
          if
          :: tab[k].ph == HANDSHAKING && tab[k].hs > 0 -> tab[k].hs = tab[k].hs - 1
          :: else -> skip
          fi;
          if
          :: SHOWN_WRONG(k) && tab[k].lag > 0 -> tab[k].lag = tab[k].lag - 1
          :: else -> skip
          fi;
          k++
       :: else -> break
       od;
       k = 0
     }
  od
}

/* ------------------------------------------------------------ properties */

/* the meeting of the first tab in a call, or 0 */
#define C(i) (i < NT && INCALL(i))
#define FIRST_CALL (C(0) -> tab[0].mtg : (C(1) -> tab[1].mtg : (C(2) -> tab[2].mtg : (C(3) -> tab[3].mtg : \
  (C(4) -> tab[4].mtg : (C(5) -> tab[5].mtg : (C(6) -> tab[6].mtg : (C(7) -> tab[7].mtg : (C(8) -> tab[8].mtg : 0)))))))))
#define IN_FIRST_CALL(i) (i >= NT || !INCALL(i) || tab[i].mtg == FIRST_CALL)
#define CALL_OF_ACTIVE(i) (i >= NT || !INCALL(i) || ACTIVE(tab[i].mtg))
#define NOT_CUT(i) (i >= NT || !tab[i].cut)

/* 1 same-daily-room: no two users are in different Daily rooms */
#define SAME_DAILY_ROOM FORALL_TABS(IN_FIRST_CALL)
/* 2 no-orphaned-call: nobody is in a deactivated meeting's Daily room while a meeting is active */
#define NO_ORPHANED_CALL (isActive == 0 || FORALL_TABS(CALL_OF_ACTIVE))
/* 3 one-active-meeting: at most one meeting is active */
#define ONE_ACTIVE_MEETING ((isActive & (isActive - 1)) == 0)
/* 4 no-call-cut: a room deletion never cuts the call of a tab that joined through /joining (the owner's end-meeting aside) */
#define NO_CALL_CUT FORALL_TABS(NOT_CUT)

#ifndef PROPERTIES
#if defined(REFRESH_FAILS) && !defined(JUDGE_NO_CALL_CUT)
#define PROPERTIES 7
#else
#define PROPERTIES 15
#endif
#endif

/* witnesses: WITNESS=n asserts that n is never reached (a "violation" shows that it is) */
#define I_C(i) (i < NT && INCALL(i))
#define IN_CALL_COUNT (I_C(0) + I_C(1) + I_C(2) + I_C(3) + I_C(4) + I_C(5) + I_C(6) + I_C(7) + I_C(8))
#define W_DEACTIVATED (isClosing != 0)                         /* 1: a meeting was deactivated */
#define W_ROOM_DELETED (roomGone != 0)                         /* 2: a Daily room was deleted */
#define W_TOGETHER (IN_CALL_COUNT >= 2)                        /* 3: two users in a call (one room, by 1) */
#define W_REJOIN_AFTER_CLOSE (isActive != 0 && roomGone != 0)  /* 4: a new meeting while an old room is gone */

/* assert(n == 0) fails as "assertion violated (n==0)": n names the property (spin/run.ts reads it) */
active proctype monitor() {
end:
  do
#if PROPERTIES & 1
  :: atomic { !SAME_DAILY_ROOM -> assert(1 == 0) }
#endif
#if PROPERTIES & 2
  :: atomic { !NO_ORPHANED_CALL -> assert(2 == 0) }
#endif
#if PROPERTIES & 4
  :: atomic { !ONE_ACTIVE_MEETING -> assert(3 == 0) }
#endif
#if PROPERTIES & 8
  :: atomic { !NO_CALL_CUT -> assert(4 == 0) }
#endif
#if WITNESS == 1
  :: atomic { W_DEACTIVATED -> assert(101 == 0) }
#elif WITNESS == 2
  :: atomic { W_ROOM_DELETED -> assert(102 == 0) }
#elif WITNESS == 3
  :: atomic { W_TOGETHER -> assert(103 == 0) }
#elif WITNESS == 4
  :: atomic { W_REJOIN_AFTER_CLOSE -> assert(104 == 0) }
#endif
  od
}
