// The docs are generated (scripts/docs.ts): README.md's and docs/'s blocks,
// docs/traces and cli/known-sizes.json must be what `npm run docs` writes
// from the code and the saved results in docs/results, without running a
// check; each saved result is the command its entry in results.ts names.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { BLOCK_FILES, blocksIn, context, fillBlocks, generateDocs, KNOWN_SIZES, staleFiles, type DocFile } from '../scripts/docs.ts';
import { BLOCKS } from '../scripts/docs/blocks.ts';
import { readResult, reportsOf, RESULTS } from '../scripts/docs/results.ts';

const ROOT = resolve(import.meta.dirname, '..');
let files: DocFile[];

beforeAll(async () => {
  files = await generateDocs(ROOT);
});

describe('npm run docs', () => {
  test('every generated file is what npm run docs writes today, and none is left over', () => {
    const { differ, extra } = staleFiles(files, ROOT);
    expect(differ, 'these differ from what `npm run docs` writes: run it and commit').toEqual([]);
    expect(extra, 'these are no longer generated: `npm run docs` removes them').toEqual([]);
    for (const path of [...BLOCK_FILES, KNOWN_SIZES, 'docs/traces/README.md']) expect(files.map((f) => f.path)).toContain(path);
  });

  test('every block a doc names exists, and every block is shown somewhere', () => {
    const used = BLOCK_FILES.flatMap((p) => blocksIn(readFileSync(join(ROOT, p), 'utf8')));
    expect(new Set(used).size, 'a block shown twice').toBe(used.length);
    expect([...used].sort()).toEqual(Object.keys(BLOCKS).sort());
  });

  test('each saved result is the command results.ts names, run to its end', () => {
    for (const spec of RESULTS) {
      const saved = readResult(ROOT, spec.name);
      expect(saved.argv, `${spec.name}: its command changed: run \`npm run docs -- --rerun ${spec.name}\``).toEqual(spec.argv);
      expect(saved.cwd).toBe(spec.cwd ?? '.');
      // a run a signal or a crash cut short is no result: each ends in a verdict's exit code
      expect([0, 1], `${spec.name} exited ${saved.exitCode}: ${saved.stderr}`).toContain(saved.exitCode);
      if (spec.argv.includes('--json')) for (const r of reportsOf(saved)) expect(r.verdict).not.toBe('incomplete');
      expect(saved.ran.cores).toBeGreaterThan(0);
    }
  });

  test('a block is written anew between its markers; an unknown or unclosed block is an error', async () => {
    const ctx = context(ROOT);
    const text = 'before\n<!-- docs:cli-exit-codes -->\nstale\n<!-- /docs:cli-exit-codes -->\nafter\n';
    const filled = await fillBlocks('x.md', text, ctx);
    expect(filled).toMatch(
      /^before\n<!-- docs:cli-exit-codes -->\n\| code \| meaning \|\n[\s\S]*\n<!-- \/docs:cli-exit-codes -->\nafter\n$/,
    );
    expect(filled).not.toContain('stale');
    expect(await fillBlocks('x.md', filled, ctx)).toBe(filled);
    await expect(fillBlocks('x.md', '<!-- docs:nope -->\n<!-- /docs:nope -->\n', ctx)).rejects.toThrow(/no generated block named 'nope'/);
    await expect(fillBlocks('x.md', '<!-- docs:cli-exit-codes -->\n', ctx)).rejects.toThrow(/do not match/);
  });

  test('the figures come from the saved runs: the README quotes the quick run of every design', () => {
    const quick = readResult(ROOT, 'check-quick');
    const readme = files.find((f) => f.path === 'README.md')!.content;
    for (const r of reportsOf(quick)) expect(readme).toContain(`\`${r.design}\``);
    const seconds = Math.round(quick.elapsedMs / 1000);
    expect(readme).toMatch(
      new RegExp(
        `; (${seconds} s|${Math.floor(seconds / 60)} min ${String(seconds % 60).padStart(2, '0')} s) for all ${reportsOf(quick).length}`,
      ),
    );
  });
});
