// Expansion of packed states, as a worker thread does it for the parallel
// search (parallel.ts): every transition of every state, in the fixed order,
// written as integers the coordinating thread reads back in that order.
//
// Per state: the number of transitions n, then n records of
//   action index, fingerprint lo, fingerprint hi,
//   index of the first invariant the target violates (-1: none; KNOWN: see
//   below; SELF: the target is the state itself, a self-loop, sent with a
//   zero fingerprint since the coordinator knows the state's id),
//   when the model has step properties: the index of the first one the
//   transition violates (-1: none), tested on every transition,
//   w, then the indices of the w pending witnesses the transition reaches,
//   and unless KNOWN: len, then the target's packing (len ints).
// When the model has liveness (leadsTo) properties, each record also carries,
// after the witness indices, the transition's fairness instance (0: not fair,
// else 1 + its index in this chunk's key table) and its p/q label words (one
// per 16 properties, see graph.ts); the chunk then ends with the key table
// (count, then each key as its length and char codes), then, with a model
// Symmetry, a table of frames (count, then each renaming, atoms ints; each
// record's frame, after its label words, is 1 + its index there) and, last,
// the offset where the key table starts. Instance keys are strings the coordinator interns
// in the order it reads the records, so ids come out as in the one-thread
// search whatever thread met a key first.
//
// Whether a target is new is only known to the coordinator, so invariants
// are tested on targets that may be known. But a target this worker has
// already sent in full (a small cache of fingerprints remembers) is known to
// the coordinator by the time it reads this record: it reads every record in
// order, and this worker's chunks come in order. Such a target is sent as
// KNOWN, without packing or invariants.
import { Fingerprinter } from './fingerprint.ts';
import type { Int32Buffer } from './int-buffer.ts';
import { forEachSuccessor, ModelFault } from './successors.ts';
import { evaluate, evaluateStep, isInvariant, isStepProperty, isWitness } from './ledger.ts';
import type { ActionDef, Model, Params, StateCodec, Step } from './types.ts';
import { FairnessKeys } from './fairness.ts';
import { isLeadsTo, labelWord } from './graph.ts';
import { defaultEncoder } from './visited.ts';
import { UnencodableValueError } from './errors.ts';
import { recordsWritten } from './encode.ts';

/** The record's target was sent in full before: the coordinator knows it. */
export const KNOWN = -2;
/** The record's target is the state being expanded (the effect returned its source): no fingerprint, nothing to look up. */
export const SELF = -3;
const CACHE_BITS = 18;

/**
 * The encoding wrote a Record, whose type it tells apart from others of the
 * same name and fields by the order this thread met them (encode.ts): another
 * thread may meet them in another order, so fingerprints might not agree
 * across threads. The search starts again on one thread (parallel.ts).
 */
export class RecordsNeedOneThread extends Error {
  constructor() {
    super('the states hold Immutable Records, encoded by type in the order a thread meets them: the search runs on one thread');
    this.name = 'RecordsNeedOneThread';
  }
}

/** The model's code threw while state `index` of a chunk was being expanded. */
export class ChunkFault {
  constructor(
    readonly index: number,
    readonly fault: ModelFault<unknown>,
  ) {}
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

/** `records`: recordsWritten() when this thread's search began (more afterwards: RecordsNeedOneThread). */
export function expander<S>(model: Model<S>, records = recordsWritten()): Expander {
  const codec = model.codec as StateCodec<S>;
  const encode = model.encode ?? defaultEncoder<S>();
  const actions = model.actions as readonly ActionDef<S, Params>[];
  const invariants = model.properties.filter(isInvariant<S>);
  const witnesses = model.properties.filter(isWitness<S>);
  const stepProperties = model.properties.filter(isStepProperty<S>);
  const checkSteps = stepProperties.length > 0;
  const liveness = model.properties.filter(isLeadsTo<S>);
  const groups = Math.ceil(liveness.length / 16);
  const fairness = new FairnessKeys(model);
  /** this chunk's instance keys, by first use */
  const keys = new Map<string, number>();
  // with a Symmetry: this chunk's frames (the renamings that take targets to their canonical form), by first use
  const symmetry = groups > 0 ? model.symmetry : undefined;
  const frames = new Map<string, number>();
  const frameList: Int32Array[] = [];
  const frame = new Int32Array(symmetry?.atoms ?? 0);
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
      // Object.is, not ===: a state -0 is not the state 0
      const self = Object.is(target, state);
      let lo = 0;
      let hi = 0;
      if (!self) {
        part = 'encode';
        fp.reset();
        encode(target, fp);
        fp.finish();
        lo = fp.lo;
        hi = fp.hi;
      }
      out.int(lo | 0);
      out.int(hi | 0);
      const slot = (lo & slotMask) * 2;
      const known = self || (sent[slot] === lo && sent[slot + 1] === hi);
      let violated = self ? SELF : known ? KNOWN : -1;
      for (let v = 0; v < invariants.length && violated === -1; v++) if (!evaluate(invariants[v], target, undefined)) violated = v;
      out.int(violated);
      const step: Step<S> | null = pending.length > 0 || groups > 0 || checkSteps ? { from: state, action: actions[a].name, params } : null;
      if (checkSteps) {
        let failed = -1;
        for (let v = 0; v < stepProperties.length && failed === -1; v++) if (!evaluateStep(stepProperties[v], step!, target)) failed = v;
        out.int(failed);
      }
      const hitsAt = out.length;
      out.int(0);
      if (pending.length > 0) for (const w of pending) if (evaluate(witnesses[w], target, step!)) out.int(w);
      out.set(hitsAt, out.length - hitsAt - 1);
      if (groups > 0) {
        const key = fairness.key(a, params);
        let local = key === null ? 0 : keys.get(key);
        if (local === undefined) keys.set(key!, (local = keys.size + 1));
        out.int(local);
        for (let g = 0; g < groups; g++) out.int(labelWord(liveness, g, target, step!) | 0);
        if (symmetry !== undefined) {
          part = 'encode';
          symmetry.canonical(target, frame);
          const fkey = String.fromCharCode.apply(null, frame as unknown as number[]);
          let f = frames.get(fkey);
          if (f === undefined) {
            frames.set(fkey, (f = frames.size + 1));
            frameList.push(Int32Array.from(frame));
          }
          out.int(f);
        }
      }
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
      keys.clear();
      frames.clear();
      frameList.length = 0;
      for (let k = 0; k < count; k++) {
        try {
          try {
            state = codec.unpack(ints, starts[k]);
          } catch (e) {
            throw new ModelFault('codec', e, null, null, null);
          }
          const countAt = out.length;
          out.int(0);
          out.set(countAt, forEachSuccessor(actions, state, visit));
        } catch (e) {
          if (e instanceof ModelFault) throw new ChunkFault(k, e as ModelFault<unknown>);
          throw e;
        }
      }
      if (recordsWritten() > records) throw new RecordsNeedOneThread();
      if (groups > 0) {
        const tableAt = out.length;
        out.int(keys.size);
        for (const key of keys.keys()) {
          out.int(key.length);
          for (let i = 0; i < key.length; i++) out.int(key.charCodeAt(i));
        }
        if (symmetry !== undefined) {
          out.int(frameList.length);
          for (const f of frameList) for (let i = 0; i < f.length; i++) out.int(f[i]);
        }
        out.int(tableAt);
      }
    },
  };
}
