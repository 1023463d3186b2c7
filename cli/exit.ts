// Exit codes: one per kind of outcome, so that a CI gate can tell them apart
// (documented in --help and the README).
import type { Verdict } from '../checker/index.ts';

export const EXIT = {
  /** every property holds within the bounds, non-vacuously; simulate: no violation found (none-found) */
  holds: 0,
  /** a property is violated, or the run is vacuous; replay: a step is not enabled; matrix: drift */
  failed: 1,
  /** bad input: nothing was run (or, for a malformed model found while running, nothing was concluded) */
  badInput: 2,
  /** a limit stopped the search first */
  incomplete: 3,
  /** a bug of the checker itself */
  internal: 4,
  /** the model's own code threw (an action, a property, its encode, view or describe) */
  modelError: 5,
  /** the run finished and its report is printed, but an output file could not be written */
  output: 6,
  /** Ctrl-C (SIGINT): 128 + 2, as a shell reports a process the signal ended */
  interrupted: 130,
  /** SIGTERM (a CI runner's timeout): 128 + 15 */
  terminated: 143,
} as const;

/** The signals that stop a check with its partial report. */
export type StopSignal = 'SIGINT' | 'SIGTERM';

export function exitOfSignal(signal: StopSignal): ExitCode {
  return signal === 'SIGTERM' ? EXIT.terminated : EXIT.interrupted;
}

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

export function exitCodeOf(verdict: Verdict): ExitCode {
  switch (verdict) {
    case 'holds':
    // a simulation that met no violation: nothing wrong was found, which proves nothing (the report says so)
    case 'none-found':
      return EXIT.holds;
    case 'violated':
    case 'vacuous':
      return EXIT.failed;
    case 'incomplete':
      return EXIT.incomplete;
  }
}

/** How bad an exit code is, among run outcomes: violated/vacuous > incomplete > holds. */
const SEVERITY: Record<number, number> = { [EXIT.holds]: 0, [EXIT.incomplete]: 1, [EXIT.failed]: 2 };

/** The exit code of several runs: the worst verdict's (0 when there were none). */
export function worstExitCode(verdicts: readonly Verdict[]): ExitCode {
  let worst: ExitCode = EXIT.holds;
  for (const v of verdicts) {
    const code = exitCodeOf(v);
    if (SEVERITY[code] > SEVERITY[worst]) worst = code;
  }
  return worst;
}

export const EXIT_CODE_DOC: readonly (readonly [number, string])[] = [
  [
    EXIT.holds,
    'every property holds within the bounds, every witness was reached and every action fired; ' +
      'simulate: no violation found in the walks (verdict none-found, which proves nothing)',
  ],
  [
    EXIT.failed,
    'a property is violated, or the check is vacuous (a witness never reached, an action never fired); ' +
      'simulate: a walk violated a property (its shrunk trace is printed); ' +
      'replay: any verdict but holds (an invariant or a step property fails, a step is not enabled, a lasso is none or unfair), ' +
      'or a trace replays to something else than its check found; matrix: it differs from --expect',
  ],
  [
    EXIT.badInput,
    'bad input: an unknown command, flag, design or switch, a bound out of range, an unusable file or model; ' + 'nothing was run',
  ],
  [
    EXIT.incomplete,
    'incomplete: --max-states, --max-time or --max-depth stopped the search first, or memory ran out (check; with --memory N: what cannot spill ' +
      'outgrew N, or the disk it spills to failed)',
  ],
  [EXIT.internal, 'internal error: a bug of the checker (--debug shows where)'],
  [EXIT.modelError, "the model's own code threw: which action, property or hook, the state, and the run that reached it are printed"],
  [EXIT.output, 'the check finished and its report is printed, but --trace-out or --out could not be written'],
  [EXIT.interrupted, 'interrupted (Ctrl-C): the partial summary is printed'],
  [EXIT.terminated, 'terminated (SIGTERM, as a CI runner sends at its timeout): the partial summary is printed'],
];
