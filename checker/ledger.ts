// What a search has learnt so far, and the result it adds up to: the
// bookkeeping that the one-thread search (bfs.ts) and the worker-thread
// search (parallel.ts) share, so that both report alike. Each feeds it the
// same events in the same order (transitions in the fixed order, levels one
// after another), which is what makes their results identical. When the
// model has leadsTo properties the ledger also holds the state graph the
// searches record (graph.ts); result() decides liveness on it (liveness.ts)
// once the search is complete.
import type {
  CheckOptions,
  CheckResult,
  EncodingCheck,
  InvariantProperty,
  Limit,
  Model,
  PropertyResult,
  StateProperty,
  Step,
  StepProperty,
  TraceStep,
  Verdict,
  WitnessProperty,
} from './types.ts';
import { DEADLOCK } from './types.ts';
import type { VisitedSet } from './visited.ts';
import { ModelFault } from './successors.ts';
import { LivenessGraph } from './graph.ts';
import { ANALYSIS_BYTES_PER_NODE, checkLiveness } from './liveness.ts';
import { checkSymmetricLiveness, symmetricAnalysisBytes } from './symmetric-liveness.ts';
import { Spiller } from './spill.ts';

export const isInvariant = <S>(p: { readonly kind: string }): p is InvariantProperty<S> => p.kind === 'always';
export const isWitness = <S>(p: { readonly kind: string }): p is WitnessProperty<S> => p.kind === 'sometimes';
export const isStepProperty = <S>(p: { readonly kind: string }): p is StepProperty<S> => p.kind === 'step';

/**
 * The first violation: the property, and where its trace ends: the state
 * with id `id` (an invariant, a deadlock), or, for a step property, the
 * transition number `ordinal` (in the fixed order, counting enabled ones
 * from 0) out of the state with id `id`.
 */
export interface Violation {
  readonly property: string;
  readonly id: number;
  /** -1: the trace ends in state `id` itself */
  readonly ordinal: number;
}

export class Ledger<S> {
  readonly started = performance.now();
  readonly invariants: readonly InvariantProperty<S>[];
  readonly witnesses: readonly WitnessProperty<S>[];
  /** transition invariants, evaluated on every transition */
  readonly stepProperties: readonly StepProperty<S>[];
  readonly deadlockIsError: boolean;
  /** the state graph, recorded only when the model has liveness (leadsTo) properties */
  readonly graph: LivenessGraph<S> | null;
  /** the memory budget (CheckOptions.memory), which spills the frontiers and the graph; null without one */
  readonly spill: Spiller | null;
  /** times each action fired, by declaration index */
  readonly fired: Float64Array;
  /** witnesses not reached yet */
  pending: WitnessProperty<S>[];
  violation: Violation | null = null;
  limit: Limit | null = null;
  transitions = 0;
  /** depth of the level being expanded */
  depth = 0;
  /** deepest level whose states were all expanded */
  explored = -1;
  peakFrontier = 0;
  peakFrontierBytes = 0;
  private readonly violatedAt = new Map<string, number>();
  private readonly reachedAt = new Map<string, number>();
  private readonly everyMs: number;
  private nextProgress: number;
  private sinceClock = 0;

  constructor(
    readonly model: Model<S>,
    readonly options: CheckOptions,
    readonly visited: VisitedSet<S>,
    /** what the encoding self-check covered before the search (prepare in bfs.ts) */
    readonly encodingCheck: EncodingCheck,
  ) {
    this.invariants = model.properties.filter(isInvariant<S>);
    this.witnesses = model.properties.filter(isWitness<S>);
    this.stepProperties = model.properties.filter(isStepProperty<S>);
    this.spill = options.memory !== undefined ? new Spiller(options.memory) : null;
    this.spill?.watchVisited(visited);
    this.graph = model.properties.some((p) => p.kind === 'leadsTo') ? new LivenessGraph(model, this.spill) : null;
    this.deadlockIsError = model.deadlockIsError !== false;
    this.fired = new Float64Array(model.actions.length);
    this.pending = this.witnesses.slice();
    this.everyMs = options.progressEveryMs ?? 250;
    this.nextProgress = this.started + this.everyMs;
  }

  /** Evaluates the pending witnesses on a transition (or an initial state) and marks those it reaches. */
  witness(state: S, step: Step<S> | undefined, at: number): void {
    const pending = this.pending;
    let kept = 0;
    for (const w of pending) {
      if (evaluate(w, state, step)) this.reachedAt.set(w.name, at);
      else pending[kept++] = w;
    }
    pending.length = kept;
  }

  /** Marks witness `w` reached at depth `at` (if it was still pending). */
  reach(w: WitnessProperty<S>, at: number): void {
    const k = this.pending.indexOf(w);
    if (k < 0) return;
    this.reachedAt.set(w.name, at);
    this.pending.splice(k, 1);
  }

  /** Records the first violation; the search stops there. `ordinal`: see Violation. */
  violate(property: string, id: number, at: number, ordinal = -1): void {
    this.violatedAt.set(property, at);
    this.violation = { property, id, ordinal };
  }

