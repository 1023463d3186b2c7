// The visited set under a memory budget, as TLC's DiskFPSet: the 64-bit
// fingerprints of the states met last are in a table in memory (open
// addressing, as visited.ts's FingerprintSet); when the table is full and the
// budget has no room for a bigger one, its entries are sorted and merged into
// one sorted run on the store (fingerprint and id per entry, in pages), and
// the table starts empty. A lookup probes the table, then the run: a binary
// search over the first key of each page (kept in memory) names the one page
// the fingerprint can be in, read through a cache of pages. The parent ids,
// one per state in id order, go to the store in pages too (the trace rebuild
// reads them back). Ids are handed out in discovery order whatever spilled,
// so a search gives the same ids, hence the same traces, with or without a
// budget. Without a budget the searches use FingerprintSet, untouched.
import { probe, rehash } from './probe.ts';
import { UnencodableValueError } from './errors.ts';
import { Fingerprinter } from './fingerprint.ts';
import { Int32Buffer } from './int-buffer.ts';
import { PageCache, type Spillable, type Spiller } from './spill.ts';
import { ModelFault } from './successors.ts';
import type { IntSink } from './types.ts';

/**
 * The model's encoder (visited.ts's Encoder; written here, since visited.ts
 * imports this module for its factory, which checks there that this class
 * is a VisitedSet).
 */
type Encoder<S> = (state: S, out: IntSink) => void;

const MAX_LOAD = 0.6;
/** the smallest table (slots): 12 KiB */
const MIN_SLOTS = 1 << 10;
/** entries in a page of the sorted run (3 ints each: hi, lo, id): 3 KiB, one read a lookup that misses the cache */
export const RUN_PAGE_ENTRIES = 256;
/** parent ids in a page */
const PARENT_PAGE = 1024;

/** (hiA, loA) < (hiB, loB), unsigned */
const less = (hiA: number, loA: number, hiB: number, loB: number) => hiA < hiB || (hiA === hiB && loA < loB);

export class DiskFingerprintSet<S> implements Spillable {
  private slots: Uint32Array;
  private mask: number;
  /** entries in the table (the rest are in the run) */
  private inTable = 0;
  /** ids handed out: the states known */
  private count = 0;
  private readonly fp = new Fingerprinter();
  private spiller: Spiller | null = null;

  /** the sorted run: its file, its entries, the first key of each page */
  private run = -1;
  private runLength = 0;
  private firstHi = new Uint32Array(0);
  private firstLo = new Uint32Array(0);
  private cache: PageCache | null = null;
  private runBytes = 0;

  /** parent ids [parentsOnDisk, count) in memory; those before, in pages on the store */
  private parents = new Int32Buffer(256);
  private parentsOnDisk = 0;
  private parentFile = -1;
  /** the page of parent ids read last (allocated at the first read) */
  private parentPage = new Int32Array(0);
  private parentPageAt = -1;
  private parentBytes = 0;

  constructor(private readonly encode: Encoder<S>) {
    this.slots = new Uint32Array(MIN_SLOTS * 3);
    this.mask = MIN_SLOTS - 1;
  }

  /** The budget it answers to (the Spiller calls this when the search starts). */
  attach(spiller: Spiller): void {
    this.spiller = spiller;
  }

  get size(): number {
    return this.count;
  }

  /** bytes in memory: the table, the parent ids not spilled, the run's index and its cache of pages */
  get bytes(): number {
    return this.memoryBytes;
  }

  get memoryBytes(): number {
    return (
      this.slots.byteLength +
      this.parents.bytes +
      this.parentPage.byteLength +
      this.firstHi.byteLength +
      this.firstLo.byteLength +
      (this.cache?.bytes ?? 0)
    );
  }

  /** Whether part of it is on the store. */
  get hasSpilled(): boolean {
    return this.run >= 0 || this.parentFile >= 0;
  }

  visit(state: S, parent: number): number {
    this.fingerprint(state);
    return this.insert(this.fp.lo, this.fp.hi, parent);
  }

  /** visit() for a fingerprint computed elsewhere (by a worker thread). */
  insert(lo: number, hi: number, parent: number): number {
    const slots = this.slots;
    const j = probe(slots, this.mask, lo, hi);
    const tag = slots[j + 2];
    if (tag !== 0) return -tag;
    // not in the table: in the run on the store, or new
    const known = this.runLength > 0 ? this.inRun(lo, hi) : -1;
    if (known >= 0) return -(known + 1);
    const id = this.count++;
    this.parents.int(parent);
    slots[j] = lo;
    slots[j + 1] = hi;
    slots[j + 2] = id + 1;
    if (++this.inTable > (this.mask + 1) * MAX_LOAD) this.full();
    return id;
  }

