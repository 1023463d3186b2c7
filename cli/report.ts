// Pure formatting of run reports: the verdict line, the property and
// coverage lists, a trace as a person reads it (numbered steps, time in
// ticks, the model's words, and only what changed), the multi-design table,
// JSON lines and the progress line. No I/O here.
import { explainViolation } from '../export/trace.ts';
import { BOUND_SPECS, type Bounds } from '../model/index.ts';
import type { Progress, PropertyResult } from '../checker/index.ts';
import { COMMAND, PROGRAM } from './args.ts';
import type { ReplayReport } from './replay.ts';
import { formatParams, type RunReport, type TraceStepReport } from './run.ts';

// ---------------------------------------------------------------- values

const SAFE_WORD = /^[A-Za-z_#][\w#.:/@-]*$/;
const SAFE_KEY = /^[\w#$@-]+$/;
const RESERVED = new Set(['true', 'false', 'null', 'undefined']);

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v) as unknown;
  return proto === Object.prototype || proto === null;
}

const isComposite = (v: unknown) => Array.isArray(v) || isPlainObject(v);

/** A value on one line: strings unquoted when unambiguous, objects as {key: value}. */
export function compact(v: unknown): string {
  if (typeof v === 'string') return SAFE_WORD.test(v) && !RESERVED.has(v) ? v : JSON.stringify(v);
  if (typeof v === 'bigint') return `${v}n`;
  if (v === null || v === undefined || typeof v !== 'object') return String(v);
  if (Array.isArray(v)) return `[${v.map(compact).join(', ')}]`;
  if (isPlainObject(v)) {
    const entries = Object.entries(v).map(([k, x]) => `${SAFE_KEY.test(k) ? k : JSON.stringify(k)}: ${compact(x)}`);
    return `{${entries.join(', ')}}`;
  }
  const withToJS = v as { toJS?: () => unknown };
  if (typeof withToJS.toJS === 'function') return compact(withToJS.toJS());
  return String(v);
}

export function deepEqual(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  if (isPlainObject(a) && isPlainObject(b)) {
    const ka = Object.keys(a);
    const kb = Object.keys(b);
    return ka.length === kb.length && ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && deepEqual(a[k], b[k]));
  }
  return false;
}

// ------------------------------------------------------------------ diff

export type DiffEntry =
  | { readonly kind: 'changed'; readonly path: string; readonly from: unknown; readonly to: unknown }
  | { readonly kind: 'added'; readonly path: string; readonly value: unknown }
  | { readonly kind: 'removed'; readonly path: string; readonly value: unknown };

function keyPath(path: string, key: string): string {
  if (!SAFE_KEY.test(key)) return `${path}[${JSON.stringify(key)}]`;
  return path === '' ? key : `${path}.${key}`;
}

/**
 * What changed between two views (plain objects and arrays, nested), as
 * paths: objects key by key; arrays element by element when they hold
 * objects or arrays, as one value when they hold only scalars (a list of
 * scalars reads better whole: queuedPolls: [due] → [due, in 3]).
 */
export function diffViews(before: unknown, after: unknown, path = ''): DiffEntry[] {
  if (deepEqual(before, after)) return [];
  if (isPlainObject(before) && isPlainObject(after)) {
    const out: DiffEntry[] = [];
    for (const key of Object.keys(before)) {
      const p = keyPath(path, key);
      if (!Object.prototype.hasOwnProperty.call(after, key)) out.push({ kind: 'removed', path: p, value: before[key] });
      else out.push(...diffViews(before[key], after[key], p));
    }
    for (const key of Object.keys(after)) {
      if (!Object.prototype.hasOwnProperty.call(before, key)) out.push({ kind: 'added', path: keyPath(path, key), value: after[key] });
    }
    return out;
  }
  if (Array.isArray(before) && Array.isArray(after) && (before.some(isComposite) || after.some(isComposite))) {
    const out: DiffEntry[] = [];
    const n = Math.max(before.length, after.length);
    for (let i = 0; i < n; i++) {
      const p = `${path}[${i}]`;
      if (i >= after.length) out.push({ kind: 'removed', path: p, value: before[i] });
      else if (i >= before.length) out.push({ kind: 'added', path: p, value: after[i] });
      else out.push(...diffViews(before[i], after[i], p));
    }
    return out;
  }
  return [{ kind: 'changed', path, from: before, to: after }];
}

