// Every action of the presence model, in the one order the checker tries
// them (which breaks ties between equally short traces): the tab's steps,
// Daily's, the polls', process_meetings', then time. Each action's guard,
// effect and words live in its group's file; every effect ends by tidying
// the state (state.ts tidy: forgetting what nothing reads any more).
import type { ActionDef, Params } from '../../checker/index.ts';
import type { Bounds } from '../bounds.ts';
import type { Design } from '../designs.ts';
import type { FaultName } from '../faults.ts';
import { tidy, type State } from '../state.ts';
import { clientActions } from './client.ts';
import { buildContext } from './context.ts';
import { dailyActions } from './daily.ts';
import { pollActions } from './polls.ts';
import { processMeetingsActions } from './process-meetings.ts';
import { timeActions } from './time.ts';

/** `settles`: the environment's actions are taken only finitely often (context.ts `environment`). */
export function buildActions(
  design: Design,
  b: Bounds,
  faults: ReadonlySet<FaultName> = new Set(),
  settles = false,
): ActionDef<State, Params>[] {
  const c = buildContext(design, b, faults, settles);
  const actions = [
    ...clientActions(c),
    ...dailyActions(c),
    ...pollActions(c),
    ...processMeetingsActions(c),
    ...timeActions(c),
  ] as ActionDef<State, Params>[];
  // (a step that changes nothing returns its source, which is tidy already: the checker then knows it is a self-loop)
  return actions.map((a) => ({
    ...a,
    effect: (s: State, p: Params) => {
      const next = a.effect(s, p);
      return next === s ? s : tidy(next);
    },
  }));
}

export { userName, meetingName, tabName, BACKEND, WORKER, DAILY, STORE, userLane } from './context.ts';
export { PM_ACTIONS } from './process-meetings.ts';
