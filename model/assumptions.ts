// What a verdict rests on, as data: the design's timing assumption (derived
// from its switches), then every guarantee of the infrastructure that the run
// assumed, that is each fault that can touch the design and was not in force,
// then what no switch of this model relaxes. Every verdict prints it.
import { timingAssumptionOf, type Switches } from './designs.ts';
import { FAULTS, type FaultName } from './faults.ts';

/** Always assumed: the model has no fault that breaks these. */
export const BASE_ASSUMPTIONS: readonly string[] = [
  'the DB applies each transaction atomically and durably',
  "get-or-create is atomic (its own 30 s lock lease holds)",
];

export function assumptionsOf(design: Switches, faults: readonly FaultName[]): string[] {
  const timing = timingAssumptionOf(design);
  return [
    ...(timing !== null ? [timing.text] : []),
    ...FAULTS.filter((f) => f.applies(design) && !faults.includes(f.name)).map((f) => f.guarantee),
    ...BASE_ASSUMPTIONS,
  ];
}
