// The symmetry behind the symmetric encoding (encoding.ts), as the checker's
// liveness search needs it (checker Symmetry): how a renaming of users, tab
// slots and meeting ids renames a step's parameters and a property. With it,
// liveness keeps the reduction: the checker follows each fairness instance
// (per user, per tab, per meeting) and each per-user property through the
// renamings (checker/symmetric-liveness.ts).
import type { Params, Symmetry } from '../checker/index.ts';
import type { Setup } from './actions/setup.ts';
import { canonicalRenaming } from './encoding.ts';
import type { State } from './state.ts';

/** Atoms: users (0 .. users-1 for u1 ..), then tab slots (by slot index), then meeting ids (for M1 ..). */
export function presenceSymmetry(c: Setup): Symmetry<State> {
  const { users, tabsPerUser: per, slots, meetingIds } = c.layout;
  const atoms = users + slots + meetingIds;
  // the model's own binding objects, by value: a renamed binding is the one the action hands out
  const known = new Map<string, Params>();
  const keyOf = (p: Params) =>
    Object.keys(p)
      .sort()
      .map((k) => `${k}=${String(p[k])}`)
      .join(',');
  for (const list of [c.users, c.tabs, c.meetings, c.runs]) for (const p of list) known.set(keyOf(p), p);
  const user = (r: Int32Array, u: number) => r[u - 1] + 1;
  const meeting = (r: Int32Array, m: number) => r[users + slots + m - 1] - users - slots + 1;
  return {
    atoms,
    canonical: canonicalRenaming(c.layout),
    renameParams(r, _action, params) {
      const out: Record<string, unknown> = { ...params };
      if (typeof params.user === 'number') {
        if (typeof params.tab === 'number') {
          const slot = r[users + (params.user - 1) * per + params.tab - 1] - users;
          out.user = Math.floor(slot / per) + 1;
          out.tab = (slot % per) + 1;
        } else out.user = user(r, params.user);
      }
      if (typeof params.meeting === 'number') out.meeting = meeting(r, params.meeting);
      const key = keyOf(out as Params);
      let found = known.get(key);
      if (found === undefined) known.set(key, (found = Object.freeze(out) as Params));
      return found;
    },
    renameProperty(r, name) {
      const per = /^(.*)\[u(\d+)\]$/.exec(name);
      return per === null ? name : `${per[1]}[u${user(r, Number(per[2]))}]`;
    },
  };
}
