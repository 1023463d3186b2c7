// The presence model: one model, a design (a set of switches) and bounds.
import type { Model } from '../checker/index.ts';
import { boundsError, DEFAULT_BOUNDS, type Bounds } from './bounds.ts';
import { designByName, DESIGN_NAMES, type Design } from './designs.ts';
import { buildActions } from './actions.ts';
import { buildProperties } from './properties.ts';
import { encodeExact, symmetricEncoder } from './encoding.ts';
import { initialState, type State } from './state.ts';
import { stateCodec } from './codec.ts';
import { symmetricEquivalence } from './equivalence.ts';
import { describeStep, viewState } from './view.ts';

export { BOUND_SPECS, DEFAULT_BOUNDS, boundsError, type Bounds, type BoundSpec } from './bounds.ts';
export { DESIGNS, DESIGN_NAMES, designByName, type Design } from './designs.ts';
export { SAME_DAILY_ROOM, NO_ORPHANED_CALL, ONE_ACTIVE_MEETING } from './properties.ts';
export type { State } from './state.ts';

export interface PresenceOptions {
  /** treat users, tab slots and meeting ids as interchangeable (default true) */
  readonly symmetry?: boolean;
}

export function presenceModel(design: Design | string, bounds: Partial<Bounds> = {}, options: PresenceOptions = {}): Model<State> {
  const d = typeof design === 'string' ? designByName(design) : design;
  if (!d) throw new RangeError(`unknown design '${design}' (designs: ${DESIGN_NAMES.join(', ')})`);
  const b: Bounds = { ...DEFAULT_BOUNDS, ...bounds };
  const problem = boundsError(b);
  if (problem) throw new RangeError(problem);
  return {
    name: `presence/${d.name}`,
    init: [initialState(b.users, b.tabs)],
    actions: buildActions(d, b),
    properties: buildProperties(d, b),
    encode: options.symmetry === false ? encodeExact : symmetricEncoder(b),
    ...(options.symmetry === false ? {} : { equivalent: symmetricEquivalence(b) }),
    codec: stateCodec(b.users * b.tabs),
    view: (s) => viewState(s, d, b),
    describe: (step, to) => describeStep(step, to, d, b),
  };
}
