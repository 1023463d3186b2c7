// The verdict matrix: its cells (the default plan, without running it: the
// full matrix is recomputed against docs/matrix.md by `npm run prove:deep`,
// specs/deep/matrix-drift.test.ts), and the `matrix` command with small
// cells: formats, --out, --expect, --design-file, progress, Ctrl-C and bad
// input. CLI runs go through main() (current at 2 users × lag 0 is violated
// in a fraction of a second); one subprocess checks the real Ctrl-C.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  assumptionsOf,
  DEFAULT_BOUNDS,
  DESIGNS,
  DESIGN_NAMES,
  designByName,
  faultByName,
  timingAssumptionOf,
  timingBoundsOf,
  type Design,
} from '../model/index.ts';
import { EXIT } from '../cli/exit.ts';
import { commandHelp } from '../cli/args/index.ts';
import { MATRIX_DEFAULTS, MATRIX_FLAGS } from '../cli/args/matrix.ts';
import { boundsKey, cellBoundsText, matrixCells, sweepPlanOf, sweptBoundsOf } from '../cli/matrix/plan.ts';
import { matrixDrift, readMatrixRows, rowOf, withoutTime, type CellOutcome } from '../cli/matrix/table.ts';
import { matrixPremises, type PremisedCell } from '../cli/matrix/premises.ts';
import { inProcessRunner, type Runner } from '../cli/run.ts';
import { workerRunner } from '../cli/worker-runner.ts';
import { expectBadInput, runCli } from './bad-input.ts';
import { afterCpu } from './signal-child.ts';

const ROOT = new URL('..', import.meta.url).pathname;

const run = runCli;

const SMALL = ['matrix', '--designs', 'current', '--users', '2', '--lag', '0', '--no-sweeps'];

const design = (name: string): Design => designByName(name)!;

/** A runner that fails the test if any cell is run: for bad input that must be found first. */
const NEVER_RUNS: Runner = {
  run: () => {
    throw new Error('a cell ran, but the input was bad');
  },
  interrupt: () => {},
};

let dir = '';
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'presence-matrix-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// ------------------------------------------------------------------ cells

