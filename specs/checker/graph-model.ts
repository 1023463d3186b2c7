// Random small models for the checker's differential tests: a directed
// graph over N <= 40 integer states, each state with a few guarded, possibly
// parameterised actions to other states, some states "bad". A Graph is plain
// data, so a worker thread can rebuild the same model from it (graphModel
// below is the export the parallel search loads).
import { List, Map as ImMap, Record as ImRecord, Set as ImSet, Stack } from 'immutable';
import { always, alwaysStep, type ActionDef, type IntSink, type Model, type Params, type Property } from '../../checker/index.ts';

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

export type Shape =
  | 'number'
  | 'record'
  | 'list'
  | 'map'
  | 'object'
  | 'native-map'
  | 'native-set'
  | 'nested'
  | 'big'
  | 'date'
  | 'record-types'
  | 'signed-zero'
  | 'holes'
  | 'kinds';
export const SHAPES: readonly Shape[] = [
  'number',
  'record',
  'list',
  'map',
  'object',
  'native-map',
  'native-set',
  'nested',
  'big',
  'date',
  'record-types',
  'signed-zero',
  'holes',
  'kinds',
];
/** The shapes that tell states apart only in what JavaScript can tell apart and a careless encoding would not (on the default encoding). */
export const SUBTLE_SHAPES: readonly Shape[] = ['record-types', 'signed-zero', 'holes', 'kinds'];
/** Shapes whose default encoding writes Immutable Records: the parallel search keeps to one thread (checker/parallel.ts). */
export const RECORD_SHAPES: readonly Shape[] = ['record-types'];
const Node = ImRecord({ id: 0 });
// three Record types with the same (default) name, fields and defaults: only `instanceof` tells them apart
const Ping = ImRecord({ n: 0 });
const Pong = ImRecord({ n: 0 });
const Pang = ImRecord({ n: 0 });
const KINDS = [Ping, Pong, Pang] as const;
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
  // the state's Record type carries id mod 3 (the default encoding, so by type, not by its name "Record")
  'record-types': {
    wrap: (id) => KINDS[id % 3]({ n: Math.floor(id / 3) }),
    unwrap: (s) => 3 * (s as { n: number }).n + KINDS.findIndex((K) => s instanceof K),
  },
  // the sign of a zero carries the low bit: Object.is(z, -0)
  'signed-zero': {
    wrap: (id) => ({ hi: Math.floor(id / 2), z: id % 2 === 0 ? 0 : -0 }),
    unwrap: (s) => 2 * (s as { hi: number }).hi + (Object.is((s as { z: number }).z, -0) ? 1 : 0),
  },
  // an array hole or an undefined element carries the low bit: `0 in a`
  holes: {
    // biome-ignore lint/suspicious/noSparseArray: the hole is the point
    wrap: (id) => (id % 2 === 0 ? [undefined, Math.floor(id / 2)] : [, Math.floor(id / 2)]),
    unwrap: (s) => 2 * (s as number[])[1] + (0 in (s as number[]) ? 0 : 1),
  },
  // a List or a Stack of the same values carries the low bit
  kinds: {
    wrap: (id) => (id % 2 === 0 ? List([Math.floor(id / 2)]) : Stack([Math.floor(id / 2)])),
    unwrap: (s) => 2 * (s as List<number>).first()! + (Stack.isStack(s) ? 1 : 0),
  },
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
  /** with the codec: the states it unpacks wrongly (as the next state, id + 1 mod n): a lossy codec */
  readonly lossy?: readonly boolean[];
  /**
   * a step property 'good-step' (alwaysStep): the transitions it forbids,
   * badSteps[a][s * MAX_BINDINGS + k] for action a from state s under binding k
   */
  readonly badSteps?: readonly (readonly boolean[])[];
  /** params() as a generator that hands out one object, changed between yields (a reused binding) */
  readonly reuseBindings?: boolean;
}

/** One object, changed before each yield: the model bug a frozen binding makes loud (a TypeError at the change). */
function* reused(arity: number): Generator<Params> {
  const b = { k: 0 };
  for (let k = 0; k < arity; k++) {
    b.k = k;
    yield b;
  }
}

export function graphModel(g: Graph, options: GraphOptions): Model<unknown> {
  const { wrap, unwrap, encode } = SHAPE[g.shape];
  const actions = g.actions.map(
    (a, i): ActionDef<unknown, Params> => ({
      name: `a${i}`,
      ...(a.arity > 0
        ? { params: options.reuseBindings ? () => reused(a.arity) : () => Array.from({ length: a.arity }, (_, k) => ({ k })) }
        : {}),
      guard: (s, p) => targetOf(g, i, unwrap(s), (p.k as number | undefined) ?? 0) >= 0,
      effect: (s, p) => wrap(targetOf(g, i, unwrap(s), (p.k as number | undefined) ?? 0), unwrap(s) + i),
    }),
  );
  const bad = options.badSteps;
  const properties: Property<unknown>[] = [
    ...(options.invariant ? [always('good', 'no bad state', (s) => !g.bad[unwrap(s)])] : []),
    ...(bad !== undefined
      ? [
          alwaysStep('good-step', 'no bad transition', (step) => {
            const a = Number(step.action.slice(1));
            return !bad[a][unwrap(step.from) * MAX_BINDINGS + ((step.params.k as number | undefined) ?? 0)];
          }),
        ]
      : []),
  ];
  const lossy = options.lossy;
  return {
    name: 'random',
    init: g.init.map((id, i) => wrap(id, i)),
    actions,
    properties,
    deadlockIsError: options.deadlock,
    ...(encode ? { encode } : {}),
    ...(options.codec
      ? {
          codec: {
            pack: (s: unknown, out: IntSink) => out.int(unwrap(s)),
            unpack: (ints: Int32Array, at: number) => wrap(lossy?.[ints[at]] ? (ints[at] + 1) % g.n : ints[at], 0),
          },
        }
      : {}),
  };
}