export function formatDiffEntry(e: DiffEntry): string {
  const path = e.path === '' ? '(state)' : e.path;
  switch (e.kind) {
    case 'changed':
      return `${path}: ${compact(e.from)} → ${compact(e.to)}`;
    case 'added':
      return `+ ${path}: ${compact(e.value)}`;
    case 'removed':
      return `- ${path}`;
  }
}

// --------------------------------------------------------------- figures

export const count = (n: number) => Math.round(n).toLocaleString('en-US');

export function seconds(ms: number): string {
  const s = ms / 1000;
  if (s < 10) return `${s.toFixed(2)} s`;
  if (s < 600) return `${s.toFixed(1)} s`;
  return `${Math.floor(s / 60)} min ${Math.round(s % 60)} s`;
}

const rate = (states: number, ms: number) => (ms > 0 ? `${count((states * 1000) / ms)} states/s` : '- states/s');

export function formatBounds(bounds: Bounds): string {
  return BOUND_SPECS.map((b) => `${b.flag}=${bounds[b.name]}`).join(' ');
}

function settings(r: RunReport): string {
  const parts: string[] = [];
  if (r.symmetry !== null) parts.push(r.symmetry ? 'symmetry on' : 'no symmetry');
  if (r.exact) parts.push('exact visited set');
  if (r.limits.maxStates !== null) parts.push(`--max-states ${r.limits.maxStates}`);
  if (r.limits.maxTimeMs !== null) parts.push(`--max-time ${r.limits.maxTimeMs / 1000}`);
  if (r.limits.maxDepth !== null) parts.push(`--max-depth ${r.limits.maxDepth}`);
  return parts.length > 0 ? ` (${parts.join(', ')})` : '';
}

export function formatHeader(r: RunReport): string {
  if (r.design !== null && r.bounds !== null) return `check ${r.design}: ${formatBounds(r.bounds)}${settings(r)}`;
  return `check model ${r.model}${r.modelPath !== null ? ` from ${r.modelPath}` : ''}${settings(r)}`;
}

function limitText(r: RunReport): string {
  switch (r.limit) {
    case 'max-states': return `max-states limit hit (--max-states ${r.limits.maxStates ?? '?'})`;
    case 'max-time': return `max-time limit hit (--max-time ${r.limits.maxTimeMs !== null ? r.limits.maxTimeMs / 1000 : '?'})`;
    case 'max-depth': return `max-depth limit hit (--max-depth ${r.limits.maxDepth ?? '?'})`;
    case 'memory': return 'memory limit hit (heap use passed 85% of the limit)';
    case 'interrupted': return 'interrupted (Ctrl-C)';
    default: return 'stopped';
  }
}

const plural = (n: number, one: string, many = `${one}s`) => (n === 1 ? one : many);

export function formatVerdict(r: RunReport): string {
  const figures = `${count(r.states)} distinct states, ${count(r.transitions)} transitions`;
  const timing = `in ${seconds(r.elapsedMs)} (${rate(r.states, r.elapsedMs)})`;
  switch (r.verdict) {
    case 'holds':
      return `holds: all ${r.properties.length} properties hold; ${figures}, depth ${r.depth}, ${timing}`;
    case 'violated': {
      const steps = Math.max(0, r.trace.length - 1);
      const about = r.propertyDescription !== null ? ` (${r.propertyDescription})` : '';
      return `VIOLATED: ${r.property}${about} after ${steps} ${plural(steps, 'step')}; ${figures} ${timing}`;
    }
    case 'vacuous': {
      const { unreachedWitnesses: w, unfiredActions: a } = r.vacuity;
      const parts = [
        ...(w.length > 0 ? [`${plural(w.length, 'witness', 'witnesses')} never reached: ${w.join(', ')}`] : []),
        ...(a.length > 0 ? [`${plural(a.length, 'action')} never fired: ${a.join(', ')}`] : []),
      ];
      return `VACUOUS: ${parts.join('; ')} (no invariant is violated, but part of the model was never exercised); `
        + `${figures}, depth ${r.depth}, ${timing}`;
    }
    case 'incomplete':
      return `INCOMPLETE: ${limitText(r)}; holds up to depth ${r.depth}; ${figures}, ${timing}`;
  }
}

