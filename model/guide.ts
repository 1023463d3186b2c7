// The implementation guide of a design, read off the model: for each part
// of the real system (the frontend, each endpoint, each worker), the steps
// the model takes there, in the order a request or a run takes them, with
// the SQL statement, HTTP call or Redis command each one stands for, the
// clock a comparison reads, and what the code does with each answer. The
// text is each action's own `code` (actions/*.ts), so the guide cannot say
// anything the model does not run; docs/implementation.md is printed from
// it, and a test holds the two together.
import type { Bounds } from './bounds.ts';
import { DEFAULT_SWITCHES, designByName, type Design } from './designs.ts';
import { FAULT_NAMES, faultsInForce } from './faults.ts';
import { actionsOf, buildSetup, type Setup } from './actions/index.ts';
import type { CodeStep } from './actions/define.ts';
import { DEFAULT_BOUNDS } from './bounds.ts';
import { NO_FAULT_BOUNDS } from './faults.ts';

export type { CodeStep } from './actions/define.ts';

/** One step of the model, with the calls it stands for. */
export interface GuideStep {
  /** the model's action */
  readonly action: string;
  /** the sentence of the domain documents it models */
  readonly models: string;
  readonly calls: readonly CodeStep[];
  /** whether the main branch makes the same calls in this step (else: the design changes it, or adds it) */
  readonly unchanged: boolean;
}

/** A part of the system (the frontend, an endpoint, a worker) and its steps, in order. */
export interface GuidePart {
  readonly part: string;
  readonly steps: readonly GuideStep[];
}

/** The parts, in the order a user's visit meets them. */
const PART_ORDER: readonly [string, RegExp][] = [
  ['frontend', /^frontend/],
  ['POST /rooms/{room}/meeting', /^POST \/rooms\/\{room\}\/meeting($|,)/],
  ['POST /rooms/{room}/meetings/{id}/joining', /joining$/],
  ['POST /rooms/{room}/meetings/{id}/joined', /joined$/],
  ['process_meetings(meeting)', /^process_meetings/],
  ['poll_daily_room_presence(meeting)', /^poll_daily_room_presence/],
];

function partOf(where: string): string {
  for (const [name, test] of PART_ORDER) if (test.test(where)) return name;
  return where;
}

const sameCalls = (a: readonly CodeStep[], b: readonly CodeStep[]) => JSON.stringify(a) === JSON.stringify(b);

/**
 * The guide of `design`, as the model runs it with every fault in force (so
 * that every step a real deployment may take is there), at `bounds`.
 */
export function implementationGuide(design: Design, bounds: Bounds = DEFAULT_BOUNDS): GuidePart[] {
  const setup = (d: Design): Setup => buildSetup(d, bounds, faultsInForce(d, FAULT_NAMES).inForce, NO_FAULT_BOUNDS, false);
  const c = setup(design);
  const mainBranch = setup({ ...DEFAULT_SWITCHES, name: 'main', summary: '' });
  const before = new Map(actionsOf(mainBranch).map((a) => [a.name, a.code?.(mainBranch) ?? []]));
  const parts = new Map<string, GuideStep[]>();
  for (const a of actionsOf(c)) {
    const calls = a.code?.(c) ?? [];
    if (calls.length === 0) continue;
    // a step belongs to the part its server side runs in (its first call that is not the browser's), else to the frontend
    const server = calls.find((x) => x.call !== 'browser');
    const part = partOf((server ?? calls[0]).where);
    const list = parts.get(part) ?? [];
    list.push({ action: a.name, models: a.models, calls, unchanged: sameCalls(calls, before.get(a.name) ?? []) });
    parts.set(part, list);
  }
  const order = PART_ORDER.map(([name]) => name);
  return [...parts.entries()]
    .sort(([a], [b]) => (order.indexOf(a) < 0 ? 99 : order.indexOf(a)) - (order.indexOf(b) < 0 ? 99 : order.indexOf(b)))
    .map(([part, steps]) => ({ part, steps }));
}

/** The SQL statements of a design's guide, each with the action it belongs to (for the README's summary and its test). */
export function guideSql(design: Design | string, bounds: Bounds = DEFAULT_BOUNDS): { action: string; where: string; sql: string }[] {
  const d = typeof design === 'string' ? designByName(design)! : design;
  return implementationGuide(d, bounds).flatMap((p) =>
    p.steps.flatMap((s) => s.calls.filter((x) => x.call === 'SQL').map((x) => ({ action: s.action, where: x.where, sql: x.text }))),
  );
}
