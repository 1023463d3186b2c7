// The model's own description, read off its definitions, for docs/model.md
// (the docs script prints these tables; nothing here is typed twice): every
// field with its meaning, every action with its fairness and the sentence it
// models, every fault, every switch.
import { actionsOf, ALL_ACTIONS, buildSetup } from './actions/index.ts';
import { DEFAULT_BOUNDS } from './bounds.ts';
import { DESIGNS } from './designs.ts';
import { FAULT_NAMES, faultsInForce, NO_FAULT_BOUNDS } from './faults.ts';
import { MEETING_FIELDS, TAB_FIELDS } from './fields.ts';
import type { Fairness } from '../checker/index.ts';

export interface FieldRow {
  readonly of: 'tab' | 'meeting';
  readonly name: string;
  readonly values: string;
  readonly doc: string;
}

export function fieldRows(): FieldRow[] {
  const values = (f: (typeof TAB_FIELDS)[number] | (typeof MEETING_FIELDS)[number]) =>
    f.type === 'bool' ? 'true, false' : typeof f.type === 'string' ? `${'min' in f ? f.min : 0} to a bound` : f.type.join(', ');
  return [
    ...TAB_FIELDS.map((f) => ({ of: 'tab' as const, name: f.name, values: values(f), doc: f.doc })),
    { of: 'tab', name: 'meeting', values: 'a meeting id, 0 = none', doc: 'the meeting the tab got (its Daily room is the one it joins)' },
    ...MEETING_FIELDS.map((f) => ({ of: 'meeting' as const, name: f.name, values: values(f), doc: f.doc })),
    { of: 'meeting', name: 'polls', values: '0, 1 or several per delay', doc: 'its queued presence polls (polls.ts)' },
  ];
}

export interface ActionRow {
  readonly name: string;
  /** its fairness in the run of `fixed` with every fault in force, liveness checked and the environment settling */
  readonly fairness: string;
  readonly models: string;
}

const fairnessText = (f: Fairness | undefined): string => {
  if (f === undefined) return 'none';
  if (typeof f === 'string') return f === 'finite' ? 'finite (the environment)' : `${f}, per instance`;
  return `${f.kind}, per ${f.per.length === 0 ? 'action' : f.per.join(', ')}`;
};

/**
 * Every action of the model, in the checker's order, each with its fairness
 * in the first built-in design that has it (every fault in force, liveness
 * checked, the environment settling) and the sentence it models.
 */
export function actionRows(): ActionRow[] {
  const rows = new Map<string, ActionRow>();
  for (const d of DESIGNS) {
    const c = buildSetup(d, DEFAULT_BOUNDS, faultsInForce(d, FAULT_NAMES).inForce, NO_FAULT_BOUNDS, true);
    for (const a of actionsOf(c)) {
      if (rows.has(a.name)) continue;
      const f = a.fairness(c);
      rows.set(a.name, {
        name: a.name,
        fairness: fairnessText(f === 'environment' ? 'finite' : f === null ? undefined : f),
        models: a.models,
      });
    }
  }
  const order = ALL_ACTIONS.map((a) => a.name);
  return [...rows.values()].sort((a, b) => order.indexOf(a.name) - order.indexOf(b.name));
}
