// The docs are generated (scripts/docs.ts): README.md's and docs/'s blocks,
// docs/traces and cli/known-sizes.json must be what `npm run docs` writes
// from the code and the saved results in docs/results, without running a
// check; each saved result is the command its entry in results.ts names.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { BLOCK_FILES, blocksIn, context, fillBlocks, generateDocs, KNOWN_SIZES, staleFiles, type DocFile } from '../scripts/docs.ts';
import { BLOCKS } from '../scripts/docs/blocks.ts';
import { OTHER_RESULTS, readResult, reportsOf, RESULTS, strayResults } from '../scripts/docs/results.ts';
import { BENCH_RESULT, DEFAULT_SPIN_CONFIGS, type SavedBench, type ToolFigures } from '../bench/spin-comparison.ts';

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

describe("the bench's comparison with SPIN (docs/checker.md, from docs/results/bench.json)", () => {
  const figures = (statesPerSecond: number, seconds: number, peakRssMb: number | null): ToolFigures => ({
    verdict: 'holds',
    states: 1_000_000,
    transitions: 8_000_000,
    seconds,
    statesPerSecond,
    transitionsPerSecond: statesPerSecond * 8,
    bytesPerState: 40,
    peakRssMb,
  });
  // two runs each: presence-check 100,000 and 120,000 states/s on one thread (median 110,000), SPIN 200,000 and
  // 240,000 (median 220,000): 0.50×, run by run 0.50× both; two threads 8 s and 6 s against one thread's 10 s and
  // 8 s (medians 7 and 9): 1.29×; the engine alone 300,000 and 340,000 (median 320,000): 1.45× SPIN's
  const saved = (loadNow: number): SavedBench => ({
    format: 'presence-check/bench-spin',
    command: 'npm run bench -- --spin --write fixed:2:1:1 --runs 2',
    runs: 2,
    ran: {
      date: '2026-12-07',
      commit: 'abc1234',
      node: 'v20.20.2',
      cores: 2,
      cpu: 'Some CPU @ 2.0GHz',
      memoryGiB: 24,
      loadAverage: { start: [loadNow, 2.5, 3], end: 1.5 },
      spin: 'Spin Version 6.5.2 -- 6 December 2019',
      gcc: 'gcc (Debian 12.2.0-14) 12.2.0',
    },
    configs: [
      {
        config: 'fixed:2:1:1',
        faults: [],
        one: [figures(100_000, 10, 150), figures(120_000, 8, 160)],
        spin: [figures(200_000, 5, 300), figures(240_000, 4, 320)],
        two: [figures(125_000, 8, 170), figures(166_667, 6, 180)],
        engine: [
          { ...figures(300_000, 3.3, null), verdict: '—' },
          { ...figures(340_000, 2.9, null), verdict: '—' },
        ],
        spinHashBits: 20,
        spinVectorBytes: 64,
      },
    ],
  });
  const render = async (bench: SavedBench | null) => {
    const root = mkdtempSync(join(tmpdir(), 'presence-docs-bench-'));
    try {
      if (bench !== null) {
        mkdirSync(join(root, 'docs/results'), { recursive: true });
        writeFileSync(join(root, BENCH_RESULT), JSON.stringify(bench));
      }
      return await BLOCKS['bench-table'](context(root));
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  };

  test('docs/checker.md shows the block, and bench.json is a result npm run docs keeps', () => {
    expect(blocksIn(readFileSync(join(ROOT, 'docs/checker.md'), 'utf8'))).toContain('bench-table');
    expect(OTHER_RESULTS).toContain(BENCH_RESULT.replace('docs/results/', ''));
    expect(strayResults(ROOT)).not.toContain(BENCH_RESULT);
  });

  test('from the saved figures: each search a row, the ratio to SPIN, the two-thread speed-up, where, when and how', async () => {
    const text = await render(saved(3.2));
    const rows = text.split('\n').filter((l) => l.startsWith('| `fixed:2:1:1` |'));
    expect(rows.map((r) => r.split(' | ')[1])).toEqual([
      'presence-check, 1 thread',
      'presence-check, 2 threads',
      'presence-check, engine alone',
      'SPIN 6.5.2',
    ]);
    // the medians: states/s, transitions/s, B/state, peak RSS (MB)
    expect(rows[0]).toMatch(/\| 9\.00 \| 110,000 \| 880,000 \| 40 \| 155 \|$/);
    // the engine alone: no verdict, no peak RSS of its own
    expect(rows[2]).toMatch(/^\| `fixed:2:1:1` \| presence-check, engine alone \| — \| .* \| 3\.10 \| 320,000 \| 2,560,000 \| 40 \| — \|$/);
    expect(rows[3]).toMatch(/\| 4\.50 \| 220,000 \| 1,760,000 \| 40 \| 310 \|$/);
    expect(text).toContain("presence-check's distinct states/s on one thread are **0.50×** SPIN's (run by run 0.50× to 0.50×)");
    expect(text).toContain("the engine alone's are 1.45× SPIN's; two threads run 1.29× as fast as one");
    expect(text).toContain('*Engine alone*: ');
    expect(text).toContain('Measured 2026-12-07 at commit abc1234, the medians of 2 runs of each search');
    expect(text).toContain('on 2 cores (Some CPU @ 2.0GHz) with 24 GiB: Node v20.20.2, Spin Version 6.5.2');
    expect(text).toContain('**one run of the bench on a machine shared with other work** (load average 3.2, 2.5, 3 ');
    expect(text).toContain('`npm run bench -- --spin --write fixed:2:1:1 --runs 2`, then `npm run docs`');
    // a quiet start says so instead
    const quiet = await render(saved(0.4));
    expect(quiet).not.toContain('shared with other work');
    expect(quiet).toContain('The machine was quiet: load average 0.4, 2.5, 3 ');
  });

  test('without bench.json the block says how to make it; a file of another kind is refused', async () => {
    expect(await render(null)).toMatch(
      new RegExp(`^No figures are saved yet: \`npm run bench -- --spin --write ${DEFAULT_SPIN_CONFIGS.join(' ')}\` measures them `),
    );
    await expect(render({ ...saved(1), format: 'something-else' } as unknown as SavedBench)).rejects.toThrow(
      /is not the bench's comparison/,
    );
  });
});
