// Value equality as a model's states understand it, the default `equivalent`
// of the encoding check: primitives by value, plain objects and arrays and
// Immutable.js collections structurally (an Immutable collection holding a
// plain object compares it by content here, as the default encoding does,
// where Immutable.is would compare it by reference), native Set and Map by
// content, Date by time, and any other value object by its own equals().
import { isCollection, isIndexed, isKeyed, isOrdered, isRecord, isValueObject, Record, type Collection } from 'immutable';

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

export function valueEquals(a: unknown, b: unknown): boolean {
  if (Object.is(a, b) || (a === 0 && b === 0)) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (isRecord(a) || isRecord(b)) {
    if (!isRecord(a) || !isRecord(b) || Record.getDescriptiveName(a as never) !== Record.getDescriptiveName(b as never)) return false;
    return sameSequence([...(a as unknown as Iterable<unknown[]>)], [...(b as unknown as Iterable<unknown[]>)]);
  }
  if (isCollection(a) || isCollection(b)) {
    if (!isCollection(a) || !isCollection(b)) return false;
    if (isKeyed(a) !== isKeyed(b) || isIndexed(a) !== isIndexed(b) || isOrdered(a) !== isOrdered(b)) return false;
    const entries = (c: Collection<unknown, unknown>, keyed: boolean) => [...c.entrySeq()].map(([k, x]) => (keyed ? [k, x] : [x]));
    const ea = entries(a as Collection<unknown, unknown>, isKeyed(a)),
      eb = entries(b as Collection<unknown, unknown>, isKeyed(b));
    return isOrdered(a) || isIndexed(a) ? sameSequence(ea, eb) : sameMultiset(ea, eb);
  }
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((x, i) => valueEquals(x, b[i]));
  }
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
  if (!isPlain(a) || !isPlain(b)) return false;
  const ka = Object.keys(a),
    kb = Object.keys(b);
  const rb = b as { [k: string]: unknown },
    ra = a as { [k: string]: unknown };
  return ka.length === kb.length && ka.every((k) => Object.hasOwn(b, k) && valueEquals(ra[k], rb[k]));
}
