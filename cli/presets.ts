// The bounds `check` runs at when none are given (quick), and those it runs
// at with --preset thorough: the one table to retune when the model changes.
// Every bound a preset leaves out is the model's default (DEFAULT_BOUNDS);
// a bound flag given on the command line overrides the preset's.
//   quick: where every design's verdict is already decided, in under a
//     minute on a 2-core machine (README: what each preset proves).
//   thorough: the bounds the findings are stated at, minutes a design.
import { BOUND_SPECS, DEFAULT_BOUNDS, type Bounds } from '../model/index.ts';

export const PRESETS = {
  quick: { users: 2, tabs: 1, lag: 0 },
  thorough: { users: 2, tabs: 2, lag: 1 },
} as const satisfies Readonly<Record<string, Partial<Bounds>>>;

export type PresetName = keyof typeof PRESETS;

export const PRESET_NAMES = Object.keys(PRESETS) as PresetName[];

/** The preset `check` runs when no --preset is given. */
export const DEFAULT_PRESET: PresetName = 'quick';

/** Every bound of a preset: its own, the rest the model's defaults. */
export function presetBounds(name: PresetName): Bounds {
  return { ...DEFAULT_BOUNDS, ...PRESETS[name] };
}

/** users=2 tabs=1 lag=0: the bounds a preset sets, by flag name. */
export function presetText(name: PresetName): string {
  const set: Partial<Bounds> = PRESETS[name];
  return BOUND_SPECS.filter((b) => set[b.name] !== undefined)
    .map((b) => `${b.flag}=${set[b.name]}`)
    .join(' ');
}
