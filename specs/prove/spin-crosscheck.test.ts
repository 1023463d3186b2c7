// The Promela model of `fixed` (spin/fixed.pml, written apart from model/
// from the design's semantics) and presence-check must agree: SPIN's
// breadth-first safety search and presence-check's give the same verdict,
// the same violated invariant and the same length of shortest
// counterexample, for fixed at small bounds (with no fault, each fault
// alone, every fault), for fixed with its premise lifted (refresh-fails,
// no-call-cut judged), and for the ablations of fixed
// (model/ablations.ts) that the Promela model has a switch for, which must
// be violated as presence-check's are. Equal lengths are expected, not
// only equal verdicts: each step of the Promela model is one step of
// model/ (the poll queue it leaves out never lengthens a shortest trace:
// a connect queues a due poll). SPIN's witnesses show the Promela model is
// not vacuous. Needs SPIN and gcc (`apt-get install -y spin gcc`; .ci/run
// installs them): without them the file fails in one line saying so (a
// cross-check that cannot run is not passed).
import { describe, expect, it } from 'vitest';
import { check } from '../../checker/index.ts';
import { ablationsOfFixed } from '../../model/ablations.ts';
import { designByName, FAULT_NAMES, faultsInForce, presenceModel, type Design, type FaultName } from '../../model/index.ts';
import { runSpin, SPIN_ABLATIONS, SPIN_FAULTS, SPIN_WITNESSES, spinMissing, type SpinResult } from '../../spin/run.ts';

const missing = spinMissing();

describe('the cross-check can run', () => {
  it('has SPIN and gcc', () => {
    expect(missing).toBeNull();
  });
});

type Bound = readonly [users: number, tabs: number, lag: number];

interface Verdict {
  readonly verdict: string;
  readonly property: string | null;
  /** steps of the shortest counterexample (0 when it holds) */
  readonly steps: number;
}

/** presence-check's safety verdict, and the faults it has in force (those that can touch the design). */
function presence(design: Design, [users, tabs, lag]: Bound, asked: readonly FaultName[], judge: readonly string[] = []) {
  const r = check(presenceModel(design, { users, tabs, lag }, { faults: asked, judge }), { maxStates: 20_000_000 });
  const verdict: Verdict = {
    verdict: r.verdict,
    property: r.verdict === 'violated' ? r.property : null,
    steps: r.verdict === 'violated' ? r.trace.length - 1 : 0,
  };
  return { verdict, inForce: faultsInForce(design, asked).inForce };
}

const spinVerdict = (s: SpinResult): Verdict => ({ verdict: s.verdict, property: s.property, steps: s.verdict === 'holds' ? 0 : s.depth });

const fixed = designByName('fixed')!;

