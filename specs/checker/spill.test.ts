// The memory budget (CheckOptions.memory, checker/spill.ts): a search whose
// budget is small enough to spill its frontier, its liveness graph and its
// visited set to the store gives exactly the result of the same search
// without one (verdict, counts, depth, coverage, the shortest trace, the
// lasso), on one thread and on two; its store is left empty; a budget below
// what cannot spill stops the search (incomplete, limit 'memory') and says so. The figures
// below are the torus's (spill-models.ts), by hand: N³ states, N³·(2K+1)
// transitions; its shortest trace and depth come from a plain BFS written
// here. The spilling structures are also checked on their own, against
// their in-memory twins, on random inputs.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  check,
  checkParallel,
  judgeLasso,
  MemorySpillStore,
  type CheckOptions,
  type CheckResult,
  type IntSink,
  type StateCodec,
} from '../../checker/index.ts';
import { PackedFrontier, SpillFrontier } from '../../checker/frontier.ts';
import { LivenessGraph } from '../../checker/graph.ts';
import { PageCache, Spiller } from '../../checker/spill.ts';
import { DiskFingerprintSet } from '../../checker/disk-visited.ts';
import { FingerprintSet } from '../../checker/visited.ts';
import { coordinates, torusModel, type TorusOptions } from './spill-models.ts';
import { manyGoals } from './live-graph.ts';

const N = 12;
const K = 6;
const FAT = 255;
const torus = (properties: TorusOptions['properties'], zFair = false): TorusOptions => ({ n: N, k: K, fat: FAT, properties, zFair });

/**
 * The budget: 64,000 bytes, where the frontier holds about 1 KiB a state (up to 150 states a level),
 * the graph 13 edges a state, and the visited set's table 12 bytes a slot (4,096 slots for 1,728
 * states): each of them spills. Small blocks and pages, so that there are many of each.
 */
const BUDGET = 64_000;
const memory = (store: MemorySpillStore): CheckOptions['memory'] => ({ bytes: BUDGET, store, blockBytes: 16 * 1024, pageEdges: 64 });

/**
 * A result without what a budget changes: time, the bytes figures (a spilled level or graph counts its
 * bytes on disk, a spilled visited set its bytes in memory), and the memory report.
 */
function outcome<S>(r: CheckResult<S>) {
  const { elapsedMs: _t, peakFrontierBytes: _f, graphBytes: _g, visitedBytes: _v, memory: _m, ...rest } = r;
  return rest;
}

/** A plain BFS of the torus in the checker's order (actions x(1..K), y(1..K), z; states in discovery order): each state's parent and depth. */
function referenceBfs() {
  const parent = new Map<number, { from: number; action: string; by: number | null } | null>([[0, null]]);
  const depth = new Map<number, number>([[0, 0]]);
  const queue = [0];
  for (let h = 0; h < queue.length; h++) {
    const s = queue[h];
    const { x, y, z } = coordinates(s, N);
    const moves: [string, number | null, number][] = [
      ...Array.from({ length: K }, (_, i): [string, number, number] => ['x', i + 1, ((x + i + 1) % N) + N * y + N * N * z]),
      ...Array.from({ length: K }, (_, i): [string, number, number] => ['y', i + 1, x + N * ((y + i + 1) % N) + N * N * z]),
      ['z', null, x + N * y + N * N * ((z + 1) % N)],
    ];
    for (const [action, by, t] of moves) {
      if (parent.has(t)) continue;
      parent.set(t, { from: s, action, by });
      depth.set(t, depth.get(s)! + 1);
      queue.push(t);
    }
  }
  const pathTo = (t: number) => {
    const steps: { action: string; params: Record<string, number>; state: number }[] = [];
    for (let s = t; parent.get(s) !== null; s = parent.get(s)!.from) {
      const p = parent.get(s)!;
      steps.push({ action: p.action, params: p.by === null ? {} : { by: p.by }, state: s });
    }
    return steps.reverse();
  };
  return { states: queue.length, depth: Math.max(...depth.values()), pathTo };
}

