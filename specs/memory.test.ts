// check --memory N and --spill-dir DIR (cli/spill-files.ts, checker/spill.ts):
// bad values are one line and exit 2; a check whose budget forces its
// frontier and its liveness graph to disk (real files in a real directory)
// reports exactly what the same check reports without one (verdict, counts,
// the shortest trace, the lasso), says in its JSON, text, progress and
// --summary what spilled, and leaves no directory behind, also when it is
// interrupted (Ctrl-C, twice: the process exits at once). A budget below
// what cannot spill ends the check as incomplete (exit 3), in one line
// saying so. The models are tiny, and --memory 1M (the least taken) small
// for them.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { parseMemory } from '../cli/args/check.ts';
import { EXIT } from '../cli/exit.ts';
import { check } from '../checker/index.ts';
import { torusModel } from './checker/spill-models.ts';
import { CheckProgress } from '../cli/progress.ts';
import { outcomeOfError, type Runner } from '../cli/run.ts';
import dieHard from '../examples/die-hard.ts';
import { FileSpillStore, SpillFailure } from '../cli/spill-files.ts';
import { formatProgress } from '../export/text.ts';
import type { RunReport } from '../report/types.ts';
import { expectBadInput, runCli } from './bad-input.ts';

const ROOT = new URL('..', import.meta.url).pathname;
const MiB = 2 ** 20;

let parent = '';
beforeAll(() => {
  parent = mkdtempSync(join(tmpdir(), 'presence-check-memory-test-'));
});
afterAll(() => rmSync(parent, { recursive: true, force: true }));

/** A fresh directory for --spill-dir, empty. */
function spillDir(): string {
  return mkdtempSync(join(parent, 'spill-'));
}

const report = (out: string): RunReport => JSON.parse(out.split('\n')[0]) as RunReport;

/** A report without what a budget changes: time, the graph's bytes (once spilled, 4 bytes a field on disk), and the memory figures. */
function outcome(r: RunReport) {
  const { elapsedMs: _t, graphBytes: _g, memory: _m, ...rest } = r;
  return rest;
}

describe('--memory and --spill-dir: bad input', () => {
  test('sizes: 512M, 8G, 1.5g, 64MiB, 1T, and a plain number in MB', () => {
    const value = (raw: string) => {
      const parsed = parseMemory('memory', raw);
      return parsed.ok ? parsed.value : parsed.message;
    };
    expect(value('512M')).toBe(512 * MiB);
    expect(value('8G')).toBe(8 * 2 ** 30);
    expect(value('1.5g')).toBe(1.5 * 2 ** 30);
    expect(value('64MiB')).toBe(64 * MiB);
    expect(value('2048')).toBe(2048 * MiB);
    expect(value(' 1T ')).toBe(2 ** 40);
    expect(value('1024K')).toBe(MiB);
  });

  test.each([
    ['lots', "got 'lots'"],
    ['0', "got '0'"],
    ['512K', "got '512K'"],
    ['-5', "got '-5'"],
    ['8X', "got '8X'"],
    ['1e3', "got '1e3'"],
  ])('--memory %s: one line, exit 2', async (raw, mention) => {
    const r = await runCli(['check', '--design', 'current', '--memory', raw]);
    expectBadInput(r, /^presence-check: --memory must be a size of at least 1M, like 512M, 8G or 2048 \(MB\)/, mention);
  });

  test('--memory without a value, --spill-dir without --memory, and a --spill-dir that cannot take files', async () => {
    expectBadInput(await runCli(['check', '--memory']), '--memory needs a value');
    expectBadInput(await runCli(['check', '--spill-dir', parent]), '--spill-dir is where --memory spills: give --memory N too');
    expectBadInput(
      await runCli(['check', '--memory', '64M', '--spill-dir', join(parent, 'no-such')]),
      `--spill-dir ${join(parent, 'no-such')}: no such directory`,
    );
    const file = join(parent, 'a-file');
    writeFileSync(file, '');
    expectBadInput(await runCli(['check', '--memory', '64M', '--spill-dir', file]), `--spill-dir ${file}: not a directory`);
  });
});

