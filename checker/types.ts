// The checker's public vocabulary. A model is a plain value; the checker
// never knows what a state means, only how to step, encode and test it.
import type { MemoryOptions, MemoryUse } from './spill.ts';

/** Parameters of one action instance ("which user, which meeting"). They show in traces. */
export type Params = Readonly<Record<string, string | number | boolean>>;

/** Receives the integers that make up a state's canonical encoding. */
export interface IntSink {
  /** Any safe integer (|x| < 2^53), taken exactly; anything else is an error (encode other values with encodeValue). */
  int(x: number): void;
}

/**
 * Fairness of an action, for liveness (`leadsTo`) properties. It applies per
 * *instance*: the action with its binding restricted to the parameters named
 * in `per` (default: all of them). So `{ kind: 'weak', per: ['user'] }` on an
 * action with params {user, tab} makes "this action, for user u, any tab" one
 * instance. An instance is enabled in a state iff some binding with those key
 * values has its guard true there; a transition of the action with those key
 * values takes it.
 *   weak:   no behaviour keeps the instance enabled forever from some point on
 *           without taking it (it must be taken, or be disabled now and then);
 *   strong: no behaviour has it enabled infinitely often without taking it
 *           infinitely often.
 * Without fairness an action may simply never be taken again (a behaviour may
 * stop, i.e. stutter forever, wherever no fair instance is enabled).
 *   finite: the opposite assumption, for an environment that eventually stops
 *           (TLA+'s hypothesis <>[][~A]_vars): only behaviours that take the
 *           action finitely often count, so a liveness counterexample's cycle
 *           never takes it (its stem may). Say so wherever a verdict is
 *           reported: it narrows what "holds" means.
 */
export type Fairness = 'weak' | 'strong' | 'finite' | { readonly kind: 'weak' | 'strong'; readonly per: readonly string[] };

/**
 * A guarded action. `params` lists the bindings to try, in a fixed order
 * (that order, then declaration order, is the tie-break between equally short
 * traces). Bindings are values: the checker freezes each binding object the
 * first time it meets it (so a model that changes a binding it handed out
 * gets a TypeError at that line), and a params() that hands out the same
 * object twice in a row is a model error. `guard` is read-only; `effect` is
 * only called when the guard holds.
 */
export interface ActionDef<S, P extends Params = Params> {
  readonly name: string;
  readonly params?: (state: S) => Iterable<P>;
  readonly guard: (state: S, params: P) => boolean;
  readonly effect: (state: S, params: P) => S;
  /** fairness for liveness properties (default: none, the action may be neglected forever) */
  readonly fairness?: Fairness;

  // The action's own words. The checker never reads them; reports, exports
  // and replay ask the model through them, so adding an action is one edit.
  /** Every binding `params` can ever yield (in any state), for checking a scenario before it runs. */
  readonly domain?: readonly P[];
  /** One line saying what the step did, in the model's words (default: the model's describe, then name(params)). */
  readonly describe?: (step: Step<S>, to: S) => string;
  /**
   * Why the step is not enabled in the last state of `trace` (a run from an
   * initial state), in the model's words; null when it sees no reason.
   */
  readonly explain?: (trace: readonly TraceStep<S>[], params: P) => string | null;
  /** How the step travels in a sequence diagram (lanes are the model's `lanes`). */
  readonly arrow?: (params: P) => Arrow;
  /** This action is the passage of one unit of time (traces count them: t = ...). */
  readonly clock?: boolean;
}

/** A diagram lane (a participant of a sequence diagram). */
export interface Lane {
  readonly id: string;
  readonly label: string;
  /** drawn even when no step of the trace uses it */
  readonly always?: boolean;
}

/**
 * A step in a sequence diagram: a message from one lane to another
 * ('request' a solid arrow, 'reply' a dashed one, 'lost' a cross), a note
 * over one lane, or a note across all of them.
 */
