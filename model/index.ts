// The presence model: one model, a design (a set of switches), bounds, and
// the faults in force (with their own bounds, when asked for).
import type { Lane, Model, Params } from '../checker/index.ts';
import { boundsError, DEFAULT_BOUNDS, type Bounds } from './bounds.ts';
import { designByName, DESIGN_NAMES, type Design } from './designs.ts';
import { buildActions, buildSetup, BACKEND, DAILY, STORE, userLane, WORKER } from './actions/index.ts';
import { livenessProperties, PREMISES, safetyProperties } from './properties.ts';
import { encodeExact, symmetricEncoder } from './encoding.ts';
import { symmetricEquivalence } from './equivalence.ts';
import { presenceSymmetry } from './symmetry.ts';
import type { State } from './state.ts';
import { stateCodec } from './codec.ts';
import { viewState } from './view.ts';
import { FAULT_BOUND_SPECS, faultByName, FAULT_NAMES, faultsInForce, NO_FAULT_BOUNDS, type FaultBounds, type FaultName } from './faults.ts';

export { BOUND_SPECS, DEFAULT_BOUNDS, boundsError, type Bounds, type BoundSpec } from './bounds.ts';
export {
  DESIGNS,
  DESIGN_NAMES,
  DEFAULT_SWITCHES,
  designByName,
  designClash,
  readDesign,
  timingAssumptionOf,
  timingBoundsOf,
  SWITCH_DOCS,
  RESERVATION_VALUES,
  type Design,
  type DesignSource,
  type Switches,
  type TimingAssumption,
  type TimingBound,
} from './designs.ts';
export { SAME_DAILY_ROOM, NO_ORPHANED_CALL, ONE_ACTIVE_MEETING, NO_CALL_CUT, PREMISES } from './properties.ts';
export {
  FAULTS,
  FAULT_NAMES,
  FAULT_BOUND_SPECS,
  NO_FAULT_BOUNDS,
  faultByName,
  faultsInForce,
  faultWitness,
  type Fault,
  type FaultBounds,
  type FaultName,
} from './faults.ts';
export {
  assumptionsOf,
  faultBoundsOf,
  notJudgedOf,
  FAIRNESS_ASSUMPTION,
  SETTLING_ASSUMPTION,
  type FaultBoundsInForce,
  type LivenessPremises,
  type NotJudged,
} from './assumptions.ts';
export type { State } from './state.ts';

