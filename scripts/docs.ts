// `npm run docs`: writes every generated part of README.md and docs/ from
// the code and from the saved results in docs/results (scripts/docs/):
//   - the blocks between `<!-- docs:NAME -->` and `<!-- /docs:NAME -->`
//     in README.md and docs/*.md (blocks.ts);
//   - docs/traces: each violated design's trace as Markdown and ITF, and an
//     index (traces.ts);
//   - cli/known-sizes.json: the size of each saved complete run, which the
//     progress line uses to estimate a rerun of the same check.
// It re-runs nothing: `npm run docs -- --rerun [NAME ...]` first re-runs
// the saved results (all, or those named: results.ts lists them), which
// takes about as long as the commands (the thorough check: minutes).
// `--check` writes nothing and exits 1 naming each file that differs
// (specs/docs.test.ts does the same in npm test).
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { designByName } from '../model/index.ts';
import { sizesOf } from '../cli/known-sizes.ts';
import { BLOCKS, type Context } from './docs/blocks.ts';
import { readResult, reportsOf, RESULTS, resultPath, strayResults, type SavedResult } from './docs/results.ts';
import { traceFiles, traceReports, TRACES_DIR, type DocFile } from './docs/traces.ts';
import { record } from './docs/record.ts';

export type { DocFile } from './docs/traces.ts';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** The Markdown files that hold generated blocks. */
export const BLOCK_FILES = [
  'README.md',
  'docs/cli.md',
  'docs/findings.md',
  'docs/simulate.md',
  'docs/model.md',
  'docs/implementation.md',
  'docs/checker.md',
];

export const KNOWN_SIZES = 'cli/known-sizes.json';

const MARKER = /<!-- docs:([\w-]+) -->[\s\S]*?<!-- \/docs:\1 -->/g;

/** The blocks a file names, in order. */
export const blocksIn = (text: string) => [...text.matchAll(/<!-- docs:([\w-]+) -->/g)].map((m) => m[1]);

/** `text` with each block's content written anew; an unknown block name or an unclosed block is an error. */
export async function fillBlocks(path: string, text: string, ctx: Context): Promise<string> {
  const opened = blocksIn(text);
  const closed = [...text.matchAll(/<!-- \/docs:([\w-]+) -->/g)].map((m) => m[1]);
  if (opened.join() !== closed.join()) throw new Error(`${path}: generated blocks opened (${opened}) and closed (${closed}) do not match`);
  const contents = new Map<string, string>();
  for (const name of opened) {
    const block = BLOCKS[name];
    if (block === undefined) throw new Error(`${path}: no generated block named '${name}' (scripts/docs/blocks.ts)`);
    contents.set(name, (await block(ctx)).replace(/\n+$/, ''));
  }
  // a block of one line stays inline in its sentence; one of several lines stands between its markers
  return text.replace(MARKER, (_, name: string) => {
    const content = contents.get(name)!;
    return content.includes('\n') || content.startsWith('|') || content.startsWith('```')
      ? `<!-- docs:${name} -->\n${content}\n<!-- /docs:${name} -->`
      : `<!-- docs:${name} -->${content}<!-- /docs:${name} -->`;
  });
}

export function context(root: string): Context {
  const cache = new Map<string, SavedResult>();
  return {
    root,
    result(name) {
      if (!RESULTS.some((r) => r.name === name)) throw new Error(`no saved result named '${name}' (scripts/docs/results.ts)`);
      if (!cache.has(name)) cache.set(name, readResult(root, name));
      return cache.get(name)!;
    },
  };
}

/** Every file `npm run docs` writes, in memory, from the files under `root`. */
export async function generateDocs(root: string = REPO_ROOT): Promise<DocFile[]> {
  const ctx = context(root);
  const files: DocFile[] = [];
  for (const path of BLOCK_FILES) files.push({ path, content: await fillBlocks(path, readFileSync(join(root, path), 'utf8'), ctx) });
  const thorough = reportsOf(ctx.result('check-thorough'));
  const quick = reportsOf(ctx.result('check-quick'));
  files.push(...traceFiles(traceReports(thorough, quick)));
  const complete = RESULTS.filter((r) => r.argv.includes('--json') && r.argv[0] === 'check').flatMap((r) => reportsOf(ctx.result(r.name)));
  const sizes = sizesOf(complete, (d) => (designByName(d) as unknown as Record<string, unknown>) ?? null);
  files.push({ path: KNOWN_SIZES, content: `${JSON.stringify(sizes, null, 2)}\n` });
  return files;
}

/** The generated files that differ from those under `root`, and trace files no longer generated. */
export function staleFiles(files: readonly DocFile[], root: string = REPO_ROOT): { differ: string[]; extra: string[] } {
  const differ = files
    .filter((f) => !existsSync(join(root, f.path)) || readFileSync(join(root, f.path), 'utf8') !== f.content)
    .map((f) => f.path);
  const keep = new Set(files.map((f) => f.path));
  const extra = readdirSync(join(root, TRACES_DIR))
    .map((n) => `${TRACES_DIR}/${n}`)
    .filter((p) => !keep.has(p));
  return { differ, extra: [...extra, ...strayResults(root)] };
}

function writeAtomic(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true });
  const temp = `${path}.tmp-${process.pid}`;
  writeFileSync(temp, text);
  renameSync(temp, path);
}

async function cli(args: readonly string[]): Promise<number> {
  const root = REPO_ROOT;
  const rerun = args.includes('--rerun');
  const names = args.filter((a) => !a.startsWith('--'));
  const unknown = names.filter((n) => !RESULTS.some((r) => r.name === n));
  if (unknown.length > 0) {
    console.error(`docs: no saved result named ${unknown.join(', ')} (results: ${RESULTS.map((r) => r.name).join(', ')})`);
    return 2;
  }
  if (rerun) {
    console.log('building dist/ (the results run the package bin)');
    execFileSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' });
    for (const spec of RESULTS.filter((r) => names.length === 0 || names.includes(r.name))) {
      console.log(`running ${spec.name}: presence-check ${spec.argv.join(' ')}`);
      const result = await record(root, spec);
      writeAtomic(join(root, resultPath(spec.name)), `${JSON.stringify(result, null, 2)}\n`);
      console.log(`  exit ${result.exitCode}, ${(result.elapsedMs / 1000).toFixed(1)} s`);
    }
  }
  const files = await generateDocs(root);
  const { differ, extra } = staleFiles(files, root);
  if (args.includes('--check')) {
    for (const p of differ) console.error(`docs: ${p} differs from what npm run docs writes`);
    for (const p of extra) console.error(`docs: ${p} is no longer generated`);
    return differ.length + extra.length > 0 ? 1 : 0;
  }
  for (const f of files.filter((x) => differ.includes(x.path))) {
    writeAtomic(join(root, f.path), f.content);
    console.log(`wrote ${f.path}`);
  }
  for (const p of extra) {
    unlinkSync(join(root, p));
    console.log(`removed ${p} (no longer generated)`);
  }
  if (differ.length + extra.length === 0) console.log('docs: nothing to change');
  return 0;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  try {
    process.exitCode = await cli(process.argv.slice(2));
  } catch (e) {
    // a missing or stale saved result, an unknown block: one line, not a stack
    console.error(`docs: ${e instanceof Error ? e.message : String(e)}`);
    process.exitCode = 2;
  }
}
