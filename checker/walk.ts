// Random walks through a model, for simulation (simulate.ts): from an initial
// state, each step picks one of the enabled transitions, uniformly or by
// per-action weights, and takes it. Every transition invariant (`step`) is
// judged on every step and every state invariant (`always`) on every state,
// by the ledger's code and in its order (ledger.ts firstFailing), so the
// first to fail is the one the search and replay name; witnesses
// (`sometimes`) are judged until reached. When the model has
// liveness properties, a walk that comes back to a state it has been in
// gives a lasso (a stem, then the cycle between the two visits), and a state
// where no fair action is enabled gives one that stays there forever: each is
// judged as a behaviour by lasso.ts, and a fair one that violates a leadsTo
// property is a real counterexample. A walk that never closes a lasso judges
// no liveness property.
//
// Run r draws from its own generator (random.ts: master seed and r), so its
// walk is the same whichever thread takes it and whatever other runs did. A
// batch is a range of runs, walked in order by one thread; it stops at the
// first violation. What a batch adds to the tally is plain data (BatchResult)
// that crosses threads as it is.
import { encodeValue } from './encode.ts';
import { UnencodableValueError } from './errors.ts';
import { Fingerprinter } from './fingerprint.ts';
import { Int32Buffer } from './int-buffer.ts';
import { judgeLasso } from './lasso.ts';
import { evaluate, firstFailing, isInvariant, isStepProperty, isWitness } from './ledger.ts';
import { Random } from './random.ts';
import { bindingsOf, ModelFault } from './successors.ts';
import {
  DEADLOCK,
  type ActionDef,
  type InvariantProperty,
  type LeadsToProperty,
  type Model,
  type Params,
  type Step,
  type StepProperty,
  type TraceStep,
  type WitnessProperty,
} from './types.ts';
import { defaultEncoder, type Encoder } from './visited.ts';

/** How the walks are drawn: data, so that a worker thread walks the same walks. */
export interface WalkConfig {
  readonly seed: number;
  /** steps a walk takes at most (a swarm run draws its own, up to this) */
  readonly maxSteps: number;
  /**
   * the weight of each action's transitions, by action index (null: every
   * transition alike). A transition is picked with probability its weight over
   * the sum of the enabled ones'; weight 0 only when no enabled transition
   * weighs more.
   */
  readonly weights: readonly number[] | null;
  /** swarm: each run draws its own weights (each action off or on, and how much) and its own length */
  readonly swarm: boolean;
  /** judge the lassos walks close against the leadsTo properties (when the model has any) */
  readonly lassos: boolean;
}

/**
 * Lassos looked at per walk at most, lassos judged in full (fairness of the
 * cycle, the properties over the whole walk) per walk at most, and the
 * longest cycle looked at: bounds on the cost of judging.
 */
export const MAX_LASSOS_PER_WALK = 256;
export const MAX_JUDGED_PER_WALK = 16;
export const MAX_CYCLE = 256;

/** A violation a walk met: the property, the state's index in the walk, and for a lasso where its cycle starts. */
export interface WalkViolation {
  readonly property: string;
  readonly step: number;
  readonly loop: number | null;
}

/** What a batch of runs adds to the tally (plain data: it crosses threads). */
export interface BatchResult {
  readonly first: number;
  /** runs walked: the whole batch, or up to and including the one that found a violation */
  readonly runs: number;
  readonly steps: number;
  /** the longest walk's steps */
  readonly longest: number;
  /** lassos judged */
  readonly lassos: number;
  /** transitions taken, by action index */
  readonly fired: Float64Array;
  /** per witness (by index among the `sometimes` properties): the run and step that first reached it, or -1, -1 */
  readonly reached: Int32Array;
  /** the fingerprint (lo, hi) of every state the walks went through, initial states included */
  readonly fingerprints: Int32Array;
  readonly violation: (WalkViolation & { readonly run: number }) | null;
}

