// The visited set's pieces: the 64-bit Fingerprinter, the FingerprintSet hash table, and
// the default structural encoding (encodeValue). No collision in a few hundred thousand
// fingerprints is a sanity check of the mixing, not a proof.
import { describe, expect, it } from 'vitest';
import { is, List, Map as ImMap, OrderedMap, OrderedSet, Record, Set as ImSet } from 'immutable';
import { Fingerprinter, IntCollector } from '../../checker/fingerprint.ts';
import { ExactSet, FingerprintSet } from '../../checker/visited.ts';
import { encodeValue } from '../../checker/index.ts';

function fingerprint(ints: readonly number[], fp = new Fingerprinter()): string {
  fp.reset();
  for (const x of ints) fp.int(x);
  fp.finish();
  return `${fp.lo}:${fp.hi}`;
}

function encoding(v: unknown): number[] {
  const c = new IntCollector();
  encodeValue(v, c);
  return c.ints.slice();
}

describe('Fingerprinter', () => {
  it('gives no two of 200,000+ distinct short integer sequences the same 64-bit fingerprint', () => {
    // every sequence of length 0..4 over small alphabets, plus single ints far apart:
    // lengths differ between groups, so all sequences are distinct
    const sequences: number[][] = [[]];
    for (let a = -50_000; a < 50_000; a++) sequences.push([a]);
    for (let a = 0; a < 200; a++) for (let b = 0; b < 200; b++) sequences.push([a, b]);
    for (let a = 0; a < 30; a++) for (let b = 0; b < 30; b++) for (let c = 0; c < 30; c++) sequences.push([a, b, c]);
    for (let a = 0; a < 15; a++)
      for (let b = 0; b < 15; b++)
        for (let c = 0; c < 15; c++)
          for (let d = 0; d < 15; d++) {
            sequences.push([a, b, c, d]);
          }
    for (let i = 0; i < 4096; i++) sequences.push([i * 0x10001, -i, 0x7fffffff - i]);
    expect(sequences.length).toBeGreaterThan(200_000);
    const fp = new Fingerprinter();
    const seen = new Set<string>();
    for (const s of sequences) seen.add(fingerprint(s, fp));
    expect(seen.size).toBe(sequences.length);
  });

  it('tells apart sequences that differ only in order or in length', () => {
    const distinct = [[], [0], [0, 0], [0, 0, 0], [1, 2], [2, 1], [1, 2, 3], [3, 2, 1], [1, 3, 2], [1, 2, 0], [0, 1, 2]];
    expect(new Set(distinct.map((s) => fingerprint(s))).size).toBe(distinct.length);
  });

  it('is a function of the sequence: equal after reset, never (0, 0)', () => {
    const fp = new Fingerprinter();
    const a = fingerprint([5, -7, 9], fp);
    fingerprint([1, 2, 3, 4, 5, 6], fp);
    expect(fingerprint([5, -7, 9], fp)).toBe(a);
    expect(fingerprint([5, -7, 9])).toBe(a);
    expect(a).not.toBe('0:0');
  });
});

describe('FingerprintSet', () => {
  const identity = (n: number, out: { int(x: number): void }) => out.int(n);

  it('grows far past its initial capacity and still finds every key, with dense ids and parents', () => {
    const set = new FingerprintSet<number>(identity, 16);
    const bytesBefore = set.bytes;
    const n = 50_000;
    const ids: number[] = [],
      found: number[] = [],
      parents: number[] = [],
      again: number[] = [];
    for (let i = 0; i < n; i++) ids.push(set.visit(i * 7919, i - 1));
    expect(set.size).toBe(n);
    expect(set.bytes).toBeGreaterThan(bytesBefore * 100);
    for (let i = 0; i < n; i++) {
      found.push(set.find(i * 7919));
      parents.push(set.parentOf(i));
      again.push(set.visit(i * 7919, 12345));
    }
    const range = Array.from({ length: n }, (_, i) => i);
    expect(ids).toEqual(range); // new: ids 0, 1, 2, ... in visit order
    expect(found).toEqual(range);
    expect(parents).toEqual(range.map((i) => i - 1));
    expect(again).toEqual(range.map((i) => -(i + 1))); // known: -(id + 1)
    expect(set.size).toBe(n);
    expect(set.parentOf(0)).toBe(-1); // the first parent is kept
    expect(set.find(-1)).toBe(-1);
    expect(set.find(7919 * n)).toBe(-1);
  });

  it('agrees with the exact set on the ids of a mixed sequence of visits', () => {
    const fp = new FingerprintSet<number>(identity, 4);
    const exact = new ExactSet<number>(identity);
    const fromFp: number[] = [],
      fromExact: number[] = [];
    let seed = 1;
    for (let i = 0; i < 20_000; i++) {
      seed = (Math.imul(seed, 1103515245) + 12345) & 0x7fffffff;
      const key = seed % 5000;
      fromFp.push(fp.visit(key, i));
      fromExact.push(exact.visit(key, i));
    }
    expect(fromFp).toEqual(fromExact);
    expect(fp.size).toBe(exact.size);
    const keys = Array.from({ length: 6000 }, (_, k) => k); // some never visited: -1 in both
    expect(keys.map((k) => fp.find(k))).toEqual(keys.map((k) => exact.find(k)));
  });
});

