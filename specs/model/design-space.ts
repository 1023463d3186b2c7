// The space of designs the design reader accepts, for the tests that walk
// it (designs.test.ts: every pair of switch values; specs/prove/
// design-space.test.ts: every combination of the switches a clash can
// involve). A design is a row of factors: each switch of model/designs.ts
// with its values, a reservation's fields as factors of their own (they
// mean something only when the design has a reservation), and the
// processMeetings list cut into the factors it is made of (which occupancy
// read, whether join-counter, pending-joins and recent-activity are read,
// and the order of the reads after join-counter, which designClash
// requires first). Nothing here decides a verdict: it lists designs.
import { DEFAULT_SWITCHES, designClash, RESERVATION_VALUES, type Switches } from '../../model/index.ts';
import { DEFAULT_RESERVATION, OCCUPANCY_READS, type PmRead, type Reservation } from '../../model/designs.ts';

export interface Factor {
  readonly name: string;
  readonly values: readonly unknown[];
  /** a reservation field: it means something only in a row whose reservation is not null */
  readonly ofReservation?: boolean;
  /** designClash reads it (the others can take any value in any accepted design) */
  readonly core: boolean;
}

const PERMUTATIONS_OF_3 = [
  [0, 1, 2],
  [0, 2, 1],
  [1, 0, 2],
  [1, 2, 0],
  [2, 0, 1],
  [2, 1, 0],
];

export const FACTORS: readonly Factor[] = [
  { name: 'occupancy', values: ['none', ...OCCUPANCY_READS], core: true },
  { name: 'joinCounter', values: [false, true], core: true },
  { name: 'pendingJoins', values: [false, true], core: true },
  { name: 'recentActivity', values: [false, true], core: true },
  // the order of occupancy, pending-joins, recent-activity (those present) after join-counter
  { name: 'order', values: [0, 1, 2, 3, 4, 5], core: true },
  { name: 'look', values: ['atomic', 'statements'], core: true },
  { name: 'joinedInsertsSession', values: [false, true], core: false },
  { name: 'leaveClosesSession', values: [false, true], core: false },
  { name: 'joinedBindsParticipant', values: [false, true], core: true },
  { name: 'pollWrites', values: ['one-transaction', 'separate'], core: true },
  { name: 'deactivation', values: ['write', 'conditional', 'conditional-fenced'], core: true },
  { name: 'roomDeletion', values: ['never', 'after-deactivation', 'before-next-meeting'], core: false },
  { name: 'getOrCreate', values: ['by-end-date', 'keeps-occupied'], core: false },
  { name: 'oneActiveIndex', values: [false, true], core: false },
  { name: 'ownerDeactivate', values: ['deactivate', 'ejects', 'ends-call'], core: false },
  { name: 'reservation', values: [false, true], core: true },
  ...(Object.entries(RESERVATION_VALUES) as [keyof Reservation, readonly unknown[]][]).map(([name, values]) => ({
    name,
    values,
    ofReservation: true,
    core: name === 'checksActive' || name === 'store' || name === 'refuses' || name === 'pollClears',
  })),
];

/** A row: one value index per factor. */
export type Row = readonly number[];

const index = Object.fromEntries(FACTORS.map((f, i) => [f.name, i]));
const RESERVATION = index.reservation;

/** The processMeetings list of a row. */
export function readsOf(row: Row): PmRead[] {
  const v = (name: string) => FACTORS[index[name]].values[row[index[name]]];
  const occupancy = v('occupancy') as string;
  const slots: (PmRead | null)[] = [
    occupancy === 'none' ? null : (occupancy as PmRead),
    v('pendingJoins') ? 'pending-joins' : null,
    v('recentActivity') ? 'recent-activity' : null,
  ];
  const ordered = PERMUTATIONS_OF_3[row[index.order]].map((k) => slots[k]).filter((r): r is PmRead => r !== null);
  return [...(v('joinCounter') ? (['join-counter'] as const) : []), ...ordered];
}

/** The switches of a row. */
export function switchesOf(row: Row): Switches {
  const v = (name: string) => FACTORS[index[name]].values[row[index[name]]];
  const reservation = v('reservation')
    ? (Object.fromEntries(Object.keys(RESERVATION_VALUES).map((k) => [k, v(k)])) as unknown as Reservation)
    : null;
  return {
    ...DEFAULT_SWITCHES,
    processMeetings: readsOf(row),
    look: v('look') as Switches['look'],
    reservation,
    joinedInsertsSession: v('joinedInsertsSession') as boolean,
    leaveClosesSession: v('leaveClosesSession') as boolean,
    joinedBindsParticipant: v('joinedBindsParticipant') as boolean,
    pollWrites: v('pollWrites') as Switches['pollWrites'],
    deactivation: v('deactivation') as Switches['deactivation'],
    roomDeletion: v('roomDeletion') as Switches['roomDeletion'],
    getOrCreate: v('getOrCreate') as Switches['getOrCreate'],
    oneActiveIndex: v('oneActiveIndex') as boolean,
    ownerDeactivate: v('ownerDeactivate') as Switches['ownerDeactivate'],
  };
}

