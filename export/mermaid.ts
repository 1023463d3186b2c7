// A trace as a Mermaid sequence diagram: one lane per user (all of a user's
// tabs share it; the message names the tab), then Backend, Worker (polls and
// process_meetings), Daily and Redis/DB; one message per step, time as notes,
// the violation as a closing note. Pure: no I/O.
import type { RunReport, TraceStepReport } from '../cli/run.ts';
import { explainViolation, isPlainObject, isPresence, stepText, ticksElapsed, userOfTab } from './trace.ts';

export interface MermaidOptions {
  /** wrap message text at about this many characters (with <br>); 0 = never (default 60) */
  readonly wrap?: number;
}

type Lane = 'tab' | 'B' | 'W' | 'D' | 'R';
/** from, arrow, to; 'note' = a note over the `from` lane; 'all' = a note over every lane */
type Route = readonly [Lane, '->>' | '-->>' | '-x', Lane] | readonly ['note', Lane] | 'all';

const BACKEND = 'B', WORKER = 'W', DAILY = 'D', STORE = 'R';

/** How each presence action travels between the system's parts. */
const ROUTES: Readonly<Record<string, Route>> = {
  // the tab's requests to the backend
  getOrCreateMeeting: ['tab', '->>', 'B'],
  postJoining: ['tab', '->>', 'B'],
  joiningChecksMeeting: ['tab', '->>', 'B'],
  joiningWritesKey: ['tab', '->>', 'B'],
  postJoined: ['tab', '->>', 'B'],
  closeTab: ['tab', '->>', 'B'],
  // the WebRTC handshake ends in Daily's call
  connect: ['tab', '->>', 'D'],
  // Daily's presence API catches up: what the workers read from now on
  presenceCatchesUp: ['D', '-->>', 'W'],
  webhookDelivered: ['D', '->>', 'B'],
  webhookLost: ['D', '-x', 'B'],
  // poll_daily_room_presence
  pollReadsPresence: ['W', '->>', 'D'],
  pollApiFails: ['W', '-x', 'D'],
  pollSkipsLocked: ['W', '->>', 'R'],
  duplicatePollDropped: ['note', 'W'],
  pollWritesSessions: ['W', '->>', 'R'],
  // process_meetings
  pmReadsVersion: ['W', '->>', 'R'],
  pmReadsSessions: ['W', '->>', 'R'],
  pmReadsPresence: ['W', '->>', 'D'],
  pmPresenceApiFails: ['W', '-x', 'D'],
  pmReadsPendingJoins: ['W', '->>', 'R'],
  pmReadsRecentActivity: ['W', '->>', 'R'],
  pmDeactivates: ['W', '->>', 'R'],
  // Redis on its own
  pendingJoinExpires: ['R', '->>', 'R'],
  tick: 'all',
};

/**
 * Text that is safe after a message's or a note's colon: no `;` (a statement
 * separator), no `#` (starts an entity code: u1#1 becomes u1·1), no `%%`
 * (comments), no < or > (HTML, which Mermaid sanitises away), one line.
 */
export function mermaidText(text: string): string {
  const flat = text
    .replace(/[\r\n\t]+/g, ' ')
    .replace(/#/g, '·')
    .replace(/;/g, ',')
    .replace(/%%+/g, '%')
    .replace(/</g, '‹')
    .replace(/>/g, '›')
    .replace(/`/g, "'")
    .replace(/ {2,}/g, ' ')
    .trim();
  return flat === '' ? '(no description)' : flat;
}

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

/** The users (u1, u2, ...) who act in the trace or own a tab in it, in numeric order. */
function usersOf(trace: readonly TraceStepReport[]): number[] {
  const users = new Set<number>();
  for (const step of trace) {
    if (typeof step.params.user === 'number') users.add(step.params.user);
    const view = step.state;
    if (isPlainObject(view) && isPlainObject(view.tabs)) {
      for (const tab of Object.keys(view.tabs)) {
        const m = /^u(\d+)$/.exec(userOfTab(tab));
        if (m) users.add(Number(m[1]));
      }
    }
  }
  return [...users].sort((a, b) => a - b);
}

interface Diagram {
  readonly lines: string[];
  readonly first: string;
  readonly last: string;
  readonly wrapAt: number;
}

function note(d: Diagram, over: string, text: string): void {
  d.lines.push(`    Note over ${over}: ${wrap(mermaidText(text), d.wrapAt)}`);
}

const noteAll = (d: Diagram, text: string) => note(d, d.first === d.last ? d.first : `${d.first},${d.last}`, text);

function presenceStep(d: Diagram, step: TraceStepReport, k: number, t: number): void {
  const route = ROUTES[step.action!];
  const user = typeof step.params.user === 'number' ? `U${step.params.user}` : null;
  let text = stepText(step);
  // every tab step names its tab; say which when a description does not
  if (typeof step.params.user === 'number' && typeof step.params.tab === 'number') {
    const tab = `u${step.params.user}#${step.params.tab}`;
    if (!text.includes(tab)) text = `${tab}: ${text}`;
  }
  const numbered = `${k}. ${text}`;
  if (route === undefined) return noteAll(d, numbered);
  if (route === 'all') return noteAll(d, step.action === 'tick' ? `${k}. t = ${t}` : numbered);
  const lane = (l: Lane) => (l === 'tab' ? user : l);
  if (route[0] === 'note') {
    const over = lane(route[1]);
    return over === null ? noteAll(d, numbered) : note(d, over, numbered);
  }
  const [from, arrow, to] = [lane(route[0]), route[1], lane(route[2])];
  if (from === null || to === null) return noteAll(d, numbered);
  d.lines.push(`    ${from}${arrow}${to}: ${wrap(mermaidText(numbered), d.wrapAt)}`);
}

/**
 * The trace as a `sequenceDiagram` (no code fence, ending in a newline).
 * Presence runs get lanes Tab u1..uN, Backend, Worker, Daily, Redis/DB; a
 * user model's run gets one lane named after the model, each step a note.
 */
export function toMermaid(report: RunReport, options: MermaidOptions = {}): string {
  const wrapAt = options.wrap ?? 60;
  const lines = ['sequenceDiagram'];
  const presence = isPresence(report);
  let d: Diagram;
  if (presence) {
    const users = usersOf(report.trace);
    for (const u of users) lines.push(`    participant U${u} as Tab u${u}`);
    lines.push(
      `    participant ${BACKEND} as Backend`,
      `    participant ${WORKER} as Worker`,
      `    participant ${DAILY} as Daily`,
      `    participant ${STORE} as Redis/DB`,
    );
    d = { lines, first: users.length > 0 ? `U${users[0]}` : BACKEND, last: STORE, wrapAt };
  } else {
    lines.push(`    participant M as ${mermaidText(report.model)}`);
    d = { lines, first: 'M', last: 'M', wrapAt };
  }

  const times = ticksElapsed(report.trace);
  report.trace.forEach((step, k) => {
    if (step.action === null) return;
    if (presence) presenceStep(d, step, k, times[k]);
    else noteAll(d, `${k}. ${stepText(step)}`);
  });

  const why = explainViolation(report);
  if (why !== null) {
    noteAll(d, `✗ ${why.property} violated after step ${why.step}: ${why.text}`);
  } else if (report.verdict !== 'violated') {
    noteAll(d, `${report.verdict}: no trace`);
  }
  return `${lines.join('\n')}\n`;
}
