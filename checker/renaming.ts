// Renamings (a model's Symmetry: permutations of its atoms), interned as
// small ids, with what liveness under symmetry needs of them: composition,
// inverse, and how one renames the fairness instances and the leadsTo
// properties. Id 0 is the identity. Everything is memoised: the group is
// small (users! × tabs!^users × ids! at most), the edges are many.
import type { InstanceTable } from './fairness.ts';
import type { ActionDef, LeadsToProperty, Model, Params, Symmetry } from './types.ts';

/** renaming ids below this have their compositions in a dense table (4 MiB) */
const DENSE = 1024;

export class Renamings {
  readonly atoms: number;
  private readonly ids = new Map<number | string, number>();
  /** bits an atom takes in a numeric key (0: keys are strings) */
  private readonly bits: number;
  private readonly radix: number;
  readonly perms: Int32Array[] = [];
  private readonly composed = new Map<number, number>();
  private readonly inverses: number[] = [];
  private readonly onProps: (Int32Array | undefined)[] = [];
  private readonly instanceMaps: (Int32Array | undefined)[] = [];
  /** scratch for canonical() */
  private readonly scratch: Int32Array;

  constructor(readonly symmetry: Symmetry<unknown>) {
    this.atoms = symmetry.atoms;
    const bits = Math.max(1, Math.ceil(Math.log2(Math.max(2, this.atoms))));
    this.bits = this.atoms * bits <= 52 ? bits : 0;
    this.radix = 2 ** bits;
    this.scratch = new Int32Array(this.atoms);
    this.intern(Int32Array.from({ length: this.atoms }, (_, i) => i));
  }

  /** The id of renaming `r` (a permutation of the atoms; copied when new). */
  intern(r: Int32Array): number {
    let key: number | string;
    if (this.bits > 0) {
      // exact in a double: atoms · bits <= 52
      key = 0;
      for (let i = 0; i < r.length; i++) key = key * this.radix + r[i];
    } else key = String.fromCharCode.apply(null, r as unknown as number[]);
    let id = this.ids.get(key);
    if (id === undefined) {
      check(r, this.atoms);
      id = this.perms.length;
      this.ids.set(key, id);
      this.perms.push(Int32Array.from(r));
    }
    return id;
  }

  /** The id of the renaming that takes `state` to its canonical form. */
  canonical(state: unknown): number {
    this.symmetry.canonical(state, this.scratch);
    return this.intern(this.scratch);
  }

  get size(): number {
    return this.perms.length;
  }

  /** a∘b: rename by b, then by a */
  compose(a: number, b: number): number {
    if (a === 0) return b;
    if (b === 0) return a;
    // the first DENSE ids' compositions in a table (the analysis composes on every edge it follows)
    if (a < DENSE && b < DENSE) {
      const at = a * DENSE + b;
      const known = this.dense[at];
      if (known >= 0) return known;
      return (this.dense[at] = this.composeSlow(a, b));
    }
    return this.composeSlow(a, b);
  }

  private readonly dense = new Int32Array(DENSE * DENSE).fill(-1);

  private composeSlow(a: number, b: number): number {
    const key = a * 0x100000 + b;
    let id = this.composed.get(key);
    if (id === undefined) {
      const A = this.perms[a],
        B = this.perms[b];
      const r = new Int32Array(this.atoms);
      for (let x = 0; x < r.length; x++) r[x] = A[B[x]];
      id = this.intern(r);
      this.composed.set(key, id);
    }
    return id;
  }

  inverse(a: number): number {
    let id = this.inverses[a];
    if (id === undefined) {
      const A = this.perms[a];
      const r = new Int32Array(this.atoms);
      for (let x = 0; x < r.length; x++) r[A[x]] = x;
      id = this.intern(r);
      this.inverses[a] = id;
      this.inverses[id] = a;
    }
    return id;
  }