describe('cells', () => {
  const cells = matrixCells({
    designs: DESIGNS,
    users: MATRIX_DEFAULTS.users,
    lag: MATRIX_DEFAULTS.lag,
    sweeps: true,
    faults: false,
    liveness: true,
  });

  test('every design gets the users 1-3 × lag 0-2 grid (other bounds default), then its sweeps; no cell twice', () => {
    for (const name of DESIGN_NAMES) {
      const own = cells.filter((c) => c.design.name === name);
      const grid = own.slice(0, 9).map((c) => [c.bounds.users, c.bounds.lag]);
      expect(grid).toEqual([
        [1, 0],
        [1, 1],
        [1, 2],
        [2, 0],
        [2, 1],
        [2, 2],
        [3, 0],
        [3, 1],
        [3, 2],
      ]);
      for (const c of own.slice(0, 9)) expect({ ...c.bounds, users: 2, lag: 1 }).toEqual(DEFAULT_BOUNDS);
      expect(own.slice(0, 9).every((c) => c.varies === null)).toBe(true);
      expect(new Set(own.map((c) => boundsKey(c.bounds))).size).toBe(own.length);
    }
    const order = cells.map((c) => DESIGN_NAMES.indexOf(c.design.name));
    expect(order).toEqual([...order].sort((a, b) => a - b));
  });

  test('docs/matrix.md lists exactly these cells, in this order (the table itself is checked by npm run prove:deep)', () => {
    const rows = readMatrixRows(readFileSync(join(ROOT, 'docs/matrix.md'), 'utf8'));
    expect(rows).not.toBeNull();
    expect(rows!.map((r) => `${r[0]} ${r[1]} ${r[2]}`)).toEqual(
      cells.map((c) => `${c.design.name} — ${cellBoundsText(c.design, c.bounds)}`),
    );
  });

  test('the timing bounds come from the design switches: ttl with reservations, grace with option A, the left-webhook delay with shipped', () => {
    const of = (name: string) => timingBoundsOf(design(name));
    expect(of('current')).toEqual(['handshake', 'pollDelay']);
    expect(of('grace-period')).toEqual(['handshake', 'pollDelay', 'grace']);
    expect(of('pending-joins')).toEqual(['handshake', 'pollDelay', 'ttl']);
    expect(of('shipped')).toEqual(['handshake', 'pollDelay', 'ttl', 'leftPollDelay']);
    expect(of('fixed-ttl')).toEqual(['handshake', 'pollDelay', 'ttl']);
    expect(of('fixed')).toEqual(['handshake', 'pollDelay', 'ttl']);
    expect(timingAssumptionOf(design('fixed-ttl'))?.text).toBe('ttl > handshake + lag');
    // fixed's (and two-looks') reservations are refreshed while the tab is open: no timing assumption, no bound of its own
    // to sweep; that the refresh lands in time is the guarantee the fault refresh-fails lifts, named with the others
    for (const name of ['fixed', 'two-looks']) {
      expect(timingAssumptionOf(design(name)), name).toBeNull();
      expect(assumptionsOf(design(name), []), name).toContain(faultByName('refresh-fails')!.guarantee);
      expect(assumptionsOf(design(name), ['refresh-fails']), name).not.toContain(faultByName('refresh-fails')!.guarantee);
    }
    expect(timingAssumptionOf(design('shipped'))?.text).toBe('lag < poll-delay');
    expect(timingAssumptionOf(design('current'))).toBeNull();
  });

  test.each(DESIGNS.map((d) => d.name))(
    '%s: its sweeps vary each bound it depends on, at the planned values, around its centre',
    (name) => {
      const d = design(name);
      const plan = sweepPlanOf(d);
      const centre = { ...DEFAULT_BOUNDS, ...plan.centre };
      const own = cells.filter((c) => c.design.name === name);
      const grid = new Set(own.filter((c) => c.varies === null).map((c) => boundsKey(c.bounds)));
      // the centre is a cell (a grid cell, or the first after the grid)
      expect(grid).toContain(boundsKey(centre));
      for (const b of sweptBoundsOf(d)) {
        const swept = own.filter((c) => c.varies === b);
        // each differs from the centre in that bound alone
        for (const c of swept) expect({ ...c.bounds, [b]: centre[b] }).toEqual(centre);
        // every planned value but the centre's is there, ascending, unless it is already a grid cell (shipped's lag)
        const planned = [...plan.values[b]!]
          .sort((x, y) => x - y)
          .filter((v) => v !== centre[b] && !grid.has(boundsKey({ ...centre, [b]: v })));
        expect(swept.map((c) => c.bounds[b])).toEqual(planned);
        // with the centre's, two or three values of the bound
        const values = new Set([centre[b], ...plan.values[b]!]);
        expect(values.size).toBeGreaterThanOrEqual(2);
        expect(values.size).toBeLessThanOrEqual(3);
      }
      expect(own.filter((c) => c.varies !== null && !sweptBoundsOf(d).includes(c.varies))).toEqual([]);
    },
  );

  test('the eight designs of the README give 116 cells', () => {
    // pinned: the README ("the table below (116 cells)"), made when fixed-ttl was called fixed
    const eight = [
      'current',
      'current-presence-api',
      'fail-loudly',
      'grace-period',
      'version-check',
      'pending-joins',
      'shipped',
      'fixed-ttl',
    ].map(design);
    expect(
      matrixCells({ designs: eight, users: MATRIX_DEFAULTS.users, lag: MATRIX_DEFAULTS.lag, sweeps: true, faults: false, liveness: true }),
    ).toHaveLength(116);
  });

  test("fixed-ttl's sweeps cross its timing assumption both ways", () => {
    const assumption = timingAssumptionOf(design('fixed-ttl'))!;
    const sides = cells.filter((c) => c.design.name === 'fixed-ttl' && c.bounds.users === 2).map((c) => assumption.holds(c.bounds));
    expect(sides).toContain(true);
    expect(sides).toContain(false);
  });

  test('--users and --lag choose the grid; --no-sweeps drops the sweeps', () => {
    const grid = matrixCells({
      designs: [design('fixed'), design('current')],
      users: [2],
      lag: [0, 2],
      sweeps: false,
      faults: false,
      liveness: true,
    });
    expect(grid.map((c) => [c.design.name, c.bounds.users, c.bounds.lag])).toEqual([
      ['fixed', 2, 0],
      ['fixed', 2, 2],
      ['current', 2, 0],
      ['current', 2, 2],
    ]);
  });
});