describe('a search under a memory budget (CheckOptions.memory)', () => {
  const reference = referenceBfs();

  it('explores every state with its frontier and visited set spilled, and counts the same: N³ states, N³·(2K+1) transitions', () => {
    const model = torusModel(torus('none'));
    const store = new MemorySpillStore();
    const spilled = check(model, { memory: memory(store) });
    expect(spilled).toMatchObject({ verdict: 'holds', states: N ** 3, transitions: N ** 3 * (2 * K + 1), depth: reference.depth });
    expect(reference.states).toBe(N ** 3);
    expect(outcome(spilled)).toEqual(outcome(check(model)));
    const m = spilled.memory!;
    // the frontier went to the store and came back (the codec checks every state's filler as it unpacks it)
    expect(m.spilled.frontier).toBeGreaterThan(0);
    expect(m.spilled.graph).toBe(0); // no liveness: no graph
    // fingerprints went to the sorted run and were found there: not one state counted twice
    expect(m.spilled.visited).toBeGreaterThan(0);
    expect(m.firstSpill).not.toBeNull();
    expect(m.where).toBe('memory');
    expect(store.reads).toBeGreaterThan(0);
    // each level's blocks are deleted once it is read: never the whole search on disk at once
    expect(m.peakOnDisk).toBeGreaterThan(0);
    expect(m.peakOnDisk).toBeLessThan(m.spilled.frontier);
    expect(store.open).toBe(0);
    expect(m.exhausted).toBeNull();
  });

  it('finds the same shortest trace (a plain BFS says which) with its frontier spilled', () => {
    const model = torusModel(torus('safety'));
    const store = new MemorySpillStore();
    const spilled = check(model, { memory: memory(store) });
    expect(spilled).toMatchObject({ verdict: 'violated', property: 'no-corner' });
    expect(spilled.memory!.spilled.frontier).toBeGreaterThan(0);
    // the trace is rebuilt from parent ids, some of them read back from the store
    expect(spilled.memory!.spilled.visited).toBeGreaterThan(0);
    const corner = N ** 3 - 1;
    expect(spilled.trace.slice(1).map((t) => ({ action: t.action, params: t.params, state: t.state }))).toEqual(reference.pathTo(corner));
    expect(outcome(spilled)).toEqual(outcome(check(model)));
    expect(store.open).toBe(0);
  });

  it('judges liveness on a spilled graph read back through its page cache: the same lasso, and a holding property still holds', () => {
    for (const zFair of [false, true]) {
      const model = torusModel(torus('liveness', zFair));
      const store = new MemorySpillStore();
      const spilled = check(model, { memory: memory(store) });
      const plain = check(model);
      expect(outcome(spilled)).toEqual(outcome(plain));
      expect(spilled.edges).toBe(N ** 3 * (2 * K + 1));
      const m = spilled.memory!;
      expect(m.spilled.frontier).toBeGreaterThan(0);
      expect(m.spilled.graph).toBeGreaterThan(0);
      expect(m.spilled.visited).toBeGreaterThan(0);
      // the analysis read pages back (more than there are: the cache is smaller than the graph)
      expect(m.graphPageReads).toBeGreaterThan(Math.ceil(spilled.edges / 64));
      expect(m.analysisBytes).toBeGreaterThan(0);
      expect(store.open).toBe(0);
      if (zFair) expect(spilled.verdict).toBe('holds');
      else {
        // without fairness on z a behaviour may turn x and y forever: a lasso, a fair one that violates the property
        expect(spilled).toMatchObject({ verdict: 'violated', property: 'z-turns' });
        expect(judgeLasso(model, spilled.trace, spilled.loop!)).toEqual({ closes: true, unfair: [], violates: ['z-turns'] });
      }
    }
  });

  it("spills the graph once the search is over when the liveness analysis's own arrays would not fit beside it", () => {
    // thin states (fat 0): at the end of the search the visited set holds 4,096 slots × 12 B + 2,048 parent ids × 4 B =
    // 57,344 B, the graph 32,768 edges' room × (4 + 1 + 1) B + 2,048 offsets × 4 B = 204,800 B, the frontier a few KiB:
    // under 300,000 B. The analysis's search for fair components adds 38 B a state, 65,664 B: over it
    const model = torusModel({ ...torus('liveness'), fat: 0 });
    const store = new MemorySpillStore();
    const r = check(model, { memory: { bytes: 300_000, store, pageEdges: 64 } });
    expect(outcome(r)).toEqual(outcome(check(model)));
    expect(r.memory).toMatchObject({
      spilled: { frontier: 0, visited: 0 },
      firstSpill: { during: 'liveness', depth: reference.depth, states: N ** 3 },
      // and, the property violated, 42 B a state more for its lasso
      analysisBytes: (38 + 42) * N ** 3,
    });
    expect(r.memory!.spilled.graph).toBeGreaterThan(0);
    expect(r.memory!.graphPageReads).toBeGreaterThan(0);
    expect(store.open).toBe(0);
  });

  it('gives the same result on two threads, its levels expanded block by block', async () => {
    for (const properties of ['liveness'] as const) {
      const options = torus(properties);
      const source = { module: new URL('./spill-models.ts', import.meta.url).href, export: 'torusModel', args: [options] };
      const store = new MemorySpillStore();
      const parallel = await checkParallel(source, { workers: 2, parallelFrom: 16, memory: memory(store) });
      expect(parallel.workers).toBe(2);
      expect(Object.values(parallel.memory!.spilled).every((n) => n > 0)).toBe(true);
      expect(outcome({ ...parallel, workers: 1 })).toEqual(outcome(check(torusModel(options))));
      expect(store.open).toBe(0);
    }
  }, 30_000);

  it('stops when what cannot spill outgrows the budget, and says how much it held', () => {
    const model = torusModel(torus('liveness'));
    // the visited set's smallest table (1,024 slots, 12 KiB), its parent ids and pages, the graph's offsets: over 16,000 B
    // with everything else spilled; an exact visited set (keys of the full encoding) does not spill at all
    for (const [exact, bytes] of [
      [false, 16_000],
      [true, BUDGET],
    ] as const) {
      const store = new MemorySpillStore();
      const r = check(model, { exact, memory: { bytes, store, blockBytes: 16 * 1024, pageEdges: 64 } });
      expect(r).toMatchObject({ verdict: 'incomplete', limit: 'memory' });
      const m = r.memory!;
      expect(m.exhausted).not.toBeNull();
      expect(m.exhausted!.visited).toBe(m.visited);
      expect(m.exhausted!.visited + m.exhausted!.other).toBeGreaterThan(bytes);
      expect(m.spilled.visited > 0).toBe(!exact);
      // every liveness verdict stays unknown: the graph is not whole
      expect(r.properties.find((p) => p.name === 'z-turns')!.status).toBe('unknown');
      expect(store.open).toBe(0);
    }
  });

  it('without a budget, measures and spills nothing', () => {
    expect(check(torusModel(torus('liveness'))).memory).toBeNull();
  });

  it('takes a budget big enough for everything without spilling, and says so', () => {
    const store = new MemorySpillStore();
    const r = check(torusModel(torus('liveness')), { memory: { bytes: 64 * 2 ** 20, store } });
    expect(r.memory).toMatchObject({
      spilled: { frontier: 0, graph: 0, visited: 0 },
      firstSpill: null,
      where: null,
      exhausted: null,
      graphPageReads: 0,
    });
    expect(r.memory!.peak).toBeGreaterThan(0);
    expect(store.written).toBe(0);
  });
});