function propertyStatus(p: PropertyResult, r: RunReport): string {
  const at = p.depth !== undefined ? ` at depth ${p.depth}` : '';
  switch (p.status) {
    case 'holds': return 'holds';
    case 'violated': return `VIOLATED${at}`;
    case 'reached': return `reached${at}`;
    case 'unreached': return 'NEVER REACHED';
    case 'unknown':
      if (r.verdict === 'violated') return p.kind === 'sometimes' ? 'not reached before the violation' : 'not violated in the states checked before it';
      if (p.kind === 'sometimes') return 'not reached yet (search cut short)';
      if (p.kind === 'deadlock') return 'no deadlock found yet (search cut short)';
      return `holds up to depth ${r.depth} (search cut short)`;
  }
}

export function formatProperties(r: RunReport): string[] {
  if (r.properties.length === 0) return ['properties: none'];
  const kindWidth = Math.max(...r.properties.map((p) => p.kind.length));
  const nameWidth = Math.max(...r.properties.map((p) => p.name.length));
  return [
    'properties:',
    ...r.properties.map((p) => `  ${p.kind.padEnd(kindWidth)}  ${p.name.padEnd(nameWidth)}  ${propertyStatus(p, r)}`),
  ];
}

/** Action firing counts, wrapped to `width` columns. */
export function formatCoverage(r: RunReport, width = 100): string[] {
  const items = Object.entries(r.coverage).map(([a, n]) => `${a} ${count(n)}`);
  if (items.length === 0) return ['coverage: (none recorded)'];
  const lines: string[] = [];
  let line = 'coverage:';
  for (const item of items) {
    if (line.length + 2 + item.length > width && line.trim() !== 'coverage:') {
      lines.push(`${line},`);
      line = `  ${item}`;
    } else line = line.endsWith(':') ? `${line} ${item}` : `${line}, ${item}`;
  }
  lines.push(line);
  return lines;
}

// ----------------------------------------------------------------- trace

/** The description of a step, falling back to action(params). */
export function stepText(step: TraceStepReport): string {
  if (step.description !== '') return step.description;
  return step.action === null ? 'initial state' : `${step.action}(${formatParams(step.params)})`;
}

/**
 * A trace for a person: numbered steps; when the model has a `tick` action,
 * the time column t (the number of tick steps so far); the model's sentence;
 * then only what changed in the view.
 */
export function formatTrace(trace: readonly TraceStepReport[], options: { ticks?: boolean } = {}): string[] {
  if (trace.length === 0) return [];
  const ticks = options.ticks ?? trace.some((s) => s.action === 'tick');
  const times: number[] = [];
  let t = 0;
  for (const step of trace) {
    if (step.action === 'tick') t++;
    times.push(t);
  }
  const indexWidth = String(trace.length - 1).length;
  const timeWidth = String(t).length;
  const lines: string[] = [];
  trace.forEach((step, k) => {
    const prefix = `  ${String(k).padStart(indexWidth)}  ${ticks ? `t=${String(times[k]).padEnd(timeWidth)}  ` : ''}`;
    const indent = ' '.repeat(prefix.length + 2);
    if (k === 0) {
      lines.push(`${prefix}${stepText(step)}: ${compact(step.state)}`);
      return;
    }
    lines.push(`${prefix}${stepText(step)}`);
    const changes = diffViews(trace[k - 1].state, step.state);
    if (changes.length === 0) lines.push(`${indent}(no visible change)`);
    for (const c of changes) lines.push(`${indent}${formatDiffEntry(c)}`);
  });
  return lines;
}

export function violationLine(r: RunReport): string {
  const steps = Math.max(0, r.trace.length - 1);
  const about = r.propertyDescription !== null ? `: ${r.propertyDescription}` : '';
  if (r.property === 'deadlock') return `${r.property} after step ${steps}: no action is enabled in this state (deadlock is an error for this model)`;
  const who = explainViolation(r);
  const culprits = who !== null && who.users.length > 0 ? `\n  ${who.text}` : '';
  return `property ${r.property} is violated after step ${steps}${about}${culprits}`;
}

