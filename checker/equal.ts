// Value equality as a model's states understand it, the default `equivalent`
// of the encoding check: primitives by Object.is (so -0 is not 0, and NaN is
// NaN), plain objects and arrays and Immutable.js collections structurally
// (an Immutable collection holding a plain object compares it by content
// here, as the default encoding does, where Immutable.is would compare it by
// reference), native Set and Map by content, Date by time, and any other
// value object by its own equals(). It tells apart what the default encoding
// (encode.ts) tells apart: a hole from undefined, a List from a Stack or a
// Seq, an object without a prototype from a plain one, and two Record types
// even when they share a name and fields (a Record's type is its identity).
import { isCollection, isIndexed, isKeyed, isOrdered, isRecord, isValueObject, type Collection } from 'immutable';
import { immutableKind } from './encode.ts';

function isPlain(v: object): boolean {
  const proto = Object.getPrototypeOf(v) as unknown;
  return proto === Object.prototype || proto === null;
}

/** Every entry of `a` matched by a distinct equal entry of `b` (same sizes): unordered content equality. */
function sameMultiset(a: readonly unknown[][], b: readonly unknown[][]): boolean {
  if (a.length !== b.length) return false;
  const rest = b.slice();
  return a.every((x) => {
    const k = rest.findIndex((y) => x.length === y.length && x.every((v, i) => valueEquals(v, y[i])));
    return k >= 0 && rest.splice(k, 1).length === 1;
  });
}

function sameSequence(a: readonly unknown[][], b: readonly unknown[][]): boolean {
  return a.length === b.length && a.every((x, i) => x.length === b[i].length && x.every((v, j) => valueEquals(v, b[i][j])));
}

function sameArray(a: readonly unknown[], b: readonly unknown[]): boolean {
  if (a.length !== b.length) return false;
  // a for loop, not every(): every() skips holes, and a hole is not undefined
  for (let i = 0; i < a.length; i++) {
    const hole = !(i in a);
    if (hole !== !(i in b) || (!hole && !valueEquals(a[i], b[i]))) return false;
  }
  return true;
}

const entriesOf = (c: Collection<unknown, unknown>, keyed: boolean) => [...c.entrySeq()].map(([k, x]) => (keyed ? [k, x] : [x]));

export function valueEquals(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (isRecord(a) || isRecord(b)) {
    // the same Record type (its prototype is the type's), then the same values
    if (!isRecord(a) || !isRecord(b) || Object.getPrototypeOf(a) !== Object.getPrototypeOf(b)) return false;
    return sameSequence([...(a as unknown as Iterable<unknown[]>)], [...(b as unknown as Iterable<unknown[]>)]);
  }
  if (isCollection(a) || isCollection(b)) {
    if (!isCollection(a) || !isCollection(b)) return false;
    if (immutableKind(a) !== immutableKind(b)) return false;
    if (isKeyed(a) !== isKeyed(b) || isIndexed(a) !== isIndexed(b) || isOrdered(a) !== isOrdered(b)) return false;
    const ea = entriesOf(a as Collection<unknown, unknown>, isKeyed(a)),
      eb = entriesOf(b as Collection<unknown, unknown>, isKeyed(b));
    return isOrdered(a) || isIndexed(a) ? sameSequence(ea, eb) : sameMultiset(ea, eb);
  }
  if (Array.isArray(a) || Array.isArray(b)) return Array.isArray(a) && Array.isArray(b) && sameArray(a, b);
  if (a instanceof Date || b instanceof Date) return a instanceof Date && b instanceof Date && Object.is(a.getTime(), b.getTime());
  if (a instanceof Set || b instanceof Set)
    return (
      a instanceof Set &&
      b instanceof Set &&
      sameMultiset(
        [...a].map((x) => [x]),
        [...b].map((x) => [x]),
      )
    );
  if (a instanceof Map || b instanceof Map) return a instanceof Map && b instanceof Map && sameMultiset([...a], [...b]);
  if (isValueObject(a) || isValueObject(b)) return isValueObject(a) && a.equals(b);
  if (!isPlain(a) || !isPlain(b) || Object.getPrototypeOf(a) !== Object.getPrototypeOf(b)) return false;
  const ka = Object.keys(a),
    kb = Object.keys(b);
  const rb = b as { [k: string]: unknown },
    ra = a as { [k: string]: unknown };
  return ka.length === kb.length && ka.every((k) => Object.hasOwn(b, k) && valueEquals(ra[k], rb[k]));
}

// ------------------------------------------------------------ where they differ

/** Where two values differ, for messages: the path to the first differing part, and the two parts. */
export interface Difference {
  readonly path: string;
  readonly a: unknown;
  readonly b: unknown;
}

const SAFE_KEY = /^[A-Za-z_$][\w$]*$/;
const childPath = (path: string, key: unknown) =>
  typeof key === 'string' && SAFE_KEY.test(key)
    ? `${path}.${key}`
    : `${path}[${typeof key === 'string' ? JSON.stringify(key) : String(key)}]`;

/** The parts of a value a path can go into, by key; null for a value with none (a primitive, a set). */
function partsOf(v: unknown): Map<unknown, unknown> | null {
  if (typeof v !== 'object' || v === null || v instanceof Date || v instanceof Set) return null;
  if (isRecord(v)) return new Map([...(v as unknown as Iterable<[string, unknown]>)]);
  if (isCollection(v) && (isKeyed(v) || isIndexed(v))) return new Map([...(v as Collection<unknown, unknown>).entrySeq()]);
  if (isCollection(v)) return null;
  if (Array.isArray(v)) {
    // a hole is no part (its index is missing)
    const parts = new Map<unknown, unknown>();
    for (let i = 0; i < v.length; i++) if (i in v) parts.set(i, v[i]);
    return parts;
  }
  if (v instanceof Map) return new Map(v);
  return new Map(Object.entries(v));
}

/**
 * The first place where `a` and `b` differ, by valueEquals, descending into
 * the parts both have; null when valueEquals finds them equal.
 */
export function differenceOf(a: unknown, b: unknown, path = 'state'): Difference | null {
  if (valueEquals(a, b)) return null;
  const pa = partsOf(a),
    pb = partsOf(b);
  const sameKind =
    pa !== null &&
    pb !== null &&
    Object.getPrototypeOf(a) === Object.getPrototypeOf(b) &&
    (!isCollection(a) || immutableKind(a) === immutableKind(b));
  if (!sameKind) return { path, a, b };
  for (const [k, x] of pa) {
    if (!pb.has(k)) return { path: childPath(path, k), a: x, b: undefined };
    const found = differenceOf(x, pb.get(k), childPath(path, k));
    if (found !== null) return found;
  }
  for (const [k, y] of pb) if (!pa.has(k)) return { path: childPath(path, k), a: undefined, b: y };
  return { path, a, b };
}