// ------------------------------------------------------------ drift, pure

describe('matrixDrift', () => {
  const outcome = (o: Partial<CellOutcome>): CellOutcome => ({
    design: 'current',
    faults: '—',
    bounds: { ...DEFAULT_BOUNDS, users: 2, lag: 0 },
    varies: null,
    boundsText: 'users=2 lag=0',
    assumption: null,
    verdict: 'violated',
    property: 'no-orphaned-call',
    limit: null,
    maxStates: 1_000_000,
    liveness: 'not judged',
    faultList: [],
    assumptions: [],
    traceLength: 12,
    loop: null,
    states: 9279,
    transitions: 39688,
    depth: 12,
    elapsedMs: 100,
    ...o,
  });

  test('time aside, one line per cell that differs, is missing or is extra', () => {
    const a = [outcome({}), outcome({ boundsText: 'users=2 lag=1', traceLength: 14, states: 33122, depth: 14 })].map(rowOf);
    expect(matrixDrift(a, a)).toEqual([]);
    expect(
      matrixDrift(
        a,
        [outcome({ elapsedMs: 99_999 }), outcome({ boundsText: 'users=2 lag=1', traceLength: 14, states: 33122, depth: 14 })].map(rowOf),
      ),
    ).toEqual([]);
    expect(
      matrixDrift(
        a,
        [outcome({ verdict: 'holds', property: null, traceLength: null }), outcome({ boundsText: 'users=3 lag=0' })].map(rowOf),
      ),
    ).toEqual([
      'current users=2 lag=0: verdict violated: no-orphaned-call → holds, trace 12 → —',
      'current users=3 lag=0: not in the expected matrix (now violated: no-orphaned-call)',
      'current users=2 lag=1: expected, but not in this matrix',
    ]);
    expect(withoutTime(rowOf(outcome({})))).toEqual([
      'current',
      '—',
      'users=2 lag=0',
      '—',
      'violated: no-orphaned-call',
      'not judged',
      '12',
      '9,279',
      '12',
    ]);
    expect(
      rowOf(outcome({ property: 'latecomer-joins[u1]', liveness: 'violated: latecomer-joins[u1]', traceLength: 17, loop: 10 }))[6],
    ).toBe('17 (cycle from 10)');
  });
});

// ---------------------------------------------------------------- the CLI

describe('matrixPremises: what the cells assume, once under the table', () => {
  const slowJoin = faultByName('slow-join')!.guarantee;
  const lockLost = faultByName('lock-lost')!.guarantee;
  const cell = (design: string, faults: PremisedCell['faultList'], assumptions: string[]): PremisedCell => ({
    design,
    faultList: faults,
    faults: faults.length === 0 ? '—' : faults.join(', '),
    assumptions,
  });

  test("compact when it gives back every cell's list: shared, each design's own, and what each fault of a row lifts", () => {
    const lines = matrixPremises(
      [
        cell('a', [], ['db', slowJoin, lockLost]),
        cell('a', ['slow-join'], ['db', lockLost]),
        cell('b', [], ['db', lockLost, 'b timing']),
        cell('c', [], ['db', slowJoin, lockLost]),
      ],
      Number.POSITIVE_INFINITY,
    );
    expect(lines).toEqual([
      `every cell assumes: db; ${lockLost}`,
      `a, c also: ${slowJoin}`,
      'b also: b timing',
      `a fault in a row lifts the guarantee it breaks: slow-join: ${slowJoin}`,
    ]);
  });

  test('a cell the compact form would misstate: cells grouped by their own additions, named with their faults', () => {
    // a's second cell assumes x, which its first does not: no fault explains that
    const lines = matrixPremises(
      [cell('a', [], ['db', lockLost]), cell('a', ['slow-join'], ['db', 'x']), cell('b', [], ['db', lockLost])],
      1000,
    );
    expect(lines).toEqual(['every cell assumes: db', `a, b also: ${lockLost}`, 'a [slow-join] also: x']);
  });

  test('no cells, no lines; lines wrap to the width with a hanging indent', () => {
    expect(matrixPremises([])).toEqual([]);
    const lines = matrixPremises([cell('a', [], [slowJoin, lockLost])], 40);
    expect(lines.length).toBeGreaterThan(1);
    expect(lines.every((l) => l.length <= 40)).toBe(true);
    expect(lines.slice(1).every((l) => l.startsWith('  '))).toBe(true);
  });
});

