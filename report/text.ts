// Text helpers every report and export shares: a value on one line, what
// changed between two views, figures, plurals, wrapping, and a step's
// sentence and time. Pure.
import { formatParams } from '../checker/index.ts';
import type { TraceStepReport } from './types.ts';
import { isPlainObject, tagOf } from './view.ts';

export { formatParams, isPlainObject };

const SAFE_WORD = /^[A-Za-z_#][\w#.:/@-]*$/;
const SAFE_KEY = /^[\w#$@-]+$/;
const RESERVED = new Set(['true', 'false', 'null', 'undefined']);

const isComposite = (v: unknown) => Array.isArray(v) || isPlainObject(v);

/** A plain value on one line: strings unquoted when unambiguous, objects as {key: value}, sets as Set{...}, maps as Map{k → v}. */
export function compact(v: unknown): string {
  if (typeof v === 'string') return SAFE_WORD.test(v) && !RESERVED.has(v) ? v : JSON.stringify(v);
  if (v === null || v === undefined || typeof v !== 'object') return String(v);
  if (Array.isArray(v)) return `[${v.map(compact).join(', ')}]`;
  switch (tagOf(v)) {
    case '#set':
      return `Set{${(v as { '#set': unknown[] })['#set'].map(compact).join(', ')}}`;
    case '#map':
      return `Map{${(v as { '#map': [unknown, unknown][] })['#map'].map(([k, x]) => `${compact(k)} → ${compact(x)}`).join(', ')}}`;
    case '#bigint':
      return `${(v as { '#bigint': string })['#bigint']}n`;
    case '#unserializable':
      return `‹${(v as { '#unserializable': string })['#unserializable']}›`;
    default:
      break;
  }
  if (isPlainObject(v)) {
    const entries = Object.entries(v).map(([k, x]) => `${SAFE_KEY.test(k) ? k : JSON.stringify(k)}: ${compact(x)}`);
    return `{${entries.join(', ')}}`;
  }
  return String(v);
}

export function deepEqual(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  if (isPlainObject(a) && isPlainObject(b)) {
    const ka = Object.keys(a);
    const kb = Object.keys(b);
    return ka.length === kb.length && ka.every((k) => Object.hasOwn(b, k) && deepEqual(a[k], b[k]));
  }
  return false;
}

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
 * scalars reads better whole: queuedPolls: [due] → [due, in 3]). A tagged
 * value (a set, a map) is one value.
 */
export function diffViews(before: unknown, after: unknown, path = ''): DiffEntry[] {
  if (deepEqual(before, after)) return [];
  if (isPlainObject(before) && isPlainObject(after) && tagOf(before) === null && tagOf(after) === null) {
    const out: DiffEntry[] = [];
    for (const key of Object.keys(before)) {
      const p = keyPath(path, key);
      if (!Object.hasOwn(after, key)) out.push({ kind: 'removed', path: p, value: before[key] });
      else out.push(...diffViews(before[key], after[key], p));
    }
    for (const key of Object.keys(after)) {
      if (!Object.hasOwn(before, key)) out.push({ kind: 'added', path: keyPath(path, key), value: after[key] });
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

export const count = (n: number) => Math.round(n).toLocaleString('en-US');

/** Bytes in binary units: 512 B, 12 KiB, 340 MiB, 1.2 GiB, 8 GiB (one decimal under 10, unless whole). */
export function bytesText(n: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let u = 0;
  let x = n;
  while (x >= 1024 && u < units.length - 1) {
    x /= 1024;
    u++;
  }
  return `${u === 0 || x >= 10 || Number.isInteger(x) ? Math.round(x) : x.toFixed(1)} ${units[u]}`;
}

export function seconds(ms: number): string {
  const s = ms / 1000;
  if (s < 10) return `${s.toFixed(2)} s`;
  if (s < 600) return `${s.toFixed(1)} s`;
  return `${Math.floor(s / 60)} min ${Math.round(s % 60)} s`;
}

export const plural = (n: number, one: string, many = `${one}s`) => (n === 1 ? one : many);

/** "1 state", "2 states" */
export const counted = (n: number, one: string, many = `${one}s`) => `${count(n)} ${plural(n, one, many)}`;

/** Text on one line: runs of whitespace (newlines included) become one space. */
export const oneLine = (text: string) => text.replace(/\s+/g, ' ').trim();

/** Words wrapped into lines of at most `width` characters (a longer word gets a line of its own). */
export function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/)) {
    if (word === '') continue;
    if (line !== '' && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line === '' ? word : `${line} ${word}`;
  }
  if (line !== '') lines.push(line);
  return lines;
}

/** "a, b and c" */
export const list = (xs: readonly string[]) => (xs.length <= 1 ? xs.join('') : `${xs.slice(0, -1).join(', ')} and ${xs[xs.length - 1]}`);

/** A step's sentence, on one line, falling back to action(params) when the model gave none. */
export function stepText(step: TraceStepReport): string {
  if (step.description.trim() !== '') return oneLine(step.description);
  if (step.action === null) return 'initial state';
  return `${step.action}(${formatParams(step.params)})`;
}

/** The number of clock steps up to and including each step (t = ticks elapsed). */
export function ticksElapsed(trace: readonly TraceStepReport[], clock: string | null): number[] {
  let t = 0;
  return trace.map((step) => (clock !== null && step.action === clock ? ++t : t));
}

export const stepCount = (trace: readonly unknown[]) => Math.max(0, trace.length - 1);

/** "step 13" or "steps 11-17" */
export const stepsText = (from: number, to: number): string => (from === to ? `step ${from}` : `steps ${from}-${to}`);
