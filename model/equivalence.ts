// When two presence states are the same state to the checker under symmetry:
// one is the other with users permuted, each user's tab slots permuted, and
// meeting ids renamed. Written independently of the symmetric encoder
// (encoding.ts), by a backtracking search over those renamings with the
// values' own equality, so that the checker's encoding test (it compares
// states that share an encoding with this) checks the encoder.
import type { Bounds } from './bounds.ts';
import type { Meeting, State, Tab } from './state.ts';

export function symmetricEquivalence(b: Bounds, options: { readonly users: boolean } = { users: true }): (x: State, y: State) => boolean {
  const slotPerms = permutations(b.tabs);
  const sameButMeeting = (s: Tab, t: Tab) => s.set('meeting', 0) === t.set('meeting', 0);

  return (x, y) => {
    if (x.equals(y)) return true;
    const usedUsers = new Array<boolean>(b.users).fill(false);
    // meeting id of x -> of y, and back (0 = not mapped yet)
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
      for (const [m, n] of toY) {
        const a = x.meeting(m),
          c = y.meeting(n);
        if (a === null || c === null ? a !== c : !a.equals(c)) return false;
      }
      // the meetings no tab refers to: the same values, as multisets
      const rest = (s: State, mapped: Map<number, number>) => s.meetings.filter((m, i): m is Meeting => m !== null && !mapped.has(i + 1));
      const left = rest(x, toY),
        right = rest(y, toX);
      if (left.length !== right.length) return false;
      return left.every((m) => {
        const k = right.findIndex((n) => n.equals(m));
        return k >= 0 && right.splice(k, 1).length === 1;
      });
    };

    const matchUser = (u: number): boolean => {
      if (u === b.users) return meetingsMatch();
      for (let v = 0; v < b.users; v++) {
        if (usedUsers[v] || (!options.users && v !== u)) continue;
        usedUsers[v] = true;
        for (const perm of slotPerms) {
          const undo: (() => void)[] = [];
          let ok = true;
          for (let t = 0; t < b.tabs && ok; t++) {
            const s = x.tabs[u * b.tabs + t],
              r = y.tabs[v * b.tabs + perm[t]];
            const bound = sameButMeeting(s, r) ? bind(s.meeting, r.meeting) : null;
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
    return x.tabs.length === y.tabs.length && matchUser(0);
  };
}

function permutations(n: number): number[][] {
  if (n === 0) return [[]];
  return permutations(n - 1).flatMap((p) => Array.from({ length: n }, (_, i) => [...p.slice(0, i), n - 1, ...p.slice(i)]));
}
