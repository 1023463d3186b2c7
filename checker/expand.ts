// Expansion of packed states, as a worker thread does it for the parallel
// search (parallel.ts): every transition of every state, in the fixed order,
// written as integers the coordinating thread reads back in that order.
//
// Per state: the number of transitions n, then n records of
//   action index, fingerprint lo, fingerprint hi,
//   index of the first invariant the target violates (-1: none; KNOWN: see below),
//   w, then the indices of the w pending witnesses the transition reaches,
//   and unless KNOWN: len, then the target's packing (len ints).
// Whether a target is new is only known to the coordinator, so invariants
// are tested on targets that may be known. But a target this worker has
// already sent in full (a small cache of fingerprints remembers) is known to
// the coordinator by the time it reads this record: it reads every record in
// order, and this worker's chunks come in order. Such a target is sent as
// KNOWN, without packing or invariants.
import { Fingerprinter } from './fingerprint.ts';
import type { Int32Buffer } from './int-buffer.ts';
import { forEachSuccessor, ModelFault } from './successors.ts';
import { evaluate } from './ledger.ts';
import type { ActionDef, Model, Params, Property, StateCodec } from './types.ts';
import { defaultEncoder } from './visited.ts';
import { UnencodableValueError } from './errors.ts';

/** The record's target was sent in full before: the coordinator knows it. */
export const KNOWN = -2;
const CACHE_BITS = 18;

/** The model's code threw while state `index` of a chunk was being expanded. */
export class ChunkFault {
  constructor(readonly index: number, readonly fault: ModelFault<unknown>) {}
}

export interface Expander {
  /**
   * Expands the `count` states packed in `ints` (state k starts at
   * starts[k]) into `out`; `pending` lists the indices (among the model's
   * `sometimes` properties) of the witnesses not reached yet. A throw from
   * the model's code is a ChunkFault.
   */
  expand(ints: Int32Array, starts: Int32Array, count: number, pending: readonly number[], out: Int32Buffer): void;
}

export function expander<S>(model: Model<S>): Expander {
  const codec = model.codec as StateCodec<S>;
  const encode = model.encode ?? defaultEncoder<S>();
  const actions = model.actions as readonly ActionDef<S, Params>[];
  const invariants = model.properties.filter((p) => p.kind === 'always');
  const witnesses: readonly Property<S>[] = model.properties.filter((p) => p.kind === 'sometimes');
  const fp = new Fingerprinter();
  // direct-mapped: slot (lo mod 2^18) holds the last fingerprint sent in full there
  const sent = new Uint32Array(2 << CACHE_BITS);
  const slotMask = (1 << CACHE_BITS) - 1;
  // the state being expanded, for the visitor
  let state: S;
  let out: Int32Buffer;
  let pending: readonly number[] = [];
  let part: 'encode' | 'codec' = 'encode';
  const visit = (a: number, params: Params, target: S): void => {
    try {
      out.int(a);
      part = 'encode';
      fp.reset();
      encode(target, fp);
      fp.finish();
      const { lo, hi } = fp;
      out.int(lo | 0);
      out.int(hi | 0);
      const slot = (lo & slotMask) * 2;
      const known = sent[slot] === lo && sent[slot + 1] === hi;
      let violated = known ? KNOWN : -1;
      for (let v = 0; v < invariants.length && violated === -1; v++) if (!evaluate(invariants[v], target, undefined)) violated = v;
      out.int(violated);
      const hitsAt = out.length;
      out.int(0);
      if (pending.length > 0) {
        const step = { from: state, action: actions[a].name, params };
        for (const w of pending) if (evaluate(witnesses[w], target, step)) out.int(w);
      }
      out.set(hitsAt, out.length - hitsAt - 1);
      if (known) return;
      sent[slot] = lo;
      sent[slot + 1] = hi;
      const lenAt = out.length;
      out.int(0);
      part = 'codec';
      codec.pack(target, out);
      out.set(lenAt, out.length - lenAt - 1);
    } catch (e) {
      if (e instanceof UnencodableValueError) throw e;
      const fault = e instanceof ModelFault ? e : new ModelFault<S>(part, e, null, target, null);
      fault.step ??= { from: state, action: actions[a].name, params };
      fault.target ??= target;
      throw fault;
    }
  };
  return {
    expand(ints, starts, count, pendingWitnesses, buffer) {
      out = buffer;
      pending = pendingWitnesses;
      for (let k = 0; k < count; k++) {
        try {
          state = codec.unpack(ints, starts[k]);
          const countAt = out.length;
          out.int(0);
          out.set(countAt, forEachSuccessor(actions, state, visit));
        } catch (e) {
          if (e instanceof ModelFault) throw new ChunkFault(k, e as ModelFault<unknown>);
          throw e;
        }
      }
    },
  };
}
