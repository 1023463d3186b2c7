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
    // the last levels fully expanded (a level the reports skipped, each coming every 200 ms, is not known)
    if (p.depth < TAIL_LEVELS + 1) return null;
    const recent = Array.from({ length: TAIL_LEVELS + 1 }, (_, i) => this.levels[p.depth - TAIL_LEVELS - 1 + i]);
    if (recent.some((size) => size === undefined || size === 0)) return null;
    const ratios = recent.slice(1).map((size, i) => size / recent[i]);
    // the level being expanded, whose size is known, must go on shrinking too
    if (ratios.some((r) => !(r <= SHRINKING)) || !(p.levelSize <= recent[TAIL_LEVELS] * SHRINKING)) return null;
    const r = Math.max(...ratios);
    // found so far: every level up to this one, and part of the next (the frontier beyond this level's rest);
    // to come: the next level and those after it, L·r + L·r² + ... = L·r/(1-r)
    const nextSoFar = Math.max(0, p.frontier - (p.levelSize - p.levelExpanded));
    const total = Math.max(p.states, p.states - nextSoFar + (p.levelSize * r) / (1 - r));
    return { total: Math.round(total), fraction: Math.min(0.99, p.states / total), source: 'levels' };
  }
}