/** Everything about one run, as text (no trailing newline). */
export function formatRun(r: RunReport): string {
  const lines = [formatHeader(r), formatVerdict(r), ...formatProperties(r), ...formatCoverage(r)];
  if (r.verdict === 'violated' && r.trace.length > 0) {
    const steps = r.trace.length - 1;
    const ticks = r.trace.some((s) => s.action === 'tick') || 'tick' in r.coverage;
    lines.push('');
    lines.push(`shortest trace (${steps} ${plural(steps, 'step')}${ticks ? '; t = ticks elapsed' : ''}):`);
    lines.push(...formatTrace(r.trace, { ticks }));
    lines.push(violationLine(r));
  }
  return lines.join('\n');
}

// ---------------------------------------------------------------- replay

/** "step 9 (connect u1, line 23)" */
export function replayStepName(step: number, label: string, line: number | null): string {
  return `step ${step} (${label}${line !== null ? `, line ${line}` : ''})`;
}

export function formatReplayHeader(r: ReplayReport): string {
  if (r.design !== null && r.bounds !== null) {
    const from = r.designFrom === 'flag' ? '--design' : 'from the file';
    return `replay ${r.file}: design ${r.design} (${from}), ${formatBounds(r.bounds)} (unreduced model: no symmetry)`;
  }
  return `replay ${r.file}: model ${r.model}${r.modelPath !== null ? ` from ${r.modelPath}` : ''}`;
}

export function formatReplayVerdict(r: ReplayReport): string {
  const ne = r.notEnabled;
  switch (r.verdict) {
    case 'holds':
      return `holds: all ${r.steps} ${plural(r.steps, 'step')} replayed; every invariant holds after each step`;
    case 'violated': {
      const v = r.violation!;
      const where = v.line !== null ? ` (line ${v.line})` : '';
      const stopped = ne !== null ? `; then step ${ne.step} is not enabled and the replay stops there` : '';
      return `VIOLATED: ${v.property} (${v.description}) after step ${v.step}${where} of ${r.steps}${stopped}`;
    }
    case 'not-enabled':
      return `NOT ENABLED: ${replayStepName(ne!.step, ne!.label, ne!.line)} of ${r.steps} cannot be taken; every invariant holds `
        + (r.replayed === 0 ? 'in the initial state' : r.replayed === 1 ? 'after step 1' : `after each of steps 1-${r.replayed}`);
  }
}

function replayPropertyStatus(p: ReplayReport['properties'][number]): string {
  switch (p.status) {
    case 'holds': return 'holds';
    case 'violated': return p.step === 0 ? 'VIOLATED in the initial state' : `VIOLATED after step ${p.step}`;
    case 'reached': return p.step === 0 ? 'reached in the initial state' : `reached at step ${p.step}`;
    case 'unreached': return 'not reached';
  }
}

/** A replay, as text (no trailing newline): header, verdict, properties, the trace, and the closing lines. */
export function formatReplay(r: ReplayReport): string {
  const lines = [formatReplayHeader(r), formatReplayVerdict(r)];
  if (r.properties.length > 0) {
    const kindWidth = Math.max(...r.properties.map((p) => p.kind.length));
    const nameWidth = Math.max(...r.properties.map((p) => p.name.length));
    lines.push('properties:', ...r.properties.map((p) => `  ${p.kind.padEnd(kindWidth)}  ${p.name.padEnd(nameWidth)}  ${replayPropertyStatus(p)}`));
  } else lines.push('properties: none');
  const ticks = r.design !== null || r.trace.some((s) => s.action === 'tick');
  const taken = r.replayed === r.steps ? `${r.steps} ${plural(r.steps, 'step')}` : `${r.replayed} of ${r.steps} steps replayed`;
  lines.push('', `trace (${taken}${ticks ? '; t = ticks elapsed' : ''}):`, ...formatTrace(r.trace, { ticks }));
  if (r.violation !== null) {
    const v = r.violation;
    lines.push(v.step === 0
      ? `property ${v.property} is violated in the initial state: ${v.description}`
      : `property ${v.property} is violated after step ${v.step}: ${v.description}`);
  }
  if (r.notEnabled !== null) {
    const ne = r.notEnabled;
    lines.push(`${replayStepName(ne.step, ne.label, ne.line)} is not enabled: ${ne.reason}`);
  }
  return lines.join('\n');
}

