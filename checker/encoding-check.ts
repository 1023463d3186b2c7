// The encoding is the checker's only notion of "the same state": two states
// with the same encoding are one. A model's own encode() that forgets a field
// would merge states silently and could turn a violation into "holds". And
// with a codec the search expands unpack(pack(s)), not s: a lossy unpack
// would check another system. So before a search, the checker explores the
// first states again on its own, keyed by their exact encoding, and tests
// every pair that shares an encoding with the model's own equality (its
// `equivalent`, by default valueEquals): a pair that is not equal is an
// EncodingClashError; and, when the model has a codec, every state it keeps
// against its own round trip under the same equality: one that comes back
// different is a CodecLossError. `encodingSample` bounds how many distinct
// states this looks at (Infinity: all of them, which keeps every state in
// memory); the search's result says how many it covered, and whether that
// was every reachable state.
import type { ActionDef, EncodingCheck, Model, Params } from './types.ts';
import { IntCollector } from './fingerprint.ts';
import { Int32Buffer } from './int-buffer.ts';
import { defaultEncoder } from './visited.ts';
import { forEachSuccessor, ModelFault } from './successors.ts';
import { CodecLossError, EncodingClashError, ModelCodeError, UnencodableValueError } from './errors.ts';
import { differenceOf, valueEquals } from './equal.ts';

export interface SelfCheck<S> {
  /** the first pair of states (in BFS order) that share an encoding but are not equivalent */
  readonly clash: { readonly first: S; readonly second: S } | null;
  /** the first state whose codec round trip is not equivalent to it */
  readonly loss: CodecLossError<S> | null;
  /** distinct states kept (and, with a codec, round-tripped) */
  readonly states: number;
  /** every reachable state was met: the sample was the whole space */
  readonly complete: boolean;
}

/** A value in a message: short, on one line. */
function shortly(v: unknown): string {
  let text: string;
  try {
    text =
      typeof v === 'bigint'
        ? `${v}n`
        : typeof v === 'number' && Object.is(v, -0)
          ? '-0'
          : v === undefined
            ? 'undefined'
            : (JSON.stringify(v) ?? String(v));
  } catch {
    text = String(v);
  }
  return text.length > 60 ? `${text.slice(0, 59)}…` : text;
}

/**
 * Explores the first `limit` distinct states (by the model's encoding) in BFS
 * order and tests the encoding, and the codec, on them. Stops at the first
 * problem. A throw from the model's own code stops it quietly: the search
 * proper reports it, with its trace.
 */
export function encodingSelfCheck<S>(model: Model<S>, limit: number): SelfCheck<S> {
  if (limit <= 0) return { clash: null, loss: null, states: 0, complete: false };
  const encode = model.encode ?? defaultEncoder<S>();
  const equivalent = model.equivalent ?? valueEquals;
  const codec = model.codec;
  const actions = model.actions as readonly ActionDef<S, Params>[];
  const keys = new IntCollector();
  const packed = new Int32Buffer(256);
  const seen = new Map<string, S>();
  const queue: S[] = [];
  const depths: number[] = [];
  let clash: { first: S; second: S } | null = null;
  let loss: CodecLossError<S> | null = null;
  let full = false;
  let depth = 0;
  const same = (a: S, b: S): boolean => {
    try {
      return equivalent(a, b);
    } catch (e) {
      throw new ModelCodeError('equivalent', e, [], null, null, null);
    }
  };
  /** The codec's round trip of s, compared with s; a throw is the model's (the search reports it). */
  const roundTrip = (s: S): void => {
    if (codec === undefined) return;
    let back: S;
    try {
      packed.clear();
      codec.pack(s, packed);
      back = codec.unpack(packed.data, 0);
    } catch (e) {
      throw new ModelFault('codec', e, null, s, null);
    }
    if (same(s, back)) return;
    const d = differenceOf(s, back);
    loss = new CodecLossError(s, back, d?.path ?? null, d === null ? '' : shortly(d.a), d === null ? '' : shortly(d.b), depth);
  };
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
        depths.push(depth);
        roundTrip(s);
      } else full = true;
      return loss !== null;
    }
    if (!same(known, s)) clash = { first: known, second: s };
    return clash !== null;
  };
  let head = 0;
  try {
    for (const s of model.init) if (meet(s)) return { clash, loss, states: seen.size, complete: false };
    for (; head < queue.length; head++) {
      depth = depths[head] + 1;
      forEachSuccessor(actions, queue[head], (_a, _p, next) => meet(next));
      if (clash !== null || loss !== null) return { clash, loss, states: seen.size, complete: false };
    }
  } catch (e) {
    // the model's own code threw: the search proper reports it, with its trace
    if (e instanceof ModelFault) return { clash: null, loss: null, states: seen.size, complete: false };
    throw e;
  }
  return { clash: null, loss: null, states: seen.size, complete: !full };
}

/** The first pair of states (in BFS order) that share an encoding but are not equivalent, or null. */
export function findEncodingClash<S>(model: Model<S>, limit: number): { first: S; second: S } | null {
  return encodingSelfCheck({ ...model, codec: undefined }, limit).clash;
}

/** Runs the self-check; throws an EncodingClashError or a CodecLossError; returns what it covered. */
export function assertEncodingSample<S>(model: Model<S>, limit: number): EncodingCheck {
  const r = encodingSelfCheck(model, limit);
  if (r.clash !== null) throw new EncodingClashError(r.clash.first, r.clash.second);
  if (r.loss !== null) throw r.loss;
  return {
    states: r.states,
    limit: Number.isFinite(limit) ? Math.max(0, limit) : null,
    complete: r.complete,
    codec: model.codec !== undefined && limit > 0,
  };
}