  find(state: S): number {
    this.fingerprint(state);
    const { lo, hi } = this.fp;
    const inTable = this.inTable > 0 ? this.tableId(lo, hi) : -1;
    if (inTable >= 0) return inTable;
    return this.runLength > 0 ? this.inRun(lo, hi) : -1;
  }

  parentOf(id: number): number {
    if (id >= this.parentsOnDisk) return this.parents.get(id - this.parentsOnDisk);
    const page = Math.floor(id / PARENT_PAGE);
    if (page !== this.parentPageAt) {
      if (this.parentPage.length === 0) this.parentPage = new Int32Array(PARENT_PAGE);
      this.spiller!.store.read(this.parentFile, page * PARENT_PAGE, this.parentPage, 0, PARENT_PAGE);
      this.parentPageAt = page;
    }
    return this.parentPage[id % PARENT_PAGE];
  }

  /**
   * The budget is short: the table goes to the run (and, if it is more than
   * the smallest, a table half its size replaces it), and the whole pages of
   * parent ids go to the store.
   */
  spill(): number {
    if (this.spiller === null) return 0;
    let written = this.inTable > 0 ? this.merge() : 0;
    const slots = this.mask + 1;
    if (slots > MIN_SLOTS) this.resize(slots >> 1);
    written += this.spillParents();
    return written;
  }

  /** Deletes its files. */
  release(): void {
    const store = this.spiller?.store;
    if (store === undefined) return;
    if (this.run >= 0) store.release(this.run);
    if (this.parentFile >= 0) store.release(this.parentFile);
    this.spiller!.freed(this.runBytes + this.parentBytes);
    this.run = this.parentFile = -1;
    this.runLength = 0;
    this.runBytes = this.parentBytes = 0;
    this.cache = null;
  }

  private fingerprint(state: S): void {
    this.fp.reset();
    try {
      this.encode(state, this.fp);
    } catch (e) {
      if (e instanceof UnencodableValueError) throw e;
      throw new ModelFault('encode', e, null, state, null);
    }
    this.fp.finish();
  }

  private tableId(lo: number, hi: number): number {
    return this.slots[probe(this.slots, this.mask, lo, hi) + 2] - 1;
  }

  /** The id of fingerprint (lo, hi) in the run, or -1. */
  private inRun(lo: number, hi: number): number {
    const { firstHi, firstLo } = this;
    // the last page whose first key is at most the fingerprint
    if (less(hi, lo, firstHi[0], firstLo[0])) return -1;
    let a = 0,
      b = firstHi.length - 1;
    while (a < b) {
      const mid = (a + b + 1) >> 1;
      if (less(hi, lo, firstHi[mid], firstLo[mid])) b = mid - 1;
      else a = mid;
    }
    const page = this.cache!.page(a);
    let x = 0,
      y = Math.min(RUN_PAGE_ENTRIES, this.runLength - a * RUN_PAGE_ENTRIES) - 1;
    while (x <= y) {
      const m = (x + y) >> 1;
      const h = page[3 * m] >>> 0,
        l = page[3 * m + 1] >>> 0;
      if (h === hi && l === lo) return page[3 * m + 2];
      if (less(h, l, hi, lo)) x = m + 1;
      else y = m - 1;
    }
    return -1;
  }

  /** The table is at its load limit: a bigger one if the budget has room for it (after spilling the rest), else into the run. */
  private full(): void {
    const slots = this.mask + 1;
    // the bigger table beside this one while it is filled
    if (this.spiller === null || this.spiller.makeRoom(2 * this.slots.byteLength)) this.resize(slots * 2);
    else this.merge();
  }

  private resize(slots: number): void {
    this.slots = rehash(this.slots, slots);
    this.mask = slots - 1;
  }

