// Every action of the presence model, in the one order the checker tries
// them (which breaks ties between equally short traces): the tab's steps,
// Daily's, the polls', process_meetings', the closing of meetings and the
// owner's, then time. Each action is one named definition in its group's
// file; a run has those whose `when` holds for its design and faults.
import type { ActionDef, Params } from '../../checker/index.ts';
import { CLIENT_ACTIONS } from './client.ts';
import { DAILY_ACTIONS } from './daily.ts';
import { toActionDef, type PresenceAction } from './define.ts';
import { POLL_ACTIONS } from './polls.ts';
import { CLOSING_ACTIONS, PM_ACTIONS } from './process-meetings.ts';
import type { Setup } from './setup.ts';
import { TIME_ACTIONS } from './time.ts';
import type { State } from '../state.ts';

/** Every action definition, whatever the run. */
export const ALL_ACTIONS: readonly PresenceAction<Params>[] = [
  ...CLIENT_ACTIONS,
  ...DAILY_ACTIONS,
  ...POLL_ACTIONS,
  ...PM_ACTIONS,
  ...CLOSING_ACTIONS,
  ...TIME_ACTIONS,
] as unknown as readonly PresenceAction<Params>[];

/** The definitions of this run's actions, in order. */
export function actionsOf(c: Setup): PresenceAction<Params>[] {
  return ALL_ACTIONS.filter((a) => a.when === undefined || a.when(c));
}

export function buildActions(c: Setup): ActionDef<State, Params>[] {
  return actionsOf(c).map((a) => toActionDef(a, c));
}

export { buildSetup, userName, meetingName, tabName, BACKEND, WORKER, DAILY, STORE, userLane, type Setup } from './setup.ts';
