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
import { DESIGNS, readDesign, type Design } from '../model/index.ts';

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
  const design = readDesign(doc.toJS(), DESIGNS);
  if (typeof design === 'string') return { error: `--design-file ${path}: ${design}` };
  if (DESIGNS.some((d) => d.name === design.name)) {
    return {
      error: `--design-file ${path}: '${design.name}' is a built-in design's name; give yours a name of its own (and \`base: ${design.name}\` to start from it)`,
    };
  }
  return design;
}