export type Arrow =
  | { readonly from: string; readonly to: string; readonly style: 'request' | 'reply' | 'lost' }
  | { readonly over: string }
  | { readonly across: true };

/** Who and what break a property, in the model's words (for a violation's last state). */
export interface Explanation {
  readonly text: string;
  /** the parts involved, by kind, e.g. users u1, u2 (tabs u1#1, u2#1); meetings M1 */
  readonly involved: readonly {
    readonly label: string;
    readonly items: readonly string[];
    /** a finer list shown beside the items, named in the singular or the plural */
    readonly detail?: { readonly one: string; readonly many: string; readonly items: readonly string[] };
  }[];
}

/** One transition, as properties and traces see it. */
export interface Step<S> {
  readonly from: S;
  readonly action: string;
  readonly params: Params;
}

/**
 * `always`: must hold in every reachable state (an invariant). Its condition
 * sees the state only: an invariant over a step is a `step` property
 * (alwaysStep), which the checker evaluates on every transition.
 */
export interface InvariantProperty<S> {
  readonly kind: 'always';
  readonly name: string;
  readonly description: string;
  readonly condition: (state: S) => boolean;
  /** Who and what break it in a state where it fails (for reports); null: only its description. */
  readonly explain?: (state: S) => Explanation | null;
  /**
   * Types only, never set. Property<S> mixes conditions over states and over
   * steps; this one place where S is returned lets TypeScript infer S for
   * always(), alwaysStep(), sometimes() and leadsTo() from the model's type
   * (without it, a step property's Step<S> would be taken for a state).
   */
  readonly __states?: (state: S) => S;
}

/**
 * `sometimes`: must hold at least once, in a reachable state or on a
 * transition into it (a witness that the search is not vacuous). Its
 * condition may look at the step that led to the state; it is undefined for
 * initial states.
 */
export interface WitnessProperty<S> {
  readonly kind: 'sometimes';
  readonly name: string;
  readonly description: string;
  readonly condition: (state: S, step?: Step<S>) => boolean;
  /** Who and what break it in a state where it fails (for reports); null: only its description. */
  readonly explain?: (state: S) => Explanation | null;
  /**
   * Types only, never set. Property<S> mixes conditions over states and over
   * steps; this one place where S is returned lets TypeScript infer S for
   * always(), alwaysStep(), sometimes() and leadsTo() from the model's type
   * (without it, a step property's Step<S> would be taken for a state).
   */
  readonly __states?: (state: S) => S;
}

/** A property evaluated on states: an invariant or a witness. */
export type StateProperty<S> = InvariantProperty<S> | WitnessProperty<S>;

/**
 * `step` (a transition invariant, TLA+'s [][A]_vars): must hold on every
 * transition of every reachable state, `step.from` to `to` ("x never
 * decreases"), into new and known states alike, self-loops included. A
 * violation's trace is a shortest run that ends with the offending step.
 */
export interface StepProperty<S> {
  readonly kind: 'step';
  readonly name: string;
  readonly description: string;
  readonly condition: (step: Step<S>, to: S) => boolean;
  /** Who and what break it on a step where it fails (for reports); null: only its description. */
  readonly explain?: (step: Step<S>, to: S) => Explanation | null;
  /**
   * Types only, never set. Property<S> mixes conditions over states and over
   * steps; this one place where S is returned lets TypeScript infer S for
   * always(), alwaysStep(), sometimes() and leadsTo() from the model's type
   * (without it, a step property's Step<S> would be taken for a state).
   */
  readonly __states?: (state: S) => S;
}

/**
 * `leadsTo` (p ~> q, a liveness property): whenever p holds, q holds then or
 * later, in every fair behaviour (see liveness.ts for the exact semantics).
 * p and q are evaluated like witnesses: on a state and the step that entered
 * it (undefined for initial states).
 */
