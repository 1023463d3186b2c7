// The checker's public vocabulary. A model is a plain value; the checker
// never knows what a state means, only how to step, encode and test it.

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
 * traces). `guard` is read-only; `effect` is only called when the guard holds.
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
 * `always`: must hold in every reachable state (an invariant).
 * `sometimes`: must hold at least once, in a reachable state or on a
 * transition into it (a witness that the search is not vacuous). A
 * `sometimes` condition may look at the step that led to the state; it is
 * undefined for initial states.
 * `step` (a transition invariant, `alwaysStep`): must hold on every
 * transition, judged on the step (its source, action and parameters) and the
 * state it leads to, e.g. "a counter never goes down".
 *
 * One generic interface for the three, the condition's shape picked by the
 * kind: with two interfaces whose `condition`s differ, TypeScript would infer
 * S & Step<S> for an unannotated `always('x', 'd', (s) => ...)` in a
 * Property<S> context, and reject every such model.
 */
export interface SafetyProperty<K extends 'always' | 'sometimes' | 'step', S> {
  readonly kind: K;
  readonly name: string;
  readonly description: string;
  readonly condition: K extends 'step' ? (step: Step<S>, to: S) => boolean : (state: S, step?: Step<S>) => boolean;
  /** Who and what break it in a state where it fails (for reports; a step property: the step's target); null: only its description. */
  readonly explain?: (state: S) => Explanation | null;
}

/** An invariant (`always`) or a witness (`sometimes`), judged on a state (and, for a witness, the step into it). */
export type StateProperty<S> = SafetyProperty<'always' | 'sometimes', S>;

/** A transition invariant (`alwaysStep`): `condition(step, to)` on every transition. */
export type StepProperty<S> = SafetyProperty<'step', S>;

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
}

/** Any property a model may declare: a state property (always, sometimes), a transition invariant (step) or a liveness one (leadsTo). */
export type Property<S> = StateProperty<S> | StepProperty<S> | LeadsToProperty<S>;
/** (the same: every model may declare liveness properties) */
export type AnyProperty<S> = Property<S>;

/**
 * Packs a state into integers and back. Unlike `encode`, nothing is made
 * canonical: unpack(pack(s)) must equal s (same successors, same properties,
 * same view), so that traces replay exactly.
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
  readonly kind: 'always' | 'step' | 'sometimes' | 'leadsTo' | 'deadlock';
  readonly description: string;
  /**
   * always, leadsTo: 'holds' | 'violated' | 'unknown' (search cut short, or stopped by
   * another violation); sometimes: 'reached' | 'unreached' | 'unknown'. A
   * sampling search (simulate) never says 'holds': 'none-found' (no violation
   * met), 'unreached' (not by the walks), and 'not-judged' for a liveness
   * property no walk could judge.
   */
  readonly status: 'holds' | 'violated' | 'reached' | 'unreached' | 'unknown' | 'none-found' | 'not-judged';
  /** depth of the shortest state that violates (always) or witnesses (sometimes) it */
  readonly depth?: number;
}

export type Limit = 'max-states' | 'max-time' | 'max-depth' | 'memory' | 'interrupted';

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
   * every state, kept in memory). A clash throws an EncodingClashError.
   */
  readonly encodingSample?: number;
}