describe('matrix command', () => {
  test('text: a header, one row a cell, a summary; exit 0 although the cell is violated', async () => {
    const r = await run(SMALL);
    expect(r.code).toBe(EXIT.holds);
    expect(r.err).toBe('');
    const lines = r.out.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^design\s+faults\s+bounds\s+timing assumption\s+verdict\s+liveness\s+trace\s+states\s+depth\s+time$/);
    // pinned: docs/matrix.md (current, users=2 lag=0: trace 12, 9,941 states: symmetry merges states with liveness too), computed by the checker
    expect(lines[2]).toMatch(/^current\s+—\s+users=2 lag=0\s+—\s+violated: no-orphaned-call\s+not judged\s+12\s+9,941\s+12\s+[\d.]+ s$/);
    expect(lines[4]).toMatch(/^1 cell: 1 violated; at most 1,000,000 states a cell; [\d.]+ s on \d+ jobs?$/);
    // then what the verdicts rest on: one cell, so all of it is shared
    const premises = lines.slice(5).join(' ').replace(/\s+/g, ' ');
    expect(premises).toBe(
      `every cell assumes: ${assumptionsOf(designByName('current')!, [], { checked: true, settles: true }).join('; ')}`,
    );
  });

  test('markdown and json: the same cells; --json is --format json', async () => {
    const md = await run([...SMALL, '--format', 'markdown']);
    expect(md.out).toMatch(
      /^\| design \| faults \| bounds \| timing assumption \| verdict \| liveness \| trace \| states \| depth \| time \|\n\| --- \|/,
    );
    // pinned: docs/matrix.md, as above
    expect(md.out).toContain('| current | — | users=2 lag=0 | — | violated: no-orphaned-call | not judged | 12 | 9,941 | 12 |');
    const json = await run([...SMALL, '--json']);
    const same = await run([...SMALL, '--format', 'json']);
    const doc = JSON.parse(json.out);
    expect(doc).toMatchObject({
      command: 'matrix',
      complete: true,
      maxStates: MATRIX_DEFAULTS.maxStates,
      jobs: MATRIX_DEFAULTS.jobs,
      notRun: [],
    });
    expect(doc.cells).toHaveLength(1);
    expect(doc.cells[0]).toMatchObject({
      design: 'current',
      faults: '—',
      bounds: { ...DEFAULT_BOUNDS, users: 2, lag: 0 },
      varies: null,
      boundsText: 'users=2 lag=0',
      verdict: 'violated',
      property: 'no-orphaned-call',
      traceLength: 12,
      loop: null,
      liveness: 'not judged',
      states: 9941,
      depth: 12,
      limit: null,
      assumption: null,
      maxStates: MATRIX_DEFAULTS.maxStates,
      faultList: [],
      assumptions: assumptionsOf(designByName('current')!, [], { checked: true, settles: true }),
    });
    expect(md.out).toContain(`\n- every cell assumes: ${doc.cells[0].assumptions.join('; ')}\n`);
    const { elapsedMs: _a, cells: c1, ...rest1 } = doc;
    const { elapsedMs: _b, cells: c2, ...rest2 } = JSON.parse(same.out);
    expect(rest2).toEqual(rest1);
    expect(c2.map((c: { elapsedMs?: number }) => ({ ...c, elapsedMs: 0 }))).toEqual(
      c1.map((c: { elapsedMs?: number }) => ({ ...c, elapsedMs: 0 })),
    );
    expect(readMatrixRows(json.out)!.map(withoutTime)).toEqual(readMatrixRows(md.out)!.map(withoutTime));
  });

  test('--designs, --users, --lag and --max-states choose the cells; a capped cell is incomplete, the same every run', async () => {
    const argv = [
      'matrix',
      '--designs',
      'fixed-ttl,current',
      '--users',
      '2',
      '--lag',
      '1,0',
      '--no-sweeps',
      '--max-states',
      '3000',
      '--format',
      'markdown',
    ];
    const a = await run(argv);
    const b = await run(argv);
    expect(a.code).toBe(EXIT.holds);
    const rows = readMatrixRows(a.out)!;
    expect(rows.map((r) => [r[0], r[2]])).toEqual([
      ['fixed-ttl', 'users=2 lag=0 handshake=2 ttl=6'],
      ['fixed-ttl', 'users=2 lag=1 handshake=2 ttl=6'],
      ['current', 'users=2 lag=0'],
      ['current', 'users=2 lag=1'],
    ]);
    expect(rows[0][3]).toBe('ttl > handshake + lag: yes');
    expect(rows[0][4]).toMatch(/^incomplete: no violation up to depth \d+ \(3,000-state cap\)$/);
    expect(rows[0][5]).toBe('not judged');
    expect(rows[0][6]).toBe('—');
    expect(readMatrixRows(b.out)!.map(withoutTime)).toEqual(rows.map(withoutTime));
  });

  test('--jobs 2 on worker threads gives the table of --jobs 1 in this thread', async () => {
    const argv = [
      'matrix',
      '--designs',
      'shipped,current-presence-api',
      '--users',
      '2',
      '--lag',
      '0,1',
      '--no-sweeps',
      '--format',
      'markdown',
    ];
    const one = await run([...argv, '--jobs', '1']);
    const runner = workerRunner();
    expect(runner).not.toBeNull(); // tsx resolves here: workers load TypeScript
    const two = await run([...argv, '--jobs', '2'], { deps: { runner: runner! } });
    expect(two.code).toBe(EXIT.holds);
    expect(readMatrixRows(two.out)!.map(withoutTime)).toEqual(readMatrixRows(one.out)!.map(withoutTime));
    expect(two.out).toMatch(/on 2 jobs/);
  });

  test('--design-file: a design of your own is a row like a built-in one', async () => {
    const file = join(dir, 'my-current.yaml');
    writeFileSync(file, 'name: my-current\nbase: current\n');
    const r = await run(['matrix', '--design-file', file, '--users', '2', '--lag', '0', '--no-sweeps', '--format', 'markdown']);
    expect(r.code).toBe(EXIT.holds);
    const builtIn = readMatrixRows((await run([...SMALL, '--format', 'markdown'])).out)!;
    expect(readMatrixRows(r.out)!.map(withoutTime)).toEqual(builtIn.map((row) => withoutTime(['my-current', ...row.slice(1)])));
    // with --designs, the built-in ones first
    const both = await run([...SMALL, '--design-file', file, '--format', 'markdown']);
    expect(readMatrixRows(both.out)!.map((row) => row[0])).toEqual(['current', 'my-current']);
  });

  test('--out writes the table (its format from the name), whole; stdout gets the summary', async () => {
    const out = join(dir, 'matrix.md');
    const r = await run([...SMALL, '--out', out]);
    expect(r.code).toBe(EXIT.holds);
    expect(r.out).toMatch(new RegExp(`^1 cell: 1 violated; .*; written to ${out}\\n$`));
    expect(readFileSync(out, 'utf8')).toMatch(/^\| design \| faults \| bounds \|/);
    const json = join(dir, 'matrix.json');
    await run([...SMALL, '--out', json]);
    expect(JSON.parse(readFileSync(json, 'utf8')).command).toBe('matrix');
    expect(readdirSync(dir).filter((f) => f.includes('.tmp'))).toEqual([]);
  });

  test('--out that cannot be written at the end: the table on stdout, one line why, exit 6', async () => {
    const gone = join(dir, 'vanishing');
    mkdirSync(gone);
    const inner = inProcessRunner();
    // the directory is there when --out is checked, and gone when the table is written
    const runner: Runner = {
      run: (job, limits, onProgress) => {
        rmSync(gone, { recursive: true, force: true });
        return inner.run(job, limits, onProgress);
      },
      interrupt: () => inner.interrupt(),
    };
    const r = await run([...SMALL, '--out', join(gone, 'm.md')], { deps: { runner } });
    expect(r.code).toBe(EXIT.output);
    expect(r.out).toContain('| current | — | users=2 lag=0 | — | violated: no-orphaned-call | not judged | 12 |');
    expect(r.err.trimEnd().split('\n')).toHaveLength(1);
    expect(r.err).toMatch(/^presence-check: --out .*vanishing\/m\.md: cannot write it: ENOENT/);
  });

  test('--expect: exit 0 when the matrix matches (time aside), 1 with one line per drifting cell', async () => {
    const expected = join(dir, 'expected.json');
    await run([...SMALL, '--out', expected]);
    const same = await run([...SMALL, '--expect', expected]);
    expect(same.code).toBe(EXIT.holds);
    expect(same.err).toMatch(/matches .*expected\.json \(1 cells, time aside\)/);

    const doc = JSON.parse(readFileSync(expected, 'utf8'));
    doc.cells[0].traceLength = 13;
    doc.cells[0].elapsedMs = 99_999; // time is not drift
    const drifted = join(dir, 'drifted.json');
    writeFileSync(drifted, JSON.stringify(doc));
    const r = await run([...SMALL, '--expect', drifted]);
    expect(r.code).toBe(EXIT.failed);
    expect(r.out).toContain('violated: no-orphaned-call');
    expect(r.err).toContain('differs from');
    expect(r.err).toContain('current users=2 lag=0: trace 13 → 12');

    // a Markdown file holding the table (docs/matrix.md is one), and a cell it lacks
    const md = join(dir, 'expected.md');
    writeFileSync(md, `# notes\n\n${(await run([...SMALL, '--format', 'markdown'])).out}`);
    expect((await run([...SMALL, '--expect', md])).code).toBe(EXIT.holds);
    const more = await run(['matrix', '--designs', 'current', '--users', '2', '--lag', '0,1', '--no-sweeps', '--expect', md]);
    expect(more.code).toBe(EXIT.failed);
    expect(more.err).toContain('current users=2 lag=1: not in the expected matrix');
  });

  test('progress on a terminal (cells done, the running cell, its states), cleared before the table; none under --json', async () => {
    const tty = await run(SMALL, { tty: true });
    expect(tty.err).toMatch(/matrix \[[█░]{20}\] 0\/1 cells \| current users=2 lag=0: [\d,]+ states, depth \d+/);
    expect(tty.err.endsWith('\x1b[2K')).toBe(true); // erased before the table
    expect((await run([...SMALL, '--json'], { tty: true })).err).toBe('');
    expect((await run(SMALL, { tty: false })).err).toBe('');
  });

  test('Ctrl-C: the running cell stops, the rest do not start; the partial table and exit 130; --out is left alone', async () => {
    let handler: ((signal: 'SIGINT' | 'SIGTERM') => void) | null = null;
    let fired = false;
    const out = join(dir, 'never.md');
    const r = await run(
      ['matrix', '--designs', 'fixed-ttl,current', '--users', '2', '--lag', '0', '--no-sweeps', '--jobs', '1', '--out', out],
      {
        tty: true,
        deps: {
          onInterrupt: (h) => {
            handler = h;
            return () => {
              handler = null;
            };
          },
        },
        // press Ctrl-C once the first cell's search reports progress
        onErr: (s) => {
          if (!fired && /fixed-ttl [^|]*: [1-9][\d,]* states/.test(s)) {
            fired = true;
            handler?.('SIGINT');
          }
        },
      },
    );
    expect(fired).toBe(true);
    expect(r.code).toBe(EXIT.interrupted);
    // the format --out implies (markdown), on stdout
    expect(r.out).toMatch(
      /\| fixed-ttl \| — \| users=2 lag=0 handshake=2 ttl=6 \| ttl > handshake \+ lag: yes \| interrupted: no violation up to depth \d+ \| not judged \| — \|/,
    );
    expect(r.out).toMatch(/1 cell: 1 interrupted; 1 not run \(interrupted\)/);
    expect(r.out).toContain('not run: current users=2 lag=0');
    expect(r.err).toContain(`interrupted: ${out} left as it was`);
    expect(readdirSync(dir)).not.toContain('never.md');
    expect(handler).toBeNull(); // unsubscribed
  });

  test('Ctrl-C in a real process: exit 130 and the partial table', async () => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'cli.ts', 'matrix', '--designs', 'fixed-ttl', '--users', '2', '--lag', '0', '--no-sweeps'],
      { cwd: ROOT },
    );
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    // off a terminal the matrix prints nothing until its table: Ctrl-C once the child has run 4 s of CPU (its
    // handler in, the cell's search begun; signal-child.ts), not after a fixed time a busy machine can outlast
    await afterCpu(child.pid!, 4, 6000);
    child.kill('SIGINT');
    const code = await exited;
    expect(err).toBe('');
    expect(code).toBe(130);
    expect(out).toMatch(
      /\nfixed-ttl\s+—\s+users=2 lag=0 handshake=2 ttl=6\s+ttl > handshake \+ lag: yes\s+interrupted: no violation up to depth \d+\s+not judged\s+—\s+[\d,]+/,
    );
  });

  test('--help documents the command and exactly its flags', () => {
    const help = commandHelp('matrix');
    for (const flag of [
      '--designs NAMES',
      '--users LIST',
      '--lag LIST',
      '--no-sweeps',
      '--jobs N',
      '--out FILE',
      '--expect FILE',
      '--design-file FILES',
    ])
      expect(help).toContain(flag);
    expect([...help.matchAll(/^ {2}(--[a-z-]+)/gm)].map((m) => m[1]).sort()).toEqual(MATRIX_FLAGS.map((f) => `--${f.flag}`).sort());
    expect(help).toMatch(/matrix exits 0 when every cell was checked/);
  });
});