// ----------------------------------------------------------------- table

export interface TableLayout {
  readonly design: number;
  readonly property: number;
}

export function tableLayout(labels: readonly string[], propertyNames: readonly string[]): TableLayout {
  return {
    design: Math.max('design'.length, ...labels.map((l) => l.length)),
    property: Math.max('property'.length, '(interrupted, depth 99)'.length, ...propertyNames.map((n) => n.length)),
  };
}

const VERDICT_WIDTH = 'incomplete'.length;

function row(layout: TableLayout, cells: readonly string[]): string {
  const [design, verdict, property, trace, states, transitions, time] = cells;
  return [
    design.padEnd(layout.design), verdict.padEnd(VERDICT_WIDTH), property.padEnd(layout.property),
    trace.padStart(5), states.padStart(11), transitions.padStart(12), time.padStart(9),
  ].join('  ').trimEnd();
}

export function tableHeader(layout: TableLayout): string {
  return row(layout, ['design', 'verdict', 'property', 'trace', 'states', 'transitions', 'time']);
}

export function tableRow(layout: TableLayout, label: string, r: RunReport): string {
  const verdict = r.verdict === 'holds' ? 'holds' : r.verdict === 'incomplete' ? 'incomplete' : r.verdict.toUpperCase();
  const property = r.verdict === 'incomplete' ? `(${r.limit ?? 'stopped'}, depth ${r.depth})` : r.property ?? '-';
  const trace = r.verdict === 'violated' ? String(r.trace.length - 1) : '-';
  return row(layout, [label, verdict, property, trace, count(r.states), count(r.transitions), seconds(r.elapsedMs)]);
}

/** The command line that checks one design with the same bounds and switches. */
export function rerunCommand(design: string, boundsGiven: Partial<Bounds>, r: RunReport | undefined): string {
  const flags = BOUND_SPECS.filter((b) => boundsGiven[b.name] !== undefined).map((b) => `--${b.flag} ${boundsGiven[b.name]}`);
  if (r?.symmetry === false) flags.push('--no-symmetry');
  if (r?.exact) flags.push('--exact');
  return [`${COMMAND} check --design ${design}`, ...flags].join(' ');
}

/** Lines under the table: how to see a trace, or nothing when every design holds. */
export function tableFooter(
  done: readonly { label: string; report: RunReport }[], boundsGiven: Partial<Bounds>, notRun: readonly string[],
): string[] {
  const lines: string[] = [];
  const violated = done.filter((d) => d.report.verdict === 'violated');
  const vacuous = done.filter((d) => d.report.verdict === 'vacuous');
  const incomplete = done.filter((d) => d.report.verdict === 'incomplete');
  if (violated.length > 0) {
    lines.push(`violated: ${violated.map((d) => d.label).join(', ')}`);
    lines.push(`for a shortest trace, check one design alone, e.g.: ${rerunCommand(violated[0].label, boundsGiven, violated[0].report)}`);
  }
  if (vacuous.length > 0) {
    lines.push(`vacuous: ${vacuous.map((d) => d.label).join(', ')} (a witness never reached or an action never fired; check one alone for the list)`);
  }
  if (incomplete.some((d) => d.report.limit !== 'interrupted')) {
    lines.push('incomplete: a limit stopped the search first; no violation within the depth shown');
  }
  if (notRun.length > 0) lines.push(`interrupted: not checked: ${notRun.join(', ')}`);
  return lines;
}

// ------------------------------------------------------------ json, misc

function jsonReplacer(_key: string, value: unknown): unknown {
  return typeof value === 'bigint' ? value.toString() : value;
}

/** One JSON Lines record (no newline). */
export function jsonLine(r: unknown): string {
  return JSON.stringify(r, jsonReplacer);
}

/** The figures after the progress bar: states, frontier, rate, time, memory. */
export function formatProgress(p: Progress, rssBytes: number): string {
  return `${count(p.states)} states, frontier ${count(p.frontier)}, `
    + `${rate(p.states, p.elapsedMs)}, ${seconds(p.elapsedMs)}, ${(rssBytes / 2 ** 30).toFixed(1)} GiB`;
}

export function errorLine(message: string): string {
  return `${PROGRAM}: ${message}`;
}
