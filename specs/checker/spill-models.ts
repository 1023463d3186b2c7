// Models for the memory-budget tests (spill.test.ts): a walk on an N×N×N
// torus, with a fat codec so that its frontier is big beside its visited set,
// and many transitions a state so that its liveness graph is too. A module
// export, so that the parallel search's worker threads can build it too.
//
// A state is s = x + N·y + N²·z. Actions: x(k) and y(k), k = 1..K, add k to x
// (or y) mod N; z adds 1 to z mod N. Every state is reachable (x(1), y(1), z),
// so there are N³ states and N³·(2K + 1) transitions, each of them also an
// edge of the liveness graph.
//
// The codec packs s and then FAT filler ints derived from s, and unpack
// checks them: a block of the frontier read back wrong (or from the wrong
// place) throws instead of passing for another state.
import { always, leadsTo, type ActionDef, type IntSink, type Model, type Params } from '../../checker/index.ts';

export interface TorusOptions {
  readonly n: number;
  readonly k: number;
  /** filler ints after the state in its packing */
  readonly fat: number;
  /** 'none': a full search; 'safety': the invariant "the corner (N-1, N-1, N-1) is never reached"; 'liveness': z0 ~> zTop */
  readonly properties: 'none' | 'safety' | 'liveness';
  /** liveness: z is weakly fair (the property holds) or not (a lasso that turns x and y forever) */
  readonly zFair?: boolean;
}

export const coordinates = (s: number, n: number) => ({ x: s % n, y: Math.floor(s / n) % n, z: Math.floor(s / (n * n)) });

const filler = (s: number, j: number) => Math.imul(s + 1, 0x9e3779b1) ^ (j * 7919);

export function torusModel(o: TorusOptions): Model<number> {
  const { n, k, fat } = o;
  const steps = Array.from({ length: k }, (_, i) => ({ by: i + 1 }));
  const move = (axis: 'x' | 'y'): ActionDef<number, Params> => ({
    name: axis,
    params: () => steps,
    guard: () => true,
    effect: (s, p) => {
      const c = coordinates(s, n);
      const by = p.by as number;
      return axis === 'x' ? ((c.x + by) % n) + n * c.y + n * n * c.z : c.x + n * ((c.y + by) % n) + n * n * c.z;
    },
    // each (axis, by) its own weakly fair instance
    fairness: 'weak',
  });
  const z: ActionDef<number, Params> = {
    name: 'z',
    guard: () => true,
    effect: (s) => {
      const c = coordinates(s, n);
      return c.x + n * c.y + n * n * ((c.z + 1) % n);
    },
    ...(o.zFair ? { fairness: 'weak' as const } : {}),
  };
  const corner = n * n * n - 1;
  return {
    name: `torus(${n}, ${k})`,
    init: [0],
    actions: [move('x'), move('y'), z],
    properties:
      o.properties === 'none'
        ? []
        : o.properties === 'safety'
          ? [always('no-corner', 'the corner is never reached', (s: number) => s !== corner)]
          : [
              leadsTo(
                'z-turns',
                'from x = 1 at the bottom layer, the top layer is reached',
                (s: number) => coordinates(s, n).z === 0 && coordinates(s, n).x === 1,
                (s: number) => coordinates(s, n).z === n - 1,
              ),
            ],
    encode: (s: number, out: IntSink) => out.int(s),
    codec: {
      pack: (s: number, out: IntSink) => {
        out.int(s);
        for (let j = 0; j < fat; j++) out.int(filler(s, j));
      },
      unpack: (ints: Int32Array, at: number) => {
        const s = ints[at];
        for (let j = 0; j < fat; j++)
          if (ints[at + 1 + j] !== filler(s, j)) throw new Error(`torus codec: filler ${j} of state ${s} read back wrong`);
        return s;
      },
    },
  };
}
