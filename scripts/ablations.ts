// `npm run ablations`: for each change `fixed` makes (model/ablations.ts),
// the design without it, checked at growing bounds and faults until the
// checker finds a violation: the smallest bounds (users, tabs, lag) first,
// and at each, no fault, then each fault alone, then every fault but
// refresh-fails (whose premise would leave no-call-cut unjudged), then
// every fault. The first violation is the ablation's row: its property, its
// shortest trace, and where it was found. An ablation that holds at every
// step of the ladder (liveness included, at the last) is reported as not
// needed by any property of the model. Writes docs/results/ablations.json;
// `npm run docs` prints docs/findings.md's table from it. Minutes.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { check, type CheckResult } from '../checker/index.ts';
import { FAULT_NAMES, faultsInForce, presenceModel, type Bounds, type FaultName, type State } from '../model/index.ts';
import { ablationsOfFixed } from '../model/ablations.ts';
import { provenance } from './docs/record.ts';
import type { Provenance } from './docs/results.ts';
import { REPO_ROOT } from './docs.ts';

export const ABLATIONS_RESULT = 'docs/results/ablations.json';

/** The bounds tried, smallest first. */
export const LADDER: readonly Pick<Bounds, 'users' | 'tabs' | 'lag'>[] = [
  { users: 1, tabs: 1, lag: 0 },
  { users: 2, tabs: 1, lag: 0 },
  { users: 2, tabs: 1, lag: 1 },
  { users: 1, tabs: 2, lag: 0 },
  { users: 2, tabs: 2, lag: 0 },
];

export interface Found {
  readonly bounds: Pick<Bounds, 'users' | 'tabs' | 'lag'>;
  readonly faults: readonly FaultName[];
  readonly liveness: boolean;
  readonly property: string;
  readonly steps: number;
  readonly lasso: boolean;
  /** what each step did, in the model's words */
  readonly trace: readonly string[];
}

export interface AblationResult {
  readonly change: string;
  readonly instead: string;
  readonly design: string;
  /** null: it held at every step of the ladder */
  readonly found: Found | null;
  /** checks made before the violation (or all of them) */
  readonly checks: number;
  /** false: the search was stopped by --minutes before the ladder's end, so a null `found` proves nothing */
  readonly complete?: boolean;
}

export interface AblationsFile {
  readonly format: 'presence-check/ablations';
  readonly ladder: typeof LADDER;
  readonly ablations: readonly AblationResult[];
  readonly elapsedMs: number;
  readonly ran: Provenance;
}

const CAP = 20_000_000;

function describeTrace(model: ReturnType<typeof presenceModel>, r: CheckResult<State>): string[] {
  return r.trace.slice(1).map((step, i) => {
    const action = model.actions.find((a) => a.name === step.action)!;
    const from = r.trace[i].state;
    return action.describe!({ from, action: step.action!, params: step.params }, step.state);
  });
}

export function searchAblation(
  design: ReturnType<typeof ablationsOfFixed>[number]['design'],
  deadline = Number.POSITIVE_INFINITY,
): { found: Found | null; checks: number; complete: boolean } {
  let checks = 0;
  let complete = true;
  const faultSets = (): FaultName[][] => {
    const { inForce } = faultsInForce(design, FAULT_NAMES);
    return [[], ...inForce.map((f) => [f]), inForce.filter((f) => f !== 'refresh-fails'), inForce].filter(
      (set, i, all) => all.findIndex((x) => x.join() === set.join()) === i,
    );
  };
  const attempt = (bounds: Found['bounds'], faults: readonly FaultName[], liveness: boolean): Found | null => {
    if (performance.now() > deadline) {
      complete = false;
      return null;
    }
    checks++;
    const model = presenceModel(design, bounds, { faults, liveness });
    const r = check(model, { maxStates: CAP });
    if (r.verdict !== 'violated') return null;
    return {
      bounds,
      faults,
      liveness,
      property: r.property!,
      steps: r.trace.length - 1,
      lasso: r.loop !== null,
      trace: describeTrace(model, r),
    };
  };
  // Faults only add steps (and fault steps carry no fairness), so a violation
  // with a set of faults is one with any larger set: where the largest sets
  // hold, every smaller one does, and the single faults need not be tried.
  const search = (bounds: Found['bounds'], liveness: boolean): Found | null => {
    const sets = faultSets();
    const largest = sets.slice(-2);
    if (largest.every((faults) => attempt(bounds, faults, liveness) === null)) return null;
    for (const faults of sets) {
      const found = attempt(bounds, faults, liveness);
      if (found !== null) return found;
    }
    return null;
  };
  for (const bounds of LADDER) {
    const found = search(bounds, false);
    if (found !== null) return { found, checks, complete };
  }
  // safe everywhere on the ladder: does it still let everyone in, and close what is empty?
  for (const bounds of LADDER.slice(0, 3)) {
    const found = search(bounds, true);
    if (found !== null) return { found, checks, complete };
  }
  return { found: null, checks, complete };
}

/** `minutes`: each ablation's time (a check under way runs to its end); unlimited by default. */
export function searchAblations(minutes = Number.POSITIVE_INFINITY): AblationsFile {
  const started = performance.now();
  const ablations = ablationsOfFixed().map((a) => {
    const { found, checks, complete } = searchAblation(a.design, performance.now() + minutes * 60_000);
    const verdict =
      found !== null
        ? `${found.property}, ${found.steps} steps`
        : complete
          ? 'holds on the whole ladder'
          : `no violation in ${checks} checks (stopped at ${minutes} min)`;
    console.log(`${a.design.name}: ${verdict} (${checks} checks)`);
    return { change: a.change, instead: a.instead, design: a.design.name, found, checks, complete };
  });
  return {
    format: 'presence-check/ablations',
    ladder: LADDER,
    ablations,
    elapsedMs: Math.round(performance.now() - started),
    ran: provenance(REPO_ROOT),
  };
}

if (process.argv[1]?.endsWith('ablations.ts')) {
  // --minutes N: stop each ablation's search after N minutes (its row then says so)
  const at = process.argv.indexOf('--minutes');
  const minutes = at < 0 ? Number.POSITIVE_INFINITY : Number(process.argv[at + 1]);
  if (!(minutes > 0)) {
    console.error('ablations: --minutes takes a positive number');
    process.exit(2);
  }
  const result = searchAblations(minutes);
  writeFileSync(join(REPO_ROOT, ABLATIONS_RESULT), `${JSON.stringify(result, null, 2)}\n`);
  console.log(`wrote ${ABLATIONS_RESULT}`);
}
