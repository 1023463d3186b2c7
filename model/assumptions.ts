// What a verdict rests on, as data: the design's timing assumption (derived
// from its switches), then every guarantee of the infrastructure that the run
// assumed (each fault that can touch the design and was not in force), the
// bounds put on a fault in force, then what no fault of this model lifts.
// Every verdict prints it.
import { deletesRooms, timingAssumptionOf, type Switches } from './designs.ts';
import { FAULT_BOUND_SPECS, FAULTS, faultsInForce, ROOM_DELETION_ASSUMPTION, type FaultBounds, type FaultName } from './faults.ts';

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
