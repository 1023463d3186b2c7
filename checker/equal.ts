// Value equality as a model's states understand it: Immutable.js value
// objects by Immutable.is (their own equals), plain objects and arrays
// structurally, native Set and Map by content, Date by time. The encoding
// check compares states with it (or with the model's own `equivalent`).
import { is, isImmutable, isValueObject } from 'immutable';

function isPlain(v: object): boolean {
  const proto = Object.getPrototypeOf(v) as unknown;
  return proto === Object.prototype || proto === null;
}

export function valueEquals(a: unknown, b: unknown): boolean {
  if (Object.is(a, b) || (a === 0 && b === 0)) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (isImmutable(a) || isImmutable(b) || isValueObject(a) || isValueObject(b)) return is(a, b);
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((x, i) => valueEquals(x, b[i]));
  }
  if (a instanceof Date || b instanceof Date) return a instanceof Date && b instanceof Date && Object.is(a.getTime(), b.getTime());
  if (a instanceof Set || b instanceof Set) {
    if (!(a instanceof Set && b instanceof Set) || a.size !== b.size) return false;
    const rest = [...b];
    return [...a].every((x) => {
      const k = rest.findIndex((y) => valueEquals(x, y));
      return k >= 0 && rest.splice(k, 1).length === 1;
    });
  }
  if (a instanceof Map || b instanceof Map) {
    if (!(a instanceof Map && b instanceof Map) || a.size !== b.size) return false;
    const rest = [...b];
    return [...a].every(([k, x]) => {
      const j = rest.findIndex(([l, y]) => valueEquals(k, l) && valueEquals(x, y));
      return j >= 0 && rest.splice(j, 1).length === 1;
    });
  }
  if (!isPlain(a) || !isPlain(b)) return false;
  const ka = Object.keys(a), kb = Object.keys(b);
  const rb = b as Record<string, unknown>, ra = a as Record<string, unknown>;
  return ka.length === kb.length && ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && valueEquals(ra[k], rb[k]));
}
