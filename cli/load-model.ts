// Loading a user's model module (--model FILE): `export default` or
// `export const model` (in CommonJS: `module.exports =` or `exports.model =`),
// checked against the checker's rules for a model (validate.ts). Every
// problem is one line naming the file. A .ts, .mts or .cts model is loaded
// through tsx, registered on first use (in each thread that loads one): the
// tool itself is compiled JavaScript and needs no loader, and under `npx tsx`
// registering again is harmless. A .ts file in a package without "type":
// "module" is CommonJS to Node, and to tsx: its `export default` arrives as
// the default export's `default`, which is unwrapped here.
import { existsSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { modelProblems, type Model } from '../checker/index.ts';
import { oneLine } from '../report/text.ts';

const TYPESCRIPT = /\.[cm]?ts$/;

let registered: Promise<void> | null = null;

/** Registers tsx's ESM and CommonJS hooks in this thread, once. */
function registerTypeScript(): Promise<void> {
  registered ??= (async () => {
    const [esm, cjs] = await Promise.all([import('tsx/esm/api'), import('tsx/cjs/api')]);
    esm.register();
    cjs.register();
  })();
  return registered;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;

/**
 * A .cts module, through require (tsx's CommonJS hook): on Node 20, import()
 * of it fails once it requires an ES module package (presence-check itself).
 * Its exports as import() would give them: `default` and the named ones.
 */
function requireCommonJs(path: string): Record<string, unknown> {
  const exports: unknown = createRequire(import.meta.url)(path);
  return { ...(isObject(exports) ? exports : {}), default: exports };
}

/**
 * A CommonJS module's exports as an ES module's: import() gives
 * `module.exports` as `default`, so `exports.model = m` is `default.model`
 * and a compiled `export default m` is `default.default`.
 */
function unwrapCommonJs(mod: Record<string, unknown>): Record<string, unknown> {
  const inner = mod.default;
  if (!isObject(inner) || 'init' in inner) return mod;
  const out: Record<string, unknown> = { ...mod };
  if ('default' in inner) out.default = inner.default;
  else delete out.default;
  if (out.model === undefined && 'model' in inner) out.model = inner.model;
  return out;
}

export type Loaded = { readonly model: Model<unknown>; readonly path: string } | { readonly error: string };

export async function loadModelFile(path: string): Promise<Loaded> {
  const absolute = resolve(path);
  if (!existsSync(absolute)) return { error: `--model ${path}: no such file` };
  if (!statSync(absolute).isFile()) return { error: `--model ${path}: not a file` };
  let mod: Record<string, unknown>;
  try {
    if (TYPESCRIPT.test(absolute)) await registerTypeScript();
    mod = unwrapCommonJs(
      absolute.endsWith('.cts') ? requireCommonJs(absolute) : ((await import(pathToFileURL(absolute).href)) as Record<string, unknown>),
    );
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
