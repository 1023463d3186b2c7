// The default state encoding: a structural walk over Immutable.js values and
// plain JS values (primitives, plain objects, arrays, Set, Map, Date), so that
// equal values encode alike and different ones differently. "Different" is
// what JavaScript code can tell apart, and equality.ts's valueEquals agrees
// with it: -0 is not 0, an array hole is not undefined, a List is not a Stack
// nor a Seq, an object without a prototype is not a plain one, and two Record
// types are two types even when they share a name and fields (a model that
// tells messages apart with `instanceof` keeps them apart). Unordered
// collections (Immutable Map and Set, native Set and Map, plain objects) are
// written in a sorted order, so insertion order does not matter; ordered ones
// (List, Stack, OrderedMap, OrderedSet, Seqs, arrays) keep theirs. Anything
// whose content the walk cannot see (a class instance, a function, a symbol)
// is refused with an UnencodableValueError naming where it is in the state:
// merging states silently would be a wrong verdict.
import {
  isCollection,
  isIndexed,
  isKeyed,
  isOrdered,
  isRecord,
  isSeq,
  List,
  OrderedMap,
  OrderedSet,
  Record,
  Stack,
  type Collection,
} from 'immutable';
import type { IntSink } from './types.ts';
import { IntCollector } from './fingerprint.ts';
import { UnencodableValueError } from './errors.ts';

const enum Tag {
  Int = 1,
  Float,
  False,
  True,
  Null,
  Undefined,
  Str,
  Rec,
  Seq,
  Keyed,
  Unordered,
  BigInt,
  Date,
  List,
  OrderedSet,
  Hole,
  Stack,
  IndexedSeq,
  KeyedSeq,
  SetSeq,
}

/** Which kind of unordered collection: values of different kinds never encode alike. */
const enum Kind {
  Object = 0,
  ImmutableMap,
  ImmutableSet,
  Map,
  Set,
  /** a plain object without a prototype (Object.create(null)) */
  BareObject,
}

/**
 * Which Immutable.js collection a value is, as JavaScript tells them apart
 * (List.isList, Stack.isStack, ...): the encoding and valueEquals both go by
 * it. 'other' is a collection none of these recognise (read by its traits).
 */
export type ImmutableKind =
  | 'list'
  | 'stack'
  | 'ordered-map'
  | 'ordered-set'
  | 'map'
  | 'set'
  | 'indexed-seq'
  | 'keyed-seq'
  | 'set-seq'
  | 'other';

export function immutableKind(v: unknown): ImmutableKind {
  if (List.isList(v)) return 'list';
  if (Stack.isStack(v)) return 'stack';
  if (OrderedMap.isOrderedMap(v)) return 'ordered-map';
  if (OrderedSet.isOrderedSet(v)) return 'ordered-set';
  if (isSeq(v)) return isKeyed(v) ? 'keyed-seq' : isIndexed(v) ? 'indexed-seq' : 'set-seq';
  if (isKeyed(v) && !isOrdered(v)) return 'map';
  if (!isKeyed(v) && !isIndexed(v) && !isOrdered(v)) return 'set';
  return 'other';
}

// ------------------------------------------------------------ Record types

// JavaScript gives a Record type no name of its own that every thread would
// agree on (two anonymous types are both "Record", with the same fields and
// defaults), only its identity. So a type is written as its name, then its
// number among the types of that name and those fields in the order this
// thread first met them: exact within a thread, and the same in every run,
// but another thread may meet them in another order. The parallel search
// therefore keeps to one thread when the encoding writes any Record
// (parallel.ts, through recordsWritten).

/** Per Record type (its prototype), its number among the types of the same name and fields, by first sight. */
const recordIndex = new WeakMap<object, number>();
/** How many Record types of each name-and-fields signature this thread has met. */
const typesOf = new Map<string, number>();
let written = 0;

/**
 * Which of the Record types sharing v's name and fields v's type is: 0 for
 * the first this thread met, 1, 2, ... for the next ones.
 */