  /** Checks the invariants on a newly discovered state; false (and recorded) on a violation. */
  holds(state: S, id: number, at: number): boolean {
    for (const p of this.invariants) {
      if (!evaluate(p, state, undefined)) {
        this.violate(p.name, id, at);
        return false;
      }
    }
    return true;
  }

  /**
   * Checks the step properties on transition number `ordinal` of the state
   * with id `from` (the target at depth `at`); false (and recorded) on a violation.
   */
  stepHolds(step: Step<S>, to: S, from: number, ordinal: number, at: number): boolean {
    for (const p of this.stepProperties) {
      if (!evaluateStep(p, step, to)) {
        this.violate(p.name, from, at, ordinal);
        return false;
      }
    }
    return true;
  }

  /** Polls the state cap, the clock and shouldStop, reports progress; true when the run must stop. */
  overLimit(expanded: number, levelSize: number, nextSize: number): boolean {
    const { options } = this;
    if (options.maxStates !== undefined && this.visited.size >= options.maxStates) this.limit = 'max-states';
    if (++this.sinceClock < 256) return this.limit !== null;
    this.sinceClock = 0;
    const now = performance.now();
    if (options.maxTimeMs !== undefined && now - this.started >= options.maxTimeMs) this.limit = 'max-time';
    if (this.limit === null && options.shouldStop) this.limit = options.shouldStop();
    // over the memory budget: spill; when what is left cannot (the visited set), stop
    if (this.limit === null && this.spill !== null && this.spill.check(this.depth, this.visited.size)) this.limit = 'memory';
    if (options.onProgress && now >= this.nextProgress) {
      this.nextProgress = now + this.everyMs;
      options.onProgress({
        states: this.visited.size,
        transitions: this.transitions,
        frontier: levelSize - expanded + nextSize,
        depth: this.depth,
        levelExpanded: expanded,
        levelSize,
        elapsedMs: now - this.started,
        ...(this.spill !== null ? { spilled: this.spill.spilledBytes } : {}),
      });
    }
    return this.limit !== null;
  }

  /** True (and recorded) when the next level must not be expanded. */
  atMaxDepth(): boolean {
    if (this.options.maxDepth === undefined || this.depth < this.options.maxDepth) return false;
    this.limit = 'max-depth';
    return true;
  }

  /** Records a level's size (for the peak figures). */
  measure(size: number, bytes: number): void {
    this.peakFrontier = Math.max(this.peakFrontier, size);
    this.peakFrontierBytes = Math.max(this.peakFrontierBytes, bytes);
  }

  /** A level is done; `size` and `bytes` are the next level's. */
  levelDone(size: number, bytes: number): void {
    this.explored = this.depth;
    this.depth++;
    this.measure(size, bytes);
  }

  /**
   * Decides liveness on the graph of a complete search. Under a memory
   * budget the analysis's own arrays (a few bytes a state) come on top of the
   * visited set and the graph: when they do not fit beside the graph's edges,
   * the edges spill now. A spilled graph is read back through a cache of
   * pages in what the budget leaves beside the visited set, the offsets and
   * those arrays, and an eighth of the budget at least: the arrays do not
   * spill, and when they leave less, a smaller cache would only make the
   * analysis slower (page after page read again), not the budget kept.
   */
  private liveness(graph: LivenessGraph<S>) {
    const spill = this.spill;
    // with a model Symmetry the graph is reduced, and its analysis follows instances through the renamings
    const judge = graph.renamings === null ? checkLiveness : checkSymmetricLiveness;
    if (spill === null) return judge(this.model, this.visited, graph);
    spill.analysisBytes = graph.renamings === null ? ANALYSIS_BYTES_PER_NODE * graph.nodes : symmetricAnalysisBytes(graph);
    if (this.visited.bytes + graph.memoryBytes + spill.analysisBytes > spill.budget && graph.spill() > 0)
      spill.spilledAt(this.explored, this.visited.size, 'liveness');
    graph.finish();
    const rest = this.visited.bytes + graph.memoryBytes + spill.analysisBytes;
    const edges = graph.edgesFor(Math.max(spill.budget - rest, spill.budget / 8));
    try {
      const outcome = judge(this.model, this.visited, graph, edges);
      spill.analysisBytes = outcome.scratchBytes;
      return outcome;
    } finally {
      spill.pageReads = edges.pageReads();
      spill.observe(this.visited.bytes + graph.memoryBytes + spill.analysisBytes + edges.cacheBytes());
    }
  }

  /** The result; `rebuild(id, ordinal)` gives the shortest trace to a violation (see Violation). */
  result(rebuild: (id: number, ordinal: number) => TraceStep<S>[], workers = 1): CheckResult<S> {
    try {
      return this.outcome(rebuild, workers);
    } finally {
      // a spilled visited set's files go once the trace is rebuilt
      this.spill?.releaseVisited();
    }
  }