export const accepted = (row: Row): boolean => designClash(switchesOf(row)) === null;

/** Whether factor i's value means something in the row (a reservation field needs a reservation). */
const live = (row: Row, i: number) => !FACTORS[i].ofReservation || row[RESERVATION] === 1;

/** Each factor value's number, for pair keys: value a of factor i is OFFSET[i] + a. */
const OFFSET: readonly number[] = (() => {
  const out = [0];
  for (let i = 1; i < FACTORS.length; i++) out.push(out[i - 1] + FACTORS[i - 1].values.length);
  return out;
})();
const VALUES = OFFSET[FACTORS.length - 1] + FACTORS[FACTORS.length - 1].values.length;
const pairKey = (i: number, a: number, j: number, b: number) =>
  i < j ? (OFFSET[i] + a) * VALUES + OFFSET[j] + b : (OFFSET[j] + b) * VALUES + OFFSET[i] + a;
/** The factor a value number belongs to: the last whose offset is at most it (findLastIndex is ES2023, beyond tsconfig's lib). */
function factorOf(g: number): number {
  let i = OFFSET.length - 1;
  while (i > 0 && OFFSET[i] > g) i--;
  return i;
}

/** The pairs of factor values a row covers (their keys), each once. */
export function pairsOf(row: Row): number[] {
  const out: number[] = [];
  for (let i = 0; i < FACTORS.length; i++) {
    if (!live(row, i)) continue;
    for (let j = i + 1; j < FACTORS.length; j++) if (live(row, j)) out.push(pairKey(i, row[i], j, row[j]));
  }
  return out;
}

/** A pair's key in words: "look=statements, store=db". */
export function pairText(key: number): string {
  const value = (g: number) => {
    const i = factorOf(g);
    return `${FACTORS[i].name}=${String(FACTORS[i].values[g - OFFSET[i]])}`;
  };
  return `${value(Math.floor(key / VALUES))}, ${value(key % VALUES)}`;
}

const DEFAULT_ROW: Row = FACTORS.map((f) => {
  const d: Record<string, unknown> = {
    ...DEFAULT_SWITCHES,
    ...DEFAULT_RESERVATION,
    occupancy: 'sessions',
    joinCounter: false,
    pendingJoins: false,
    recentActivity: false,
    order: 0,
    reservation: false,
  };
  return f.values.indexOf(d[f.name]);
});

/**
 * Every accepted combination of the core factors (those designClash reads),
 * the others at their defaults: each distinct processMeetings list once (the
 * order factor only where it changes the list), and a reservation's core
 * fields only where there is one.
 */
export function coreRows(): Row[] {
  const pmFactors = ['occupancy', 'joinCounter', 'pendingJoins', 'recentActivity', 'order'].map((n) => index[n]);
  const rest = FACTORS.map((f, i) => (f.core && !pmFactors.includes(i) ? i : -1)).filter((i) => i >= 0);
  // the distinct lists first: one row prefix each
  const prefixes: Row[] = [];
  const lists = new Set<string>();
  const walkList = (k: number, row: number[]) => {
    if (k === pmFactors.length) {
      const key = readsOf(row).join(',');
      if (!lists.has(key)) {
        lists.add(key);
        prefixes.push([...row]);
      }
      return;
    }
    for (let v = 0; v < FACTORS[pmFactors[k]].values.length; v++) {
      row[pmFactors[k]] = v;
      walkList(k + 1, row);
    }
  };
  walkList(0, [...DEFAULT_ROW]);
  const out: Row[] = [];
  const walk = (k: number, row: number[]) => {
    if (k === rest.length) {
      if (accepted(row)) out.push([...row]);
      return;
    }
    const i = rest[k];
    if (!live(row, i)) return walk(k + 1, row);
    for (let v = 0; v < FACTORS[i].values.length; v++) {
      row[i] = v;
      walk(k + 1, row);
    }
    row[i] = DEFAULT_ROW[i];
  };
  for (const prefix of prefixes) walk(0, [...prefix]);
  return out;
}

/**
 * The pairs of factor values some accepted design has, worked out exactly:
 * two core values are coverable when an accepted core combination has both;
 * a value of a factor designClash does not read goes with every coverable
 * value (a reservation field's, with every one coverable beside a
 * reservation).
 */
