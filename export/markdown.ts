// A run report as a Markdown document for a design doc: what was checked and
// what was found, the trace as a table (step, ticks elapsed, the model's
// sentence, only what changed), who breaks the property, and the trace as a
// Mermaid sequence diagram; under the header, the replayable record
// (record.ts) in a comment. Deterministic: no timestamps or timings. Pure.
import {
  compact,
  count,
  diffViews,
  formatDiffEntry,
  isPlainObject,
  plural,
  stepCount,
  stepsText,
  stepText,
  ticksElapsed,
} from '../report/text.ts';
import type { RunReport } from '../report/types.ts';
import { toMermaid, type MermaidOptions } from './mermaid.ts';
import { explanationText } from './explain.ts';
import { assumptionsText, faultsText, notJudgedText } from './premises.ts';
import { recordLine } from './record.ts';
import { encodingCheckText, memoryText, presetNote, violatedKind } from './text.ts';

export interface MarkdownOptions {
  /** include the Mermaid sequence diagram (default true) */
  readonly mermaid?: boolean;
  readonly mermaidOptions?: MermaidOptions;
}

/** Plain text made safe for Markdown (and for a table cell): no HTML, no emphasis, no cell breaks. */
export function markdownText(text: string): string {
  return text
    .replace(/[\r\n]+/g, ' ')
    .replace(/\\/g, '\\\\')
    .replace(/&/g, '&amp;')
    .replace(/\|/g, '\\|')
    .replace(/`/g, '\\`')
    .replace(/\*/g, '\\*')
    .replace(/(?<![\p{L}\p{N}])_|_(?![\p{L}\p{N}])/gu, '\\_')
    .replace(/\[/g, '\\[')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;');
}

/** Inline code, safe in a table cell: a fence longer than any backtick run inside; | escaped. */
export function markdownCode(text: string, inTable = true): string {
  const oneLine = text.replace(/[\r\n]+/g, ' ');
  // in a table, | ends the cell even inside code; \| is read as | there (and only there)
  const flat = inTable ? oneLine.replace(/\|/g, '\\|') : oneLine;
  const longest = Math.max(0, ...(flat.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  const pad = flat.startsWith('`') || flat.endsWith('`') || longest > 0 ? ' ' : '';
  return `${fence}${pad}${flat}${pad}${fence}`;
}

function title(r: RunReport): string {
  const what = r.design !== null ? markdownCode(r.design, false) : `model ${markdownCode(r.model, false)}`;
  switch (r.verdict) {
    case 'violated': {
      const steps = stepCount(r.trace);
      if (r.loop !== null)
        return `# ${what}: ${markdownText(r.property ?? 'a property')} violated by a lasso of ${steps} ${plural(steps, 'step')}`;
      return `# ${what}: ${markdownText(r.property ?? 'a property')} violated in ${steps} ${plural(steps, 'step')}`;
    }
    case 'holds':
      return `# ${what}: every property holds`;
    case 'vacuous':
      return `# ${what}: vacuous run`;
    case 'incomplete':
      return `# ${what}: incomplete run`;
    case 'none-found':
      return `# ${what}: no violation found${r.simulation !== undefined ? ` in ${count(r.simulation.runs)} random ${plural(r.simulation.runs, 'walk')}` : ''}`;
  }
}

function summary(r: RunReport): string[] {
  const lines: string[] = [];
  lines.push(
    r.design !== null
      ? `- **design**: ${markdownCode(r.design, false)} (model ${markdownCode(r.model, false)})`
      : `- **model**: ${markdownCode(r.model, false)}${r.modelPath !== null ? ` (${markdownCode(r.modelPath.replace(/^.*[\\/]/, ''), false)})` : ''}`,
  );
  const bounds = r.boundsText;
  if (bounds !== null)
    lines.push(
      `- **bounds**: ${bounds
        .split(' ')
        .map((b) => markdownCode(b, false))
        .join(' ')}${r.preset !== null ? ` (${markdownText(presetNote(r.preset))})` : ''}`,
    );
  const faults = faultsText(r);
  if (faults !== null) lines.push(`- **faults in force**: ${markdownText(faults)}`);
  for (const line of notJudgedText(r)) lines.push(`- **not judged**: ${markdownText(line)}`);
  const assumed = assumptionsText(r);
  if (assumed !== null) lines.push(`- **assuming**: ${markdownText(assumed)}`);
  const about = r.propertyDescription !== null ? `: ${markdownText(r.propertyDescription)}` : '';
  switch (r.verdict) {
    case 'violated':
      lines.push(`- **verdict**: violated: ${markdownCode(r.property ?? '?', false)}${about}`);
      break;
    case 'holds':
      lines.push(
        `- **verdict**: holds: ${r.properties.length === 1 ? 'the one property holds' : `all ${r.properties.length} properties hold`} within the bounds`,
      );
      break;
    case 'vacuous': {
      const { unreachedWitnesses: w, unfiredActions: a } = r.vacuity;
      const parts = [
        ...(w.length > 0 ? [`never reached: ${w.map((x) => markdownCode(x, false)).join(', ')}`] : []),
        ...(a.length > 0 ? [`never fired: ${a.map((x) => markdownCode(x, false)).join(', ')}`] : []),
      ];
      lines.push(`- **verdict**: vacuous (no invariant is violated, but part of the model was never exercised): ${parts.join('; ')}`);
      break;
    }
    case 'incomplete':
      lines.push(`- **verdict**: incomplete: a limit (${r.limit ?? 'stopped'}) stopped the search; no violation up to depth ${r.depth}`);
      break;
    case 'none-found':
      lines.push(
        '- **verdict**: none found: no property was violated in the random walks, which sample the states and prove nothing (this is not "holds"); a finite walk cannot judge liveness',
      );
      break;
  }
  const settings = [
    r.symmetry === null ? null : (r.symmetryApplied ?? r.symmetry) ? 'symmetry reduction on' : 'no symmetry reduction',
    r.exact ? 'exact visited set' : null,
  ].filter((s): s is string => s !== null);
  const search = `${count(r.states)} distinct states, ${count(r.transitions)} transitions`;
  const shortest =
    r.verdict !== 'violated'
      ? ''
      : r.loop !== null
        ? `, a graph of ${count(r.edges)} edges; a lasso: a shortest stem (${r.loop} ${plural(r.loop, 'step')}) to a fair cycle (${r.cycleLength === 0 ? 'a stutter' : `${r.cycleLength} ${plural(r.cycleLength!, 'step')}`})`
        : `; breadth first, so this trace is a shortest one (${stepCount(r.trace)} ${plural(stepCount(r.trace), 'step')})`;
  const sim = r.simulation;
  if (sim !== undefined) {
    const how = [`seed ${sim.seed}`, ...(sim.swarm ? ['swarm'] : []), `walks of up to ${count(sim.maxSteps)} steps`];
    const shrunk =
      r.verdict !== 'violated' || sim.shrink === null
        ? ''
        : sim.shrink.from === sim.shrink.to
          ? '; the trace is the walk as found (shrinking found nothing shorter)'
          : `; the trace is shrunk from a walk of ${count(sim.shrink.from)} steps (not necessarily a shortest one)`;
    lines.push(
      `- **simulation**: ${how.join(', ')}; ${count(sim.runs)} ${plural(sim.runs, 'run')}, ${count(sim.steps)} steps, ` +
        `${count(r.states)} distinct states seen${settings.length > 0 ? ` (${settings.join(', ')})` : ''}${shrunk}`,
    );
  } else lines.push(`- **search**: ${settings.length > 0 ? `${settings.join(', ')}; ` : ''}${search}${shortest}`);
  lines.push(`- **encoding**: ${markdownText(encodingCheckText(r).replace(/^encoding: /, ''))}`);
  if (r.rerun !== null) lines.push(`- **reproduce**: ${markdownCode(r.rerun, false)}`);
  // for `replay`: the job and the steps, hidden from a reader (record.ts)
  lines.push('', `<!-- ${recordLine(r)} -->`);
  return lines;
}

/** The cell of "what changed": one code span per change, <br> between them. */
function changes(before: unknown, after: unknown): string {
  const entries = diffViews(before, after).map(formatDiffEntry);
  return entries.length === 0 ? '(no visible change)' : entries.map((e) => markdownCode(e)).join('<br>');
}

/** The initial state, one code span per top-level part. */
function initial(state: unknown): string {
  if (isPlainObject(state)) {
    const parts = Object.entries(state).map(([k, v]) => `${k}: ${compact(v)}`);
    if (parts.length > 0) return parts.map((p) => markdownCode(p)).join('<br>');
  }
  return markdownCode(compact(state));
}

function table(r: RunReport): string[] {
  const ticks = r.clock !== null;
  const times = ticksElapsed(r.trace, r.clock);
  const lines = [
    ticks ? '| # | t | step | what changed |' : '| # | step | what changed |',
    ticks ? '|---:|---:|---|---|' : '|---:|---|---|',
  ];
  r.trace.forEach((step, k) => {
    const changed = k === 0 ? initial(step.state) : changes(r.trace[k - 1].state, step.state);
    // a lasso's cycle: its steps marked ↻
    const mark = r.loop !== null && k > r.loop ? '↻ ' : '';
    const cells = [String(k), ...(ticks ? [String(times[k])] : []), `${mark}${markdownText(stepText(step))}`, changed];
    lines.push(`| ${cells.join(' | ')} |`);
  });
  return lines;
}

/** The document, ending in a newline. */
export function toMarkdown(report: RunReport, options: MarkdownOptions = {}): string {
  const out: string[] = [title(report), '', ...summary(report)];
  if (report.trace.length > 0) {
    const ticks = report.clock !== null;
    out.push('', '## Trace', '');
    const last = report.trace.length - 1;
    const cycle =
      report.loop === null
        ? ''
        : report.loop === last
          ? ` The behaviour then stays in the state after step ${last} forever: nothing fair is enabled there.`
          : ` A lasso: ${stepsText(report.loop + 1, last)} (marked ↻) ${report.loop + 1 === last ? 'leads' : 'lead'} back to the state after step ${report.loop}, and the behaviour goes round forever.`;
    out.push(
      `Each row is one step${ticks ? '; `t` is the number of ticks elapsed' : ''}; ` +
        `*what changed* lists only the parts of the state the step changed (\`+\` added, \`-\` removed).${cycle}`,
      '',
      ...table(report),
    );
  }
  if (report.verdict === 'violated' && report.property !== null && report.trace.length > 0) {
    out.push('', '## Violation', '');
    const text = explanationText(report);
    const about =
      report.propertyDescription !== null && text !== report.propertyDescription ? ` (${markdownText(report.propertyDescription)})` : '';
    out.push(
      report.loop !== null
        ? `This behaviour violates ${markdownCode(report.property, false)}${about}: ${markdownText(text)}.`
        : violatedKind(report) === 'step'
          ? `Step ${stepCount(report.trace)} violates ${markdownCode(report.property, false)}${about}: ${markdownText(text)}.`
          : `After step ${stepCount(report.trace)}, ${markdownCode(report.property, false)} is violated${about}: ${markdownText(text)}.`,
    );
    const involved = (report.explanation?.involved ?? []).filter((i) => i.items.length > 0);
    if (involved.length > 0) {
      out.push('');
      const code = (xs: readonly string[]) => xs.map((x) => markdownCode(x, false)).join(', ');
      for (const i of involved) {
        const detail =
          i.detail !== undefined && i.detail.items.length > 0
            ? ` (${plural(i.detail.items.length, i.detail.one, i.detail.many)} ${code(i.detail.items)})`
            : '';
        out.push(`- ${i.label}: ${code(i.items)}${detail}`);
      }
    }
  } else if (report.verdict !== 'violated') {
    out.push(
      '',
      report.verdict === 'holds'
        ? 'No trace: nothing to show when every property holds.'
        : report.verdict === 'none-found'
          ? 'No trace: no walk violated a property.'
          : 'No trace.',
    );
  }
  if (options.mermaid !== false && report.trace.length > 0) {
    const premises = faultsText(report) !== null || assumptionsText(report) !== null;
    out.push(
      '',
      '## Sequence diagram',
      '',
      `The trace above, one arrow or note per step${report.clock !== null ? ', and a note where time passes' : ''}` +
        `${premises ? '; it rests on the faults and assumptions listed at the top' : ''}.`,
      '',
      '```mermaid',
      toMermaid(report, { ...options.mermaidOptions, record: false }).trimEnd(),
      '```',
    );
  }
  return `${out.join('\n')}\n`;
}

/**
 * Several runs as a Markdown verdict table, with what they rest on under
 * it: for a CI job's summary (check --summary "$GITHUB_STEP_SUMMARY").
 * `notRun`: designs a signal stopped before they ran. Pure.
 */
export function toMarkdownSummary(done: readonly RunReport[], notRun: readonly string[] = []): string {
  const first = done[0];
  const how =
    first === undefined
      ? ''
      : first.boundsText !== null
        ? ` at ${first.boundsText
            .split(' ')
            .map((b) => markdownCode(b, false))
            .join(' ')}${first.preset !== null ? ` (${markdownText(presetNote(first.preset))})` : ''}`
        : '';
  const verdict = (r: RunReport) =>
    r.verdict === 'holds'
      ? '✓ holds'
      : r.verdict === 'violated'
        ? '✗ violated'
        : r.verdict === 'vacuous'
          ? '✗ vacuous'
          : `incomplete (${r.limit ?? 'stopped'})`;
  const lines = [
    `### presence-check: ${done.length} ${plural(done.length, 'run')}${how}`,
    '',
    '| design | verdict | property | trace | states | depth | time |',
    '|---|---|---|---:|---:|---:|---:|',
    ...done
      .map((r) =>
        [
          markdownCode(r.design ?? r.model),
          verdict(r),
          r.property !== null ? markdownCode(r.property) : '—',
          r.verdict === 'violated' ? `${stepCount(r.trace)}${r.loop !== null ? ` (cycle from ${r.loop})` : ''}` : '—',
          count(r.states),
          String(r.depth),
          `${(r.elapsedMs / 1000).toFixed(1)} s`,
        ].join(' | '),
      )
      .map((row) => `| ${row} |`),
  ];
  if (notRun.length > 0) lines.push('', `Not checked (stopped first): ${notRun.map((n) => markdownCode(n, false)).join(', ')}.`);
  const faults = first !== undefined ? faultsText(first) : null;
  if (faults !== null) lines.push('', `- **faults in force**: ${markdownText(faults)}`);
  const unjudged = [
    ...new Set(done.flatMap((r) => notJudgedText(r).map((line) => `${markdownCode(r.design ?? r.model, false)}: ${markdownText(line)}`))),
  ];
  for (const line of unjudged) lines.push(`- **not judged**: ${line}`);
  for (const r of done) {
    const memory = memoryText(r);
    if (memory !== null) lines.push(`- **${markdownCode(r.design ?? r.model, false)}** ${markdownText(memory)}`);
  }
  const assumed = [...new Set(done.flatMap((r) => r.assumptions ?? []))];
  if (assumed.length > 0) lines.push(`- **assuming** (each run its own part of this): ${markdownText(assumed.join('; '))}`);
  return `${lines.join('\n')}\n`;
}
