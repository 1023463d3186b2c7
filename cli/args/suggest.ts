// "Did you mean": the closest known name to a mistyped one, by edit
// distance (insertions, deletions, substitutions and swaps of two adjacent
// letters each count one), as git and cargo suggest. Pure.

/** The optimal-string-alignment distance between a and b (case-insensitive). */
export function editDistance(a: string, b: string): number {
  const s = a.toLowerCase();
  const t = b.toLowerCase();
  // rows i-2, i-1 and i of the dynamic-programming table
  let before = new Array<number>(t.length + 1).fill(0);
  let previous = Array.from({ length: t.length + 1 }, (_, j) => j);
  for (let i = 1; i <= s.length; i++) {
    const row = [i];
    for (let j = 1; j <= t.length; j++) {
      const cost = s[i - 1] === t[j - 1] ? 0 : 1;
      let d = Math.min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + cost);
      if (i > 1 && j > 1 && s[i - 1] === t[j - 2] && s[i - 2] === t[j - 1]) d = Math.min(d, before[j - 2] + 1);
      row.push(d);
    }
    before = previous;
    previous = row;
  }
  return previous[t.length];
}

/**
 * The known name closest to `word`, or null when none is close: the one
 * name that starts with the word (`--trace` for `--trace-out`), else one
 * within a third of the word's length (at least 1, at most 3 edits; ties go
 * to the name listed first).
 */
export function closest(word: string, known: readonly string[]): string | null {
  if (word === '') return null;
  const prefixed = known.filter((n) => n.toLowerCase().startsWith(word.toLowerCase()) && n !== word);
  if (prefixed.length === 1) return prefixed[0];
  const limit = Math.min(3, Math.max(1, Math.floor(word.length / 3)));
  let best: string | null = null;
  let bestDistance = Infinity;
  for (const name of known) {
    const d = editDistance(word, name);
    if (d < bestDistance) {
      best = name;
      bestDistance = d;
    }
  }
  return best !== null && bestDistance > 0 && bestDistance <= limit ? best : null;
}

/** " (did you mean X?)"-style text to put in an error: `did you mean X? ` or nothing. */
export function didYouMean(word: string, known: readonly string[], show: (name: string) => string = (n) => n): string {
  const name = closest(word, known);
  return name === null ? '' : `did you mean ${show(name)}? `;
}
