// What a verdict rests on, as data: the design's timing assumption (derived
// from its switches), then every guarantee of the infrastructure that the run
// assumed, that is each fault that can touch the design and was not in force,
// then what no switch of this model relaxes. Every verdict prints it.
import { timingAssumptionOf, type Switches } from './designs.ts';
import { FAULTS, type FaultName } from './faults.ts';

/** Always assumed: the model has no fault that breaks these. */
export const BASE_ASSUMPTIONS: readonly string[] = [
  'the DB applies each transaction atomically and durably',
  'get-or-create is atomic (its own 30 s lock lease holds)',
];

/** What the liveness verdicts rest on besides the above: the fairness the actions declare (docs/model.md, Fairness). */
export const FAIRNESS_ASSUMPTION =
  'for liveness: each request, handshake, webhook, poll and process_meetings run is handled in the end, ' +
  'presence catches up in the end, and time passes (weak fairness; strong for the presence reads)';
/** ... and that the environment settles (actions/context.ts `environment`; --no-settling drops it). */
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
): string[] {
  const timing = timingAssumptionOf(design);
  return [
    ...(timing !== null ? [timing.text] : []),
    ...FAULTS.filter((f) => f.applies(design) && !faults.includes(f.name)).map((f) => f.guarantee),
    ...BASE_ASSUMPTIONS,
    ...(liveness.checked ? [FAIRNESS_ASSUMPTION, ...(liveness.settles ? [SETTLING_ASSUMPTION] : [])] : []),
  ];
}
