// A state as plain data, for reports and exports: the model's own view when
// it has one, else the state itself made plain. Plain means JSON, with the
// Informal Trace Format's tags where JSON has no form of its own: a set is
// {"#set": [...]}, a map {"#map": [[key, value], ...]}, a big integer
// {"#bigint": "..."}, and anything else that is not data {"#unserializable":
// "..."} (functions, symbols, class instances, undefined). An object whose
// own keys start with '#' becomes a #map, so it is never read as a tag.
import { isCollection, isIndexed, isKeyed, isRecord, type Collection } from 'immutable';

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v) as unknown;
  return proto === Object.prototype || proto === null;
}

/** Whether v is one of the tagged forms above (a single '#'-key object). */
export function tagOf(v: unknown): '#set' | '#map' | '#bigint' | '#unserializable' | null {
  if (!isPlainObject(v)) return null;
  const keys = Object.keys(v);
  if (keys.length !== 1) return null;
  const k = keys[0];
  return k === '#set' || k === '#map' || k === '#bigint' || k === '#unserializable' ? k : null;
}

export function plain(v: unknown): unknown {
  switch (typeof v) {
    case 'string':
    case 'boolean':
      return v;
    case 'number':
      return Number.isFinite(v) ? v : { '#unserializable': String(v) };
    case 'bigint':
      return { '#bigint': v.toString() };
    case 'undefined':
      return { '#unserializable': 'undefined' };
    case 'object':
      if (v === null) return null;
      if (isRecord(v)) return Object.fromEntries([...(v as unknown as Iterable<[string, unknown]>)].map(([k, x]) => [k, plain(x)]));
      if (isCollection(v)) {
        const c = v as Collection<unknown, unknown>;
        if (isKeyed(v)) return { '#map': [...c.entrySeq()].map(([k, x]) => [plain(k), plain(x)]) };
        if (isIndexed(v)) return [...c.valueSeq()].map(plain);
        // an (ordered) set: its order is kept as the set's listing order
        return { '#set': [...c.valueSeq()].map(plain) };
      }
      if (Array.isArray(v)) return v.map(plain);
      if (v instanceof Set) return { '#set': [...v].map(plain) };
      if (v instanceof Map) return { '#map': [...v].map(([k, x]) => [plain(k), plain(x)]) };
      if (v instanceof Date) return { '#unserializable': v.toISOString() };
      if (isPlainObject(v)) {
        const entries = Object.entries(v).filter(([, x]) => x !== undefined);
        if (entries.some(([k]) => k.startsWith('#'))) return { '#map': entries.map(([k, x]) => [k, plain(x)]) };
        return Object.fromEntries(entries.map(([k, x]) => [k, plain(x)]));
      }
      return { '#unserializable': String(v) };
    default:
      return { '#unserializable': String(v) };
  }
}