export function coverablePairs(core: readonly Row[]): Set<number> {
  const out = new Set<number>();
  const alone = new Set<number>();
  const withReservation = new Set<number>();
  const coreFactors = FACTORS.map((f, i) => (f.core ? i : -1)).filter((i) => i >= 0);
  for (const row of core) {
    for (let x = 0; x < coreFactors.length; x++) {
      const i = coreFactors[x];
      if (!live(row, i)) continue;
      alone.add(OFFSET[i] + row[i]);
      if (row[RESERVATION] === 1) withReservation.add(OFFSET[i] + row[i]);
      for (let y = x + 1; y < coreFactors.length; y++) {
        const j = coreFactors[y];
        if (live(row, j)) out.add(pairKey(i, row[i], j, row[j]));
      }
    }
  }
  for (let i = 0; i < FACTORS.length; i++) {
    if (FACTORS[i].core) continue;
    for (let a = 0; a < FACTORS[i].values.length; a++)
      for (let j = 0; j < FACTORS.length; j++) {
        if (j === i) continue;
        const partners = FACTORS[i].ofReservation || FACTORS[j].ofReservation ? withReservation : alone;
        for (let b = 0; b < FACTORS[j].values.length; b++)
          if (!FACTORS[j].core || partners.has(OFFSET[j] + b)) out.add(pairKey(i, a, j, b));
      }
  }
  return out;
}

/** A small deterministic random source (mulberry32). */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Accepted rows that together cover every coverable pair of factor values
 * (a covering array of strength 2, built greedily: each row starts from an
 * uncovered pair, completes it the way that covers the most uncovered pairs,
 * and must be accepted), from a fixed seed: the same rows every time.
 */
export function pairwiseRows(core: readonly Row[], seed = 20261206): Row[] {
  const rand = random(seed);
  const todo = coverablePairs(core);
  const rows: Row[] = [];
  const gain = (row: Row) => {
    let n = 0;
    for (const p of pairsOf(row)) if (todo.has(p)) n++;
    return n;
  };
  while (todo.size > 0) {
    const [first] = todo;
    const ga = Math.floor(first / VALUES);
    const gb = first % VALUES;
    const i = factorOf(ga);
    const j = factorOf(gb);
    const [a, b] = [ga - OFFSET[i], gb - OFFSET[j]];
    const needsReservation = FACTORS[i].ofReservation || FACTORS[j].ofReservation;
    // accepted core rows that have the pair's core values: the row starts from one, then takes the pair and fills the free factors
    const fits = core.filter(
      (r) => (!FACTORS[i].core || r[i] === a) && (!FACTORS[j].core || r[j] === b) && (!needsReservation || r[RESERVATION] === 1),
    );
    let best: Row | null = null;
    let bestGain = 0;
    for (let attempt = 0; attempt < 40 && fits.length > 0; attempt++) {
      const row = [...fits[Math.floor(rand() * fits.length)]];
      row[i] = a;
      row[j] = b;
      for (let k = 0; k < FACTORS.length; k++) {
        if (FACTORS[k].core || k === i || k === j) continue;
        // the value that covers the most uncovered pairs with what is set, ties broken by the random source
        let pick = 0;
        let most = -1;
        const start = Math.floor(rand() * FACTORS[k].values.length);
        for (let n = 0; n < FACTORS[k].values.length; n++) {
          const v = (start + n) % FACTORS[k].values.length;
          row[k] = v;
          const g = gain(row);
          if (g > most) {
            most = g;
            pick = v;
          }
        }
        row[k] = pick;
      }
      if (!accepted(row) || !pairsOf(row).includes(first)) continue;
      const g = gain(row);
      if (g > bestGain) {
        best = row;
        bestGain = g;
      }
    }
    if (best === null) throw new Error(`no accepted design has the pair ${pairText(first)}, though coverablePairs says one does`);
    rows.push(best);
    for (const p of pairsOf(best)) todo.delete(p);
  }
  return rows;
}

/** A row's factor values, by name, for messages. */
export function describeRow(row: Row): string {
  return JSON.stringify(switchesOf(row));
}

/** The row with its free factors (those designClash does not read) drawn from `rand`: still accepted, as its core row is. */
export function withFreeFactors(row: Row, rand: () => number): Row {
  return row.map((v, i) => (FACTORS[i].core ? v : Math.floor(rand() * FACTORS[i].values.length)));
}

/**
 * The bounds the walks run at: one user, one tab, lag 0, and every timing
 * bound at its least (a handshake, the polls, the grace at 0 ticks, a TTL of
 * 1): the smallest model each design makes, so that a walk of thousands of
 * designs finishes; what they check is that each runs to a verdict.
 */
export const WALK_BOUNDS = { users: 1, tabs: 1, lag: 0, handshake: 0, pollDelay: 0, leftPollDelay: 0, ttl: 1, grace: 0 } as const;