function recordTypeIndex(v: object): number {
  written++;
  const type = Object.getPrototypeOf(v) as object;
  let index = recordIndex.get(type);
  if (index === undefined) {
    let signature = Record.getDescriptiveName(v as never);
    for (const [key] of v as unknown as Iterable<[string, unknown]>) signature += `\u0000${key}`;
    index = typesOf.get(signature) ?? 0;
    typesOf.set(signature, index + 1);
    recordIndex.set(type, index);
  }
  return index;
}

/** How many Records this thread's encodings have written so far (a count that only grows: compare two readings). */
export function recordsWritten(): number {
  return written;
}

const f64 = new Float64Array(1);
const i32 = new Int32Array(f64.buffer);

/** Writes v's encoding to `out`; throws UnencodableValueError (with the path under `root`) on what it cannot see. */
export function encodeValue(v: unknown, out: IntSink, root = 'state'): void {
  try {
    write(v, out);
  } catch (e) {
    if (e instanceof Unencodable) throw locate(v, root) ?? new UnencodableValueError(root, e.what);
    throw e;
  }
}

/** Thrown inside the walk (cheap: no path); encodeValue finds the path afterwards. */
class Unencodable {
  constructor(readonly what: string) {}
}

function isPlainObject(v: object): boolean {
  const proto = Object.getPrototypeOf(v) as unknown;
  return proto === Object.prototype || proto === null;
}

function write(v: unknown, out: IntSink): void {
  switch (typeof v) {
    case 'number':
      // -0 is a safe integer, but not 0 (Object.is, 1 / x): it goes by its bits
      if (Number.isSafeInteger(v) && !Object.is(v, -0)) {
        out.int(Tag.Int);
        out.int(v);
      } else {
        f64[0] = Number.isNaN(v) ? NaN : v;
        out.int(Tag.Float);
        out.int(i32[0]);
        out.int(i32[1]);
      }
      return;
    case 'boolean':
      out.int(v ? Tag.True : Tag.False);
      return;
    case 'undefined':
      out.int(Tag.Undefined);
      return;
    case 'string':
      writeString(v, out);
      return;
    case 'bigint': {
      const digits = v.toString();
      out.int(Tag.BigInt);
      out.int(digits.length);
      for (let i = 0; i < digits.length; i++) out.int(digits.charCodeAt(i));
      return;
    }
    case 'object':
      if (v === null) out.int(Tag.Null);
      else writeObject(v, out);
      return;
    default:
      throw new Unencodable(`a ${typeof v}`);
  }
}

function writeString(s: string, out: IntSink): void {
  out.int(Tag.Str);
  out.int(s.length);
  for (let i = 0; i < s.length; i++) out.int(s.charCodeAt(i));
}

const ORDERED_TAG: { readonly [K in ImmutableKind]?: Tag } = {
  list: Tag.List,
  stack: Tag.Stack,
  'ordered-map': Tag.Keyed,
  'ordered-set': Tag.OrderedSet,
  'indexed-seq': Tag.IndexedSeq,
  'keyed-seq': Tag.KeyedSeq,
};