export interface PresenceOptions {
  /**
   * merge states equal up to renaming users, a user's tab slots and meeting
   * ids (default true). With liveness too: the model declares the renamings
   * (symmetry.ts), and the checker follows each fairness instance and each
   * per-user property through them (docs/model.md, Symmetry).
   */
  readonly symmetry?: boolean;
  /** the faults asked for (default none); those that cannot touch the design are not in force */
  readonly faults?: readonly FaultName[];
  /** bounds on the faults in force (--flap-ticks, --flaps); default: none */
  readonly faultBounds?: Partial<FaultBounds>;
  /** check the liveness properties too (default false: safety only) */
  readonly liveness?: boolean;
  /**
   * for liveness: the environment settles (default true): users open and
   * close tabs, and each fault in force strikes, only finitely often. false:
   * they may recur forever.
   */
  readonly settles?: boolean;
  /** properties to judge even though a fault in force lifts their premise (properties.ts PREMISES) */
  readonly judge?: readonly string[];
  /**
   * apply the reductions of docs/checker.md "Reductions" (default true): forget what the design never reads,
   * and let a refreshed reservation expire any time without counting its TTL down. false: the unreduced model,
   * for the differential tests.
   */
  readonly reduce?: boolean;
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
  TAB = /^u(\d+)[#·](\d+)$/;

/** Parameters as a scenario writes them: user u1, meeting M1, tab u1#2 (for {user: 1, tab: 2}). */
function readParam(key: string, text: string): Params | null {
  let m: RegExpExecArray | null;
  if (key === 'user' && (m = USER.exec(text))) return { user: Number(m[1]) };
  if (key === 'meeting' && (m = MEETING.exec(text))) return { meeting: Number(m[1]) };
  if (key === 'tab' && (m = TAB.exec(text))) return { user: Number(m[1]), tab: Number(m[2]) };
  return null;
}

/** {user: 1, tab: 2} → "u1#2"; {user: 1} → "u1"; {meeting: 1} → "M1"; run 2 → "lost lock"; other keys as key=value. */
export function paramsText(p: Params): string {
  const parts: string[] = [];
  if (p.user !== undefined && p.tab !== undefined) parts.push(`u${p.user}#${p.tab}`);
  else if (p.user !== undefined) parts.push(`u${p.user}`);
  if (p.meeting !== undefined) parts.push(`M${p.meeting}`);
  for (const [k, v] of Object.entries(p)) if (!['user', 'tab', 'meeting'].includes(k)) parts.push(`${k}=${v}`);
  return parts.join(' ');
}

/** Checks the fault bounds: a message naming the first one out of range, or null. */
export function faultBoundsError(bounds: Partial<FaultBounds>): string | null {
  for (const spec of FAULT_BOUND_SPECS) {
    const v = bounds[spec.name];
    if (v === undefined || v === null) continue;
    if (!Number.isInteger(v) || v < spec.min || v > spec.max)
      return `--${spec.flag} must be an integer from ${spec.min} to ${spec.max} (got ${v})`;
  }
  return null;
}

/** The properties --judge may name: those a fault can leave unjudged (properties.ts PREMISES). */
export const JUDGEABLE: readonly string[] = Object.keys(PREMISES);

/** Checks the properties to judge: a message naming the first that no fault can leave unjudged, or null. */
export function judgeError(judge: readonly string[]): string | null {
  const bad = judge.find((p) => !JUDGEABLE.includes(p));
  return bad === undefined ? null : `--judge: '${bad}' is not a property a fault leaves unjudged (those: ${JUDGEABLE.join(', ')})`;
}

export function presenceModel(design: Design | string, bounds: Partial<Bounds> = {}, options: PresenceOptions = {}): Model<State> {
  const d = typeof design === 'string' ? designByName(design) : design;
  if (!d) throw new RangeError(`unknown design '${design}' (designs: ${DESIGN_NAMES.join(', ')})`);
  const b: Bounds = { ...DEFAULT_BOUNDS, ...bounds };
  const problem = boundsError(b) ?? faultBoundsError(options.faultBounds ?? {}) ?? judgeError(options.judge ?? []);
  if (problem) throw new RangeError(problem);
  const symmetry = options.symmetry !== false;
  const liveness = options.liveness === true;
  const asked = options.faults ?? [];
  for (const f of asked) if (faultByName(f) === undefined) throw new RangeError(`unknown fault '${f}' (faults: ${FAULT_NAMES.join(', ')})`);
  const { inForce } = faultsInForce(d, asked);
  const faultBounds: FaultBounds = { ...NO_FAULT_BOUNDS, ...options.faultBounds };
  const c = buildSetup(d, b, inForce, faultBounds, liveness && options.settles !== false, options.judge ?? [], options.reduce !== false);
  // with liveness, the checker follows fairness instances and per-user properties through the renamings (docs/model.md, Symmetry)
  const merge = symmetry;
  return {
    name: `presence/${d.name}`,
    init: [c.layout.initial()],
    actions: buildActions(c),
    properties: [...safetyProperties(c, inForce), ...(liveness ? livenessProperties(c) : [])],
    encode: merge ? symmetricEncoder(c.layout) : encodeExact,
    ...(merge ? { equivalent: symmetricEquivalence(c.layout), symmetry: presenceSymmetry(c) } : {}),
    codec: stateCodec(c.layout),
    view: viewState,
    viewMaps: ['tabs', 'meetings'],
    lanes: lanesOf(b),
    paramsText,
    readParam,
  };
}
