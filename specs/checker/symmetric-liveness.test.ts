// Liveness on a symmetry-reduced graph (checker/symmetric-liveness.ts) must
// give the verdicts of the unreduced graph: random symmetric models, each
// checked both ways, property by property; every lasso it reports is a fair
// violating lasso of the model itself (judged on its own by lasso.ts).
import { describe, expect, it } from 'vitest';
import { check, checkParallel, judgeLasso, ModelDefinitionError, modelProblems, type CheckResult } from '../../checker/index.ts';
import { randomSymSpec, symmetric, type SymState } from './symmetric-models.ts';

const statuses = (r: CheckResult<SymState>) =>
  Object.fromEntries(r.properties.filter((p) => p.kind === 'leadsTo').map((p) => [p.name, p.status]));

describe('liveness with a symmetry: the verdicts of the unreduced model', () => {
  // Seeds 1-300, and the 21 others of seeds 1-3000 whose verdicts need the twists of a component's cycles
  // (the group H of symmetric-liveness.ts): with H left out of the analysis, these 24 come out wrong.
  const HOLONOMY = [
    159, 200, 282, 366, 491, 619, 877, 892, 894, 1015, 1057, 1171, 1221, 1358, 1389, 1498, 1735, 1738, 1917, 1964, 2009, 2027, 2255, 2522,
  ];
  const seeds = [...new Set([...Array.from({ length: 300 }, (_, i) => i + 1), ...HOLONOMY])];
  it('321 random models of 2-3 processes: the same status for every property, and a lasso of the model', () => {
    let reduced = 0,
      violated = 0,
      held = 0;
    for (const seed of seeds) {
      const spec = randomSymSpec(seed);
      const plain = check(symmetric(spec, false));
      const sym = check(symmetric(spec, true));
      expect({ seed, statuses: statuses(sym) }).toEqual({ seed, statuses: statuses(plain) });
      expect({ seed, verdict: sym.verdict, property: sym.property }).toEqual({ seed, verdict: plain.verdict, property: plain.property });
      if (sym.states < plain.states) reduced++;
      if (sym.verdict === 'violated') {
        violated++;
        const judged = judgeLasso(symmetric(spec, false), sym.trace, sym.loop!);
        expect({ seed, ...judged }).toMatchObject({ seed, closes: true, unfair: [] });
        expect(judged.violates).toContain(sym.property);
      } else held++;
    }
    // the sample exercises both verdicts, and the reduction merges states in most models
    expect(violated).toBeGreaterThan(30);
    expect(held).toBeGreaterThan(30);
    expect(reduced).toBeGreaterThan(200);
  });

  it('on worker threads: each frame sent by a worker, the same result as on one thread (12 models, workers from the first level)', async () => {
    const stable = (r: CheckResult<unknown>) => {
      const { elapsedMs: _t, workers: _w, visitedBytes: _v, peakFrontierBytes: _f, ...rest } = r;
      return rest;
    };
    for (const seed of [...seeds.slice(0, 6), ...HOLONOMY.slice(0, 6)]) {
      const source = { module: new URL('./symmetric-models.ts', import.meta.url).href, export: 'symmetricFromSeed', args: [seed, true] };
      const one = check(symmetric(randomSymSpec(seed), true));
      const many = await checkParallel(source, { workers: 2, parallelFrom: 1 });
      expect(many.workers).toBe(2);
      expect({ seed, ...stable(many) }).toEqual({ seed, ...stable(one) });
    }
  }, 120_000);

  it('a malformed symmetry is bad input, named before any search', () => {
    const model = symmetric(randomSymSpec(1), true);
    const problem =
      '`symmetry` must have atoms (a positive integer), canonical(state, r), renameParams(r, action, params) and renameProperty(r, name)';
    expect(modelProblems({ ...model, symmetry: { ...model.symmetry!, atoms: 0 } })).toEqual([problem]);
    expect(modelProblems({ ...model, symmetry: { atoms: 2, canonical: () => {} } })).toEqual([problem]);
  });

  it('a symmetry that is not an automorphism, caught where it makes a lasso: the replay or the judge refuses it, a model error', () => {
    // renameProperty renames nothing: where a violation's lasso rests on a renamed property, the lasso built from the
    // wrong analysis does not replay, or is not a fair violating lasso of the model. (Where no lasso is built, a wrong
    // symmetry can go unnoticed: the differential tests above are what a model's symmetry rests on.)
    let caught = 0;
    for (const seed of seeds.slice(0, 60)) {
      const model = symmetric(randomSymSpec(seed), true);
      const broken = { ...model, symmetry: { ...model.symmetry!, renameProperty: (_r: Int32Array, name: string) => name } };
      try {
        check(broken);
      } catch (e) {
        expect(e).toBeInstanceOf(ModelDefinitionError);
        expect((e as Error).message).toMatch(/symmetry is not an automorphism/);
        caught++;
      }
    }
    expect(caught).toBeGreaterThan(0);
  });
});
