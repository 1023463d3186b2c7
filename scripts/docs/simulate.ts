// docs/simulate.md: `simulate` past exhaustive reach, from two saved runs
// (results.ts: simulate-current, simulate-fixed): `current` violated and
// shrunk, `fixed` none found after 10^6 steps with its coverage.
import { formatRun } from '../../export/index.ts';
import { count, seconds } from '../../report/text.ts';
import { commandOf, reportsOf } from './results.ts';
import type { Context } from './blocks.ts';

/** The page, from the two reports. Pure. */
export function simulatePage(ctx: Context): string {
  const currentResult = ctx.result('simulate-current');
  const fixedResult = ctx.result('simulate-fixed');
  const current = reportsOf(currentResult)[0];
  const fixed = reportsOf(fixedResult)[0];
  const c = current.simulation!;
  const f = fixed.simulation!;
  const never = fixed.vacuity.unfiredActions;
  const steps = (n: number) => `${count(n)} ${n === 1 ? 'step' : 'steps'}`;
  const found =
    current.verdict === 'violated'
      ? `It found \`${current.property}\` violated in run ${count(c.found!.run + 1)}, ${seconds(current.elapsedMs)} after it started` +
        (c.shrink !== null && c.shrink.from !== c.shrink.to
          ? `, and shrank the walk of ${steps(c.shrink.from)} to ${steps(c.shrink.to)} (${count(c.shrink.replays)} replays${c.shrink.bfsStates > 0 ? `, ${count(c.shrink.bfsStates)} states searched breadth first` : ''}).`
          : '.')
      : `It found no violation (${current.verdict}).`;
  return [
    '# Simulation past exhaustive reach',
    '',
    'Both runs below are real: `npm run docs` writes this page from their saved results (docs/results),',
    "quoting what `simulate` printed, times included (each run's own, on the machine that ran it; its header",
    'says on how many threads); `npm run prove` runs them again and fails when anything but the times differs.',
    '',
    'An exhaustive `check` stops at about 3 users × 2 tabs × lag 2 ([checker.md](checker.md)). `simulate`',
    "walks the model at random from its initial state instead, as TLC's `-simulate` and `quint run` do:",
    'each step one enabled transition, uniformly by default; every invariant on every state; a violation',
    'shrunk to a short trace that is a real run and replays; the same seed, the same result on any',
    'number of threads. When no walk violates anything the verdict is `none-found`, never `holds`: walks',
    'sample the states and prove nothing. Flags and semantics: [cli.md](cli.md#simulate).',
    '',
    `## \`current\` at ${current.boundsText!.split(' ').slice(0, 3).join(' ')}`,
    '',
    '```sh',
    commandOf(currentResult),
    '```',
    '',
    found,
    '',
    '```',
    formatRun(current),
    '```',
    '',
    `## \`fixed\` at ${fixed.boundsText!.split(' ').slice(0, 3).join(' ')}, ${count(f.steps)} steps`,
    '',
    '```sh',
    commandOf(fixedResult),
    '```',
    '',
    `${count(f.runs)} walks of up to ${steps(f.maxSteps)}, ${steps(f.steps)} in all, in ${seconds(fixed.elapsedMs)}: ${fixed.verdict === 'none-found' ? 'no property violated' : `verdict ${fixed.verdict}`}, ` +
      `${count(fixed.states)} distinct states seen (${fixed.symmetryApplied ? 'after the symmetry reduction' : 'no symmetry reduction: the walks also judge liveness, whose fairness is per instance'}). The coverage line says how often each action was taken` +
      (never.length > 0
        ? `; ${never.map((a) => `\`${a}\``).join(', ')} never ${never.length === 1 ? 'was' : 'were'}, so these walks say nothing about ${never.length === 1 ? 'it' : 'them'} (longer walks, \`--max-steps\`, or \`--weights\` may reach ${never.length === 1 ? 'it' : 'them'}).`
        : '.'),
    '',
    '```',
    formatRun(fixed),
    '```',
    '',
  ].join('\n');
}
