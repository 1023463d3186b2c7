// Loading a user's model module (--model FILE): `export default` or
// `export const model`, checked against the checker's rules for a model
// (validate.ts). Every problem is one line naming the file.
import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { modelProblems, type Model } from '../checker/index.ts';
import { oneLine } from '../report/text.ts';

export type Loaded = { readonly model: Model<unknown>; readonly path: string } | { readonly error: string };

export async function loadModelFile(path: string): Promise<Loaded> {
  const absolute = resolve(path);
  if (!existsSync(absolute)) return { error: `--model ${path}: no such file` };
  if (!statSync(absolute).isFile()) return { error: `--model ${path}: not a file` };
  let mod: Record<string, unknown>;
  try {
    mod = (await import(pathToFileURL(absolute).href)) as Record<string, unknown>;
  } catch (e) {
    return { error: `--model ${path}: cannot import it: ${oneLine(e instanceof Error ? e.message : String(e))}` };
  }
  const exports = (['default', 'model'] as const).filter((k) => k in mod && mod[k] !== undefined);
  if (exports.length === 0) {
    return {
      error: `--model ${path} exports no model: expected \`export default\` or \`export const model\` (name, init, actions, properties)`,
    };
  }
  const problems: string[] = [];
  for (const k of exports) {
    const found = modelProblems(mod[k]);
    if (found.length === 0) return { model: mod[k] as Model<unknown>, path: absolute };
    problems.push(`its ${k === 'default' ? 'default export' : "export 'model'"}: ${found.join('; ')}`);
  }
  return { error: `--model ${path} is not a model: ${problems.join('; ')}` };
}
