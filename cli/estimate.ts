// How far along a check is, as a share of the whole run (not of the BFS
// level being expanded): from the size a saved run of the same check had
// (known-sizes.json, written by `npm run docs` from docs/results), else,
// once the levels have passed their peak and shrink steadily, from the
// geometric tail they point to. Null when neither says anything: a search's
// size is not known in advance. Pure.
import type { Progress } from '../checker/index.ts';

export interface RunEstimate {
  /** the states the whole search is expected to find */
  readonly total: number;
  /** the share found so far, 0 to 0.99 (never 1: the run is not over until it is) */
  readonly fraction: number;
  /** where the total comes from */
  readonly source: 'saved' | 'levels';
}

/** A level ratio at or below this, over the last levels, counts as a shrinking tail. */
const SHRINKING = 0.85;
/** levels that must each shrink by SHRINKING before the tail is extrapolated */
const TAIL_LEVELS = 3;

export class RunEstimator {
  /** the size of each level expanded so far (final once the search is past it) */
  private readonly levels: number[] = [];

  /** `known`: the distinct states a saved run of this very check found, or null */
  constructor(private readonly known: number | null) {}

  estimate(p: Progress): RunEstimate | null {
    this.levels[p.depth] = p.levelSize;
    if (this.known !== null && this.known > 0) {
      // a saved run of an older model may have been smaller: then say nothing
      if (p.states <= this.known) return { total: this.known, fraction: Math.min(0.99, p.states / this.known), source: 'saved' };
      return null;
    }
    return this.fromLevels(p);
  }

  /** past the peak, each level about r times the last: the rest is a geometric series */
  private fromLevels(p: Progress): RunEstimate | null {
    const done = this.levels.slice(0, p.depth); // levels fully expanded
    if (done.length < TAIL_LEVELS + 2) return null;
    const recent = done.slice(-TAIL_LEVELS - 1);
    const ratios = recent.slice(1).map((size, i) => size / recent[i]);
    if (ratios.some((r) => !(r <= SHRINKING))) return null;
    const r = Math.max(...ratios);
    // the current level, and the levels after it: L·r + L·r² + ... = L·r/(1-r)
    const current = p.levelSize;
    const expected = done.reduce((a, b) => a + b, 0) + current + (current * r) / (1 - r);
    const total = Math.max(expected, p.states);
    return { total: Math.round(total), fraction: Math.min(0.99, p.states / total), source: 'levels' };
  }
}