  /** The table's entries, sorted, merged with the run into a new run; the table is emptied. Returns the bytes written. */
  private merge(): number {
    const spiller = this.spiller!;
    const store = spiller.store;
    const sorted = this.sortedTable();
    const n = sorted.hi.length;
    const total = this.runLength + n;
    const pages = Math.ceil(total / RUN_PAGE_ENTRIES);
    const pageInts = 3 * RUN_PAGE_ENTRIES;
    const file = store.create();
    const firstHi = new Uint32Array(pages);
    const firstLo = new Uint32Array(pages);
    const out = new Int32Array(pageInts);
    let filled = 0;
    let page = 0;
    let written = 0;
    const emit = (hi: number, lo: number, id: number) => {
      if (filled === 0) {
        firstHi[page] = hi;
        firstLo[page] = lo;
      }
      out[3 * filled] = hi;
      out[3 * filled + 1] = lo;
      out[3 * filled + 2] = id;
      if (++filled === RUN_PAGE_ENTRIES) flush();
    };
    const flush = () => {
      out.fill(0, 3 * filled);
      store.append(file, out, 0, pageInts);
      written += pageInts * 4;
      filled = 0;
      page++;
    };
    // the old run, read in chunks of pages, and the sorted table, two by two
    const chunkPages = Math.min(256, Math.ceil(this.runLength / RUN_PAGE_ENTRIES));
    const chunk = new Int32Array(chunkPages * pageInts);
    let chunkFirst = 0;
    let chunkLength = 0;
    let k = 0;
    for (let r = 0; r < this.runLength; r++) {
      if (r >= chunkFirst + chunkLength) {
        chunkFirst = r;
        const pagesLeft = Math.ceil(this.runLength / RUN_PAGE_ENTRIES) - r / RUN_PAGE_ENTRIES;
        const read = Math.min(chunkPages, pagesLeft);
        store.read(this.run, (r / RUN_PAGE_ENTRIES) * pageInts, chunk, 0, read * pageInts);
        chunkLength = Math.min(read * RUN_PAGE_ENTRIES, this.runLength - r);
      }
      const at = 3 * (r - chunkFirst);
      const hi = chunk[at] >>> 0,
        lo = chunk[at + 1] >>> 0;
      while (k < n && less(sorted.hi[k], sorted.lo[k], hi, lo)) {
        emit(sorted.hi[k], sorted.lo[k], sorted.id[k]);
        k++;
      }
      emit(hi, lo, chunk[at + 2]);
    }
    for (; k < n; k++) emit(sorted.hi[k], sorted.lo[k], sorted.id[k]);
    if (filled > 0) flush();
    if (this.run >= 0) {
      store.release(this.run);
      spiller.freed(this.runBytes);
    }
    this.run = file;
    this.runLength = total;
    this.runBytes = written;
    this.firstHi = firstHi;
    this.firstLo = firstLo;
    // a cache for the new run, of what the budget can spare (a sixteenth of it), two pages at least
    this.cache = new PageCache(store, file, pages, pageInts, Math.max(2, Math.floor(spiller.budget / 16 / (pageInts * 4))));
    this.slots.fill(0);
    this.inTable = 0;
    spiller.wrote('visited', written);
    return written;
  }

  /** The table's entries sorted by fingerprint (hi, then lo, unsigned): an LSD radix sort, 8 bits a pass. */
  private sortedTable(): { hi: Uint32Array; lo: Uint32Array; id: Int32Array } {
    const n = this.inTable;
    let hi = new Uint32Array(n),
      lo = new Uint32Array(n),
      id = new Int32Array(n);
    let k = 0;
    for (let j = 0; j < this.slots.length; j += 3) {
      if (this.slots[j + 2] === 0) continue;
      lo[k] = this.slots[j];
      hi[k] = this.slots[j + 1];
      id[k++] = this.slots[j + 2] - 1;
    }
    let hi2 = new Uint32Array(n),
      lo2 = new Uint32Array(n),
      id2 = new Int32Array(n);
    const counts = new Int32Array(256);
    for (let pass = 0; pass < 8; pass++) {
      const word = pass < 4 ? lo : hi;
      const shift = (pass % 4) * 8;
      const digit = (i: number) => (word[i] >>> shift) & 0xff;
      counts.fill(0);
      for (let i = 0; i < n; i++) counts[digit(i)]++;
      let sum = 0;
      for (let d = 0; d < counts.length; d++) {
        const c = counts[d];
        counts[d] = sum;
        sum += c;
      }
      for (let i = 0; i < n; i++) {
        const to = counts[digit(i)]++;
        hi2[to] = hi[i];
        lo2[to] = lo[i];
        id2[to] = id[i];
      }
      [hi, hi2] = [hi2, hi];
      [lo, lo2] = [lo2, lo];
      [id, id2] = [id2, id];
    }
    return { hi, lo, id };
  }

  /** The whole pages of parent ids in memory, to the store; the rest stays. */
  private spillParents(): number {
    const spiller = this.spiller!;
    const whole = Math.floor(this.parents.length / PARENT_PAGE);
    if (whole === 0) return 0;
    if (this.parentFile < 0) this.parentFile = spiller.store.create();
    const n = whole * PARENT_PAGE;
    spiller.store.append(this.parentFile, this.parents.data, 0, n);
    const rest = new Int32Buffer(Math.max(1024, this.parents.length - n));
    rest.append(this.parents.data, n, this.parents.length);
    this.parents = rest;
    this.parentsOnDisk += n;
    this.parentBytes += n * 4;
    spiller.wrote('visited', n * 4);
    return n * 4;
  }
}
