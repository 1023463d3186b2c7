// Exit codes (documented in --help, see EXIT_CODE_DOC in args.ts).
import type { Verdict } from '../checker/index.ts';

export const EXIT = {
  holds: 0,
  failed: 1,
  badInput: 2,
  incomplete: 3,
  internal: 4,
  interrupted: 130,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

export function exitCodeOf(verdict: Verdict): ExitCode {
  switch (verdict) {
    case 'holds': return EXIT.holds;
    case 'violated':
    case 'vacuous': return EXIT.failed;
    case 'incomplete': return EXIT.incomplete;
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
