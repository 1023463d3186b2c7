// The encoding is the checker's only notion of "the same state": two states
// with the same encoding are one. A model's own encode() that forgets a field
// would merge states silently and could turn a violation into "holds". So
// before a search, the checker explores the first states again on its own,
// keyed by their exact encoding, and tests every pair that shares an encoding
// with the model's own equality (its `equivalent`, by default Immutable.is /
// deep equality): a pair that is not equal is an EncodingClashError.
// `encodingSample` bounds how many distinct states this looks at (Infinity:
// all of them, which keeps every state in memory: a debugging aid).
import type { ActionDef, Model, Params } from './types.ts';
import { IntCollector } from './fingerprint.ts';
import { defaultEncoder } from './visited.ts';
import { forEachSuccessor, ModelFault } from './successors.ts';
import { EncodingClashError, ModelCodeError, UnencodableValueError } from './errors.ts';
import { valueEquals } from './equal.ts';

/** The first pair of states (in BFS order) that share an encoding but are not equivalent, or null. */
export function findEncodingClash<S>(model: Model<S>, limit: number): { first: S; second: S } | null {
  if (limit <= 0) return null;
  const encode = model.encode ?? defaultEncoder<S>();
  const equivalent = model.equivalent ?? valueEquals;
  const actions = model.actions as readonly ActionDef<S, Params>[];
  const keys = new IntCollector();
  const seen = new Map<string, S>();
  const queue: S[] = [];
  let clash: { first: S; second: S } | null = null;
  const meet = (s: S): boolean => {
    try {
      encode(s, keys);
    } catch (e) {
      if (e instanceof UnencodableValueError) throw e;
      // the model's own encode threw: the search proper reports it, with its trace
      throw new ModelFault('encode', e, null, s, null);
    }
    const key = keys.take();
    const known = seen.get(key);
    if (known === undefined) {
      if (seen.size < limit) {
        seen.set(key, s);
        queue.push(s);
      }
      return false;
    }
    let same: boolean;
    try {
      same = equivalent(known, s);
    } catch (e) {
      throw new ModelCodeError('equivalent', e, [], null, null, null);
    }
    if (!same) clash = { first: known, second: s };
    return clash !== null;
  };
  try {
    for (const s of model.init) if (meet(s)) return clash;
    for (let head = 0; head < queue.length; head++) {
      forEachSuccessor(actions, queue[head], (_a, _p, next) => meet(next));
      if (clash !== null) return clash;
    }
  } catch (e) {
    // the model's own code threw: the search proper reports it, with its trace
    if (e instanceof ModelFault) return null;
    throw e;
  }
  return null;
}

export function assertEncodingSample<S>(model: Model<S>, limit: number): void {
  const clash = findEncodingClash(model, limit);
  if (clash !== null) throw new EncodingClashError(clash.first, clash.second);
}