export interface LeadsToProperty<S> {
  readonly kind: 'leadsTo';
  readonly name: string;
  readonly description: string;
  readonly p: (state: S, step?: Step<S>) => boolean;
  readonly q: (state: S, step?: Step<S>) => boolean;
  /** Who and what a lasso that violates it leaves waiting (for reports), from the cycle's first state; null: only its description. */
  readonly explain?: (state: S) => Explanation | null;
  /**
   * Types only, never set. Property<S> mixes conditions over states and over
   * steps; this one place where S is returned lets TypeScript infer S for
   * always(), alwaysStep(), sometimes() and leadsTo() from the model's type
   * (without it, a step property's Step<S> would be taken for a state).
   */
  readonly __states?: (state: S) => S;
}

/** Any property a model may declare: an invariant, a witness, a transition invariant, or a liveness property (leadsTo). */
export type Property<S> = InvariantProperty<S> | WitnessProperty<S> | StepProperty<S> | LeadsToProperty<S>;
/** (the same: every model may declare liveness properties) */
export type AnyProperty<S> = Property<S>;

/**
 * Packs a state into integers and back. Unlike `encode`, nothing is made
 * canonical: unpack(pack(s)) must equal s under the model's equality (its
 * `equivalent`, by default structural equality), since the search expands
 * the unpacked states. The checker tests this on the states of its encoding
 * self-check (CheckOptions.encodingSample): a lossy codec is a CodecLossError.
 */
export interface StateCodec<S> {
  pack(state: S, out: IntSink): void;
  /** the state whose packing starts at ints[start] (its length is the codec's business) */
  unpack(ints: Int32Array, start: number): S;
}

export interface Model<S> {
  readonly name: string;
  readonly init: readonly S[];
  // biome-ignore lint/suspicious/noExplicitAny: each action has its own parameter type; the checker passes back what params() gave
  readonly actions: readonly ActionDef<S, any>[];
  readonly properties: readonly Property<S>[];
  /**
   * Writes the state's canonical encoding (e.g. with symmetric users sorted).
   * Two states with the same encoding are the same state to the checker.
   * Default: a structural encoding of the value (Immutable.js or plain).
   */
  readonly encode?: (state: S, out: IntSink) => void;
  /**
   * A lossless packing of states into integers. With it the checker keeps its
   * frontier packed (bytes, not object trees) and can search on several
   * worker threads; without it, the frontier holds the states themselves and
   * the search runs on one thread.
   */
  readonly codec?: StateCodec<S>;
  /** A plain, readable projection of a state, for traces and exports. Default: toJS(). */
  readonly view?: (state: S) => unknown;
  /** One line saying what a step did, in the model's own words, for actions without their own. Default: name(params). */
  readonly describe?: (step: Step<S>, to: S) => string;
  /** The parts of the view (its top-level keys) keyed by data rather than by field: exported as maps. */
  readonly viewMaps?: readonly string[];
  /** The lanes of the model's sequence diagrams (default: one lane, each step a note). */
  readonly lanes?: readonly Lane[];
  /**
   * How a parameter is written in scenarios and traces, both ways: `text`
   * gives a binding's short form ("u1#2"), `read` reads a value written for
   * `key` (e.g. tab: "u1#2") as parameters ({user: 1, tab: 2}), or null when it
   * does not recognise it. Default: key=value, values as written.
   */
  readonly paramsText?: (params: Params) => string;
  readonly readParam?: (key: string, text: string) => Params | null;
  /**
   * The model's own equality of states, which its encoding must respect: two
   * states with the same encoding must be equivalent (the checker tests this
   * on a sample of states before each search). Default: Immutable.is for
   * Immutable values, structural equality for plain ones. A model whose
   * encode() merges states on purpose (a symmetry reduction) says here which.
   */
  readonly equivalent?: (a: S, b: S) => boolean;
  /** When false, a state with no enabled action is not an error (default true: deadlock is reported). */
  readonly deadlockIsError?: boolean;
  /**
   * The renamings behind a symmetry-reducing encode(), for liveness: with it,
   * a liveness search keeps the reduction and follows each fairness instance
   * and each property through the renamings (symmetric-liveness.ts); without
   * it, encode() must not merge states that the fairness instances or the
   * leadsTo properties tell apart.
   */
  readonly symmetry?: Symmetry<S>;
}

