// Shrinking a counterexample a random walk found, as Hypothesis and
// fast-check shrink theirs: try a smaller candidate, replay it, keep it when
// it still fails the same way. A candidate is the walk's list of steps with
// some dropped or changed; it is replayed from the same initial state, and a
// step whose binding is not enabled where it now falls is skipped, so what
// is kept is always a real run: the steps actually taken. It is kept when
// the first property it violates (in replay's order: earliest state, then
// declaration order) is the walk's, and it is shorter.
//
// Passes, until none shortens the trace (or the budget of replays is spent):
// 1. drop chunks of steps, halving the chunk from the largest power of two
//    down to one step, later steps first;
// 2. a breadth-first search from each state of the trace, last first, for a
//    shorter way from there to the violation (bounded in depth by what it
//    must beat, and in states), which finds the detours that dropping steps
//    cannot remove (a different action that gets there sooner);
// 3. lower each step to an earlier transition (in the model's fixed order)
//    where the rest still replays to the violation in no more steps: the
//    same trace in simpler terms (user 1 rather than user 4).
// Every pass is deterministic, and the budget counts replays, not time, so
// the same walk always shrinks to the same trace.
//
// A lasso (a liveness counterexample) is shrunk by cutting out the stretches
// between two visits of the same state, in its stem and in its cycle, each
// cut kept only when the lasso is still a fair behaviour that violates the
// same property.
import { ModelCodeError } from './errors.ts';
import { judgeLasso } from './lasso.ts';
import { bindingsOf, forEachSuccessor, ModelFault } from './successors.ts';
import { sameParams } from './replay.ts';
import { DEADLOCK, type ActionDef, type Model, type Params, type Step, type TraceStep } from './types.ts';
import { firstFailing as failing, isInvariant, isStepProperty } from './ledger.ts';
import { createVisitedSet, defaultEncoder } from './visited.ts';
import { encodeValue } from './encode.ts';
import { IntCollector } from './fingerprint.ts';

export interface ShrinkOptions {
  /** candidate replays at most (default 20,000) */
  readonly maxReplays?: number;
  /** states each breadth-first search may hold (default 20,000) */
  readonly bfsStates?: number;
  /** states all breadth-first searches may hold together (default 200,000) */
  readonly bfsTotal?: number;
}

export interface ShrinkResult<S> {
  readonly trace: TraceStep<S>[];
  /** candidates replayed */
  readonly replays: number;
  /** states the breadth-first searches held, all together */
  readonly bfsStates: number;
}

/** A step as a candidate lists it: the action's index and a binding. */
interface Move {
  readonly action: number;
  readonly params: Params;
}

interface Candidate<S> {
  readonly moves: readonly Move[];
  readonly trace: TraceStep<S>[];
}

/** The model's code threw on a candidate (a real run): the error, with that run. */
function codeError<S>(e: unknown, trace: readonly TraceStep<S>[]): unknown {
  if (e instanceof ModelCodeError) return e;
  if (!(e instanceof ModelFault)) return e;
  const run = [...trace];
  if (e.step !== null && e.target !== null) run.push({ action: e.step.action, params: e.step.params, state: e.target as S });
  return new ModelCodeError(e.part, e.cause, run, e.step?.action ?? null, e.step?.params ?? null, e.property);
}

