// The fingerprint tables' open addressing, shared by the in-memory visited
// set (visited.ts) and the one that spills to disk (disk-visited.ts).

/**
 * The fingerprint tables' probe: open addressing with linear probing over
 * `mask + 1` slots of (lo, hi, tag) in three Uint32 words, tag 0 meaning
 * empty. Returns the first word of the slot that holds (lo, hi), or of the
 * empty slot where it goes.
 */
export function probe(slots: Uint32Array, mask: number, lo: number, hi: number): number {
  let i = (lo ^ Math.imul(hi, 0x9e3779b1)) & mask;
  for (;;) {
    const j = i * 3;
    if (slots[j + 2] === 0 || (slots[j] === lo && slots[j + 1] === hi)) return j;
    i = (i + 1) & mask;
  }
}

/** `old`'s entries, placed again in a table of `slotCount` slots (a power of two). */
export function rehash(old: Uint32Array, slotCount: number): Uint32Array {
  const slots = new Uint32Array(slotCount * 3);
  for (let j = 0; j < old.length; j += 3) {
    if (old[j + 2] === 0) continue;
    const k = probe(slots, slotCount - 1, old[j], old[j + 1]);
    slots[k] = old[j];
    slots[k + 1] = old[j + 1];
    slots[k + 2] = old[j + 2];
  }
  return slots;
}