/**
 * A model's symmetry: a group of renamings of its "atoms" (0 .. atoms-1: the
 * users, tab slots, ids... that encode() may permute). A renaming is a
 * permutation `r` (atom x becomes r[x]). It must be an automorphism of the
 * model: the renamed state's encoding is the state's own, its steps are the
 * renamed steps (renameParams), and a property holds of the renamed state
 * and step iff the renamed property (renameProperty) holds of the state.
 */
export interface Symmetry<S> {
  readonly atoms: number;
  /** Writes into `r` (atoms long) the renaming that takes `state` to the canonical form its encode() writes. */
  canonical(state: S, r: Int32Array): void;
  /** A binding of action `action`, every atom x in it renamed to r[x]. */
  renameParams(r: Int32Array, action: string, params: Params): Params;
  /** The name of the leadsTo property `name` with its atoms renamed (itself for a property about no atom in particular). */
  renameProperty(r: Int32Array, name: string): string;
}

/** (the same as Model: any model may declare liveness properties) */
export type LiveModel<S> = Model<S>;

/** The built-in property a state without enabled actions violates (unless the model allows it). */
export const DEADLOCK = { name: 'deadlock', description: 'every reachable state has an enabled action' } as const;

/**
 * holds, vacuous and incomplete come from an exhaustive search; none-found
 * from a sampling one (simulate): no violation was met, which proves nothing.
 */
export type Verdict = 'holds' | 'violated' | 'vacuous' | 'incomplete' | 'none-found';

export interface TraceStep<S> {
  /** null for the initial state. */
  readonly action: string | null;
  readonly params: Params;
  readonly state: S;
}

export interface PropertyResult {
  readonly name: string;
  readonly kind: Property<unknown>['kind'] | 'deadlock';
  readonly description: string;
  /**
   * always, step, leadsTo, deadlock: 'holds' | 'violated' | 'unknown' (search cut short,
   * or stopped by another violation); sometimes: 'reached' | 'unreached' | 'unknown'.
   * A sampling search (simulate) never says 'holds': 'none-found' (no violation
   * met), 'unreached' (not by the walks), and 'not-judged' for a liveness
   * property no walk could judge.
   */
  readonly status: 'holds' | 'violated' | 'reached' | 'unreached' | 'unknown' | 'none-found' | 'not-judged';
  /** depth of the shortest state that violates (always) or witnesses (sometimes) it; for a step property, of the offending step's target */
  readonly depth?: number;
}

export type Limit = 'max-states' | 'max-time' | 'max-depth' | 'memory' | 'interrupted';

/** What the encoding self-check before the search covered (CheckOptions.encodingSample). */
export interface EncodingCheck {
  /** distinct states (by the model's encoding) whose encoding, and codec round trip if any, were tested */
  readonly states: number;
  /** the most it would look at (0: the check was off; null: no limit, every state, as JSON can say it) */
  readonly limit: number | null;
  /** true when it met every reachable state (the sample was not cut short by the limit) */
  readonly complete: boolean;
  /** whether the model's codec was tested too (unpack(pack(s)) equal to s) */
  readonly codec: boolean;
}