/** Shrinks a safety violation (an invariant, a transition invariant or a deadlock) that `trace` ends in. */
export function shrinkViolation<S>(
  model: Model<S>,
  trace: readonly TraceStep<S>[],
  property: string,
  options: ShrinkOptions = {},
): ShrinkResult<S> {
  const actions = model.actions as readonly ActionDef<S, Params>[];
  const invariants = model.properties.filter(isInvariant<S>);
  const stepProperties = model.properties.filter(isStepProperty<S>);
  const deadlock = property === DEADLOCK.name;
  const maxReplays = options.maxReplays ?? 20_000;
  const bfsCap = options.bfsStates ?? 20_000;
  const bfsTotal = options.bfsTotal ?? 200_000;
  const initial = trace[0].state;
  let replays = 0;
  let bfsStates = 0;

  const indexOf = (name: string) => actions.findIndex((a) => a.name === name);
  // as the search judges them (ledger.ts): a candidate fails first where the search would
  const firstFailing = (state: S, step: Step<S> | undefined): string | null => failing(invariants, stepProperties, state, step);
  const stuck = (state: S) => forEachSuccessor(actions, state, () => true) === 0;

  /** The candidate's run, cut at its first violation; null unless that is `property` (or it never fails). */
  const replay = (moves: readonly Move[]): Candidate<S> | null => {
    replays++;
    let state = initial;
    const run: TraceStep<S>[] = [{ action: null, params: {}, state }];
    const taken: Move[] = [];
    try {
      const first = firstFailing(state, undefined);
      if (first !== null) return first === property ? { moves: taken, trace: run } : null;
      for (const move of moves) {
        const action = actions[move.action];
        let binding: Params | undefined;
        for (const b of bindingsOf(action, state)) {
          if (b === move.params || sameParams(b, move.params)) {
            binding = b;
            break;
          }
        }
        if (binding === undefined) continue;
        let enabled: boolean;
        try {
          enabled = action.guard(state, binding);
        } catch (e) {
          throw new ModelFault('guard', e, { from: state, action: action.name, params: binding }, null, null);
        }
        if (!enabled) continue;
        const from = state;
        try {
          state = action.effect(from, binding);
        } catch (e) {
          throw new ModelFault('effect', e, { from, action: action.name, params: binding }, null, null);
        }
        run.push({ action: action.name, params: binding, state });
        taken.push({ action: move.action, params: binding });
        const failing = firstFailing(state, { from, action: action.name, params: binding });
        if (failing !== null) return failing === property ? { moves: taken, trace: run } : null;
      }
      if (deadlock && model.deadlockIsError !== false && stuck(state)) return { moves: taken, trace: run };
      return null;
    } catch (e) {
      throw codeError(e, run);
    }
  };

  const movesOf = (t: readonly TraceStep<S>[]): Move[] => t.slice(1).map((s) => ({ action: indexOf(s.action!), params: s.params }));
  let best = replay(movesOf(trace));
  if (best === null) throw new Error(`shrinking: the walk does not replay to ${property}`);
  const length = () => best!.moves.length;
  const spent = () => replays >= maxReplays;

  /** Pass 1: drop chunks, largest first, later steps first. */
  const dropChunks = (): boolean => {
    let shorter = false;
    let size = 1;
    while (size * 2 <= length()) size *= 2;
    for (; size >= 1; size >>= 1) {
      for (let i = length() - size; i >= 0 && !spent(); i--) {
        const moves = [...best!.moves.slice(0, i), ...best!.moves.slice(i + size)];
        const c = replay(moves);
        if (c !== null && c.moves.length < length()) {
          best = c;
          shorter = true;
          i = Math.min(i, length() - size + 1);
        }
      }
    }
    return shorter;
  };

  /**
   * Pass 2: from the state after step j (last first), a breadth-first search for a way to the
   * violation in fewer steps than the trace takes from there; stops at the first search that
   * runs out of room (earlier states only have more to search).
   */
  const searchBack = (): boolean => {
    let shorter = false;
    for (let j = length() - 2; j >= 0 && !spent() && bfsStates < bfsTotal; j--) {
      const within = length() - j - 1;
      const found = shortestFrom(best!.trace[j].state, within, Math.min(bfsCap, bfsTotal - bfsStates));
      bfsStates += found.states;
      if (found.path !== null) {
        const c = replay([...best!.moves.slice(0, j), ...found.path]);
        if (c !== null && c.moves.length < length()) {
          best = c;
          shorter = true;
        }
      }
      if (found.full) break;
    }
    return shorter;
  };

  /** The shortest way (at most `within` steps) from `start` to the violation, avoiding every other one. */
  const shortestFrom = (start: S, within: number, cap: number): { path: Move[] | null; states: number; full: boolean } => {
    const visited = createVisitedSet('fingerprint', model.encode ?? defaultEncoder<S>());
    visited.visit(start, -1);
    const states: S[] = [start];
    const parent: number[] = [-1];
    const via: (Move | null)[] = [null];
    const depth: number[] = [0];
    const pathTo = (i: number): Move[] => {
      const path: Move[] = [];
      for (let k = i; parent[k] >= 0; k = parent[k]) path.push(via[k]!);
      return path.reverse();
    };
    let full = false;
    try {
      for (let head = 0; head < states.length; head++) {
        const from = states[head];
        if (depth[head] >= within) {
          // the last level: only a deadlock can still be found, in the states themselves
          if (deadlock && model.deadlockIsError !== false && stuck(from)) return { path: pathTo(head), states: states.length, full: false };
          if (deadlock) continue;
          break;
        }
        let goal = -1;
        const enabled = forEachSuccessor(actions, from, (a, params, next) => {
          // judged before the lookup: a step property may fail on a transition into a known state
          const failing = firstFailing(next, { from, action: actions[a].name, params });
          const known = visited.visit(next, head) < 0;
          if (failing !== property && (known || failing !== null)) return false;
          states.push(next);
          parent.push(head);
          via.push({ action: a, params });
          depth.push(depth[head] + 1);
          if (failing === property) {
            goal = states.length - 1;
            return true;
          }
          if (states.length >= cap) {
            full = true;
            return true;
          }
          return false;
        });
        if (goal >= 0) return { path: pathTo(goal), states: states.length, full: false };
        if (deadlock && enabled === 0 && model.deadlockIsError !== false && head > 0)
          return { path: pathTo(head), states: states.length, full: false };
        if (full) break;
      }
    } catch (e) {
      // the model's code threw on a state the walk never went to: leave it to a search that reports it
      if (e instanceof ModelFault || e instanceof ModelCodeError) return { path: null, states: states.length, full: true };
      throw e;
    }
    return { path: null, states: states.length, full };
  };

  /** Pass 3: each step lowered to the first earlier transition (in the fixed order) that still leads to the violation in no more steps. */
  const lower = (): boolean => {
    let changed = false;
    for (let j = 0; j < length() && !spent(); j++) {
      const before = best!.trace[j].state;
      const current = best!.moves[j];
      const earlier: Move[] = [];
      let reachedCurrent = false;
      forEachSuccessor(actions, before, (a, params) => {
        if (a === current.action && sameParams(params, current.params)) return (reachedCurrent = true);
        earlier.push({ action: a, params });
      });
      if (!reachedCurrent) continue;
      for (const move of earlier) {
        if (spent()) break;
        const c = replay([...best!.moves.slice(0, j), move, ...best!.moves.slice(j + 1)]);
        // kept when it replays to the violation in no more steps (the lowered step taken, or the next one skipped too)
        if (c !== null && c.moves.length <= length()) {
          best = c;
          changed = true;
          break;
        }
      }
    }
    return changed;
  };

  for (let round = 0; round < 8 && !spent(); round++) {
    const dropped = dropChunks();
    const searched = searchBack();
    if (!dropped && !searched) break;
  }
  lower();
  dropChunks();
  return { trace: best.trace, replays, bfsStates };
}