export interface Walk<S> {
  readonly steps: number;
  readonly violation: WalkViolation | null;
  /** the walk, initial state first */
  readonly trace: readonly TraceStep<S>[];
}

export class Walker<S> {
  private readonly actions: readonly ActionDef<S, Params>[];
  private readonly invariants: readonly InvariantProperty<S>[];
  /** transition invariants, judged on every step */
  private readonly stepProperties: readonly StepProperty<S>[];
  private readonly witnesses: readonly WitnessProperty<S>[];
  private readonly encode: Encoder<S>;
  private readonly fp = new Fingerprinter();
  private readonly exact = new Fingerprinter();
  /** per action: weakly or strongly fair (a state where none is enabled can be stayed in forever) */
  private readonly fair: readonly boolean[];
  /** per action: declared finite (a cycle that takes it is no behaviour that counts) */
  private readonly finite: readonly boolean[];
  private readonly leadsTo: readonly LeadsToProperty<S>[];
  /** the action index of each step of the walk (index 0 unused) */
  private taken: number[] = [];
  /** the exact key of each state of the walk (when lassos are judged) */
  private keys: number[] = [];
  /**
   * Cycles found unfair (by their states' exact keys): fairness is a matter of
   * the cycle alone, so a walk that goes round the same cycle again, or a later
   * walk that does, is not judged again. Bounded; cleared when full.
   */
  private readonly unfairCycles = new Set<string>();
  /** the model without properties: what judging a cycle's fairness alone needs */
  private readonly bare: Model<S>;
  private readonly lassos: boolean;
  /** witnesses this thread has not seen reached yet (see simulate.ts on why that keeps "first" exact) */
  private pending: number[];
  // the enabled transitions of the state being left
  private enabledAction = new Int32Array(64);
  private enabledParams: Params[] = [];
  private enabledWeight = new Float64Array(64);

  constructor(
    readonly model: Model<S>,
    readonly config: WalkConfig,
  ) {
    this.actions = model.actions as readonly ActionDef<S, Params>[];
    this.invariants = model.properties.filter(isInvariant<S>);
    this.stepProperties = model.properties.filter(isStepProperty<S>);
    this.witnesses = model.properties.filter(isWitness<S>);
    this.encode = model.encode ?? defaultEncoder<S>();
    this.fair = this.actions.map((a) => {
      const f = a.fairness;
      return f !== undefined && f !== 'finite';
    });
    this.finite = this.actions.map((a) => a.fairness === 'finite');
    this.leadsTo = model.properties.filter((p): p is LeadsToProperty<S> => p.kind === 'leadsTo');
    this.lassos = config.lassos && this.leadsTo.length > 0;
    this.bare = { ...model, properties: [] };
    this.pending = this.witnesses.map((_, i) => i);
  }

  /**
   * Walks runs first .. first+count-1 in order, stopping after the first that
   * violates a property. `interrupted` is polled between steps: when it says
   * so, the batch is abandoned (null). A throw from the model's code is a
   * ModelFault, with the run in `faultRun`.
   */
  batch(first: number, count: number, interrupted: () => boolean = () => false): BatchResult | null {
    const fired = new Float64Array(this.actions.length);
    const reached = new Int32Array(this.witnesses.length * 2).fill(-1);
    const fingerprints = new Int32Buffer(4096);
    let steps = 0,
      longest = 0;
    let violation: BatchResult['violation'] = null;
    let runs = 0;
    const out: WalkSink = { fired, reached, fingerprints, lassos: 0, interrupted };
    for (let r = first; r < first + count; r++) {
      this.faultRun = r;
      const walk = this.walk(r, out);
      if (walk === null) return null;
      runs++;
      steps += walk.steps;
      longest = Math.max(longest, walk.steps);
      if (walk.violation !== null) {
        violation = { ...walk.violation, run: r };
        break;
      }
    }
    return { first, runs, steps, longest, lassos: out.lassos, fired, reached, fingerprints: fingerprints.copy(), violation };
  }

