// Random Graphs (graph-model.ts) for the differential and parallel tests:
// mostly disabled bindings, some jumps anywhere, many short forward jumps
// (long paths), one bad state in twenty, any state shape.
import fc from 'fast-check';
import { MAX_BINDINGS, SHAPES, type Graph } from './graph-model.ts';

export function graphArb(sizes: fc.Arbitrary<number>): fc.Arbitrary<Graph> {
  return sizes.chain((n) =>
    fc.record({
      n: fc.constant(n),
      init: fc.array(fc.nat(n - 1), { minLength: 1, maxLength: 3 }),
      actions: fc.array(
        fc.record({
          arity: fc.integer({ min: 0, max: MAX_BINDINGS }),
          targets: fc.array(
            fc.oneof(
              { arbitrary: fc.constant(-1), weight: 4 },
              { arbitrary: fc.nat(n - 1), weight: 1 },
              { arbitrary: fc.integer({ min: n, max: n + 2 }), weight: 3 },
            ),
            { minLength: n * MAX_BINDINGS, maxLength: n * MAX_BINDINGS },
          ),
        }),
        { minLength: 1, maxLength: 4 },
      ),
      bad: fc.array(
        fc.nat(19).map((x) => x === 0),
        { minLength: n, maxLength: n },
      ),
      shape: fc.constantFrom(...SHAPES),
    }),
  );
}