/** A state's exact structural identity (a lasso must come back to the very state). */
function exactKey<S>(model: Model<S>, state: S): string {
  const out = new IntCollector();
  if (model.codec) model.codec.pack(state, out);
  else encodeValue(state, out);
  return out.take();
}

/**
 * Shrinks a lasso (the trace's last state is trace[loop] again, or loop is the
 * last index: it stays there forever) that violates `property`. A candidate is
 * the stem's steps and the cycle's, some dropped; it is replayed (steps not
 * enabled skipped, every invariant judged on the way: a candidate that breaks
 * one is another counterexample, not this one) and kept when its cycle comes
 * back to exactly the state it started from (or is empty: the behaviour stays
 * there) and the lasso is a fair behaviour that still violates `property`
 * (lasso.ts judges it). Chunks are dropped from the cycle first, then from
 * the stem, halving as for a safety violation, until neither shortens it.
 */
export function shrinkLasso<S>(
  model: Model<S>,
  trace: readonly TraceStep<S>[],
  loop: number,
  property: string,
  options: ShrinkOptions = {},
): { trace: TraceStep<S>[]; loop: number; replays: number } {
  const actions = model.actions as readonly ActionDef<S, Params>[];
  const invariants = model.properties.filter(isInvariant<S>);
  const stepProperties = model.properties.filter(isStepProperty<S>);
  const maxReplays = options.maxReplays ?? 20_000;
  const initial = trace[0].state;
  let replays = 0;
  const indexOf = (name: string) => actions.findIndex((a) => a.name === name);

  interface Lasso {
    readonly stem: readonly Move[];
    readonly cycle: readonly Move[];
    readonly trace: TraceStep<S>[];
    readonly loop: number;
  }

  const replay = (stem: readonly Move[], cycle: readonly Move[]): Lasso | null => {
    replays++;
    let state = initial;
    const run: TraceStep<S>[] = [{ action: null, params: {}, state }];
    const take = (moves: readonly Move[]): Move[] | null => {
      const taken: Move[] = [];
      for (const move of moves) {
        const action = actions[move.action];
        let binding: Params | undefined;
        for (const b of bindingsOf(action, state)) {
          if (b === move.params || sameParams(b, move.params)) {
            binding = b;
            break;
          }
        }
        if (binding === undefined || !action.guard(state, binding)) continue;
        const from = state;
        state = action.effect(from, binding);
        const step: Step<S> = { from, action: action.name, params: binding };
        if (failing(invariants, stepProperties, state, step) !== null) return null;
        run.push({ action: action.name, params: binding, state });
        taken.push({ action: move.action, params: binding });
      }
      return taken;
    };
    try {
      if (failing(invariants, stepProperties, state, undefined) !== null) return null;
      const stemTaken = take(stem);
      if (stemTaken === null) return null;
      const l = run.length - 1;
      const entry = exactKey(model, state);
      const cycleTaken = take(cycle);
      if (cycleTaken === null) return null;
      if (cycleTaken.length > 0 && exactKey(model, state) !== entry) return null;
      const judged = judgeLasso(model, run, l);
      if (!(judged.closes && judged.unfair.length === 0 && judged.violates.includes(property))) return null;
      return { stem: stemTaken, cycle: cycleTaken, trace: run, loop: l };
    } catch (e) {
      throw codeError(e, run);
    }
  };

  const moves = trace.slice(1).map((t) => ({ action: indexOf(t.action!), params: t.params }));
  let best = replay(moves.slice(0, loop), moves.slice(loop));
  if (best === null) throw new Error(`shrinking: the lasso does not replay as a fair behaviour that violates ${property}`);
  const length = () => best!.stem.length + best!.cycle.length;
  const spent = () => replays >= maxReplays;

  const dropFrom = (part: 'stem' | 'cycle'): boolean => {
    let shorter = false;
    const size0 = () => best![part].length;
    let size = 1;
    while (size * 2 <= size0()) size *= 2;
    for (; size >= 1; size >>= 1) {
      for (let i = size0() - size; i >= 0 && !spent(); i--) {
        const cut = (m: readonly Move[]) => [...m.slice(0, i), ...m.slice(i + size)];
        const c = part === 'stem' ? replay(cut(best!.stem), best!.cycle) : replay(best!.stem, cut(best!.cycle));
        if (c !== null && c.stem.length + c.cycle.length < length()) {
          best = c;
          shorter = true;
          i = Math.min(i, size0() - size + 1);
        }
      }
    }
    return shorter;
  };

  for (let round = 0; round < 8 && !spent(); round++) {
    const cycle = dropFrom('cycle');
    const stem = dropFrom('stem');
    if (!cycle && !stem) break;
  }
  return { trace: best.trace, loop: best.loop, replays };
}