  /** The run a ModelFault thrown by batch() happened in. */
  faultRun = -1;

  /** Run `run`'s walk, on its own (to rebuild the one that found a violation, or the one whose model code threw). */
  replayRun(run: number): Walk<S> {
    this.faultRun = run;
    // a scratch sink: nothing of it is kept
    const out: WalkSink = {
      fired: new Float64Array(this.actions.length),
      reached: new Int32Array(this.witnesses.length * 2).fill(-1),
      fingerprints: null,
      lassos: 0,
      interrupted: () => false,
    };
    const saved = this.pending;
    this.pending = [];
    try {
      return this.walk(run, out)!;
    } finally {
      this.pending = saved;
    }
  }

  /** The walk of run `run`; null when interrupted. The trace so far is `this.trace` (for a fault's report). */
  trace: TraceStep<S>[] = [];

  private walk(run: number, out: WalkSink): Walk<S> | null {
    const { model, config, actions } = this;
    const rng = Random.forRun(config.seed, run);
    // a swarm run's own weights and length, drawn first
    let weights = config.weights;
    let maxSteps = config.maxSteps;
    if (config.swarm) {
      const base = config.weights;
      weights = actions.map((_, a) => (rng.below(2) === 0 ? 0 : (base?.[a] ?? 1) * 2 ** rng.below(4)));
      const least = Math.ceil(config.maxSteps / 4);
      maxSteps = least + rng.below(config.maxSteps - least + 1);
    }
    const initial = model.init[model.init.length === 1 ? 0 : rng.below(model.init.length)];
    const trace: TraceStep<S>[] = [{ action: null, params: {}, state: initial }];
    this.trace = trace;
    this.taken = [-1];
    // a lasso closes where the walk comes back to a state: the last index of each state so far, by exact fingerprint
    const seen = this.lassos ? new Map<number, number>() : null;
    const lassos = { looked: 0, judged: 0 };

    let state = initial;
    let violated = this.firstFailing(state, undefined);
    this.witness(run, 0, state, undefined, out);
    this.fingerprint(state, out);
    if (violated !== null) return { steps: 0, violation: { property: violated, step: 0, loop: null }, trace };
    if (seen !== null) {
      const key = this.exactKey(state);
      seen.set(key, 0);
      this.keys = [key];
    }

    for (let k = 1; ; k++) {
      if ((k & 1023) === 0 && out.interrupted()) return null;
      const n = this.enabled(state, weights);
      if (n === 0) {
        if (model.deadlockIsError !== false)
          return { steps: k - 1, violation: { property: DEADLOCK.name, step: k - 1, loop: null }, trace };
      }
      // nothing weakly or strongly fair enabled: the behaviour may stay here forever
      if (seen !== null && !this.fairEnabled(n)) {
        const found = this.examine(trace, k - 1, lassos, out);
        if (found !== null) return { steps: k - 1, violation: { property: found, step: k - 1, loop: k - 1 }, trace };
      }
      if (n === 0 || k > maxSteps) return { steps: k - 1, violation: null, trace };

      const pick = this.pick(n, rng, weights);
      const a = this.enabledAction[pick];
      const params = this.enabledParams[pick];
      const action = actions[a];
      const from = state;
      try {
        state = action.effect(from, params);
      } catch (e) {
        throw new ModelFault('effect', e, { from, action: action.name, params }, null, null);
      }
      const step: Step<S> = { from, action: action.name, params };
      trace.push({ action: action.name, params, state });
      this.taken.push(a);
      out.fired[a]++;
      this.witness(run, k, state, step, out);
      violated = this.firstFailing(state, step);
      this.fingerprint(state, out, step);
      if (violated !== null) return { steps: k, violation: { property: violated, step: k, loop: null }, trace };
      if (seen !== null) {
        const key = this.exactKey(state, step);
        const before = seen.get(key);
        seen.set(key, k);
        this.keys.push(key);
        if (before !== undefined && k - before <= MAX_CYCLE) {
          const found = this.examine(trace, before, lassos, out);
          if (found !== null) return { steps: k, violation: { property: found, step: k, loop: before }, trace };
        }
      }
    }
  }

