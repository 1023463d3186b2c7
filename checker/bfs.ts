// Breadth-first exploration. States are expanded level by level, in
// discovery order, so the first violating state found is at minimal depth and
// its chain of first discoverers is a shortest trace. `always` properties are
// checked when a state is first discovered; `sometimes` properties on every
// transition (also into known states) until each is reached.
import type {
  ActionDef, CheckOptions, CheckResult, Limit, Model, Params, Property, PropertyResult, Step, Verdict,
} from './types.ts';
import { defaultEncoder, ExactSet, FingerprintSet, type VisitedSet } from './visited.ts';
import { rebuildTrace } from './trace.ts';
import { DEADLOCK } from './types.ts';
import { NO_PARAMS } from './successors.ts';


export function check<S>(model: Model<S>, options: CheckOptions = {}): CheckResult<S> {
  const started = performance.now();
  const encode = model.encode ?? defaultEncoder<S>();
  const visited: VisitedSet<S> = options.exact ? new ExactSet(encode) : new FingerprintSet(encode);
  const actions = model.actions as readonly ActionDef<S, Params>[];
  const invariants = model.properties.filter((p) => p.kind === 'always');
  const witnesses = model.properties.filter((p) => p.kind === 'sometimes');
  const deadlockIsError = model.deadlockIsError !== false;

  const fired = new Float64Array(actions.length);
  const violatedAt = new Map<string, number>(); // property -> depth
  const reachedAt = new Map<string, number>();
  let pending: Property<S>[] = witnesses.slice();
  let violation: { property: string; id: number } | null = null;
  let limit: Limit | null = null;
  let transitions = 0;
  let depth = 0; // depth of the level being expanded
  let explored = -1; // deepest level whose states were all expanded

  const everyMs = options.progressEveryMs ?? 250;
  let nextProgress = started + everyMs;
  let sinceClock = 0;

  const checkWitnesses = (state: S, step: Step<S> | undefined, at: number): void => {
    let kept = 0;
    for (const w of pending) {
      if (w.condition(state, step)) reachedAt.set(w.name, at);
      else pending[kept++] = w;
    }
    pending.length = kept;
  };

  const checkInvariants = (state: S, id: number, at: number): boolean => {
    for (const p of invariants) {
      if (!p.condition(state)) {
        violatedAt.set(p.name, at);
        violation = { property: p.name, id };
        return false;
      }
    }
    return true;
  };

  /** Polls the clock and the limits; returns true when the run must stop. */
  const overLimit = (frontier: number): boolean => {
    if (options.maxStates !== undefined && visited.size >= options.maxStates) limit = 'max-states';
    if (++sinceClock < 256) return limit !== null;
    sinceClock = 0;
    const now = performance.now();
    if (options.maxTimeMs !== undefined && now - started >= options.maxTimeMs) limit = 'max-time';
    if (limit === null && options.shouldStop) limit = options.shouldStop();
    if (options.onProgress && now >= nextProgress) {
      nextProgress = now + everyMs;
      options.onProgress({ states: visited.size, transitions, frontier, depth, elapsedMs: now - started });
    }
    return limit !== null;
  };

  let peakFrontier = 0;
  let frontier: S[] = [];
  let frontierIds: number[] = [];
  for (const s of model.init) {
    if (pending.length > 0) checkWitnesses(s, undefined, 0);
    const id = visited.visit(s, -1);
    if (id < 0) continue;
    frontier.push(s);
    frontierIds.push(id);
    if (!checkInvariants(s, id, 0)) break;
  }

  search: while (violation === null && frontier.length > 0) {
    if (options.maxDepth !== undefined && depth >= options.maxDepth) {
      limit = 'max-depth';
      break;
    }
    const next: S[] = [];
    const nextIds: number[] = [];
    for (let i = 0; i < frontier.length; i++) {
      const state = frontier[i];
      const parent = frontierIds[i];
      let enabled = 0;
      // the enumeration of successors.ts, inlined: this is the hot loop
      for (let a = 0; a < actions.length; a++) {
        const action = actions[a];
        const bindings = action.params ? action.params(state) : NO_PARAMS;
        for (const params of bindings) {
          if (!action.guard(state, params)) continue;
          const target = action.effect(state, params);
          enabled++;
          transitions++;
          fired[a]++;
          if (pending.length > 0) checkWitnesses(target, { from: state, action: action.name, params }, depth + 1);
          const id = visited.visit(target, parent);
          if (id < 0) continue;
          if (!checkInvariants(target, id, depth + 1)) break search;
          next.push(target);
          nextIds.push(id);
        }
      }
      if (enabled === 0 && deadlockIsError) {
        violatedAt.set(DEADLOCK.name, depth);
        violation = { property: DEADLOCK.name, id: parent };
        break search;
      }
      if (overLimit(frontier.length - i + next.length)) break search;
    }
    explored = depth;
    depth++;
    peakFrontier = Math.max(peakFrontier, next.length);
    frontier = next;
    frontierIds = nextIds;
  }
  const complete = violation === null && limit === null;

  const coverage: Record<string, number> = {};
  actions.forEach((a, i) => (coverage[a.name] = (coverage[a.name] ?? 0) + fired[i]));
  const unfiredActions = complete ? Object.keys(coverage).filter((name) => coverage[name] === 0) : [];
  const unreachedWitnesses = complete ? pending.map((w) => w.name) : [];

  const found = violation as { property: string; id: number } | null;
  let verdict: Verdict;
  let property: string | null = null;
  if (found !== null) {
    verdict = 'violated';
    property = found.property;
  } else if (limit !== null) verdict = 'incomplete';
  else if (unreachedWitnesses.length > 0 || unfiredActions.length > 0) {
    verdict = 'vacuous';
    property = unreachedWitnesses[0] ?? `action ${unfiredActions[0]}`;
  } else verdict = 'holds';

  const trace = found !== null ? rebuildTrace(model, visited, found.id) : [];
  const properties: PropertyResult[] = [
    ...invariants.map((p): PropertyResult => ({
      name: p.name, kind: 'always', description: p.description,
      status: violatedAt.has(p.name) ? 'violated' : complete ? 'holds' : 'unknown',
      ...(violatedAt.has(p.name) ? { depth: violatedAt.get(p.name) } : {}),
    })),
    ...witnesses.map((p): PropertyResult => ({
      name: p.name, kind: 'sometimes', description: p.description,
      status: reachedAt.has(p.name) ? 'reached' : complete ? 'unreached' : 'unknown',
      ...(reachedAt.has(p.name) ? { depth: reachedAt.get(p.name) } : {}),
    })),
  ];
  if (deadlockIsError) {
    properties.push({
      name: DEADLOCK.name, kind: 'deadlock', description: DEADLOCK.description,
      status: violatedAt.has(DEADLOCK.name) ? 'violated' : complete ? 'holds' : 'unknown',
      ...(violatedAt.has(DEADLOCK.name) ? { depth: violatedAt.get(DEADLOCK.name) } : {}),
    });
  }

  return {
    model: model.name,
    verdict,
    property,
    vacuity: { unreachedWitnesses, unfiredActions },
    limit,
    states: visited.size,
    transitions,
    // violated: the trace's length; complete: the deepest level; cut short:
    // every state at depth <= this was discovered and checked
    depth: found !== null ? trace.length - 1 : complete ? explored : explored + 1,
    elapsedMs: performance.now() - started,
    visitedBytes: visited.bytes,
    peakFrontier,
    coverage,
    properties,
    trace,
  };
}
