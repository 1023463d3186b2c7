// The state's integer encoding for the checker's visited set. With symmetry
// on, users are interchangeable, so are a user's tab slots, and meeting ids
// are only names: the encoding sorts users and slots and renumbers meetings by
// first use, so that states equal up to those renamings encode alike. It
// always writes every field, so two states encode alike only if they are such
// renamings of each other (the reduction is sound: equivalence.ts says when,
// and the checker tests the two against each other); ties it cannot break
// only cost extra states.
import type { IntSink } from '../checker/index.ts';
import type { Layout, State } from './state.ts';

/** The plain encoding: the words as they are. */
export function encodeExact(s: State, out: IntSink): void {
  const w = s.w;
  for (let i = 0; i < w.length; i++) out.int(w[i]);
}

/** bits of a meeting's digest, folded into a tab's sort key */
const DIGEST_BITS = 22;
const KEY_SCALE = 2 ** DIGEST_BITS;
const DIGEST_MOD = KEY_SCALE - 1;
/** below this a meeting's first word makes its signature (word · 2^32 + second word) exact in a double */
const EXACT_WORD = 2 ** 21;

/** x mod 2^22 - 1 for an unsigned 32-bit x, by folding (2^22 is 1 modulo 2^22 - 1) */
function mod22(x: number): number {
  let r = (x >>> 22) + (x & 0x3fffff);
  r = (r >>> 22) + (r & 0x3fffff);
  return r >= DIGEST_MOD ? r - DIGEST_MOD : r;
}

/**
 * (word · 2^32 + (second >>> 0)) mod (2^22 - 1), plus 1: the digest, in integers (2^32 is 2^10 modulo 2^22 - 1);
 * the same number as the double's `%` where the signature is exact, without its slow floating-point remainder.
 */
function digestOf(word: number, second: number): number {
  return mod22(mod22(mod22(word) * 1024) + mod22(second >>> 0)) + 1;
}

/**
 * The canonical order of a state's users, tab slots and meetings (what the
 * symmetric encoding writes them in), computed into scratch arrays that the
 * encoder and the renaming read after each call.
 */
const orders = new WeakMap<Layout, ReturnType<typeof makeCanonicalOrder>>();

/** One per layout: the encoder and the renaming share it, so the renaming of a state just encoded costs nothing. */
function canonicalOrder(layout: Layout) {
  let made = orders.get(layout);
  if (made === undefined) orders.set(layout, (made = makeCanonicalOrder(layout)));
  return made;
}