describe('encodeValue (the default state encoding)', () => {
  it('encodes equal Immutable Maps and Sets built in different insertion orders alike', () => {
    const entries: [string, number][] = [
      ['alice', 1],
      ['bob', 2],
      ['carol', 3],
      ['dave', 4],
    ];
    const forward = ImMap(entries);
    const backward = ImMap([...entries].reverse());
    const built = ImMap<string, number>().set('carol', 3).set('alice', 1).set('dave', 4).set('bob', 2);
    expect(encoding(backward)).toEqual(encoding(forward));
    expect(encoding(built)).toEqual(encoding(forward));
    expect(encoding(ImSet([3, 1, 2]))).toEqual(encoding(ImSet([1, 2, 3])));
    // nested, and with more entries than Immutable keeps in insertion order
    const big = (keys: number[]) => ImMap(keys.map((k) => [k, List([k, ImSet([k, -k])])]));
    const keys = Array.from({ length: 40 }, (_, i) => (i * 37) % 41);
    expect(encoding(big(keys))).toEqual(encoding(big([...keys].sort((a, b) => a - b))));
    expect(encoding(List([forward, 1]))).toEqual(encoding(List([built, 1])));
  });

  it('encodes plain objects with keys in different orders alike', () => {
    expect(encoding({ a: 1, b: [2, 3], c: { x: true } })).toEqual(encoding({ c: { x: true }, b: [2, 3], a: 1 }));
  });

  it('tells apart values that differ in order (for ordered collections), length, type or content', () => {
    const distinct: unknown[] = [
      List([1, 2]),
      List([2, 1]),
      List([1]),
      List([1, 2, 0]),
      List(),
      ImMap({ a: 1 }),
      ImMap({ a: 2 }),
      ImMap({ b: 1 }),
      ImSet([1, 2]),
      ImSet([1, 3]),
      OrderedMap([
        ['a', 1],
        ['b', 2],
      ]),
      OrderedMap([
        ['b', 2],
        ['a', 1],
      ]),
      1,
      -1,
      1.5,
      '1',
      'a',
      'ab',
      true,
      false,
      null,
      undefined,
      [1, [2]],
      [[1], 2],
      { a: '1' },
      { a: 1, b: 1 },
    ]; // (not { a: 1 }: a plain object encodes like the Immutable Map with its entries, by design)
    const encodings = distinct.map((v) => encoding(v).join(','));
    expect(new Set(encodings).size).toBe(distinct.length);
    expect(encoding(List([1, 2]))).not.toEqual(encoding(List([2, 1])));
  });

  // Regression: the default encoder once read a Record's values with `valueSeq()`,
  // which Immutable 4/5 Records do not have, and threw on every Record.
  it('encodes equal Records alike and different ones differently', () => {
    const Point = Record({ x: 0, y: 0, tags: List<string>() });
    const a = Point({ x: 1, y: 2, tags: List(['p']) });
    const b = Point()
      .set('tags', List(['p']))
      .set('y', 2)
      .set('x', 1);
    expect(encoding(a)).toEqual(encoding(b));
    expect(encoding(a)).not.toEqual(encoding(a.set('x', 2)));
    expect(encoding(List([a, b]))).toEqual(encoding(List([b, a])));
  });

  it('respects order where Immutable does: OrderedMaps in different orders are different values', () => {
    expect(
      is(
        OrderedMap([
          ['a', 1],
          ['b', 2],
        ]),
        OrderedMap([
          ['b', 2],
          ['a', 1],
        ]),
      ),
    ).toBe(false);
    expect(
      encoding(
        OrderedMap([
          ['a', 1],
          ['b', 2],
        ]),
      ),
    ).not.toEqual(
      encoding(
        OrderedMap([
          ['b', 2],
          ['a', 1],
        ]),
      ),
    );
    expect(is(OrderedSet([1, 2]), OrderedSet([2, 1]))).toBe(false); // ... and so are OrderedSets:
  });

  // Regression: the default encoder once sorted OrderedSets (ordered but not keyed),
  // so two states differing only in an OrderedSet's order were one state to the checker.
  it('tells apart OrderedSets that differ only in order', () => {
    expect(encoding(OrderedSet([1, 2]))).not.toEqual(encoding(OrderedSet([2, 1])));
  });
});
