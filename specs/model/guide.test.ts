// docs/implementation.md is the guide of `fixed` printed from the model
// (model/guide.ts: each action's own `code`); these tests hold the guide to
// what the checker runs. That the page shows the guide as generated is the
// docs test's part (specs/docs.test.ts: docs/implementation.md is one of the
// files `npm run docs` writes).
import { describe, expect, it } from 'vitest';
import { check } from '../../checker/index.ts';
import { actionsOf, buildSetup } from '../../model/actions/index.ts';
import { DEFAULT_BOUNDS } from '../../model/bounds.ts';
import { implementationGuide, guideSql } from '../../model/guide.ts';
import { DEFAULT_SWITCHES, designByName, FAULT_NAMES, faultsInForce, NO_FAULT_BOUNDS, presenceModel } from '../../model/index.ts';
import { BLOCK_FILES } from '../../scripts/docs.ts';

const fixed = designByName('fixed')!;
const guide = implementationGuide(fixed);
const steps = guide.flatMap((p) => p.steps);

describe('the implementation guide of fixed', () => {
  it('has a step for each part a request meets, and each step makes calls', () => {
    expect(guide.map((p) => p.part)).toEqual(expect.arrayContaining(['frontend', 'POST /rooms/{room}/meetings/{id}/joined']));
    for (const s of steps) expect(s.calls.length, s.action).toBeGreaterThan(0);
  });

  it('lists only steps the checker takes: every one fires in a check of fixed with every fault in force', () => {
    const r = check(presenceModel(fixed, { users: 1, tabs: 1, lag: 0 }, { faults: FAULT_NAMES, liveness: false }), {});
    expect(r.limit).toBeNull();
    const unfired = steps.map((s) => s.action).filter((a) => !((r.coverage[a] ?? 0) > 0));
    expect(unfired).toEqual([]);
  });

  it('leaves out no step of the model that stands for a call', () => {
    const setup = buildSetup(fixed, DEFAULT_BOUNDS, faultsInForce(fixed, FAULT_NAMES).inForce, NO_FAULT_BOUNDS, false);
    const withCalls = actionsOf(setup)
      .filter((a) => (a.code?.(setup) ?? []).length > 0)
      .map((a) => a.name);
    expect(steps.map((s) => s.action).sort()).toEqual([...withCalls].sort());
  });

  it('marks a step unchanged exactly where the main branch (the current design) makes the same calls', () => {
    expect(designByName('current')).toMatchObject(DEFAULT_SWITCHES);
    const main = buildSetup(
      designByName('current')!,
      DEFAULT_BOUNDS,
      faultsInForce(designByName('current')!, FAULT_NAMES).inForce,
      NO_FAULT_BOUNDS,
      false,
    );
    const before = new Map(actionsOf(main).map((a) => [a.name, JSON.stringify(a.code?.(main) ?? [])]));
    for (const s of steps) expect(s.unchanged, s.action).toBe(before.get(s.action) === JSON.stringify(s.calls));
    expect(steps.some((s) => s.unchanged)).toBe(true);
    expect(steps.some((s) => !s.unchanged)).toBe(true);
  });

  it("gives the SQL of fixed's steps, each statement on the clock it says (the DB's now(), never a worker's value)", () => {
    const sql = guideSql(fixed);
    expect(sql.length).toBeGreaterThan(0);
    for (const s of sql) expect(s.sql, s.action).not.toMatch(/:decided_at|:now\b/);
  });

  it('is printed in docs/implementation.md by npm run docs', () => {
    expect(BLOCK_FILES).toContain('docs/implementation.md');
  });
});