  /**
   * The first leadsTo property the lasso trace[0..] (its cycle from `loop`)
   * violates, if it is a fair behaviour; else null. Cheap refusals first: a
   * cycle that takes a finite action is no behaviour that counts, and one on
   * which every property's q holds violates none; what is left is judged in
   * full by lasso.ts.
   */
  private examine(trace: readonly TraceStep<S>[], loop: number, count: { looked: number; judged: number }, out: WalkSink): string | null {
    if (count.looked >= MAX_LASSOS_PER_WALK || count.judged >= MAX_JUDGED_PER_WALK) return null;
    count.looked++;
    out.lassos++;
    const last = trace.length - 1;
    for (let j = loop + 1; j <= last; j++) if (this.finite[this.taken[j]]) return null;
    // p and q at position j of the trace (on the state and the step into it; none for the initial state)
    const at = (p: LeadsToProperty<S>, which: 'p' | 'q', j: number): boolean => {
      const step: Step<S> | undefined =
        j === 0 ? undefined : { from: trace[j - 1].state, action: trace[j].action!, params: trace[j].params };
      try {
        return p[which](trace[j].state, step);
      } catch (e) {
        throw new ModelFault('property', e, step ?? null, trace[j].state, p.name);
      }
    };
    // violated on this lasso (fair or not): q on no entry of the cycle, and p at a position with no q from there on
    const violated = this.leadsTo.some((p) => {
      for (let j = loop + 1; j <= last; j++) if (at(p, 'q', j)) return false;
      for (let j = loop + 1; j <= last; j++) if (at(p, 'p', j)) return true;
      for (let j = loop; j >= 0; j--) {
        if (at(p, 'q', j)) return false;
        if (at(p, 'p', j)) return true;
      }
      return false;
    });
    if (!violated) return null;
    // counted whether the cache answers or not: the cache is this thread's (it depends on the
    // batches this thread walked before), and what a walk judges must not depend on it
    count.judged++;
    const cycle = this.cycleKey(loop, last);
    if (this.unfairCycles.has(cycle)) return null;
    // fairness first, on the model without its properties (lasso.ts judges every property over the whole walk)
    const fairness = judgeLasso(this.bare, trace, loop);
    if (!fairness.closes) return null;
    if (fairness.unfair.length > 0) {
      if (this.unfairCycles.size >= 1 << 16) this.unfairCycles.clear();
      this.unfairCycles.add(cycle);
      return null;
    }
    const j = judgeLasso(this.model, trace, loop);
    return j.closes && j.unfair.length === 0 && j.violates.length > 0 ? j.violates[0] : null;
  }

  /** The cycle's identity: its states' exact keys, from the entry (a stutter: the one state). */
  private cycleKey(loop: number, last: number): string {
    let h1 = 0x811c9dc5,
      h2 = 0x01000193;
    for (let j = loop; j <= Math.max(loop, last - 1); j++) {
      const key = this.keys[j];
      const lo = key % 4294967296,
        hi = Math.floor(key / 4294967296);
      h1 = Math.imul(h1 ^ lo, 0x01000193) ^ hi;
      h2 = Math.imul(h2 ^ hi, 0x85ebca6b) ^ lo;
    }
    return `${this.keys[loop]}:${last - loop}:${h1 >>> 0}:${h2 >>> 0}`;
  }

