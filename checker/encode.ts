// The default state encoding: a structural walk over Immutable.js values
// (and plain JS values), so that equal values encode equally. Unordered
// collections (Map, Set, plain objects) are written in a sorted order.
import { isCollection, isIndexed, isKeyed, isOrdered, isRecord, Record, type Collection } from 'immutable';
import type { IntSink } from './types.ts';
import { IntCollector } from './fingerprint.ts';

const enum Tag { Int = 1, Float, False, True, Null, Undefined, Str, Rec, Seq, Keyed, Unordered }

const f64 = new Float64Array(1);
const i32 = new Int32Array(f64.buffer);

export function encodeValue(v: unknown, out: IntSink): void {
  if (typeof v === 'number') {
    if (Number.isInteger(v) && v >= -0x80000000 && v <= 0x7fffffff) {
      out.int(Tag.Int);
      out.int(v);
    } else {
      f64[0] = v;
      out.int(Tag.Float);
      out.int(i32[0]);
      out.int(i32[1]);
    }
  } else if (typeof v === 'boolean') out.int(v ? Tag.True : Tag.False);
  else if (v === null) out.int(Tag.Null);
  else if (v === undefined) out.int(Tag.Undefined);
  else if (typeof v === 'string') {
    out.int(Tag.Str);
    out.int(v.length);
    for (let i = 0; i < v.length; i++) out.int(v.charCodeAt(i));
  } else if (isRecord(v)) {
    // a Record is its type's name and field names, then its values: two
    // Record types with different names or fields never encode alike
    const fields = v as unknown as Iterable<[string, unknown]>;
    out.int(Tag.Rec);
    encodeValue(Record.getDescriptiveName(v as never), out);
    for (const [key, x] of fields) {
      encodeValue(key, out);
      encodeValue(x, out);
    }
  } else if (isCollection(v) && (isIndexed(v) || isOrdered(v))) {
    // Lists, OrderedSets and OrderedMaps: their order is part of their value
    const c = v as Collection<unknown, unknown>;
    out.int(isKeyed(v) ? Tag.Keyed : Tag.Seq);
    out.int(c.count());
    if (isKeyed(v)) for (const [k, x] of c.entrySeq()) { encodeValue(k, out); encodeValue(x, out); }
    else for (const x of c.valueSeq()) encodeValue(x, out);
  } else if (isCollection(v)) {
    const c = v as Collection<unknown, unknown>;
    const keyed = isKeyed(v);
    writeSorted(c.entrySeq().map(([k, x]) => (keyed ? [k, x] : [x])).toArray(), c.count(), out);
  } else if (Array.isArray(v)) {
    out.int(Tag.Seq);
    out.int(v.length);
    for (const x of v) encodeValue(x, out);
  } else if (typeof v === 'object') {
    const o = v as { readonly [key: string]: unknown };
    const keys = Object.keys(o);
    writeSorted(keys.map((k) => [k, o[k]]), keys.length, out);
  } else {
    throw new TypeError(`cannot encode a value of type ${typeof v}`);
  }
}

/** Entries of an unordered collection, each encoded on its own, then emitted in sorted order. */
function writeSorted(entries: unknown[][], size: number, out: IntSink): void {
  const encoded = entries.map((parts) => {
    const c = new IntCollector();
    for (const p of parts) encodeValue(p, c);
    return c.ints;
  });
  encoded.sort(compareInts);
  out.int(Tag.Unordered);
  out.int(size);
  for (const e of encoded) for (const x of e) out.int(x);
}

function compareInts(a: number[], b: number[]): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return a.length - b.length;
}
