// The verdict matrix's cells: every design over a grid of users × presence
// lag, plus, per design, sweeps of the timing bounds its behaviour depends on
// (model/designs.ts timingBoundsOf, and the bounds of its timing assumption),
// centred where its assumption says a flip shows. Pure.
import {
  BOUND_SPECS,
  DEFAULT_BOUNDS,
  FAULT_NAMES,
  FAULTS,
  boundsError,
  timingAssumptionOf,
  timingBoundsOf,
  type Bounds,
  type Design,
  type FaultName,
} from '../../model/index.ts';

export interface Cell {
  readonly design: Design;
  /** every bound, defaults filled in */
  readonly bounds: Bounds;
  /** the faults in force */
  readonly faults: readonly FaultName[];
  /** the bound this cell varies from its design's sweep centre; null for a grid cell or the centre */
  readonly varies: keyof Bounds | null;
  /** whether the liveness properties are checked too */
  readonly liveness: boolean;
}

/** Where a design's sweeps are centred (other bounds default) and the values tried beside the centre's. */
export interface SweepPlan {
  readonly centre: Partial<Bounds>;
  readonly values: Partial<Record<keyof Bounds, readonly number[]>>;
}

/** Values tried for each bound a sweep varies, beside the default (lag: the grid's range). */
const SWEEP_VALUES: Readonly<Partial<Record<keyof Bounds, readonly number[]>>> = {
  lag: [0, 2],
  handshake: [0, 4],
  pollDelay: [1, 5],
  ttl: [1, 12],
  leftPollDelay: [0, 10],
  grace: [0, 6],
};

/** The bounds a design's sweeps vary: its timing bounds, then any other bound its timing assumption names. */
export function sweptBoundsOf(design: Design): readonly (keyof Bounds)[] {
  const timing: readonly (keyof Bounds)[] = timingBoundsOf(design);
  const assumed = timingAssumptionOf(design)?.bounds ?? [];
  return [...timing, ...assumed.filter((b) => !timing.includes(b))];
}

export function sweepPlanOf(design: Design): SweepPlan {
  const sweep = timingAssumptionOf(design)?.sweep ?? null;
  const values: Partial<Record<keyof Bounds, readonly number[]>> = {};
  for (const b of sweptBoundsOf(design)) values[b] = sweep?.values[b] ?? SWEEP_VALUES[b] ?? [];
  return { centre: sweep?.centre ?? {}, values };
}

/** What the matrix covers. */
export interface MatrixPlan {
  readonly designs: readonly Design[];
  readonly users: readonly number[];
  readonly lag: readonly number[];
  /** live tabs per user in every cell (default: the bounds' default) */
  readonly tabs?: number;
  readonly sweeps: boolean;
  /** the fault matrix: each design with no fault, each fault alone (those that can touch it), and all */
  readonly faults: boolean;
  /** check the liveness properties too */
  readonly liveness: boolean;
}

/** The fault sets of the fault matrix for a design: none, each fault that can touch it, all of them. */
export function faultSetsOf(design: Design): (readonly FaultName[])[] {
  const touching = FAULTS.filter((f) => f.applies(design)).map((f) => f.name);
  return [[], ...touching.map((f) => [f]), FAULT_NAMES];
}

export const boundsKey = (b: Bounds) => BOUND_SPECS.map((s) => b[s.name]).join(',');

/**
 * The cells, in a fixed order: design by design (in the order given); for
 * each, the grid (users ascending, then lag), then its sweep centre and each
 * swept bound's values ascending. A cell already listed is not repeated.
 */
export function matrixCells(plan: MatrixPlan): Cell[] {
  const cells: Cell[] = [];
  const base: Bounds = { ...DEFAULT_BOUNDS, tabs: plan.tabs ?? DEFAULT_BOUNDS.tabs };
  for (const design of plan.designs) {
    const seen = new Set<string>();
    const add = (bounds: Bounds, varies: keyof Bounds | null, faults: readonly FaultName[] = []) => {
      const problem = boundsError(bounds);
      if (problem !== null) throw new RangeError(`${design.name}: ${problem}`);
      const key = `${boundsKey(bounds)} ${faults.join(',')}`;
      if (seen.has(key)) return;
      seen.add(key);
      cells.push({ design, bounds, faults, varies, liveness: plan.liveness });
    };
    if (plan.faults) {
      for (const faults of faultSetsOf(design))
        for (const users of plan.users) for (const lag of plan.lag) add({ ...base, users, lag }, null, faults);
      continue;
    }
    for (const users of plan.users) for (const lag of plan.lag) add({ ...base, users, lag }, null);
    if (!plan.sweeps) continue;
    const sweep = sweepPlanOf(design);
    const centre: Bounds = { ...base, ...sweep.centre };
    add(centre, null);
    for (const [bound, values] of Object.entries(sweep.values) as [keyof Bounds, readonly number[]][]) {
      for (const v of [...values].sort((a, b) => a - b)) add({ ...centre, [bound]: v }, bound);
    }
  }
  return cells;
}

/** A cell's faults as the table shows them: — for none, all, or the list. */
export function faultsCellText(faults: readonly FaultName[]): string {
  return faults.length === 0 ? '—' : faults.length === FAULT_NAMES.length ? 'all' : faults.join(', ');
}

/** users and lag, every bound the design's assumption names, and any other bound off its default. */
export function cellBoundsText(design: Design, bounds: Bounds): string {
  const named = timingAssumptionOf(design)?.bounds ?? [];
  return BOUND_SPECS.filter(
    (s) => s.name === 'users' || s.name === 'lag' || named.includes(s.name) || bounds[s.name] !== DEFAULT_BOUNDS[s.name],
  )
    .map((s) => `${s.flag}=${bounds[s.name]}`)
    .join(' ');
}