describe('a check under --memory that spills', () => {
  // current, 1 user × 2 tabs, lag 0: a lasso of 12 + 1 steps over 12,485 states and 71,470 edges
  const LASSO = ['check', '--design', 'current', '--users', '1', '--tabs', '2', '--lag', '1', '--workers', '1'];

  test('finds the same lasso with its frontier and liveness graph on disk, says so, and removes its directory', async () => {
    const dir = spillDir();
    const plain = await runCli([...LASSO, '--json']);
    const spilled = await runCli([...LASSO, '--json', '--memory', '1M', '--spill-dir', dir]);
    expect([plain.code, spilled.code]).toEqual([EXIT.failed, EXIT.failed]);
    const r = report(spilled.out);
    expect(r).toMatchObject({ verdict: 'violated', property: 'latecomer-joins[u1]', states: 26_412, edges: 157_542, loop: 14 });
    expect(outcome(r)).toEqual(outcome(report(plain.out)));
    expect(report(plain.out)).not.toHaveProperty('memory');
    const m = r.memory!;
    expect(m.budget).toBe(MiB);
    expect(m.spilled.frontier).toBeGreaterThan(0);
    expect(m.spilled.graph).toBeGreaterThan(0);
    expect(m.graphPageReads).toBeGreaterThan(0);
    expect(m.firstSpill).toEqual({ during: 'search', depth: expect.any(Number), states: expect.any(Number) });
    expect(m.exhausted).toBeNull();
    // a directory of its own under --spill-dir, gone once the check is over
    expect(m.where!.startsWith(join(dir, 'presence-check-spill-'))).toBe(true);
    expect(existsSync(m.where!)).toBe(false);
    expect(readdirSync(dir)).toEqual([]);
  });

  test('the text report and --summary say what spilled, and where: the system temporary directory, removed too', async () => {
    const summary = join(parent, 'summary.md');
    const r = await runCli([...LASSO, '--memory', '1M', '--summary', summary]);
    expect(r.code).toBe(EXIT.failed);
    expect(r.out).toMatch(/--memory 1 MiB\)\n/); // the header's settings
    const line = r.out.split('\n').find((l) => l.startsWith('memory: '));
    expect(line).toMatch(
      new RegExp(
        `^memory: --memory 1 MiB; spilled the frontier [\\d.]+ KiB, the liveness graph [\\d.]+ [KM]iB and the visited set [\\d.]+ KiB to ${join(tmpdir(), 'presence-check-spill-')}\\w+ ` +
          'from depth \\d+ \\([\\d,]+ states known\\), at most [\\d.]+ [KM]iB on disk at once; peak [\\d.]+ [KM]iB in memory ' +
          '\\(the visited set [\\d.]+ KiB of it at the end\\); the liveness analysis read [\\d,]+ pages of the graph back, beside [\\d.]+ [KM]iB of its own arrays$',
      ),
    );
    expect(readFileSync(summary, 'utf8')).toContain('- **`current`** memory: --memory 1 MiB; spilled the frontier ');
    expect(existsSync(line!.split(' to ')[1].split(' ')[0])).toBe(false);
  });

  test('what cannot spill outgrows the budget (an --exact visited set): incomplete, exit 3, one line saying so', async () => {
    const dir = spillDir();
    const r = await runCli([
      'check',
      '--design',
      'pending-joins',
      '--users',
      '1',
      '--tabs',
      '2',
      '--lag',
      '0',
      '--workers',
      '1',
      '--exact',
      '--memory',
      '1M',
      '--spill-dir',
      dir,
    ]);
    expect(r.code).toBe(EXIT.incomplete);
    expect(r.out).toMatch(
      /\nINCOMPLETE: the visited set needs ~[\d.]+ [KM]iB and does not spill \(--exact keeps whole keys\): with the [\d.]+ KiB that stayed in memory after spilling \(the frontier block being read, the graph's offsets\), it is over --memory 1 MiB; holds up to depth \d+; /,
    );
    expect(readdirSync(dir)).toEqual([]);
  });
});

describe('the file store under a search', () => {
  test('a search whose frontier, liveness graph and visited set all spill to real files gives the in-memory result, and leaves none', () => {
    const dir = spillDir();
    const options = { n: 12, k: 6, fat: 255, properties: 'liveness' as const };
    const store = new FileSpillStore(dir);
    const spilled = check(torusModel(options), { memory: { bytes: 64_000, store, blockBytes: 16 * 1024, pageEdges: 64 } });
    const plain = check(torusModel(options));
    const strip = ({ elapsedMs: _t, peakFrontierBytes: _f, graphBytes: _g, visitedBytes: _v, memory: _m, ...rest }: typeof plain) => rest;
    expect(strip(spilled)).toEqual(strip(plain));
    expect(spilled.memory!.spilled).toEqual({ frontier: expect.any(Number), graph: expect.any(Number), visited: expect.any(Number) });
    expect(Object.values(spilled.memory!.spilled).every((n) => n > 0)).toBe(true);
    expect(spilled.memory!.where).toBe(dir);
    // every file deleted as its structure was done with
    expect(readdirSync(dir)).toEqual([]);
  });
});

