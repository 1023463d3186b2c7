// What the exporters share: time along a trace, how a report names itself,
// and, for presence reports, who and what breaks the violated property
// (read off the final state's view). Pure: no I/O.
import { BOUND_SPECS, DEFAULT_BOUNDS, NO_ORPHANED_CALL, ONE_ACTIVE_MEETING, SAME_DAILY_ROOM } from '../model/index.ts';
import type { RunReport, TraceStepReport } from '../cli/run.ts';

/** The number of `tick` steps up to and including each step (t = ticks elapsed). */
export function ticksElapsed(trace: readonly TraceStepReport[]): number[] {
  let t = 0;
  return trace.map((step) => (step.action === 'tick' ? ++t : t));
}

/** Whether the model has a notion of time: a `tick` action that fired (or is in the trace). */
export function hasTicks(report: RunReport): boolean {
  return report.trace.some((s) => s.action === 'tick') || 'tick' in report.coverage;
}

/** A presence run (a design of model/), as opposed to a user's --model. */
export function isPresence(report: RunReport): boolean {
  return report.design !== null;
}

/** "design current" or "model die-hard". */
export function subject(report: RunReport): string {
  return report.design !== null ? `design ${report.design}` : `model ${report.model}`;
}

/** users=2 tabs=2 lag=1 ... (every bound, by its flag name) */
export function boundsText(report: RunReport): string | null {
  if (report.bounds === null) return null;
  const bounds = report.bounds;
  return BOUND_SPECS.map((b) => `${b.flag}=${bounds[b.name]}`).join(' ');
}

/** The command line that re-runs a presence check (users and lag always, other bounds when not the default). */
export function rerunCommand(report: RunReport): string | null {
  if (report.design === null || report.bounds === null) return null;
  const bounds = report.bounds;
  const flags = BOUND_SPECS
    .filter((b) => b.name === 'users' || b.name === 'lag' || bounds[b.name] !== DEFAULT_BOUNDS[b.name])
    .map((b) => `--${b.flag} ${bounds[b.name]}`);
  if (report.symmetry === false) flags.push('--no-symmetry');
  if (report.exact) flags.push('--exact');
  return ['npx tsx cli.ts check --design', report.design, ...flags].join(' ');
}

/** A step's sentence, falling back to action(params) when the model gave none. */
export function stepText(step: TraceStepReport): string {
  if (step.description.trim() !== '') return step.description;
  if (step.action === null) return 'initial state';
  return `${step.action}(${Object.entries(step.params).map(([k, v]) => `${k}=${v}`).join(', ')})`;
}

export const stepCount = (report: RunReport) => Math.max(0, report.trace.length - 1);

export const isPlainObject = (v: unknown): v is Record<string, unknown> => {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v) as unknown;
  return proto === Object.prototype || proto === null;
};

// ------------------------------------------------------------- violation

export interface ViolationExplanation {
  readonly property: string;
  /** the step after which it is violated (the last one) */
  readonly step: number;
  /** one sentence naming who and what breaks it, in the model's names (tabs u1#1, meetings M1) */
  readonly text: string;
  /** the users (u1, u2) and tabs (u1#1) involved, and the meetings */
  readonly users: readonly string[];
  readonly tabs: readonly string[];
  readonly meetings: readonly string[];
}

const IN_CALL = new Set(['connected', 'joined']);

interface CallTab { readonly tab: string; readonly user: string; readonly meeting: string }

/** u1#2 -> u1 */
export const userOfTab = (tab: string) => tab.replace(/#\d+$/, '');

function presenceParts(view: unknown): { inCall: CallTab[]; active: string[]; inactive: Set<string> } | null {
  if (!isPlainObject(view) || !isPlainObject(view.tabs) || !isPlainObject(view.meetings)) return null;
  const inCall: CallTab[] = [];
  for (const [tab, t] of Object.entries(view.tabs)) {
    if (isPlainObject(t) && typeof t.phase === 'string' && IN_CALL.has(t.phase) && typeof t.meeting === 'string') {
      inCall.push({ tab, user: userOfTab(tab), meeting: t.meeting });
    }
  }
  const active: string[] = [];
  const inactive = new Set<string>();
  for (const [m, v] of Object.entries(view.meetings)) {
    if (isPlainObject(v) && v.active === true) active.push(m);
    else if (isPlainObject(v) && v.active === false) inactive.add(m);
  }
  return { inCall, active, inactive };
}

const list = (xs: readonly string[]) =>
  xs.length <= 1 ? xs.join('') : `${xs.slice(0, -1).join(', ')} and ${xs[xs.length - 1]}`;
const unique = (xs: readonly string[]) => [...new Set(xs)];
const who = (c: CallTab) => `${c.user} (tab ${c.tab})`;

/**
 * Who and what break the violated property, read off the final state's
 * view: for no-orphaned-call the tabs in the call of an inactive meeting and
 * the active meeting; for same-daily-room two users in different meetings'
 * calls; for one-active-meeting the active meetings. Anything else (or a
 * view that does not show it) falls back to the property's description.
 * Null unless the report is a violation with a trace.
 */
export function explainViolation(report: RunReport): ViolationExplanation | null {
  if (report.verdict !== 'violated' || report.property === null || report.trace.length === 0) return null;
  const property = report.property;
  const step = stepCount(report);
  const fallback = (): ViolationExplanation => ({
    property, step, users: [], tabs: [], meetings: [],
    text: property === 'deadlock'
      ? 'no action is enabled in this state (deadlock is an error for this model)'
      : report.propertyDescription ?? `${property} does not hold`,
  });
  if (!isPresence(report)) return fallback();
  const parts = presenceParts(report.trace[report.trace.length - 1].state);
  if (parts === null) return fallback();
  const { inCall, active, inactive } = parts;

  if (property === NO_ORPHANED_CALL) {
    const orphans = inCall.filter((c) => inactive.has(c.meeting));
    if (orphans.length === 0 || active.length === 0) return fallback();
    const dead = unique(orphans.map((c) => c.meeting));
    const others = inCall.filter((c) => !inactive.has(c.meeting));
    const elsewhere = others.length > 0 ? ` (where ${list(others.map(who))} ${others.length === 1 ? 'is' : 'are'})` : '';
    return {
      property, step,
      users: unique(orphans.map((c) => c.user)), tabs: orphans.map((c) => c.tab), meetings: [...dead, ...active],
      text: `${list(orphans.map(who))} ${orphans.length === 1 ? 'is' : 'are'} still in the Daily call of ${list(dead)}, `
        + `which has been deactivated, while ${list(active)} is the room's active meeting${elsewhere}: `
        + `whoever joins the room now gets ${list(active)}'s Daily room, not ${orphans.length === 1 ? orphans[0].user : 'their'}'s`,
    };
  }

  if (property === SAME_DAILY_ROOM) {
    for (const a of inCall) {
      const b = inCall.find((c) => c.user !== a.user && c.meeting !== a.meeting);
      if (!b) continue;
      return {
        property, step, users: [a.user, b.user], tabs: [a.tab, b.tab], meetings: [a.meeting, b.meeting],
        text: `${who(a)} is in the Daily call of ${a.meeting} and ${who(b)} in that of ${b.meeting}: `
          + 'two users of the same room are in different Daily rooms',
      };
    }
    return fallback();
  }

  if (property === ONE_ACTIVE_MEETING && active.length > 1) {
    return {
      property, step, users: [], tabs: [], meetings: active,
      text: `${list(active)} are all active: the room has more than one active meeting`,
    };
  }
  return fallback();
}