  /** Renaming `a` on the leadsTo properties: index k goes to map[k]. */
  onProperties<S>(a: number, props: readonly LeadsToProperty<S>[]): Int32Array {
    let map = this.onProps[a];
    if (map === undefined) {
      const index = new Map(props.map((p, k) => [p.name, k]));
      map = new Int32Array(props.length);
      for (let k = 0; k < props.length; k++) {
        const renamed = this.symmetry.renameProperty(this.perms[a], props[k].name);
        const to = index.get(renamed);
        if (to === undefined)
          throw new SymmetryError(`renameProperty gave "${renamed}" for ${props[k].name}, which is no leadsTo property of the model`);
        map[k] = to;
      }
      if (new Set(map).size !== map.length) throw new SymmetryError('renameProperty renames two properties to one');
      this.onProps[a] = map;
    }
    return map;
  }

  /**
   * Renaming `a` on the fairness instances: id i goes to map[i] (0 stays 0).
   * Renamed instances never met are interned, so the table may grow: ask
   * again (the map is remade when it is shorter than the table).
   */
  onInstances(a: number, table: InstanceTable, bindings: InstanceBindings): Int32Array {
    let map = this.instanceMaps[a];
    if (map === undefined || map.length < table.kinds.length) {
      const old = map;
      map = new Int32Array(table.kinds.length);
      if (old !== undefined) map.set(old);
      for (let i = old === undefined ? 1 : old.length; i < map.length; i++) {
        const { action, params } = bindings.of(i);
        const renamed = a === 0 ? params : this.symmetry.renameParams(this.perms[a], bindings.name(action), params);
        const id = table.of(action, Object.isFrozen(renamed) ? renamed : Object.freeze(renamed));
        if (id === 0) throw new SymmetryError(`renameParams gave a binding of ${bindings.name(action)} without fairness`);
        map[i] = id;
      }
      this.instanceMaps[a] = map;
    }
    return map;
  }
}

/** The model's Symmetry breaks a rule a renaming must keep. */
export class SymmetryError extends Error {
  constructor(message: string) {
    super(`model symmetry: ${message}`);
    this.name = 'SymmetryError';
  }
}

function check(r: Int32Array, atoms: number): void {
  const seen = new Uint8Array(atoms);
  for (let x = 0; x < atoms; x++) {
    const y = r[x];
    if (!(Number.isInteger(y) && y >= 0 && y < atoms) || seen[y] === 1)
      throw new SymmetryError(`canonical() wrote [${Array.from(r).join(', ')}], not a permutation of 0..${atoms - 1}`);
    seen[y] = 1;
  }
}

/**
 * The binding behind each fairness instance id: the one-thread search records
 * it as it interns; the parallel one only gets keys, so the rest are found by
 * the keys of the actions' `domain` lists.
 */
export class InstanceBindings {
  private readonly byId: ({ action: number; params: Params } | undefined)[] = [];
  private byKey: Map<string, { action: number; params: Params }> | null = null;

  constructor(
    // biome-ignore lint/suspicious/noExplicitAny: only names and domains are read
    private readonly model: Model<any>,
    private readonly table: InstanceTable,
  ) {}

  name(action: number): string {
    return this.model.actions[action].name;
  }

  /** Records that instance `id` is action `action` under `params`. */
  note(id: number, action: number, params: Params): void {
    if (id > 0 && this.byId[id] === undefined) this.byId[id] = { action, params };
  }

  of(id: number): { action: number; params: Params } {
    const known = this.byId[id];
    if (known !== undefined) return known;
    if (this.byKey === null) {
      this.byKey = new Map();
      const actions = this.model.actions as readonly ActionDef<unknown, Params>[];
      actions.forEach((a, i) => {
        for (const params of a.domain ?? []) {
          const key = this.table.fairness.key(i, params);
          if (key !== null && !this.byKey!.has(key)) this.byKey!.set(key, { action: i, params });
        }
      });
    }
    const found = this.byKey.get(this.table.keys[id]);
    if (found === undefined)
      throw new SymmetryError(
        `fairness instance ${this.table.keys[id]} is in no action's domain: a symmetric liveness search in parallel needs every action's domain`,
      );
    this.byId[id] = found;
    return found;
  }
}