describe.runIf(missing === null)('SPIN (spin/fixed.pml) agrees with presence-check', () => {
  const bare: Bound[] = [
    [1, 1, 0],
    [1, 2, 1],
    [2, 1, 0],
    [2, 1, 1],
    [2, 2, 0],
  ];
  it.each(bare)('fixed holds at %i users × %i tabs × lag %i, no faults', (users, tabs, lag) => {
    const pc = presence(fixed, [users, tabs, lag], []);
    const spin = runSpin({ users, tabs, lag });
    expect(pc.verdict.verdict).toBe('holds');
    expect(spinVerdict(spin)).toEqual(pc.verdict);
  });

  const alone = Object.keys(SPIN_FAULTS) as FaultName[];
  it.each(alone)('fixed holds at 2 users × 1 tab × lag 0 with %s', (fault) => {
    const pc = presence(fixed, [2, 1, 0], [fault]);
    expect(pc.inForce).toEqual([fault]);
    const spin = runSpin({ users: 2, tabs: 1, lag: 0, faults: pc.inForce });
    expect(pc.verdict.verdict).toBe('holds');
    expect(spinVerdict(spin)).toEqual(pc.verdict);
  });

  it.each([
    [2, 1, 0],
    [2, 1, 1],
  ] as Bound[])(
    'fixed holds at %i users × %i tabs × lag %i with every fault that can touch it',
    (users, tabs, lag) => {
      const pc = presence(fixed, [users, tabs, lag], FAULT_NAMES);
      // every fault in force has its switch in fixed.pml (the others cannot touch fixed)
      expect([...pc.inForce].sort()).toEqual(Object.keys(SPIN_FAULTS).sort());
      const spin = runSpin({ users, tabs, lag, faults: pc.inForce });
      expect(pc.verdict.verdict).toBe('holds');
      expect(spinVerdict(spin)).toEqual(pc.verdict);
    },
    20 * 60_000,
  );

  it.each([
    [2, 1, 0],
    [2, 1, 1],
  ] as Bound[])(
    'with refresh-fails and no-call-cut judged, both cut a call at %i users × %i tabs × lag %i, as shortly',
    (users, tabs, lag) => {
      const pc = presence(fixed, [users, tabs, lag], ['refresh-fails'], ['no-call-cut']);
      const spin = runSpin({ users, tabs, lag, faults: ['refresh-fails'], judge: ['no-call-cut'] });
      expect(pc.verdict).toMatchObject({ verdict: 'violated', property: 'no-call-cut' });
      expect(spinVerdict(spin)).toEqual(pc.verdict);
      // and unjudged (its premise lifted) it is not asserted: fixed then holds in both
      expect(spinVerdict(runSpin({ users, tabs, lag, faults: ['refresh-fails'] })).verdict).toBe('holds');
    },
  );

  // each ablation with a switch in fixed.pml, with no fault and with the two faults that tell the last ones apart
  const ablations = ablationsOfFixed();
  const cases = Object.keys(SPIN_ABLATIONS).flatMap((n) =>
    [[], ['direct-join'], ['create-lock-lost']].map((faults) => [Number(n), faults as FaultName[]] as const),
  );
  it.each(cases)('fixed-without-%i (%j) at 2 users × 1 tab × lag 0: the same verdict, invariant and trace length', (n, faults) => {
    const design = ablations[n - 1].design;
    const pc = presence(design, [2, 1, 0], faults);
    const spin = runSpin({ users: 2, tabs: 1, lag: 0, ablation: n, faults: pc.inForce });
    expect(spinVerdict(spin), `${design.name} (${ablations[n - 1].instead}), faults ${faults.join(', ') || 'none'}`).toEqual(pc.verdict);
  });

  it('the broken variants are broken: without the conditional UPDATE or without the 503, SPIN finds the violation presence-check does', () => {
    // the sanity check the cases above generalise, spelt out: a plain UPDATE after a read of the reservations cuts a call
    const update = runSpin({ users: 2, tabs: 1, lag: 0, ablation: 7 });
    expect(update).toMatchObject({ verdict: 'violated', property: 'no-call-cut' });
    expect(presence(ablations[6].design, [2, 1, 0], []).verdict).toMatchObject({
      verdict: 'violated',
      property: 'no-call-cut',
      steps: update.depth,
    });
    // no 503 while a meeting closes: a tab that knows the old room's URL joins it beside the new meeting
    const wait = runSpin({ users: 2, tabs: 1, lag: 0, ablation: 8, faults: ['direct-join'] });
    expect(wait).toMatchObject({ verdict: 'violated', property: 'no-orphaned-call' });
    expect(presence(ablations[7].design, [2, 1, 0], ['direct-join']).verdict).toMatchObject({
      verdict: 'violated',
      property: 'no-orphaned-call',
      steps: wait.depth,
    });
  });

  it.each(Object.entries(SPIN_WITNESSES))('the Promela model is not vacuous: witness %s (%s) is reached', (n) => {
    const r = runSpin({ users: 2, tabs: 1, lag: 0, witness: Number(n) as keyof typeof SPIN_WITNESSES });
    expect(r).toMatchObject({ verdict: 'violated', property: `witness:${n}` });
  });
});