// ----------------------------------------------------------------------------------- the parts

/** States as arrays of ints, packed as their length then their ints. */
const arrays: StateCodec<readonly number[]> = {
  pack: (s, out: IntSink) => {
    out.int(s.length);
    for (const x of s) out.int(x);
  },
  unpack: (ints, at) => Array.from(ints.subarray(at + 1, at + 1 + ints[at])),
};

describe('the spilling structures, against their in-memory twins', () => {
  it('SpillFrontier: pushed states, spilled at random points in blocks of random size, read back in order and at random', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.array(fc.integer(), { maxLength: 9 }), fc.constant('spill' as const)), { minLength: 20, maxLength: 120 }),
        fc.integer({ min: 4, max: 400 }),
        fc.array(fc.nat(), { maxLength: 20 }),
        (ops, blockBytes, probes) => {
          const store = new MemorySpillStore();
          const spiller = new Spiller({ bytes: 1 << 20, store, blockBytes });
          const spilled = new SpillFrontier(arrays, spiller);
          const plain = new PackedFrontier(arrays);
          let id = 0;
          for (const op of ops) {
            if (op === 'spill') spilled.spill();
            else {
              spilled.push(op, id);
              plain.push(op, id++);
            }
          }
          expect(spilled.size).toBe(plain.size);
          const all = Array.from({ length: plain.size }, (_, i) => i);
          const probed = plain.size === 0 ? [] : probes.map((p) => p % plain.size);
          const read = (f: typeof plain | typeof spilled, at: number[]) => at.map((i) => [f.id(i), f.state(i)]);
          expect(read(spilled, all)).toEqual(read(plain, all));
          expect(read(spilled, probed)).toEqual(read(plain, probed));
          spilled.release();
          expect(store.open).toBe(0);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('DiskFingerprintSet: the ids, parents and lookups of FingerprintSet, its table merged into the run at random points', () => {
    // states are integers, encoded as themselves: few distinct values, so that most visits find a known state
    const encode = (s: number, out: IntSink) => out.int(s);
    fc.assert(
      fc.property(
        // long enough to fill the first table (614 entries) and merge it more than once
        fc.array(
          fc.oneof({ arbitrary: fc.integer({ min: 0, max: 3000 }), weight: 20 }, { arbitrary: fc.constant('spill' as const), weight: 1 }),
          {
            minLength: 1500,
            maxLength: 3000,
          },
        ),
        (ops) => {
          const store = new MemorySpillStore();
          // a budget of one byte: the table never grows past its first size, and merges into the run each time it is full
          const spiller = new Spiller({ bytes: 1, store });
          const disk = new DiskFingerprintSet(encode);
          spiller.watchVisited(disk);
          const plain = new FingerprintSet(encode);
          let parent = -1;
          const ids: number[] = [],
            diskIds: number[] = [];
          for (const op of ops) {
            if (op === 'spill') disk.spill();
            else {
              const id = plain.visit(op, parent);
              ids.push(id);
              diskIds.push(disk.visit(op, parent));
              parent = id < 0 ? parent : id;
            }
          }
          expect(diskIds).toEqual(ids);
          expect(disk.size).toBe(plain.size);
          const parents = (set: { parentOf(id: number): number }) => Array.from({ length: plain.size }, (_, id) => set.parentOf(id));
          expect(parents(disk)).toEqual(parents(plain));
          const found = (set: { find(s: number): number }) => Array.from({ length: 430 }, (_, k) => set.find(7 * k));
          expect(found(disk)).toEqual(found(plain));
          // past the first table's load limit (1,024 slots × 0.6), its entries went to the run
          expect(plain.size).toBeGreaterThan(615);
          expect(disk.hasSpilled).toBe(true);
          disk.release();
          expect(store.open).toBe(0);
        },
      ),
      { numRuns: 40 },
    );
  });

  it('PageCache: least recently used out, against a plain list of recent pages', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 5 }), fc.array(fc.nat(9), { minLength: 1, maxLength: 200 }), (capacity, accesses) => {
        const store = new MemorySpillStore();
        const file = store.create();
        // page p holds p·100 + i
        for (let p = 0; p < 10; p++)
          store.append(
            file,
            Int32Array.from({ length: 4 }, (_, i) => p * 100 + i),
            0,
            4,
          );
        const cache = new PageCache(store, file, 10, 4, capacity);
        const recent: number[] = [];
        let misses = 0;
        for (const p of accesses) {
          const at = recent.indexOf(p);
          if (at < 0) misses++;
          else recent.splice(at, 1);
          recent.unshift(p);
          recent.length = Math.min(recent.length, capacity);
          expect(Array.from(cache.page(p))).toEqual([p * 100, p * 100 + 1, p * 100 + 2, p * 100 + 3]);
        }
        expect(cache.reads).toBe(misses);
        expect(cache.bytes).toBe(Math.min(capacity, new Set(accesses).size) * 16);
      }),
      { numRuns: 300 },
    );
  });

  it('LivenessGraph: edges spilled in pages at random points, read back through a small cache, are the edges recorded', () => {
    // 20 properties: two words of p/q bits an edge
    const model = manyGoals(20, true);
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(
            { arbitrary: fc.array(fc.tuple(fc.nat(1000), fc.nat(300), fc.nat(), fc.nat()), { maxLength: 12 }), weight: 4 },
            { arbitrary: fc.constant('spill' as const), weight: 1 },
          ),
          { minLength: 10, maxLength: 60 },
        ),
        fc.constantFrom(1, 2, 4, 16),
        fc.integer({ min: 0, max: 2000 }),
        (ops, pageEdges, cacheBytes) => {
          const store = new MemorySpillStore();
          const spiller = new Spiller({ bytes: 1 << 20, store, pageEdges });
          const graph = new LivenessGraph(model, spiller);
          expect(graph.groups).toBe(2);
          const edges: [number, number, number, number][] = [];
          const offsets: number[] = [];
          for (const op of ops) {
            if (op === 'spill') {
              graph.spill();
              continue;
            }
            graph.node(offsets.length);
            offsets.push(edges.length);
            for (const [target, instance, w0, w1] of op) {
              graph.labelled(target, instance);
              graph.word(0, w0);
              graph.word(1, w1);
              edges.push([target, instance, w0, w1]);
            }
          }
          graph.finish();
          expect([graph.nodes, graph.edges]).toEqual([offsets.length, edges.length]);
          expect(Array.from(graph.offsets.data.subarray(0, graph.nodes))).toEqual(offsets);
          const read = graph.edgesFor(cacheBytes);
          // in a scattered order, so that pages are evicted and read again; the words are kept as 32 bits (as int32 once spilled)
          const order = Array.from({ length: edges.length }, (_, k) => (k * 7919) % edges.length);
          const back = order.map((e) => [
            read.targets.get(e),
            read.instances.get(e),
            read.words(0).get(e) >>> 0,
            read.words(1).get(e) >>> 0,
          ]);
          expect(back).toEqual(order.map((e) => [edges[e][0], edges[e][1], edges[e][2] >>> 0, edges[e][3] >>> 0]));
          graph.release();
          expect(store.open).toBe(0);
        },
      ),
      { numRuns: 200 },
    );
  });
});
