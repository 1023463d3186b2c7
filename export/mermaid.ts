// A trace as a Mermaid sequence diagram: the model's lanes (those some step
// uses, and those it always draws), one message per step as its action's
// arrow says, clock steps as notes of the time, the violation as a closing
// note. A model without lanes gets one lane named after it, each step a note.
// Sized for a page: text wrapped at about 24 characters and the init
// directive's narrow lanes keep a trace of six lanes under 1,000 px wide
// (GitHub shows 880 px without shrinking the text; specs/prove's render test
// measures every diagram of docs/traces in Chromium). What the run assumes
// is text around the diagram (the Markdown's summary), and Mermaid comments
// at its top, not a note across it. The last line is the replayable
// record (record.ts) as a comment. Pure: no I/O.
import type { Arrow } from '../checker/index.ts';
import { stepsText, stepText, ticksElapsed } from '../report/text.ts';
import type { RunReport, TraceStepReport } from '../report/types.ts';
import { explanationText } from './explain.ts';
import { assumptionsText, faultsText, notJudgedText } from './premises.ts';
import { recordLine } from './record.ts';
import { violatedKind } from './text.ts';

export interface MermaidOptions {
  /** wrap message text at about this many characters (with <br>); 0 = never (default 24) */
  readonly wrap?: number;
  /** end with the replayable record as a `%%` comment (record.ts; default true: `replay` reads a .mmd file) */
  readonly record?: boolean;
}

/** Wrap text at about this many characters (MermaidOptions.wrap). */
export const MERMAID_WRAP = 24;

/**
 * Mermaid's init directive for every trace: narrow actor boxes, close lanes
 * and tight notes (the defaults are 150 px boxes 50 px apart). Measured on
 * docs/traces in Chromium (2026-12-06): 1,665-1,868 px wide with the
 * defaults and 60-character lines; 881-1,014 px with these at an actor
 * margin of 20 and 24-character lines; at 10, the widest was 964 px.
 */
export const MERMAID_INIT = '%%{init: {"sequence": {"actorMargin": 10, "width": 90, "noteMargin": 5, "boxMargin": 5}}}%%';

const ARROWS = { request: '->>', reply: '-->>', lost: '-x' } as const;

/**
 * Text that is safe after a message's or a note's colon: `#` as its entity
 * code `#35;` (a bare # starts one; so u1#1 reads u1#1 as in the tables), no
 * other `;` (a statement separator), no `%%` (comments), no < or > (HTML,
 * which Mermaid sanitises away), one line.
 */
export function mermaidText(text: string): string {
  const flat = text
    .replace(/[\r\n\t]+/g, ' ')
    .replace(/;/g, ',')
    .replace(/%%+/g, '%')
    .replace(/</g, '‹')
    .replace(/>/g, '›')
    .replace(/`/g, "'")
    .replace(/ {2,}/g, ' ')
    .trim();
  return flat === '' ? '(no description)' : flat;
}

/** `#` as Mermaid's entity code, once the text is wrapped (the code would count as 4 characters). */
const entities = (text: string) => text.replace(/#/g, '#35;');

/** A lane id Mermaid accepts as a participant name. */
const laneId = (id: string) => id.replace(/[^A-Za-z0-9_]/g, '_');

/** Breaks safe text into lines of about `width` characters at spaces, joined by <br>. */
function wrap(text: string, width: number): string {
  if (width <= 0 || text.length <= width) return text;
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line !== '' && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line === '' ? word : `${line} ${word}`;
  }
  if (line !== '') lines.push(line);
  return lines.join('<br>');
}

const lanesOfArrow = (a: Arrow): string[] => ('across' in a ? [] : 'over' in a ? [a.over] : [a.from, a.to]);

/**
 * The trace as a `sequenceDiagram` (no code fence, ending in a newline).
 */
export function toMermaid(report: RunReport, options: MermaidOptions = {}): string {
  const wrapAt = options.wrap ?? MERMAID_WRAP;
  // the premises, as comments: a diagram on its own still says what it rests on, without a note across it
  const premises = [faultsText(report), assumptionsText(report)];
  const comments = [
    ...(premises[0] !== null ? [`faults in force: ${premises[0]}`] : []),
    ...notJudgedText(report),
    ...(premises[1] !== null ? [`assuming: ${premises[1]}`] : []),
  ].map((c) => `%% ${c.replace(/[\r\n]+/g, ' ')}`);
  const lines = [MERMAID_INIT, ...comments, 'sequenceDiagram'];
  const steps = report.trace.filter((s): s is TraceStepReport & { action: string } => s.action !== null);
  const used = new Set(steps.flatMap((s) => (s.arrow ? lanesOfArrow(s.arrow) : [])));
  const lanes = (report.lanes ?? []).filter((l) => l.always === true || used.has(l.id));
  const known = new Set(lanes.map((l) => l.id));
  const single = lanes.length === 0;
  if (single) lines.push(`    participant M as ${entities(mermaidText(report.model))}`);
  for (const l of lanes) lines.push(`    participant ${laneId(l.id)} as ${entities(mermaidText(l.label))}`);
  const first = single ? 'M' : laneId(lanes[0].id);
  const last = single ? 'M' : laneId(lanes[lanes.length - 1].id);
  const note = (over: string, text: string) => lines.push(`    Note over ${over}: ${entities(wrap(mermaidText(text), wrapAt))}`);
  const noteAll = (text: string) => note(first === last ? first : `${first},${last}`, text);

  const times = ticksElapsed(report.trace, report.clock);
  // a lasso: its cycle (steps loop+1 ..) in a `loop` box; a stutter is a note
  const loop = report.loop;
  const lastIndex = report.trace.length - 1;
  const indent = (k: number) => (loop !== null && k > loop ? '        ' : '    ');
  report.trace.forEach((step, k) => {
    if (step.action !== null) {
      const text = `${k}. ${stepText(step)}`;
      const a = step.arrow;
      const at = lines.length;
      if (step.action === report.clock) noteAll(`${k}. t = ${times[k]}`);
      else if (single || a === undefined || 'across' in a || !lanesOfArrow(a).every((l) => known.has(l))) noteAll(text);
      else if ('over' in a) note(laneId(a.over), text);
      else lines.push(`    ${laneId(a.from)}${ARROWS[a.style]}${laneId(a.to)}: ${entities(wrap(mermaidText(text), wrapAt))}`);
      for (let i = at; i < lines.length; i++) lines[i] = indent(k) + lines[i].trimStart();
    }
    if (k === loop && loop < lastIndex) lines.push(`    loop ${entities(mermaidText(`${stepsText(loop + 1, lastIndex)}, forever`))}`);
  });
  if (loop !== null && loop < lastIndex) lines.push('    end');
  if (loop !== null && loop === lastIndex) noteAll(`↻ stays in the state after step ${loop} forever (nothing fair is enabled there)`);

  if (report.verdict === 'violated' && report.property !== null && report.trace.length > 0) {
    noteAll(
      loop !== null
        ? `✗ ${report.property} violated by this behaviour, which never gets out of the cycle: ${explanationText(report)}`
        : `✗ ${report.property} violated ${violatedKind(report) === 'step' ? 'by' : 'after'} step ${report.trace.length - 1}: ${explanationText(report)}`,
    );
  } else if (report.verdict !== 'violated') {
    noteAll(`${report.verdict}: no trace`);
  }
  if (options.record !== false) lines.push(`    %% ${recordLine(report)}`);
  return `${lines.join('\n')}\n`;
}