describe('when the disk fails', () => {
  test('the file store names its directory and the failure; the check says so in one line, exit 3', async () => {
    const dir = spillDir();
    const store = new FileSpillStore(dir);
    const h = store.create();
    store.append(h, Int32Array.of(1, 2, 3, 4), 1, 4);
    const back = new Int32Array(3);
    store.read(h, 0, back, 0, 3);
    expect(Array.from(back)).toEqual([2, 3, 4]);
    rmSync(dir, { recursive: true });
    expect(() => store.create()).toThrow(SpillFailure);
    expect(() => store.create()).toThrow(`spilling to ${dir} failed: ENOENT`);
    store.close();
    // what the run makes of it
    const failure = new SpillFailure(dir, new Error('ENOSPC: no space left on device'));
    expect(outcomeOfError(failure, { kind: 'module', path: '/m.ts', liveness: true }, dieHard as never, { exact: false })).toEqual({
      kind: 'spill-failed',
      message: `--model /m.ts: spilling to ${dir} failed: ENOSPC: no space left on device (the check could not go on)`,
    });

    // the check's own outcome, as the runner hands it back: one line, exit 3, no report
    const runner: Runner = {
      run: async () => ({ kind: 'spill-failed', message: `design fixed: spilling to ${dir} failed: ENOSPC: no space left on device` }),
      interrupt: () => {},
    };
    const r = await runCli(['check', '--design', 'fixed', '--memory', '64M'], { deps: { runner } });
    expect(r.code).toBe(EXIT.incomplete);
    expect(r.out).toBe('');
    expect(r.err).toBe(`presence-check: design fixed: spilling to ${dir} failed: ENOSPC: no space left on device\n`);
  });
});

describe('progress under --memory', () => {
  const progress = { states: 1_000, transitions: 9_000, frontier: 200, depth: 7, levelExpanded: 100, levelSize: 300, elapsedMs: 2_000 };

  test('the terminal line and the CI line say how much spilled, once something has', () => {
    expect(formatProgress({ ...progress, spilled: 3 * MiB }, 2 ** 30)).toBe(
      '1,000 states, frontier 200, 500 states/s, 2.00 s, 1.0 GiB, 3 MiB spilled',
    );
    expect(formatProgress({ ...progress, spilled: 0 }, 2 ** 30)).toBe('1,000 states, frontier 200, 500 states/s, 2.00 s, 1.0 GiB');
    expect(formatProgress(progress, 2 ** 30)).toBe('1,000 states, frontier 200, 500 states/s, 2.00 s, 1.0 GiB');
    let err = '';
    let clock = 0;
    const lines = new CheckProgress({ write: (s: string) => (err += s) }, 'lines', { everyMs: 1, now: () => (clock += 10), timer: false });
    lines.start('fixed', null);
    lines.show({ ...progress, spilled: 1.5 * MiB });
    lines.stop();
    expect(err).toMatch(
      /^presence-check: fixed: 1,000 states, [\d,]+ states\/s, depth 7, frontier 200, 1\.5 MiB spilled to disk, 2 s elapsed\n$/,
    );
  });
});

describe('the real command under --memory', () => {
  // twice: the second Ctrl-C exits at once, before the check returns (once, it returns and the directory goes as after any run)
  test('Ctrl-C twice: the spill directory is removed as the process exits', { timeout: 120_000 }, async () => {
    const dir = spillDir();
    // thorough: minutes of search, so the signal comes while it runs
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'cli.ts', 'check', '--design', 'fixed', '--preset', 'thorough', '--memory', '1M', '--spill-dir', dir],
      { cwd: ROOT },
    );
    const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    // the directory is made before the check starts, with the signal handlers in place
    const started = Date.now();
    while (readdirSync(dir).length === 0 && Date.now() - started < 60_000) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(readdirSync(dir)).toHaveLength(1);
    child.kill('SIGINT');
    child.kill('SIGINT');
    expect(await exited).toBe(EXIT.interrupted);
    expect(readdirSync(dir)).toEqual([]);
  });
});
