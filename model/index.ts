// The presence model: one model, a design (a set of switches) and bounds.
import type { Lane, Model, Params } from '../checker/index.ts';
import { boundsError, DEFAULT_BOUNDS, type Bounds } from './bounds.ts';
import { designByName, DESIGN_NAMES, type Design } from './designs.ts';
import { buildActions, BACKEND, DAILY, STORE, userLane, WORKER } from './actions/index.ts';
import { buildProperties, livenessProperties } from './properties.ts';
import { encodeExact, symmetricEncoder } from './encoding.ts';
import { symmetricEquivalence } from './equivalence.ts';
import { initialState, type State } from './state.ts';
import { stateCodec } from './codec.ts';
import { viewState } from './view.ts';
import { faultByName, FAULT_NAMES, type FaultName } from './faults.ts';

export { BOUND_SPECS, DEFAULT_BOUNDS, boundsError, type Bounds, type BoundSpec } from './bounds.ts';
export {
  DESIGNS,
  DESIGN_NAMES,
  designByName,
  readDesign,
  timingAssumptionOf,
  timingBoundsOf,
  SWITCH_DOCS,
  type Design,
  type TimingAssumption,
  type TimingBound,
} from './designs.ts';
export { SAME_DAILY_ROOM, NO_ORPHANED_CALL, ONE_ACTIVE_MEETING } from './properties.ts';
export { FAULTS, FAULT_NAMES, faultByName, faultWitness, type Fault, type FaultName } from './faults.ts';
export { assumptionsOf, FAIRNESS_ASSUMPTION, SETTLING_ASSUMPTION, type LivenessPremises } from './assumptions.ts';
export type { State } from './state.ts';

export interface PresenceOptions {
  /**
   * treat users, tab slots and meeting ids as interchangeable (default true);
   * with liveness, only tab slots and meeting ids (a user's own properties
   * and fairness must stay the user's: see docs/model.md, Symmetry)
   */
  readonly symmetry?: boolean;
  /** the faults in force (default none) */
  readonly faults?: readonly FaultName[];
  /** check the liveness properties too (default false: safety only) */
  readonly liveness?: boolean;
  /**
   * for liveness: the environment settles (default true): users open and
   * close tabs, and each fault in force strikes, only finitely often
   * (actions/context.ts `environment`). false: they may recur forever.
   */
  readonly settles?: boolean;
}

/** The diagram's lanes: a tab lane per user (all of a user's tabs share it), then the backend's parts. */
function lanesOf(b: Bounds): Lane[] {
  return [
    ...Array.from({ length: b.users }, (_, u) => ({ id: userLane(u + 1), label: `Tab u${u + 1}` })),
    { id: BACKEND, label: 'Backend', always: true },
    { id: WORKER, label: 'Worker', always: true },
    { id: DAILY, label: 'Daily', always: true },
    { id: STORE, label: 'Redis/DB', always: true },
  ];
}

const USER = /^u(\d+)$/,
  MEETING = /^M(\d+)$/,
  TAB = /^u(\d+)#(\d+)$/;

/** Parameters as a scenario writes them: user u1, meeting M1, tab u1#2 (for {user: 1, tab: 2}). */
function readParam(key: string, text: string): Params | null {
  let m: RegExpExecArray | null;
  if (key === 'user' && (m = USER.exec(text))) return { user: Number(m[1]) };
  if (key === 'meeting' && (m = MEETING.exec(text))) return { meeting: Number(m[1]) };
  if (key === 'tab' && (m = TAB.exec(text))) return { user: Number(m[1]), tab: Number(m[2]) };
  return null;
}

/** {user: 1, tab: 2} → "u1#2"; {user: 1} → "u1"; {meeting: 1} → "M1"; the implied event is left out. */
export function paramsText(p: Params): string {
  const parts: string[] = [];
  if (p.user !== undefined && p.tab !== undefined) parts.push(`u${p.user}#${p.tab}`);
  else if (p.user !== undefined) parts.push(`u${p.user}`);
  if (p.meeting !== undefined) parts.push(`M${p.meeting}`);
  for (const [k, v] of Object.entries(p)) if (!['user', 'tab', 'meeting', 'event'].includes(k)) parts.push(`${k}=${v}`);
  return parts.join(' ');
}

export function presenceModel(design: Design | string, bounds: Partial<Bounds> = {}, options: PresenceOptions = {}): Model<State> {
  const d = typeof design === 'string' ? designByName(design) : design;
  if (!d) throw new RangeError(`unknown design '${design}' (designs: ${DESIGN_NAMES.join(', ')})`);
  const b: Bounds = { ...DEFAULT_BOUNDS, ...bounds };
  const problem = boundsError(b);
  if (problem) throw new RangeError(problem);
  const symmetry = options.symmetry !== false;
  const liveness = options.liveness === true;
  const faults = options.faults ?? [];
  for (const f of faults)
    if (faultByName(f) === undefined) throw new RangeError(`unknown fault '${f}' (faults: ${FAULT_NAMES.join(', ')})`);
  return {
    name: `presence/${d.name}`,
    init: [initialState(b.users, b.tabs)],
    actions: buildActions(d, b, new Set(faults), liveness && options.settles !== false),
    properties: [...buildProperties(d, b, faults), ...(liveness ? livenessProperties(d, b, faults) : [])],
    encode: symmetry ? symmetricEncoder(b, { users: !liveness }) : encodeExact,
    ...(symmetry ? { equivalent: symmetricEquivalence(b, { users: !liveness }) } : {}),
    codec: stateCodec(b.users * b.tabs),
    view: (s) => viewState(s, d, b),
    viewMaps: ['tabs', 'meetings'],
    lanes: lanesOf(b),
    paramsText,
    readParam,
  };
}