export interface CheckResult<S> {
  readonly model: string;
  readonly verdict: Verdict;
  /** the violated property, or the first unreached witness / unfired action for vacuous runs */
  readonly property: string | null;
  /**
   * why the run is vacuous: unreached witnesses (and `leadsTo` properties whose
   * premise p never held, which prove nothing) and actions that never fired
   */
  readonly vacuity: { readonly unreachedWitnesses: readonly string[]; readonly unfiredActions: readonly string[] };
  readonly limit: Limit | null;
  /** distinct states (after symmetry reduction, if the model's encoding applies one) */
  readonly states: number;
  readonly transitions: number;
  /** the deepest BFS level completely explored (every state of depth <= this was expanded) */
  readonly depth: number;
  readonly elapsedMs: number;
  /** bytes held by the visited set at the end (fingerprints and parent ids, or exact keys) */
  readonly visitedBytes: number;
  /** the largest BFS level (frontier) held in memory at once */
  readonly peakFrontier: number;
  /** threads that expanded states: 1 for the one-thread search, else the worker threads */
  readonly workers: number;
  /** bytes of the largest packed frontier (0 when the model has no codec and states are kept as objects) */
  readonly peakFrontierBytes: number;
  /** how many times each declared action fired (transitions, counting ones into known states) */
  readonly coverage: Readonly<Record<string, number>>;
  readonly properties: readonly PropertyResult[];
  /**
   * the shortest trace to the violation; empty unless verdict is 'violated'. For a
   * `leadsTo` violation, a lasso: a stem, then a cycle from trace[loop] to the last
   * state, which equals trace[loop] (the closing step is explicit).
   */
  readonly trace: readonly TraceStep<S>[];
  /**
   * for a liveness counterexample, where the cycle starts in `trace` (the behaviour
   * repeats trace[loop..] forever); loop === trace.length - 1 means it stays
   * (stutters) in that last state forever. null for any other result.
   */
  readonly loop: number | null;
  /** transitions recorded in the state graph for liveness checking (0 when the model has no `leadsTo`) */
  readonly edges: number;
  /** bytes held by that graph (edges, per-node offsets, labels) */
  readonly graphBytes: number;
  /** how many states the encoding self-check covered before the search, and whether that was all of them */
  readonly encodingCheck: EncodingCheck;
  /** under a memory budget (CheckOptions.memory): what spilled to the store, and the memory figures; null without one */
  readonly memory: MemoryUse | null;
}

export interface Progress {
  readonly states: number;
  readonly transitions: number;
  /** states known but not expanded yet: the rest of this level and the next level so far */
  readonly frontier: number;
  /** the level being expanded */
  readonly depth: number;
  /** states of this level expanded so far, and the level's size */
  readonly levelExpanded: number;
  readonly levelSize: number;
  readonly elapsedMs: number;
  /** under a memory budget: bytes spilled to the store so far (absent without a budget) */
  readonly spilled?: number;
}

export interface CheckOptions {
  /** stop with 'incomplete' once this many distinct states are known */
  readonly maxStates?: number;
  /** stop with 'incomplete' after this many milliseconds */
  readonly maxTimeMs?: number;
  /** do not expand states at this depth or deeper ('incomplete' if any were left) */
  readonly maxDepth?: number;
  /** key the visited set by the full encoding instead of a 64-bit fingerprint */
  readonly exact?: boolean;
  /** called about every `progressEveryMs` with figures so far (no I/O in the checker) */
  readonly onProgress?: (p: Progress) => void;
  readonly progressEveryMs?: number;
  /** polled between states; returning a limit stops the run as 'incomplete' with that reason */
  readonly shouldStop?: () => Limit | null;
  /**
   * Before searching, test the encoding against the model's `equivalent` on
   * the first this-many distinct states (default 2,000; 0: skip; Infinity:
   * every state, kept in memory), and the codec's round trip on the same
   * states. A clash throws an EncodingClashError, a lossy codec a
   * CodecLossError; the result says how many states were covered.
   */
  readonly encodingSample?: number;
  /**
   * A memory budget for the search's own structures (the visited set, the
   * frontier, the liveness graph) and a store for what does not fit: the
   * frontier, the graph's edges and the visited set's fingerprints spill to
   * it (spill.ts). When what cannot spill passes the budget the search stops
   * with limit 'memory' (result.memory.exhausted says how much it held).
   * Without it (the default) nothing is measured and nothing spills.
   */
  readonly memory?: MemoryOptions;
}
