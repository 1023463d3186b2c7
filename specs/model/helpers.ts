// What the model's tests share: running a design (built in, or a variant
// written the way a design file writes it), the witnesses-only search, and
// reading a result's property statuses. Every verdict the tests assert comes
// from `check`; nothing here decides one.
import { expect } from 'vitest';
import { check, type CheckResult, type Model, type TraceStep } from '../../checker/index.ts';
import {
  DESIGNS,
  presenceModel,
  readDesign,
  type Bounds,
  type Design,
  type DesignSource,
  type PresenceOptions,
  type State,
} from '../../model/index.ts';

/** A cap far above every search in specs/model: a model change that blows a state space up fails instead of filling the machine. */
export const CAP = 3_000_000;

export function run(design: Design | string, bounds: Partial<Bounds>, options: PresenceOptions = {}, maxStates = CAP): CheckResult<State> {
  return check(presenceModel(design, bounds, options), { maxStates });
}

/** A design as a design file writes it: a base and the switches it changes (readDesign must accept it). */
export function variant(base: string, switches: Omit<DesignSource, 'name' | 'base'>, name = `${base}-variant`): Design {
  const d = readDesign({ name, base, ...switches }, DESIGNS);
  if (typeof d === 'string') throw new Error(`the test's variant of ${base} is refused: ${d}`);
  return d;
}

/** The model with its invariants dropped: a search that only looks for the witnesses (and fires actions). */
export function witnessesOnly<S>(model: Model<S>): Model<S> {
  return { ...model, properties: model.properties.filter((p) => p.kind === 'sometimes'), deadlockIsError: false };
}

/** Property name -> status, for one kind (or all). */
export function statuses(r: CheckResult<unknown>, kind?: 'always' | 'sometimes' | 'leadsTo'): Record<string, string> {
  return Object.fromEntries(r.properties.filter((p) => kind === undefined || p.kind === kind).map((p) => [p.name, p.status]));
}

/** A complete run whose invariants all hold, every witness reached and every action fired. */
export function expectHoldsNonVacuously(r: CheckResult<unknown>): void {
  expect([r.verdict, r.limit], r.model).toEqual(['holds', null]);
  expect(r.vacuity, r.model).toEqual({ unreachedWitnesses: [], unfiredActions: [] });
  expect(
    r.properties.filter((p) => p.kind === 'sometimes' && p.status !== 'reached').map((p) => p.name),
    r.model,
  ).toEqual([]);
}

/** The actions of a trace, from its first step. */
export const actionsOf = (trace: readonly TraceStep<unknown>[]): string[] => trace.slice(1).map((s) => s.action!);

/** The trace as replayable steps. */
export const stepsOf = (trace: readonly TraceStep<unknown>[]) => trace.slice(1).map((s) => ({ action: s.action!, params: s.params }));

/**
 * Timing bounds at their smallest orderings (a handshake of 1 tick, polls 1
 * tick after /joined and /leave, a TTL of 2 > handshake + lag 0), for tests
 * whose claim does not rest on the default timings: the same orderings as
 * the real system, smaller state spaces.
 */
export const QUICK: Partial<Bounds> = { handshake: 1, pollDelay: 1, leftPollDelay: 1, ttl: 2, grace: 1 };

/**
 * Polls queued 1 tick ahead instead of 3 and 5: the poll queue's counters
 * are most of a state space (fixed with every fault at 2 users × 1 tab ×
 * lag 1: 42,697 states against 356,311 at the default delays); every other
 * bound at its default.
 */
export const FAST_POLLS: Partial<Bounds> = { pollDelay: 1, leftPollDelay: 1 };

/**
 * Searches until the named witnesses are reached and the named actions have
 * fired (then stops: witnesses are existential, so a partial search that
 * reaches them proves them reachable), or until `maxStates`. The verdicts
 * read from the result are the checker's: the wrapping only tells the
 * search when to stop.
 */
export function searchUntil(
  model: Model<State>,
  witnesses: readonly string[],
  actions: readonly string[],
  maxStates = 200_000,
): CheckResult<State> {
  const reached = new Set<string>();
  const fired = new Set<string>();
  const watched = witnessesOnly(model);
  const observed: Model<State> = {
    ...watched,
    properties: watched.properties.map((p) =>
      p.kind === 'sometimes' && witnesses.includes(p.name)
        ? {
            ...p,
            condition: (s: State, step?: Parameters<typeof p.condition>[1]) => {
              const yes = p.condition(s, step);
              if (yes) reached.add(p.name);
              return yes;
            },
          }
        : p,
    ),
    actions: model.actions.map((a) =>
      actions.includes(a.name)
        ? {
            ...a,
            effect: (s: State, params: Parameters<typeof a.effect>[1]) => {
              fired.add(a.name);
              return a.effect(s, params);
            },
          }
        : a,
    ),
  };
  const done = () => witnesses.every((w) => reached.has(w)) && actions.every((a) => fired.has(a));
  return check(observed, { maxStates, shouldStop: () => (done() ? 'interrupted' : null) });
}
