// What one action of the presence model is: a named definition with its
// guard, its effect, its fairness, its words (what a step did, why it is not
// enabled, how it travels in a sequence diagram), the sentence of the domain
// documents it models, and, where it stands for a call to another system,
// the code it stands for (the implementation guide is printed from these).
// The definitions read a State and write a Draft through the field names of
// fields.ts; `toActionDef` turns one into what the checker runs.
import type { ActionDef, Arrow, Fairness, Params, TraceStep } from '../../checker/index.ts';
import type { Draft, State } from '../state.ts';
import { tidy } from '../tidy.ts';
import type { Setup } from './setup.ts';

/** The call to another system (or the browser's own step) that a step stands for, for the implementation guide. */
export interface CodeStep {
  /** the endpoint, worker or client code it belongs to, e.g. 'POST /rooms/{room}/meetings/{id}/joining' */
  readonly where: string;
  /** which clock a comparison in it reads, when it compares times */
  readonly clock?: string;
  /** what kind of call: a SQL statement (one transaction), an HTTP request to Daily, a Redis command, or the browser's own step */
  readonly call: 'SQL' | 'HTTP' | 'Redis' | 'browser';
  /** the statement or request, as it should be written */
  readonly text: string;
  /** what the code does with each answer */
  readonly onAnswer?: string;
}

/** `environment`: a step of the users or of a fault (taken only finitely often when the environment settles), else a fairness. */
export type ActionFairness = Fairness | 'environment' | null;

export interface PresenceAction<P extends Params = Params> {
  readonly name: string;
  /** the sentences of REAL_SYSTEM.md ("real:") or the design doc ("doc:") it models, and why it is cut as it is */
  readonly models: string;
  /** whether the action is part of this run (the design's switches, the faults in force); default: always */
  readonly when?: (c: Setup) => boolean;
  /** every binding it can take in this run */
  readonly domain: (c: Setup) => readonly P[];
  /** the bindings to try in a state (default: the whole domain) */
  readonly params?: (c: Setup) => (s: State) => readonly P[];
  readonly fairness: (c: Setup) => ActionFairness;
  readonly guard: (s: State, p: P, c: Setup) => boolean;
  /** writes the step into `d`, a copy of `s` (only called when the guard holds) */
  readonly effect: (d: Draft, p: P, c: Setup, s: State) => void;
  /** one line: what the step did */
  readonly describe: (from: State, to: State, p: P, c: Setup) => string;
  /** why the step is not enabled in `s`, the last state of `trace`; null when it sees no reason */
  readonly explain: (s: State, p: P, c: Setup, trace: readonly TraceStep<State>[]) => string | null;
  readonly arrow: (p: P, c: Setup) => Arrow;
  /** the calls it stands for, in order, in this design (none: a step of the environment, of Daily or of time) */
  readonly code?: (c: Setup) => readonly CodeStep[];
  readonly clock?: boolean;
}

/** Declares an action (a typed identity: it keeps each definition's parameter type). */
export function presenceAction<P extends Params>(def: PresenceAction<P>): PresenceAction<P> {
  return def;
}

/** The checker's view of an action in this run. */
export function toActionDef<P extends Params>(def: PresenceAction<P>, c: Setup): ActionDef<State, P> {
  // frozen: the checker then checks the list once, not on every state
  const listed = def.domain(c);
  const domain = Object.isFrozen(listed) ? listed : Object.freeze([...listed]);
  const fairness = def.fairness(c);
  const resolved: Fairness | undefined =
    fairness === 'environment' ? (c.settles ? 'finite' : undefined) : fairness === null ? undefined : fairness;
  return {
    name: def.name,
    params: def.params ? def.params(c) : () => domain,
    domain,
    ...(resolved !== undefined ? { fairness: resolved } : {}),
    guard: (s, p) => def.guard(s, p, c),
    effect: (s, p) => {
      const d = s.draft();
      def.effect(d, p, c, s);
      return settle(s, d);
    },
    describe: (step, to) => def.describe(step.from, to, step.params as P, c),
    explain: (trace, p) => def.explain(trace[trace.length - 1].state, p, c, trace),
    arrow: (p) => def.arrow(p, c),
    ...(def.clock ? { clock: true } : {}),
  };
}

/**
 * The next state from a written draft: tidied (tidy.ts), and the source
 * itself when nothing changed, so that the checker sees a self-loop.
 */
export function settle(from: State, d: Draft): State {
  tidy(d);
  const a = from.w;
  const b = d.w;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return d.view;
  return from;
}