  /** Collects the enabled transitions of `state` (in the fixed order) and their weights; returns how many. */
  private enabled(state: S, weights: readonly number[] | null): number {
    const actions = this.actions;
    let n = 0;
    for (let a = 0; a < actions.length; a++) {
      const action = actions[a];
      for (const params of bindingsOf(action, state)) {
        let on: boolean;
        try {
          on = action.guard(state, params);
        } catch (e) {
          throw new ModelFault('guard', e, { from: state, action: action.name, params }, null, null);
        }
        if (!on) continue;
        if (n === this.enabledAction.length) this.grow();
        this.enabledAction[n] = a;
        this.enabledParams[n] = params;
        this.enabledWeight[n] = weights === null ? 1 : weights[a];
        n++;
      }
    }
    return n;
  }

  private grow(): void {
    const action = new Int32Array(this.enabledAction.length * 2);
    action.set(this.enabledAction);
    const weight = new Float64Array(this.enabledWeight.length * 2);
    weight.set(this.enabledWeight);
    this.enabledAction = action;
    this.enabledWeight = weight;
  }

  private fairEnabled(n: number): boolean {
    for (let i = 0; i < n; i++) if (this.fair[this.enabledAction[i]]) return true;
    return false;
  }

  /** Index of the transition taken among the n enabled: uniform, or by weight (uniform when all weigh 0). */
  private pick(n: number, rng: Random, weights: readonly number[] | null): number {
    if (weights === null) return rng.below(n);
    let total = 0;
    for (let i = 0; i < n; i++) total += this.enabledWeight[i];
    if (total === 0) return rng.below(n);
    const u = rng.float() * total;
    let sum = 0;
    for (let i = 0; i < n; i++) {
      sum += this.enabledWeight[i];
      if (u < sum) return i;
    }
    // rounding: the last transition with a weight
    for (let i = n - 1; i >= 0; i--) if (this.enabledWeight[i] > 0) return i;
    return n - 1;
  }

  /** The first transition invariant (on a step) or invariant that fails, as the search judges them; null when all hold. */
  private firstFailing(state: S, step: Step<S> | undefined): string | null {
    return firstFailing(this.invariants, this.stepProperties, state, step);
  }

  private witness(run: number, k: number, state: S, step: Step<S> | undefined, out: WalkSink): void {
    const pending = this.pending;
    if (pending.length === 0) return;
    let kept = 0;
    for (const w of pending) {
      const hit = evaluate(this.witnesses[w], state, step);
      if (hit && out.reached[w * 2] < 0) {
        out.reached[w * 2] = run;
        out.reached[w * 2 + 1] = k;
      }
      if (!hit) pending[kept++] = w;
    }
    pending.length = kept;
  }

  private fingerprint(state: S, out: WalkSink, step?: Step<S>): void {
    if (out.fingerprints === null) return;
    const fp = this.fp;
    fp.reset();
    try {
      this.encode(state, fp);
    } catch (e) {
      if (e instanceof UnencodableValueError) throw e;
      throw new ModelFault('encode', e, step ?? null, state, null);
    }
    fp.finish();
    out.fingerprints.int(fp.lo | 0);
    out.fingerprints.int(fp.hi | 0);
  }

  /**
   * A state's exact identity (no symmetry: a lasso must close on the very
   * state), as 53 bits of a fingerprint of its codec packing or structural
   * encoding. A clash only costs a judgement: judgeLasso tests closure exactly.
   */
  private exactKey(state: S, step?: Step<S>): number {
    const fp = this.exact;
    fp.reset();
    try {
      if (this.model.codec) this.model.codec.pack(state, fp);
      else encodeValue(state, fp);
    } catch (e) {
      if (e instanceof UnencodableValueError) throw e;
      throw new ModelFault(this.model.codec ? 'codec' : 'encode', e, step ?? null, state, null);
    }
    fp.finish();
    return (fp.hi & 0x1fffff) * 4294967296 + fp.lo;
  }
}

interface WalkSink {
  readonly fired: Float64Array;
  readonly reached: Int32Array;
  /** null: not recorded (a run walked again on its own) */
  readonly fingerprints: Int32Buffer | null;
  lassos: number;
  readonly interrupted: () => boolean;
}
