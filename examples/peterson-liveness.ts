// Peterson's algorithm (examples/peterson.ts) with liveness: a process that
// has raised its flag eventually enters its critical section. That holds
// when every step of both processes is weakly fair, and fails without
// fairness: a process may raise its flag and then never move again (the
// checker's lasso stutters there).
//
//   npx tsx cli.ts check --model examples/peterson-liveness.ts
import { leadsTo, type LiveModel } from '../checker/index.ts';
import peterson, { type PetersonState } from './peterson.ts';

/** Peterson with every action weakly (or strongly) fair, or with no fairness at all. */
export function petersonLive(fairness: 'weak' | 'strong' | 'none' = 'weak'): LiveModel<PetersonState> {
  const enters = (p: 0 | 1) =>
    leadsTo<PetersonState>(
      `p${p}-enters`,
      `process ${p}, once its flag is up, enters its critical section`,
      (s) => s.pc.get(p) === 'flagged',
      (s) => s.pc.get(p) === 'critical',
    );
  return {
    ...peterson,
    name: fairness === 'none' ? 'peterson-liveness (no fairness)' : `peterson-liveness (${fairness} fairness)`,
    actions: peterson.actions.map((a) => (fairness === 'none' ? a : { ...a, fairness })),
    properties: [...peterson.properties, enters(0), enters(1)],
  };
}

export const model = petersonLive('weak');
export default model;
