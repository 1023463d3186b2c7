// Random small models for the checker's differential tests: a directed
// graph over N <= 40 integer states, each state with a few guarded, possibly
// parameterised actions to other states, some states "bad". A Graph is plain
// data, so a worker thread can rebuild the same model from it (graphModel
// below is the export the parallel search loads).
import { List, Map as ImMap, Record as ImRecord, Set as ImSet } from 'immutable';
import { always, type ActionDef, type IntSink, type Model, type Params } from '../../checker/index.ts';

export const MAX_N = 40;
export const MAX_BINDINGS = 3;

export interface Graph {
  readonly n: number;
  readonly init: readonly number[];
  /**
   * arity 0: no params (binding 0 only); arity m: params {k: 0..m-1}. targets[s * MAX_BINDINGS + k]
   * says where the action goes from s under binding k: -1 disabled, t < n to state t, t >= n
   * to state s + 1 + (t - n) mod n (short forward jumps make long paths).
   */
  readonly actions: readonly { readonly arity: number; readonly targets: readonly number[] }[];
  readonly bad: readonly boolean[];
  readonly shape: Shape;
}

// ---------------------------------------------------------------------------------------------
// state shapes: wrap(id, salt) builds the state (salt varies how it is built), unwrap reads it

export type Shape = 'number' | 'record' | 'list' | 'map' | 'object' | 'native-map' | 'native-set' | 'nested' | 'big' | 'date';
export const SHAPES: readonly Shape[] = ['number', 'record', 'list', 'map', 'object', 'native-map', 'native-set', 'nested', 'big', 'date'];
const Node = ImRecord({ id: 0 });
type NodeRec = ReturnType<typeof Node>;
interface ShapeDef {
  wrap(id: number, salt: number): unknown;
  unwrap(state: unknown): number;
  encode?: (state: unknown, out: IntSink) => void;
}
const lo = (id: number) => id % 5,
  hi = (id: number) => Math.floor(id / 5);
/** a map's entries, in an insertion order the salt picks */
const entries = (id: number, salt: number): [string, number][] =>
  salt % 2 === 0
    ? [
        ['lo', lo(id)],
        ['hi', hi(id)],
      ]
    : [
        ['hi', hi(id)],
        ['lo', lo(id)],
      ];
export const SHAPE: Readonly<Record<Shape, ShapeDef>> = {
  number: { wrap: (id) => id, unwrap: (s) => s as number },
  // with its own encoding: the default one cannot encode Records (see known-answers.test.ts)
  record: { wrap: (id) => Node({ id }), unwrap: (s) => (s as NodeRec).id, encode: (s, out) => out.int((s as NodeRec).id) },
  list: { wrap: (id) => List([lo(id), hi(id)]), unwrap: (s) => (s as List<number>).get(0)! + 5 * (s as List<number>).get(1)! },
  map: {
    wrap: (id, salt) => ImMap<string, number>(entries(id, salt)),
    unwrap: (s) => (s as ImMap<string, number>).get('lo')! + 5 * (s as ImMap<string, number>).get('hi')!,
  },
  object: {
    wrap: (id, salt) => (salt % 2 === 0 ? { lo: lo(id), hi: hi(id) } : { hi: hi(id), lo: lo(id) }),
    unwrap: (s) => (s as { lo: number }).lo + 5 * (s as { hi: number }).hi,
  },
  // native collections, built in varying insertion orders: equal by content (the default encoding sorts them)
  'native-map': {
    wrap: (id, salt) => new Map<string, number>(entries(id, salt)),
    unwrap: (s) => (s as Map<string, number>).get('lo')! + 5 * (s as Map<string, number>).get('hi')!,
  },
  'native-set': {
    wrap: (id, salt) => new Set<string>(salt % 2 === 0 ? [`lo${lo(id)}`, `hi${hi(id)}`] : [`hi${hi(id)}`, `lo${lo(id)}`]),
    unwrap: (s) => {
      const items = [...(s as Set<string>)];
      return Number(items.find((x) => x.startsWith('lo'))!.slice(2)) + 5 * Number(items.find((x) => x.startsWith('hi'))!.slice(2));
    },
  },
  // Immutable and plain values nested in each other
  nested: {
    wrap: (id, salt) => ImMap<string, unknown>({ part: List([ImSet(salt % 2 === 0 ? [lo(id), -1] : [-1, lo(id)]), { hi: hi(id) }]) }),
    unwrap: (s) => {
      const part = (s as ImMap<string, List<unknown>>).get('part')!;
      return (part.get(0) as ImSet<number>).max()! + 5 * (part.get(1) as { hi: number }).hi;
    },
  },
  // integers far beyond 32 bits, negative and positive: each id its own safe integer
  big: { wrap: (id) => id * 2 ** 35 - 2 ** 40, unwrap: (s) => ((s as number) + 2 ** 40) / 2 ** 35 },
  date: { wrap: (id) => new Date(Date.UTC(2026, 0, 1) + id * 1000), unwrap: (s) => ((s as Date).getTime() - Date.UTC(2026, 0, 1)) / 1000 },
};

export const bindingsOf = (arity: number) => Math.max(arity, 1);
export function targetOf(g: Graph, a: number, s: number, k: number): number {
  const t = g.actions[a].targets[s * MAX_BINDINGS + k];
  return t < g.n ? t : (s + 1 + t - g.n) % g.n;
}

export interface GraphOptions {
  readonly invariant: boolean;
  readonly deadlock: boolean;
  /** give the model a codec (the state's id; unpacked with salt 0), so the checker packs its frontier */
  readonly codec?: boolean;
}

export function graphModel(g: Graph, options: GraphOptions): Model<unknown> {
  const { wrap, unwrap, encode } = SHAPE[g.shape];
  const actions = g.actions.map(
    (a, i): ActionDef<unknown, Params> => ({
      name: `a${i}`,
      ...(a.arity > 0 ? { params: () => Array.from({ length: a.arity }, (_, k) => ({ k })) } : {}),
      guard: (s, p) => targetOf(g, i, unwrap(s), (p.k as number | undefined) ?? 0) >= 0,
      effect: (s, p) => wrap(targetOf(g, i, unwrap(s), (p.k as number | undefined) ?? 0), unwrap(s) + i),
    }),
  );
  return {
    name: 'random',
    init: g.init.map((id, i) => wrap(id, i)),
    actions,
    properties: options.invariant ? [always('good', 'no bad state', (s) => !g.bad[unwrap(s)])] : [],
    deadlockIsError: options.deadlock,
    ...(encode ? { encode } : {}),
    ...(options.codec
      ? { codec: { pack: (s: unknown, out: IntSink) => out.int(unwrap(s)), unpack: (ints: Int32Array, at: number) => wrap(ints[at], 0) } }
      : {}),
  };
}
