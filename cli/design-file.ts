// Design files (--design-file): a design written as data, in YAML (or JSON),
// checked exactly like a built-in one (model/designs.ts readDesign):
//
//   name: my-fix
//   base: fixed                     # optional: start from a built-in design's switches
//   summary: fixed, but /joined deletes the reservation
//   reservation: { joinedDeletesKey: true }   # fields left out: the base design's
//
// Every problem is one line naming the file (and the line, for YAML syntax).
import { existsSync, readFileSync, statSync } from 'node:fs';
import { parseDocument } from 'yaml';
import { DESIGN_NAMES, DESIGNS, readDesign, SWITCH_DOCS, type Design } from '../model/index.ts';
import { didYouMean } from './args/suggest.ts';

/** What a design file's top level may hold besides the switches. */
const FILE_KEYS = ['name', 'summary', 'base'];
/** The switches, as model/designs.ts documents them. */
const SWITCHES = Object.keys(SWITCH_DOCS);
/** A reservation's fields: those the built-in designs set (each is set by one of them). */
const RESERVATION_FIELDS = [...new Set(DESIGNS.flatMap((d) => (d.reservation !== null ? Object.keys(d.reservation) : [])))];

const isMapping = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * An unknown switch, reservation field or base design, named with the
 * closest known one (readDesign would reject it too, without the hint).
 */
function misspelling(source: unknown): string | null {
  if (!isMapping(source)) return null;
  for (const key of Object.keys(source)) {
    if (!SWITCHES.includes(key) && !FILE_KEYS.includes(key))
      return `unknown switch '${key}' (${didYouMean(key, [...SWITCHES, ...FILE_KEYS])}switches: ${SWITCHES.join(', ')}; and ${FILE_KEYS.join(', ')})`;
  }
  const base = source.base;
  if (typeof base === 'string' && !DESIGN_NAMES.includes(base))
    return `unknown base design '${base}' (${didYouMean(base, DESIGN_NAMES)}designs: ${DESIGN_NAMES.join(', ')})`;
  const reservation = source.reservation;
  if (isMapping(reservation)) {
    for (const field of Object.keys(reservation)) {
      if (!RESERVATION_FIELDS.includes(field))
        return `reservation: unknown field '${field}' (${didYouMean(field, RESERVATION_FIELDS)}fields: ${RESERVATION_FIELDS.join(', ')})`;
    }
  }
  return null;
}

export function readDesignFile(path: string): Design | { readonly error: string } {
  if (!existsSync(path)) return { error: `--design-file ${path}: no such file` };
  if (!statSync(path).isFile()) return { error: `--design-file ${path}: not a file` };
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    return { error: `--design-file ${path}: cannot read it: ${e instanceof Error ? e.message : String(e)}` };
  }
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) {
    const e = doc.errors[0];
    const line = e.linePos?.[0].line;
    return {
      error: `--design-file ${path}${line !== undefined ? `:${line}` : ''}: not valid YAML: ${e.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '')}`,
    };
  }
  const source: unknown = doc.toJS();
  const misspelt = misspelling(source);
  if (misspelt !== null) return { error: `--design-file ${path}: ${misspelt}` };
  const design = readDesign(source, DESIGNS);
  if (typeof design === 'string') return { error: `--design-file ${path}: ${design}` };
  if (DESIGNS.some((d) => d.name === design.name)) {
    return {
      error: `--design-file ${path}: '${design.name}' is a built-in design's name; give yours a name of its own (and \`base: ${design.name}\` to start from it)`,
    };
  }
  return design;
}