function makeCanonicalOrder(layout: Layout) {
  const users = layout.users;
  const per = layout.tabsPerUser;
  const slots = layout.slots;
  const ids = layout.meetingIds;
  // a tab word is its fields, then its meeting id above them (never negative: Layout checks it fits 31 bits)
  const tabBits = layout.tab.bits;
  const fieldMask = layout.tabScale - 1;
  if (layout.tab.bits + DIGEST_BITS > 53) throw new Error("model/encoding.ts: a tab's fields and a meeting digest do not fit a sort key");
  // scratch arrays, reused: the encoder runs once per generated state, so it
  // allocates nothing and sorts the tiny arrays by insertion
  const keys = new Float64Array(slots);
  /** users in canonical order (original indices, from 0) */
  const order = new Int32Array(users);
  /** user u's slots, sorted, at u*per .. */
  const slotOrder = new Int32Array(slots);
  const sig = new Float64Array(ids + 1);
  const digest = new Float64Array(ids + 1);
  /** canon[m]: meeting m's canonical id (0: not in use) */
  const canon = new Int32Array(ids + 1);
  /** byCanon[c]: the meeting with canonical id c */
  const byCanon = new Int32Array(ids + 1);

  const compareUsers = (x: number, y: number): number => {
    for (let k = 0; k < per; k++) {
      const d = keys[slotOrder[x * per + k]] - keys[slotOrder[y * per + k]];
      if (d !== 0) return d;
    }
    return 0;
  };

  // the words last ordered, and what came out: the renaming asks about the state the encoder just wrote
  let last: Int32Array | null = null;
  let lastCount = 0;
  /** Orders the state `w`; returns how many meetings are in use. */
  const sort = (w: Int32Array): number => {
    if (w !== last) {
      lastCount = orderOf(w);
      last = w;
    }
    return lastCount;
  };
  const orderOf = (w: Int32Array): number => {
    // 1. each meeting's identity-free signature (its fields and its polls), and a digest of it for the tabs' keys
    for (let m = 1; m <= ids; m++) {
      const at = slots + 2 * (m - 1);
      const word = w[at];
      if (word === 0) {
        sig[m] = -1;
        digest[m] = 0;
        continue;
      }
      sig[m] = word * 4294967296 + (w[at + 1] >>> 0);
      digest[m] = word < EXACT_WORD ? digestOf(word, w[at + 1]) : (sig[m] % DIGEST_MOD) + 1;
    }
    for (let i = 0; i < slots; i++) {
      const word = w[i];
      const m = word >>> tabBits;
      keys[i] = (word & fieldMask) * KEY_SCALE + (m === 0 ? 0 : digest[m]);
    }
    // 2. sort each user's slots, then the users
    for (let u = 0; u < users; u++) {
      const base = u * per;
      for (let k = 0; k < per; k++) {
        const x = base + k;
        let j = k;
        while (j > 0 && keys[slotOrder[base + j - 1]] > keys[x]) {
          slotOrder[base + j] = slotOrder[base + j - 1];
          j--;
        }
        slotOrder[base + j] = x;
      }
    }
    for (let u = 0; u < users; u++) {
      let j = u;
      while (j > 0 && compareUsers(order[j - 1], u) > 0) {
        order[j] = order[j - 1];
        j--;
      }
      order[j] = u;
    }
    // 3. renumber meetings by first use in that order, then the unreferenced ones by signature
    for (let m = 0; m <= ids; m++) canon[m] = 0;
    let next = 0;
    for (let k = 0; k < users; k++) {
      const base = order[k] * per;
      for (let j = 0; j < per; j++) {
        const m = w[slotOrder[base + j]] >>> tabBits;
        if (m !== 0 && canon[m] === 0) {
          canon[m] = ++next;
          byCanon[next] = m;
        }
      }
    }
    const referenced = next;
    for (let m = 1; m <= ids; m++) {
      if (sig[m] < 0 || canon[m] !== 0) continue;
      let j = ++next;
      while (j > referenced + 1 && sig[byCanon[j - 1]] > sig[m]) {
        byCanon[j] = byCanon[j - 1];
        j--;
      }
      byCanon[j] = m;
    }
    for (let c = referenced + 1; c <= next; c++) canon[byCanon[c]] = c;
    return next;
  };
  return { sort, order, slotOrder, canon, byCanon, tabBits, fieldMask };
}

/** The symmetric encoding: users, a user's tab slots, and meeting ids renamed to a canonical order. */
export function symmetricEncoder(layout: Layout): (s: State, out: IntSink) => void {
  const users = layout.users;
  const per = layout.tabsPerUser;
  const slots = layout.slots;
  const { sort, order, slotOrder, canon, byCanon, tabBits, fieldMask } = canonicalOrder(layout);
  return (s, out) => {
    const w = s.w;
    const next = sort(w);
    // 4. write users, slots and meetings in canonical order
    for (let k = 0; k < users; k++) {
      const base = order[k] * per;
      for (let j = 0; j < per; j++) {
        const word = w[slotOrder[base + j]];
        const m = word >>> tabBits;
        out.int((word & fieldMask) | (m === 0 ? 0 : canon[m] << tabBits));
      }
    }
    out.int(next);
    for (let c = 1; c <= next; c++) {
      const at = slots + 2 * (byCanon[c] - 1);
      out.int(w[at]);
      out.int(w[at + 1]);
    }
  };
}

/**
 * The renaming that takes a state to the canonical form the symmetric
 * encoding writes, as a permutation of the atoms: users (atoms 0 .. users-1
 * for u1 ..), tab slots (then, by slot index) and meeting ids (then, for M1
 * ..). Meeting ids not in use go to the canonical ids left, in order.
 */
export function canonicalRenaming(layout: Layout): (s: State, r: Int32Array) => void {
  const users = layout.users;
  const per = layout.tabsPerUser;
  const slots = layout.slots;
  const ids = layout.meetingIds;
  const { sort, order, slotOrder, canon } = canonicalOrder(layout);
  return (s, r) => {
    let next = sort(s.w);
    for (let k = 0; k < users; k++) {
      const u = order[k];
      r[u] = k;
      for (let j = 0; j < per; j++) r[users + slotOrder[u * per + j]] = users + k * per + j;
    }
    for (let m = 1; m <= ids; m++) r[users + slots + m - 1] = users + slots + (canon[m] === 0 ? ++next : canon[m]) - 1;
  };
}
