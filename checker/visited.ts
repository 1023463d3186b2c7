// The visited set. Each distinct state gets a dense id (0, 1, 2, ... in
// discovery order) and the id of the state it was first reached from, which
// is all a shortest trace needs: the trace is rebuilt by replaying the model
// along the chain of ids (see trace.ts), so no state is kept here.
import { Fingerprinter, IntCollector } from './fingerprint.ts';
import { encodeValue } from './encode.ts';
import { Int32Buffer } from './int-buffer.ts';
import { probe, rehash } from './probe.ts';
import type { IntSink } from './types.ts';
import { ModelFault } from './successors.ts';
import { UnencodableValueError } from './errors.ts';
import { DiskFingerprintSet } from './disk-visited.ts';

export type Encoder<S> = (state: S, out: IntSink) => void;

export interface VisitedSet<S> {
  readonly size: number;
  /** Records the state if new and returns its id; returns -(id + 1) if it was already known. */
  visit(state: S, parent: number): number;
  /** The id of a known state, or -1. */
  find(state: S): number;
  parentOf(id: number): number;
  /** Bytes held by the set (for the benchmark's bytes-per-state figure). */
  readonly bytes: number;
}

export function defaultEncoder<S>(): Encoder<S> {
  return (s, out) => encodeValue(s, out);
}

/** Runs the model's encoder; a throw becomes a ModelFault (the caller adds the step). */
function runEncoder<S>(encode: Encoder<S>, state: S, out: IntSink): void {
  try {
    encode(state, out);
  } catch (e) {
    if (e instanceof UnencodableValueError) throw e;
    throw new ModelFault('encode', e, null, state, null);
  }
}

const MAX_LOAD = 0.6;

/**
 * Open addressing (linear probing) over 64-bit fingerprints: slot i holds
 * (lo, hi, id + 1) in three Uint32 words, 0 meaning empty. 12 bytes a slot at
 * load <= 0.6, plus 4 bytes of parent id: 24 to 44 bytes a state.
 */
export class FingerprintSet<S> implements VisitedSet<S> {
  private slots: Uint32Array;
  private mask: number;
  private readonly parents = new Int32Buffer();
  private readonly fp = new Fingerprinter();

  constructor(
    private readonly encode: Encoder<S>,
    initialCapacity = 1 << 16,
  ) {
    let cap = 1;
    while (cap < initialCapacity) cap <<= 1;
    this.slots = new Uint32Array(cap * 3);
    this.mask = cap - 1;
  }

  get size(): number {
    return this.parents.length;
  }

  get bytes(): number {
    return this.slots.byteLength + this.parents.bytes;
  }

  private fingerprint(state: S): void {
    this.fp.reset();
    runEncoder(this.encode, state, this.fp);
    this.fp.finish();
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
    const id = this.parents.length;
    this.parents.int(parent);
    slots[j] = lo;
    slots[j + 1] = hi;
    slots[j + 2] = id + 1;
    if (this.parents.length > (this.mask + 1) * MAX_LOAD) this.grow();
    return id;
  }

  find(state: S): number {
    this.fingerprint(state);
    const tag = this.slots[probe(this.slots, this.mask, this.fp.lo, this.fp.hi) + 2];
    return tag - 1;
  }

  parentOf(id: number): number {
    return this.parents.get(id);
  }

  private grow(): void {
    const cap = (this.mask + 1) * 2;
    this.slots = rehash(this.slots, cap);
    this.mask = cap - 1;
  }
}

/** Keys states by their full encoding: no collisions, many more bytes a state. */
export class ExactSet<S> implements VisitedSet<S> {
  private readonly ids = new Map<string, number>();
  private readonly parents = new Int32Buffer();
  private readonly collector = new IntCollector();
  private keyBytes = 0;

  constructor(private readonly encode: Encoder<S>) {}

  get size(): number {
    return this.parents.length;
  }

  get bytes(): number {
    return this.keyBytes + this.parents.bytes;
  }

  private key(state: S): string {
    runEncoder(this.encode, state, this.collector);
    return this.collector.take();
  }

  visit(state: S, parent: number): number {
    const key = this.key(state);
    const known = this.ids.get(key);
    if (known !== undefined) return -(known + 1);
    const id = this.parents.length;
    this.parents.int(parent);
    this.ids.set(key, id);
    this.keyBytes += 2 * key.length + 48;
    return id;
  }

  find(state: S): number {
    return this.ids.get(this.key(state)) ?? -1;
  }

  parentOf(id: number): number {
    return this.parents.get(id);
  }
}

/**
 * The kinds of visited set a search can keep: 64-bit fingerprints (the
 * default, as TLC's), exact keys (the full encoding: no collisions, more
 * memory), or fingerprints that spill to disk under a memory budget
 * (disk-visited.ts, as TLC's DiskFPSet). The searches ask this factory and
 * never name a class.
 */
export type VisitedKind = 'fingerprint' | 'exact' | 'disk';

export function createVisitedSet<S>(kind: 'fingerprint', encode: Encoder<S>): FingerprintSet<S>;
export function createVisitedSet<S>(kind: 'fingerprint' | 'disk', encode: Encoder<S>): FingerprintSet<S> | DiskFingerprintSet<S>;
export function createVisitedSet<S>(kind: VisitedKind, encode: Encoder<S>): VisitedSet<S>;
export function createVisitedSet<S>(kind: VisitedKind, encode: Encoder<S>): VisitedSet<S> {
  switch (kind) {
    case 'fingerprint':
      return new FingerprintSet(encode);
    case 'exact':
      return new ExactSet(encode);
    case 'disk':
      return new DiskFingerprintSet(encode);
  }
}
