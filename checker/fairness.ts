// Fairness instances: which action instance a transition takes, as a key
// ("action 2, user u1") and as a small dense id. Ids are handed out by one
// table in the order keys are first met; the searches meet transitions in
// the one fixed order (and the parallel search's coordinating thread interns
// the keys its workers send in that same order), so ids are deterministic.
import type { ActionDef, Params } from './types.ts';

export const NOT_FAIR = 0;
export const WEAK = 1;
export const STRONG = 2;
/** taken only finitely often (not fair: it is never required, and a counterexample's cycle may not take it) */
export const FINITE = 3;

interface ActionFairness {
  readonly kind: typeof WEAK | typeof STRONG | typeof FINITE;
  /** the key parameters, or null for all of the binding's (sorted by name) */
  readonly per: readonly string[] | null;
}

function token(v: unknown): string {
  switch (typeof v) {
    case 'number':
      return Object.is(v, -0) ? 'n-0' : `n${v}`;
    case 'boolean':
      return v ? 'b1' : 'b0';
    case 'string':
      return `s${JSON.stringify(v)}`; // self-delimiting, so the concatenation is unambiguous
    case 'undefined':
      return 'u';
    default:
      return `j${JSON.stringify(v)}`;
  }
}

/** Keys of fairness instances for a model's actions (pure: a worker thread computes the same keys). */
export class FairnessKeys {
  private readonly fair: readonly (ActionFairness | null)[];
  readonly any: boolean;

  // biome-ignore lint/suspicious/noExplicitAny: only the actions' fairness is read, whatever their state and parameter types
  constructor(model: { readonly actions: readonly ActionDef<any, any>[] }) {
    this.fair = model.actions.map((a) => {
      const f = a.fairness;
      if (f === undefined) return null;
      if (f === 'finite') return { kind: FINITE, per: [] }; // one instance: the action as a whole
      if (f === 'weak' || f === 'strong') return { kind: f === 'weak' ? WEAK : STRONG, per: null };
      return { kind: f.kind === 'weak' ? WEAK : STRONG, per: f.per.slice() };
    });
    this.any = this.fair.some((f) => f !== null);
    this.made = this.fair.map(() => new WeakMap());
  }

  /** NOT_FAIR, WEAK, STRONG or FINITE for action index `a`. */
  kindOf(a: number): number {
    return this.fair[a]?.kind ?? NOT_FAIR;
  }

  /**
   * Keys already made, per action and binding object: a model that hands out
   * the same binding objects on every state (as a fixed list) gets each key
   * built once rather than once a transition. Only frozen bindings are cached
   * (the search freezes every binding it meets: successors.ts), so a key is
   * always the binding's value, never what an object held when first seen.
   */
  private readonly made: WeakMap<Params, string | null>[];

  /** The instance key of action `a` under `params`, or null when the action has no fairness (nor finite) declared. */
  key(a: number, params: Params): string | null {
    if (typeof params !== 'object' || params === null || !Object.isFrozen(params)) return this.build(a, params);
    const made = this.made[a];
    let key = made.get(params);
    if (key === undefined) made.set(params, (key = this.build(a, params)));
    return key;
  }

  private build(a: number, params: Params): string | null {
    const f = this.fair[a];
    if (f === null) return null;
    const names = f.per ?? Object.keys(params).sort();
    let key = `${a}`;
    for (const name of names) key += `,${token(params[name])}`;
    return key;
  }
}

/** Interns instance keys: id 1, 2, ... in the order first met (0 = not fair). */
export class InstanceTable {
  private readonly ids = new Map<string, number>();
  /** fairness kind by instance id (index 0 unused) */
  readonly kinds: number[] = [NOT_FAIR];
  /** the key by instance id, for messages */
  readonly keys: string[] = [''];

  constructor(readonly fairness: FairnessKeys) {}

  get size(): number {
    return this.kinds.length - 1;
  }

  intern(key: string, kind: number): number {
    let id = this.ids.get(key);
    if (id === undefined) {
      id = this.kinds.length;
      this.ids.set(key, id);
      this.kinds.push(kind);
      this.keys.push(key);
    }
    return id;
  }

  /** ids already interned, per action and frozen binding object (see FairnessKeys.made) */
  private readonly known: WeakMap<Params, number>[] = [];

  /** The instance id a transition of action `a` under `params` takes (interned if new; 0 if not fair). */
  of(a: number, params: Params): number {
    if (typeof params !== 'object' || params === null || !Object.isFrozen(params)) return this.lookUp(a, params);
    const known = (this.known[a] ??= new WeakMap());
    let id = known.get(params);
    if (id === undefined) known.set(params, (id = this.lookUp(a, params)));
    return id;
  }

  private lookUp(a: number, params: Params): number {
    const key = this.fairness.key(a, params);
    return key === null ? NOT_FAIR : this.intern(key, this.fairness.kindOf(a));
  }

  /** Like of(), without interning: -1 for a fair instance never seen. */
  find(a: number, params: Params): number {
    const key = this.fairness.key(a, params);
    return key === null ? NOT_FAIR : (this.ids.get(key) ?? -1);
  }
}
