// What a verdict rests on, as data: the design's timing assumption (derived
// from its switches), then every guarantee of the infrastructure that the run
// assumed (each fault that can touch the design and was not in force), the
// bounds put on a fault in force, then what no fault of this model lifts.
// Every verdict prints it.
import { deletesRooms, timingAssumptionOf, type Switches } from './designs.ts';
import {
  FAULT_BOUND_SPECS,
  faultByName,
  FAULTS,
  faultsInForce,
  ROOM_DELETION_ASSUMPTION,
  type FaultBounds,
  type FaultName,
} from './faults.ts';
import { PREMISES } from './properties.ts';

/** Always assumed: the model has no fault that breaks these. */
export const BASE_ASSUMPTIONS: readonly string[] = ['the DB applies each transaction atomically and durably'];

/** What the liveness verdicts rest on besides the above: the fairness the actions declare (docs/model.md, Fairness). */
export const FAIRNESS_ASSUMPTION =
  'for liveness: each request, handshake, webhook, queued poll and periodic process_meetings run is handled in the end, each on its own ' +
  '(per tab, per meeting), presence catches up and each flap ends in the end, and time passes (weak fairness; strong for the presence reads)';
/** ... and that the environment settles (--no-settling drops it). */
export const SETTLING_ASSUMPTION = 'for liveness: users open and close tabs, and each fault in force strikes, only finitely often';

export interface LivenessPremises {
  /** the liveness properties are checked */
  readonly checked: boolean;
  /** the environment settles (only read when checked) */
  readonly settles: boolean;
}

export function assumptionsOf(
  design: Switches,
  faults: readonly FaultName[],
  liveness: LivenessPremises = { checked: false, settles: true },
  faultBounds: FaultBounds = { flapTicks: null, flaps: null },
): string[] {
  const timing = timingAssumptionOf(design);
  const { inForce } = faultsInForce(design, faults);
  const bounded = FAULT_BOUND_SPECS.flatMap((spec) => {
    const n = faultBounds[spec.name];
    return n !== null && inForce.includes(spec.fault) ? [spec.assumption(n)] : [];
  });
  return [
    ...(timing !== null ? [timing.text] : []),
    ...FAULTS.filter((f) => f.applies(design) && !inForce.includes(f.name)).map((f) => f.guarantee),
    ...bounded,
    ...(deletesRooms(design) ? [ROOM_DELETION_ASSUMPTION] : []),
    ...BASE_ASSUMPTIONS,
    ...(liveness.checked ? [FAIRNESS_ASSUMPTION, ...(liveness.settles ? [SETTLING_ASSUMPTION] : [])] : []),
  ];
}

/** A fault in force that takes bounds (--flap-ticks, --flaps), and the bounds the run put on it. */
export interface FaultBoundsInForce {
  readonly fault: FaultName;
  /** whether any of its bounds was given */
  readonly bounded: boolean;
  /** each of its bounds, by name (FaultBounds): a number, or null for unbounded */
  readonly bounds: Readonly<Record<string, number | null>>;
  /** "presence-flap bounded: a flap lasts ≤ 1 tick, ≤ 1 flap a connection", or "presence-flap unbounded: ..." */
  readonly text: string;
}

/**
 * The bounds on each fault in force that takes bounds: bounded or not, in
 * words. A verdict under an unbounded fault says so, as one under a bounded
 * fault names the bound (assumptionsOf lists it as an assumption too).
 */
export function faultBoundsOf(
  design: Switches,
  faults: readonly FaultName[],
  faultBounds: Partial<FaultBounds> = {},
): FaultBoundsInForce[] {
  const { inForce } = faultsInForce(design, faults);
  return FAULTS.filter((f) => inForce.includes(f.name)).flatMap((f) => {
    const specs = FAULT_BOUND_SPECS.filter((s) => s.fault === f.name);
    if (specs.length === 0) return [];
    const bounds = Object.fromEntries(specs.map((s) => [s.name, faultBounds[s.name] ?? null]));
    const bounded = specs.some((s) => bounds[s.name] !== null);
    const text = `${f.name} ${bounded ? 'bounded' : 'unbounded'}: ${specs.map((s) => s.phrase(bounds[s.name])).join(', ')}`;
    return [{ fault: f.name, bounded, bounds, text }];
  });
}

/** A property the run does not judge: a fault in force lifts its premise, and it was not asked for (--judge). */
export interface NotJudged {
  readonly property: string;
  /** the fault in force that lifts its premise */
  readonly fault: FaultName;
  /** its premise: the guarantee the fault takes away */
  readonly premise: string;
  /** why it is not judged under the fault (properties.ts PREMISES) */
  readonly why: string;
}

/** The properties of the design that this run does not judge (properties.ts PREMISES), and why. */
export function notJudgedOf(design: Switches, faults: readonly FaultName[], judge: readonly string[] = []): NotJudged[] {
  const { inForce } = faultsInForce(design, faults);
  return Object.entries(PREMISES)
    .filter(([name, p]) => p.applies(design) && inForce.includes(p.fault) && !judge.includes(name))
    .map(([property, p]) => ({ property, fault: p.fault, premise: faultByName(p.fault)!.guarantee, why: p.why }));
}
