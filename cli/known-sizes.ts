// The size of each check a saved result in docs/results records
// (known-sizes.json, written by `npm run docs`): the progress line's
// estimate of the whole run when the same check runs again. Keyed by what
// determines the state space: the design's switches, the bounds, the faults
// and symmetry; not the design's name, nor the limits, nor liveness and
// settling, which add properties and fairness but no state (symmetry is
// applied with liveness too): a complete run with liveness and one without
// find the same states, and sizesOf() refuses saved runs that disagree.
import { BOUND_SPECS } from '../model/index.ts';
import type { RunReport } from '../report/types.ts';
import type { JobDescription, PresenceJob } from './jobs.ts';
import SIZES from './known-sizes.json' with { type: 'json' };
import { SWITCH_NAMES } from './commands/designs.ts';

/** JSON with every object's keys in order: a reservation written in another order is the same switch. */
function stable(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stable).join(',')}]`;
  if (typeof v === 'object' && v !== null)
    return `{${Object.keys(v)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${stable((v as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  return JSON.stringify(v ?? null);
}

/** The key of a presence check's state space. */
export function sizeKey(
  design: Readonly<Record<string, unknown>>,
  bounds: Readonly<Record<string, number>>,
  faults: readonly string[],
  options: { readonly symmetry: boolean },
): string {
  const switches = SWITCH_NAMES.map((k) => stable(design[k])).join(' ');
  const b = BOUND_SPECS.map((s) => `${s.flag}=${bounds[s.name]}`).join(' ');
  const f = [...faults].sort().join(',') || 'none';
  const o = options.symmetry ? 'sym' : 'nosym';
  return `${switches} | ${b} | ${f} | ${o}`;
}

export const specKey = (spec: PresenceJob): string =>
  sizeKey(
    spec.design as unknown as Record<string, unknown>,
    spec.bounds as unknown as Record<string, number>,
    spec.options.faults,
    spec.options,
  );

/**
 * The options the key covers, and those that change no state (liveness, settling); a job that sets any other
 * (fault bounds, judge, reduce) has a space no saved run measured.
 */
const KEYED_OPTIONS: readonly string[] = ['faults', 'symmetry', 'liveness', 'settles'];

/** The states a saved run of this check found, or null. */
export function knownSize(spec: JobDescription): number | null {
  if (spec.kind !== 'presence') return null;
  if (Object.entries(spec.options).some(([k, v]) => v !== undefined && !KEYED_OPTIONS.includes(k))) return null;
  return (SIZES as Readonly<Record<string, number>>)[specKey(spec)] ?? null;
}

/**
 * The table for these reports: each complete run's size under its key.
 * `switchesOf` gives a report's design switches (a built-in design's, by name).
 */
export function sizesOf(
  reports: readonly RunReport[],
  switchesOf: (design: string) => Readonly<Record<string, unknown>> | null,
): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of reports) {
    if (r.design === null || r.bounds === null || r.faults === null || r.symmetry === null) continue;
    // only a search that went to the end knows the size of its space
    if (r.verdict !== 'holds' && r.verdict !== 'vacuous' && !(r.verdict === 'violated' && r.loop !== null)) continue;
    const switches = switchesOf(r.design);
    if (switches === null) continue;
    const faults = [...r.faults.inForce, ...r.faults.notApplicable];
    const key = sizeKey(switches, r.bounds, faults, { symmetry: r.symmetry });
    if (out[key] !== undefined && out[key] !== r.states)
      throw new Error(`known sizes: two complete saved runs of one state space found ${out[key]} and ${r.states} states (${key})`);
    out[key] = r.states;
  }
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => (a < b ? -1 : 1)));
}
