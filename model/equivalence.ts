// When two presence states are the same state to the checker under symmetry:
// one is the other with users permuted, each user's tab slots permuted, and
// meeting ids renamed. Written independently of the symmetric encoder
// (encoding.ts), by a backtracking search over those renamings, so that the
// checker's encoding test (it compares states that share an encoding with
// this) checks the encoder.
import type { Layout, State } from './state.ts';

export function symmetricEquivalence(layout: Layout): (x: State, y: State) => boolean {
  const { users, tabsPerUser: per, slots, meetingIds: ids, tabScale: scale } = layout;
  const slotPerms = permutations(per);
  const fieldsOf = (w: Int32Array, i: number) => w[i] % scale;
  const meetingOf = (w: Int32Array, i: number) => Math.floor(w[i] / scale);
  const meetingWords = (w: Int32Array, id: number) => [w[slots + 2 * (id - 1)], w[slots + 2 * (id - 1) + 1]] as const;
  const sameMeeting = (x: Int32Array, m: number, y: Int32Array, n: number) => {
    const [a, b] = meetingWords(x, m);
    const [c, d] = meetingWords(y, n);
    return a === c && b === d;
  };

  return (xs, ys) => {
    const x = xs.w;
    const y = ys.w;
    if (xs.equals(ys)) return true;
    const usedUsers = new Array<boolean>(users).fill(false);
    // meeting id of x -> of y, and back
    const toY = new Map<number, number>();
    const toX = new Map<number, number>();

    /** Maps x's meeting m to y's n, if consistent; returns an undo, or null. */
    const bind = (m: number, n: number): (() => void) | null => {
      if ((m === 0) !== (n === 0)) return null;
      if (m === 0) return () => {};
      const known = toY.get(m);
      if (known !== undefined) return known === n ? () => {} : null;
      if (toX.has(n)) return null;
      toY.set(m, n);
      toX.set(n, m);
      return () => {
        toY.delete(m);
        toX.delete(n);
      };
    };

    const meetingsMatch = (): boolean => {
      for (const [m, n] of toY) if (!sameMeeting(x, m, y, n)) return false;
      // the meetings no tab refers to: the same values, as multisets
      const rest = (w: Int32Array, mapped: Map<number, number>) => {
        const out: string[] = [];
        for (let id = 1; id <= ids; id++) if (w[slots + 2 * (id - 1)] !== 0 && !mapped.has(id)) out.push(meetingWords(w, id).join(','));
        return out.sort();
      };
      const left = rest(x, toY);
      const right = rest(y, toX);
      return left.length === right.length && left.every((v, i) => v === right[i]);
    };

    const matchUser = (u: number): boolean => {
      if (u === users) return meetingsMatch();
      for (let v = 0; v < users; v++) {
        if (usedUsers[v]) continue;
        usedUsers[v] = true;
        for (const perm of slotPerms) {
          const undo: (() => void)[] = [];
          let ok = true;
          for (let t = 0; t < per && ok; t++) {
            const i = u * per + t;
            const j = v * per + perm[t];
            const bound = fieldsOf(x, i) === fieldsOf(y, j) ? bind(meetingOf(x, i), meetingOf(y, j)) : null;
            if (bound === null) ok = false;
            else undo.push(bound);
          }
          if (ok && matchUser(u + 1)) return true;
          for (const f of undo.reverse()) f();
        }
        usedUsers[v] = false;
      }
      return false;
    };
    return x.length === y.length && matchUser(0);
  };
}

function permutations(n: number): number[][] {
  if (n === 0) return [[]];
  return permutations(n - 1).flatMap((p) => Array.from({ length: n }, (_, i) => [...p.slice(0, i), n - 1, ...p.slice(i)]));
}
