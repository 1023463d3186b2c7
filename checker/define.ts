// Small helpers to build a model value; they only fill in the shapes of types.ts.
import type { ActionDef, LeadsToProperty, Model, Params, Property, Step } from './types.ts';

export function always<S>(name: string, description: string, condition: (state: S) => boolean): Property<S> {
  return { kind: 'always', name, description, condition };
}

export function sometimes<S>(
  name: string, description: string, condition: (state: S, step?: Step<S>) => boolean,
): Property<S> {
  return { kind: 'sometimes', name, description, condition };
}

/** p ~> q: in every fair behaviour, whenever p holds, q holds then or later (see liveness.ts). */
export function leadsTo<S>(
  name: string, description: string,
  p: (state: S, step?: Step<S>) => boolean, q: (state: S, step?: Step<S>) => boolean,
): LeadsToProperty<S> {
  return { kind: 'leadsTo', name, description, p, q };
}

/** <>q: every fair behaviour reaches q (p ~> q with p true exactly on initial states). */
export function eventually<S>(name: string, description: string, q: (state: S, step?: Step<S>) => boolean): LeadsToProperty<S> {
  return leadsTo(name, description, (_s, step) => step === undefined, q);
}

/** []<>q: q holds again and again, in every fair behaviour (p ~> q with p always true). */
export function alwaysEventually<S>(
  name: string, description: string, q: (state: S, step?: Step<S>) => boolean,
): LeadsToProperty<S> {
  return leadsTo(name, description, () => true, q);
}

export function action<S, P extends Params = Params>(def: ActionDef<S, P>): ActionDef<S, P> {
  return def;
}

const isFairness = (f: unknown): boolean => f === undefined || f === 'weak' || f === 'strong'
  || (typeof f === 'object' && f !== null && ((f as { kind?: unknown }).kind === 'weak' || (f as { kind?: unknown }).kind === 'strong')
    && Array.isArray((f as { per?: unknown }).per) && ((f as { per: unknown[] }).per).every((k) => typeof k === 'string'));

/**
 * Duck-typing check for values loaded from a user's module. It accepts every
 * property kind (leadsTo too), and actions with fairness; its type says
 * Model<unknown> for the callers outside the checker that still expect the
 * narrow shape (they only read a property's name, kind and description, or
 * `condition` after testing the kind), while the checker itself takes any.
 */
export function isModel(value: unknown): value is Model<unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const m = value as Partial<Model<unknown>>;
  return typeof m.name === 'string' && Array.isArray(m.init) && Array.isArray(m.actions)
    && Array.isArray(m.properties)
    && m.actions.every((a) => typeof a?.name === 'string' && typeof a.guard === 'function' && typeof a.effect === 'function'
      && isFairness(a.fairness))
    && (m.properties as readonly unknown[]).every((raw) => {
      const p = raw as { name?: unknown; kind?: unknown; condition?: unknown; p?: unknown; q?: unknown } | null;
      if (typeof p?.name !== 'string') return false;
      if (p.kind === 'always' || p.kind === 'sometimes') return typeof p.condition === 'function';
      return p.kind === 'leadsTo' && typeof p.p === 'function' && typeof p.q === 'function';
    });
}
