// What makes a model value well formed, checked before any search: a
// malformed model is bad input, never a verdict. A duplicate action name
// would hide an action that never fires (coverage is reported by name); a
// duplicate property name would report the wrong property; no initial state
// makes every property hold vacuously; an `always` whose condition takes a
// second parameter expects a step it is never given (an invariant is tested
// on states), so it could never fail on one: that is `alwaysStep`.
import { DEADLOCK, type Model } from './types.ts';
import { ModelDefinitionError } from './errors.ts';

const KINDS = ['always', 'sometimes', 'step', 'leadsTo'];

function fairnessProblem(f: unknown): string | null {
  if (f === undefined || f === 'weak' || f === 'strong' || f === 'finite') return null;
  const o = f as { kind?: unknown; per?: unknown } | null;
  if (
    typeof o === 'object' &&
    o !== null &&
    (o.kind === 'weak' || o.kind === 'strong') &&
    Array.isArray(o.per) &&
    o.per.every((k) => typeof k === 'string')
  )
    return null;
  return "fairness must be 'weak', 'strong', 'finite' or { kind: 'weak' | 'strong', per: [parameter names] }";
}

/** The problems of a model value, one line each (empty: well formed). */
export function modelProblems(value: unknown): string[] {
  if (typeof value === 'function') return ['it is a function, not a model (did you mean to call it and export its result?)'];
  if (typeof value !== 'object' || value === null) return [`it is ${value === null ? 'null' : `a ${typeof value}`}, not a model`];
  const m = value as Partial<Model<unknown>>;
  const problems: string[] = [];
  if (typeof m.name !== 'string' || m.name.trim() === '') problems.push('`name` must be a non-empty string');
  if (!Array.isArray(m.init)) problems.push('`init` must be an array of initial states');
  else if (m.init.length === 0) problems.push('`init` is empty: a model needs at least one initial state');
  if (!Array.isArray(m.actions)) problems.push('`actions` must be an array of {name, guard, effect}');
  else {
    m.actions.forEach((a, i) => {
      if (typeof a?.name !== 'string' || a.name === '') problems.push(`actions[${i}] has no name`);
      else {
        if (typeof a.guard !== 'function') problems.push(`action ${a.name}: guard must be a function`);
        if (typeof a.effect !== 'function') problems.push(`action ${a.name}: effect must be a function`);
        if (a.params !== undefined && typeof a.params !== 'function') problems.push(`action ${a.name}: params must be a function`);
        const fair = fairnessProblem(a.fairness);
        if (fair !== null) problems.push(`action ${a.name}: ${fair}`);
      }
    });
    problems.push(
      ...duplicates(
        m.actions.map((a) => a?.name),
        'action',
      ),
    );
  }
  if (!Array.isArray(m.properties)) problems.push('`properties` must be an array');
  else {
    m.properties.forEach((p, i) => {
      if (typeof p?.name !== 'string' || p.name === '') problems.push(`properties[${i}] has no name`);
      else if (!KINDS.includes(p.kind)) problems.push(`property ${p.name}: kind must be one of ${KINDS.join(', ')}`);
      else if (p.kind === 'leadsTo') {
        if (typeof p.p !== 'function' || typeof p.q !== 'function') problems.push(`property ${p.name}: a leadsTo needs functions p and q`);
      } else if (typeof p.condition !== 'function') problems.push(`property ${p.name}: condition must be a function`);
      else if (p.kind === 'always' && p.condition.length > 1)
        problems.push(
          `property ${p.name}: an \`always\` condition takes the state only (it is tested on states, never given a step); ` +
            'for a property of each step (a transition invariant) use alwaysStep(name, description, (step, to) => ...)',
        );
    });
    const names = m.properties.map((p) => p?.name);
    problems.push(...duplicates(names, 'property'));
    if (m.deadlockIsError !== false && names.includes(DEADLOCK.name)) {
      problems.push(`property name '${DEADLOCK.name}' is the checker's own (a state without enabled actions); rename it`);
    }
  }
  for (const f of ['encode', 'view', 'describe'] as const) {
    if (m[f] !== undefined && typeof m[f] !== 'function') problems.push(`\`${f}\` must be a function`);
  }
  if (m.codec !== undefined && (typeof m.codec?.pack !== 'function' || typeof m.codec?.unpack !== 'function')) {
    problems.push('`codec` must have pack(state, out) and unpack(ints, start)');
  }
  if (m.symmetry !== undefined) {
    const y = m.symmetry as Partial<NonNullable<Model<unknown>['symmetry']>> | null;
    if (
      typeof y !== 'object' ||
      y === null ||
      !(Number.isInteger(y.atoms) && (y.atoms as number) > 0) ||
      typeof y.canonical !== 'function' ||
      typeof y.renameParams !== 'function' ||
      typeof y.renameProperty !== 'function'
    )
      problems.push(
        '`symmetry` must have atoms (a positive integer), canonical(state, r), renameParams(r, action, params) and renameProperty(r, name)',
      );
  }
  return problems;
}

function duplicates(names: readonly unknown[], what: string): string[] {
  const seen = new Set<unknown>();
  const twice = new Set<unknown>();
  for (const n of names) (seen.has(n) ? twice : seen).add(n);
  return [...twice]
    .filter((n) => typeof n === 'string' && n !== '')
    .map((n) => `two ${what === 'property' ? 'properties' : `${what}s`} are named '${String(n)}' (names must be unique)`);
}

/** Throws a ModelDefinitionError naming the first problem(s) of a malformed model. */
export function assertModel(model: unknown): asserts model is Model<unknown> {
  const problems = modelProblems(model);
  if (problems.length > 0) throw new ModelDefinitionError(problems.join('; '));
}