describe('bad input: one line, exit 2, nothing run', () => {
  test.each([
    [
      ['matrix', '--designs', 'nope'],
      [/unknown design 'nope'/, /designs: current, .*, or all; a design of your own: --design-file\)$/],
    ],
    [['matrix', '--designs', ','], [/--designs needs a design name/]],
    [['matrix', '--users', 'two'], [/--users must be a comma-separated list of integers from 1 to 6 \(got 'two'\)/]],
    [
      ['matrix', '--users', '1,,2'],
      [/--users must be a comma-separated list/, /'1,,2'/],
    ],
    [['matrix', '--users', '1,7'], [/--users must be a comma-separated list of integers from 1 to 6 \(got 7 in '1,7'\)/]],
    [['matrix', '--lag', '1.5'], [/--lag must be a comma-separated list of integers from 0 to 7 \(got '1.5'\)/]],
    [['matrix', '--lag', '-1'], [/--lag .* \(got -1 in '-1'\)/]],
    [['matrix', '--max-states', '0'], [/--max-states must be an integer of at least 1 \(got 0\)/]],
    [['matrix', '--jobs', 'many'], [/--jobs must be an integer from 1 to 64 \(got 'many'\)/]],
    [['matrix', '--format', 'xml'], [/unknown --format 'xml' \(matrix formats: text, markdown, json\)/]],
    [['matrix', '--json', '--format', 'markdown'], [/--json and --format markdown disagree/]],
    // check's flags are not matrix's: each command has its own
    [['matrix', '--design', 'current'], [/unknown option --design for matrix \(did you mean --designs\? its options: --designs, /]],
    [['matrix', '--ttl', '3', '--no-symmetry'], [/unknown option --ttl, --no-symmetry for matrix/]],
    [['matrix', '--out', '/no/such/dir/m.md'], [/--out \/no\/such\/dir\/m.md: no such directory/]],
    [['matrix', '--expect', 'missing.json'], [/--expect missing.json: no such file/]],
    [['matrix', '--expect', 'package.json'], [/--expect package.json: no matrix in it/]],
    [['matrix', '--design-file', 'missing.yaml'], [/--design-file missing\.yaml: no such file/]],
    [['matrix', 'now'], [/unexpected argument 'now' after matrix/]],
    [
      ['matrix', '--frobnicate'],
      [
        new RegExp(
          `unknown option --frobnicate for matrix \\(its options: ${MATRIX_FLAGS.map((f) => `--${f.flag}`).join(', ')}; see matrix --help\\)$`,
        ),
      ],
    ],
    [['check', '--jobs', '2'], [/unknown option --jobs for check/]],
    [['chek'], [/unknown command 'chek' \(did you mean check\? commands: check, simulate, replay, matrix/]],
  ])('%j', async (argv, mentions) => {
    expectBadInput(await run(argv, { deps: { runner: NEVER_RUNS } }), ...mentions);
  });

  test('--out naming a directory is bad input before anything runs', async () => {
    const target = join(dir, 'a-dir.md');
    mkdirSync(target, { recursive: true });
    expectBadInput(await run([...SMALL, '--out', target], { deps: { runner: NEVER_RUNS } }), /--out .*a-dir\.md: is a directory$/);
  });
});