function writeObject(v: object, out: IntSink): void {
  if (isRecord(v)) {
    // a Record is its type (its name, and which of the types of that name and
    // those fields it is), its field names, then its values
    out.int(Tag.Rec);
    writeString(Record.getDescriptiveName(v as never), out);
    out.int(recordTypeIndex(v));
    for (const [key, x] of v as unknown as Iterable<[string, unknown]>) {
      writeString(key, out);
      write(x, out);
    }
  } else if (isCollection(v)) {
    const c = v as Collection<unknown, unknown>;
    const keyed = isKeyed(v);
    const kind = immutableKind(v);
    const tag = ORDERED_TAG[kind] ?? (kind === 'set-seq' ? Tag.SetSeq : isIndexed(v) || isOrdered(v) ? Tag.Seq : null);
    if (tag !== null) {
      // Lists, Stacks, OrderedSets, OrderedMaps and Seqs: their order is part of their value
      out.int(tag);
      out.int(c.count());
      if (keyed)
        for (const [k, x] of c.entrySeq()) {
          write(k, out);
          write(x, out);
        }
      else for (const x of c.valueSeq()) write(x, out);
    } else
      writeSorted(
        c
          .entrySeq()
          .map(([k, x]) => (keyed ? [k, x] : [x]))
          .toArray(),
        keyed ? Kind.ImmutableMap : Kind.ImmutableSet,
        out,
      );
  } else if (Array.isArray(v)) {
    out.int(Tag.Seq);
    out.int(v.length);
    // a hole ([, 1]) is not undefined ([undefined, 1]): `0 in a` tells them apart
    for (let i = 0; i < v.length; i++) {
      if (i in v) write(v[i], out);
      else out.int(Tag.Hole);
    }
  } else if (v instanceof Set) {
    writeSorted(
      [...v].map((x) => [x]),
      Kind.Set,
      out,
    );
  } else if (v instanceof Map) {
    writeSorted([...v], Kind.Map, out);
  } else if (v instanceof Date) {
    out.int(Tag.Date);
    write(v.getTime(), out);
  } else if (isPlainObject(v)) {
    const o = v as { readonly [key: string]: unknown };
    const keys = Object.keys(o);
    writeSorted(
      keys.map((k) => [k, o[k]]),
      Object.getPrototypeOf(v) === null ? Kind.BareObject : Kind.Object,
      out,
    );
  } else {
    const name = (v as { constructor?: { name?: unknown } }).constructor?.name;
    throw new Unencodable(
      typeof name === 'string' && name !== '' ? `a ${name} (class instance)` : 'an object with a prototype (class instance)',
    );
  }
}

/**
 * Entries of an unordered collection, each encoded on its own, then emitted
 * in sorted order. Its kind comes first (a Set of pairs is not a Map, a
 * native Map is not a plain object), then its size.
 */
function writeSorted(entries: unknown[][], kind: Kind, out: IntSink): void {
  const encoded = entries.map((parts) => {
    const c = new IntCollector();
    for (const p of parts) write(p, c);
    return c.ints;
  });
  encoded.sort(compareInts);
  out.int(Tag.Unordered);
  out.int(kind);
  out.int(entries.length);
  for (const e of encoded) for (const x of e) out.int(x);
}

function compareInts(a: number[], b: number[]): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return a.length - b.length;
}

// ------------------------------------------------------------ the path

const SAFE_KEY = /^[A-Za-z_$][\w$]*$/;
const keyPath = (path: string, key: unknown) =>
  typeof key === 'string' && SAFE_KEY.test(key)
    ? `${path}.${key}`
    : `${path}[${typeof key === 'string' ? JSON.stringify(key) : String(key)}]`;

/** Where the first value the walk refuses sits, as a path; null if none (it was found elsewhere). */
function locate(v: unknown, path: string): UnencodableValueError | null {
  try {
    write(v, { int() {} });
    return null;
  } catch (e) {
    if (!(e instanceof Unencodable)) throw e;
  }
  if (typeof v !== 'object' || v === null) return new UnencodableValueError(path, `a ${typeof v}`);
  const children: [unknown, unknown][] =
    isCollection(v) || isRecord(v)
      ? [...(v as unknown as Collection<unknown, unknown>).entrySeq()]
      : Array.isArray(v)
        ? v.map((x, i) => [i, x])
        : v instanceof Map
          ? [...v].flatMap(([k, x]): [unknown, unknown][] => [
              [`(key ${String(k)})`, k],
              [k, x],
            ])
          : v instanceof Set
            ? [...v].map((x, i) => [`(element ${i})`, x])
            : isPlainObject(v)
              ? Object.entries(v)
              : [];
  for (const [k, x] of children) {
    const found = locate(x, keyPath(path, k));
    if (found !== null) return found;
  }
  const name = (v as { constructor?: { name?: unknown } }).constructor?.name;
  return new UnencodableValueError(
    path,
    typeof name === 'string' && name !== '' ? `a ${name} (class instance)` : 'an object with a prototype (class instance)',
  );
}
