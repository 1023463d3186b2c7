// The bench's engine alone (bench/engine-alone.ts) searches the same states
// as the checker, over successors recorded beforehand: its figures are only
// worth reading if it visits exactly what the search visits.
import { describe, expect, test } from 'vitest';
import { engineAlone } from '../../bench/engine-alone.ts';
import { action, check, type IntSink, type Model } from '../../checker/index.ts';
import { FAULT_NAMES, presenceModel } from '../../model/index.ts';

interface Point {
  readonly x: number;
  readonly y: number;
}
const at = (x: number, y: number): Point => Object.freeze({ x, y });

/** An n × n grid walked right and up from (0, 0), with a step that stays put (a self-loop). */
function grid(n: number): Model<Point> {
  return {
    name: 'grid',
    init: [at(0, 0)],
    deadlockIsError: false,
    actions: [
      action<Point>({ name: 'right', guard: (s) => s.x < n - 1, effect: (s) => at(s.x + 1, s.y) }),
      action<Point>({ name: 'up', guard: (s) => s.y < n - 1, effect: (s) => at(s.x, s.y + 1) }),
      action<Point>({ name: 'stay', guard: () => true, effect: (s) => s }),
    ],
    properties: [],
    encode: (s: Point, out: IntSink) => {
      out.int(s.x);
      out.int(s.y);
    },
    codec: {
      pack: (s: Point, out: IntSink) => {
        out.int(s.x);
        out.int(s.y);
      },
      unpack: (ints: Int32Array, i: number) => at(ints[i], ints[i + 1]),
    },
  };
}

describe('the engine alone', () => {
  test('visits every state of a grid once and looks up every successor but the self-loops', () => {
    // 5 × 5 states; right and up are enabled 4 × 5 times each; stay, everywhere, is a self-loop
    const runs = engineAlone(grid(5), 2);
    expect(runs).toHaveLength(2);
    for (const r of runs) {
      expect(r.states).toBe(25);
      expect(r.targets).toBe(40);
      expect(r.seconds).toBeGreaterThan(0);
      expect(r.visitedBytes).toBeGreaterThan(0);
    }
  });

  test('finds as many states as the search of the presence model, with symmetry and with faults', () => {
    for (const faults of [[], FAULT_NAMES]) {
      const model = presenceModel('fixed', { users: 2, tabs: 1, lag: 0 }, { symmetry: true, liveness: false, faults });
      const [run] = engineAlone(model, 1);
      expect(run.states).toBe(check(model).states);
    }
  });

  test('refuses a model it cannot record: one without a codec', () => {
    const { codec: _, ...uncoded } = grid(2);
    expect(() => engineAlone(uncoded, 1)).toThrow(/needs a model with a codec and an encoder/);
  });
});