  private outcome(rebuild: (id: number, ordinal: number) => TraceStep<S>[], workers: number): CheckResult<S> {
    const { model, violation: found, limit, graph } = this;
    const complete = found === null && limit === null;
    const coverage: Record<string, number> = {};
    model.actions.forEach((a, i) => {
      coverage[a.name] = (coverage[a.name] ?? 0) + this.fired[i];
    });
    // liveness is decided on the graph of a complete search only: cut short, or stopped by
    // a safety violation, its properties stay unknown
    this.spill?.releaseFrontiers();
    let live: ReturnType<typeof checkLiveness<S>> | null = null;
    try {
      live = complete && graph !== null ? this.liveness(graph) : null;
    } finally {
      if (this.spill !== null) graph?.release();
    }
    const unfiredActions = complete ? Object.keys(coverage).filter((name) => coverage[name] === 0) : [];
    const unreachedWitnesses = complete ? this.pending.map((w) => w.name) : [];
    if (live !== null)
      graph!.props.forEach((p, k) => {
        if (!live.premise[k]) unreachedWitnesses.push(p.name);
      });

    let verdict: Verdict;
    let property: string | null = null;
    if (found !== null) {
      verdict = 'violated';
      property = found.property;
    } else if (limit !== null) verdict = 'incomplete';
    else if (live !== null && live.first >= 0) {
      verdict = 'violated';
      property = graph!.props[live.first].name;
    } else if (unreachedWitnesses.length > 0 || unfiredActions.length > 0) {
      verdict = 'vacuous';
      property = unreachedWitnesses[0] ?? `action ${unfiredActions[0]}`;
    } else verdict = 'holds';

    const trace = found !== null ? rebuild(found.id, found.ordinal) : live !== null && live.first >= 0 ? live.trace : [];
    const status = (kind: PropertyResult['kind'], name: string, description: string): PropertyResult => {
      const at = kind === 'sometimes' ? this.reachedAt.get(name) : this.violatedAt.get(name);
      const hit = kind === 'sometimes' ? 'reached' : 'violated';
      const missed = kind === 'sometimes' ? 'unreached' : 'holds';
      return {
        name,
        kind,
        description,
        status: at !== undefined ? hit : complete ? missed : 'unknown',
        ...(at !== undefined ? { depth: at } : {}),
      };
    };
    const properties: PropertyResult[] = [
      ...this.invariants.map((p) => status('always', p.name, p.description)),
      ...this.stepProperties.map((p) => status('step', p.name, p.description)),
      ...this.witnesses.map((p) => status('sometimes', p.name, p.description)),
      ...(graph?.props ?? []).map(
        (p, k): PropertyResult => ({
          name: p.name,
          kind: 'leadsTo',
          description: p.description,
          status: live === null ? 'unknown' : live.violated[k] ? 'violated' : 'holds',
        }),
      ),
      ...(this.deadlockIsError ? [status('deadlock', DEADLOCK.name, DEADLOCK.description)] : []),
    ];
    return {
      model: model.name,
      verdict,
      property,
      vacuity: { unreachedWitnesses, unfiredActions },
      limit,
      states: this.visited.size,
      transitions: this.transitions,
      // violated: the trace's length; complete (or a liveness lasso): the deepest level;
      // cut short: every state at depth <= this was discovered and checked
      depth: found !== null ? trace.length - 1 : complete ? this.explored : this.explored + 1,
      elapsedMs: performance.now() - this.started,
      visitedBytes: this.visited.bytes,
      peakFrontier: this.peakFrontier,
      peakFrontierBytes: this.peakFrontierBytes,
      workers,
      coverage,
      properties,
      trace,
      loop: live !== null && live.first >= 0 ? live.loop : null,
      edges: graph?.edges ?? 0,
      graphBytes: graph?.bytes ?? 0,
      encodingCheck: this.encodingCheck,
      memory: this.spill?.use() ?? null,
    };
  }
}

/**
 * A property's condition on a state (and, for a witness, the step into it; an
 * invariant is given the state only); a throw becomes a ModelFault naming the property.
 */
export function evaluate<S>(p: StateProperty<S>, state: S, step: Step<S> | undefined): boolean {
  try {
    return p.kind === 'always' ? p.condition(state) : p.condition(state, step);
  } catch (e) {
    throw new ModelFault('property', e, step ?? null, state, p.name);
  }
}

/** A step property's condition on a transition; a throw becomes a ModelFault naming the property and the step. */
export function evaluateStep<S>(p: StepProperty<S>, step: Step<S>, to: S): boolean {
  try {
    return p.condition(step, to);
  } catch (e) {
    throw new ModelFault('property', e, step, to, p.name);
  }
}

/**
 * The first safety property that fails on the transition `step` into
 * `state` (step undefined: on the initial state `state`), in the order the
 * search and replay judge them: the step properties on the step, then the
 * invariants on the state, each in declaration order; null when all hold.
 * For the searches that follow one run at a time (simulate's walks, shrinking).
 */
export function firstFailing<S>(
  invariants: readonly InvariantProperty<S>[],
  stepProperties: readonly StepProperty<S>[],
  state: S,
  step: Step<S> | undefined,
): string | null {
  if (step !== undefined) for (const p of stepProperties) if (!evaluateStep(p, step, state)) return p.name;
  for (const p of invariants) if (!evaluate(p, state, undefined)) return p.name;
  return null;
}
