// The command line: argument parsing, bad input, exit codes, the text trace,
// --json lines, and a few real subprocesses (exit codes, no stack traces,
// Ctrl-C). Presence runs are kept tiny: `--design current --users 2 --lag 0`
// is violated in about a second; "holds" uses a toggle model in a temp file.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { BOUND_SPECS, DEFAULT_BOUNDS, DESIGNS, DESIGN_NAMES } from '../model/index.ts';
import { helpText, parseArgs, type CheckArgs } from '../cli/args.ts';
import { EXIT, worstExitCode } from '../cli/exit.ts';
import { expectBadInput, runCli } from './bad-input.ts';
import type { MainDeps } from '../cli/main.ts';
import { compact, diffViews, formatDiffEntry, formatTrace } from '../cli/report.ts';
import type { RunReport, TraceStepReport } from '../cli/run.ts';

const ROOT = new URL('..', import.meta.url).pathname;


const run = runCli;

function options(argv: string[]): CheckArgs {
  const parsed = parseArgs(argv);
  if (parsed.kind !== 'run') throw new Error(`expected options, got ${JSON.stringify(parsed)}`);
  return parsed.options;
}


// ------------------------------------------------------------ user models

let dir = '';
const models: Record<string, string> = {};

const TOGGLE = `
type S = { readonly on: boolean };
export default {
  name: 'toggle',
  init: [{ on: false }],
  actions: [{ name: 'flip', guard: (_s: S) => true, effect: (s: S): S => ({ on: !s.on }) }],
  properties: [
    { kind: 'always', name: 'is-boolean', description: 'on is a boolean', condition: (s: S) => typeof s.on === 'boolean' },
    { kind: 'sometimes', name: 'turned-on', description: 'the toggle is on', condition: (s: S) => s.on },
  ],
};
`;

// named export, a tick action (for the time column), a view and an invariant that fails at n = 3
const COUNTER = `
type S = { readonly n: number; readonly m: number };
export const model = {
  name: 'counter',
  init: [{ n: 0, m: 0 }],
  actions: [
    { name: 'tick', guard: (s: S) => s.n < 5, effect: (s: S): S => ({ ...s, n: s.n + 1 }) },
    { name: 'bump', guard: (s: S) => s.m < 1, effect: (s: S): S => ({ ...s, m: s.m + 1 }) },
  ],
  properties: [
    { kind: 'always', name: 'n-below-3', description: 'n stays below 3', condition: (s: S) => s.n < 3 },
  ],
  view: (s: S) => ({ counter: { n: s.n }, m: s.m }),
  deadlockIsError: false,
};
`;

const VACUOUS = `
export default {
  name: 'stuck',
  init: [0],
  actions: [
    { name: 'step', guard: (s: number) => s < 2, effect: (s: number) => s + 1 },
    { name: 'never', guard: () => false, effect: (s: number) => s },
  ],
  properties: [{ kind: 'sometimes', name: 'reaches-9', description: 'reaches 9', condition: (s: number) => s === 9 }],
  deadlockIsError: false,
};
`;

const THROWS = `
export default {
  name: 'throws',
  init: [0],
  actions: [{ name: 'boom', guard: () => { throw new Error('guard exploded'); }, effect: (s: number) => s }],
  properties: [],
};
`;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'presence-cli-'));
  const files: Record<string, string> = {
    toggle: TOGGLE,
    counter: COUNTER,
    vacuous: VACUOUS,
    throws: THROWS,
    // a model built with the checker's helpers, imported by absolute path (a .ts file outside any package)
    helpers: `import { action, always, sometimes, type Model } from ${JSON.stringify(join(ROOT, 'checker/index.ts'))};\n`
      + 'type S = { readonly on: boolean };\n'
      + "export const model: Model<S> = { name: 'toggle-helpers', init: [{ on: false }],\n"
      + "  actions: [action<S>({ name: 'flip', guard: () => true, effect: (s) => ({ on: !s.on }) })],\n"
      + "  properties: [always<S>('bool', 'a boolean', (s) => typeof s.on === 'boolean'), sometimes<S>('on', 'on', (s) => s.on)] };\n",
    notModel: 'export default { name: "half", init: [] };\nexport const other = 1;\n',
    noExport: 'export const nothing = 1;\n',
    broken: 'export default {{{ this is not typescript\n',
  };
  for (const [name, text] of Object.entries(files)) {
    models[name] = join(dir, `${name}.ts`);
    writeFileSync(models[name], text);
  }
});

afterAll(() => {
  if (dir !== '') rmSync(dir, { recursive: true, force: true });
});

// ---------------------------------------------------------------- parsing

describe('parseArgs', () => {
  test('defaults: every design, default bounds, symmetry on, no limits', () => {
    const o = options(['check']);
    expect(o.designs).toEqual(DESIGN_NAMES);
    expect(o.bounds).toEqual(DEFAULT_BOUNDS);
    expect(o.boundsGiven).toEqual({});
    expect(o).toMatchObject({ symmetry: true, exact: false, json: false, debug: false, workers: availableParallelism() });
    expect(o.maxStates).toBeUndefined();
    expect(o.maxTimeMs).toBeUndefined();
    expect(o.maxDepth).toBeUndefined();
    expect(o.modelPath).toBeUndefined();
  });

  test('every flag', () => {
    const o = options(['check', '--design', 'current,fixed', '--users', '3', '--lag', '2', '--poll-delay', '0',
      '--left-poll-delay', '4', '--no-symmetry', '--exact', '--max-states', '100', '--max-time', '1.5',
      '--max-depth', '4', '--workers', '3', '--json', '--debug']);
    expect(o.designs).toEqual(['current', 'fixed']);
    expect(o.bounds).toEqual({ ...DEFAULT_BOUNDS, users: 3, lag: 2, pollDelay: 0, leftPollDelay: 4 });
    expect(o.boundsGiven).toEqual({ users: 3, lag: 2, pollDelay: 0, leftPollDelay: 4 });
    expect(o).toMatchObject({
      symmetry: false, exact: true, maxStates: 100, maxTimeMs: 1500, maxDepth: 4, workers: 3, json: true, debug: true,
    });
  });

  test('every bound of BOUND_SPECS has its flag, at both ends of its range', () => {
    for (const b of BOUND_SPECS) {
      expect(options(['check', `--${b.flag}`, String(b.min)]).bounds[b.name]).toBe(b.min);
      expect(options(['check', `--${b.flag}`, String(b.max)]).bounds[b.name]).toBe(b.max);
    }
  });

  test('--design all, duplicates, and --model', () => {
    expect(options(['check', '--design', 'all']).designs).toEqual(DESIGN_NAMES);
    expect(options(['check', '--design', 'current,all']).designs).toEqual(DESIGN_NAMES);
    expect(options(['check', '--design', 'fixed,current,fixed']).designs).toEqual(['fixed', 'current']);
    const m = options(['check', '--model', 'x.ts', '--max-states', '5']);
    expect(m.modelPath).toBe('x.ts');
    expect(m.designs).toEqual([]);
  });

  test('--help tells the flags, the designs and the exit codes', () => {
    for (const argv of [['--help'], ['check', '--help'], ['-h']]) {
      const parsed = parseArgs(argv);
      expect(parsed.kind).toBe('help');
    }
    const text = helpText();
    for (const flag of ['design', 'model', 'no-symmetry', 'exact', 'max-states', 'max-time', 'max-depth', 'json', 'debug', 'help']) {
      expect(text).toContain(`--${flag}`);
    }
    for (const b of BOUND_SPECS) expect(text).toContain(`--${b.flag} N`);
    for (const d of DESIGNS) {
      expect(text).toContain(d.name);
      expect(text.replace(/\s+/g, ' ')).toContain(d.summary);
    }
    for (const code of ['0', '1', '2', '3', '130']) expect(text).toMatch(new RegExp(`\\n  ${code} +\\S`));
  });
});

describe('bad input: one line on stderr, exit 2', () => {
  test.each([
    [['check', '--frobnicate'], [/unknown option --frobnicate/, /--design/]],
    [['check', '--users', '2', '--colour=red', '-x'], [/--colour/, /-x/]],
    [['check', '--design', 'nope'], [/unknown design 'nope'/, /current/, /fixed/, /all/]],
    [['check', '--design', 'current,nope,worse'], [/'nope', 'worse'/]],
    [['check', '--design', ','], [/--design/]],
    [['check', '--users', 'two'], [/--users must be an integer from 1 to 6/, /'two'/]],
    [['check', '--users', '0'], [/--users must be an integer from 1 to 6 \(got 0\)/]],
    [['check', '--users', '7'], [/--users must be an integer from 1 to 6 \(got 7\)/]],
    [['check', '--lag', '1.5'], [/--lag must be an integer from 0 to 7/]],
    [['check', '--lag', '-1'], [/--lag must be an integer from 0 to 7/]],
    [['check', '--poll-delay', '99'], [/--poll-delay must be an integer from 0 to 15/]],
    [['check', '--users'], [/--users needs a value/]],
    [['check', '--max-states', '0'], [/--max-states must be an integer of at least 1/]],
    [['check', '--max-states', '-5'], [/--max-states/]],
    [['check', '--max-time', '0'], [/--max-time must be a positive number of seconds/]],
    [['check', '--max-time', 'soon'], [/--max-time/]],
    [['check', '--max-depth', 'deep'], [/--max-depth/]],
    [['check', '--workers', '0'], [/--workers must be an integer from 1 to 256 \(got 0\)/]],
    [['check', '--workers', 'all'], [/--workers must be an integer from 1 to 256/, /'all'/]],
    [[], [/missing command/]],
    [['chek'], [/unknown command 'chek'/, /check/]],
    [['check', 'current'], [/unexpected argument 'current'/]],
    [['check', '--model', 'x.ts', '--users', '3', '--design', 'current'], [/--design, --users do not apply to --model/]],
    [['check', '--model', 'x.ts', '--no-symmetry'], [/--no-symmetry does not apply to --model/]],
  ])('%j', async (argv, mentions) => {
    expectBadInput(await run(argv), ...mentions);
  });

  test('--model: missing file, not a module, not a model, no export', async () => {
    expectBadInput(await run(['check', '--model', join(dir, 'missing.ts')]), /missing\.ts: no such file/);
    expectBadInput(await run(['check', '--model', dir]), /not a file/);
    expectBadInput(await run(['check', '--model', models.broken]), /broken\.ts: cannot import it/);
    expectBadInput(await run(['check', '--model', models.notModel]), /its default export is not a Model/);
    expectBadInput(await run(['check', '--model', models.noExport]), /exports no model/, /export default/);
  });
});

// ------------------------------------------------------------- exit codes

describe('exit codes and verdicts', () => {
  test('worstExitCode: violated/vacuous > incomplete > holds', () => {
    expect(worstExitCode([])).toBe(0);
    expect(worstExitCode(['holds', 'holds'])).toBe(0);
    expect(worstExitCode(['holds', 'incomplete'])).toBe(3);
    expect(worstExitCode(['incomplete', 'violated', 'holds'])).toBe(1);
    expect(worstExitCode(['vacuous', 'incomplete'])).toBe(1);
  });

  test('holds: a user model (default export), exit 0, with state counts', async () => {
    const r = await run(['check', '--model', models.toggle]);
    expect(r.err).toBe('');
    expect(r.code).toBe(EXIT.holds);
    expect(r.out).toMatch(/^check model toggle from .*toggle\.ts/);
    expect(r.out).toMatch(/\nholds: all 3 properties hold; 2 distinct states, 2 transitions, depth 1, in [\d.]+ s \([\d,-]+ states\/s\)\n/);
    expect(r.out).toMatch(/sometimes\s+turned-on\s+reached at depth 1/);
    expect(r.out).toMatch(/coverage: flip 2/);
  });

  test('violated: a presence design, exit 1, shortest trace naming the property', async () => {
    const r = await run(['check', '--design', 'current', '--users', '2', '--lag', '0']);
    expect(r.code).toBe(EXIT.failed);
    const lines = r.out.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^check current: users=2 tabs=2 lag=0 handshake=\d+ /);
    const verdict = /^VIOLATED: (\S+) \((.+)\) after (\d+) steps/.exec(lines[1]);
    expect(verdict).not.toBeNull();
    const [, property, , steps] = verdict!;
    expect(r.out).toContain('shortest trace');
    // numbered steps 0..N, each with the time column
    for (let k = 0; k <= Number(steps); k++) expect(r.out).toMatch(new RegExp(`\\n +${k}  t=\\d+ +\\S`));
    expect(r.out).toMatch(/\n +0  t=0 +initial state: \{/);
    expect(lines.at(-2)).toBe(`property ${property} is violated after step ${steps}: ${verdict![2]}`);
    // ... and who breaks it, read off the last state
    expect(lines.at(-1)).toMatch(/^ {2}u\d \(tab u\d#\d\) is still in the Daily call of M\d, which has been deactivated, while M\d is the room's active meeting/);
    expect(r.out).toMatch(/\ncoverage: /);
    expect(r.out).toMatch(new RegExp(`always +${property} +VIOLATED at depth ${steps}`));
  });

  test('vacuous: an unreached witness and an unfired action, exit 1', async () => {
    const r = await run(['check', '--model', models.vacuous]);
    expect(r.code).toBe(EXIT.failed);
    expect(r.out).toMatch(/\nVACUOUS: witness never reached: reaches-9; action never fired: never/);
    expect(r.out).toMatch(/sometimes +reaches-9 +NEVER REACHED/);
  });

  test('incomplete: --max-states 100, exit 3', async () => {
    const r = await run(['check', '--design', 'fixed', '--max-states', '100']);
    expect(r.code).toBe(EXIT.incomplete);
    expect(r.out).toMatch(/\nINCOMPLETE: max-states limit hit \(--max-states 100\); holds up to depth \d+; 1\d\d distinct states/);
    expect(r.out).toMatch(/always +\S+ +holds up to depth \d+ \(search cut short\)/);
  });

  test('several designs: a table, exit code of the worst verdict', async () => {
    const r = await run(['check', '--design', 'fixed,current', '--users', '2', '--lag', '0', '--max-states', '30000']);
    expect(r.code).toBe(EXIT.failed);
    const lines = r.out.trimEnd().split('\n');
    expect(lines.length).toBeLessThan(60);
    expect(r.out).toMatch(/\ndesign +verdict +property +trace +states +transitions +time\n/);
    expect(r.out).toMatch(/\nfixed +incomplete +\(max-states, depth \d+\) +- +30,000 /);
    expect(r.out).toMatch(/\ncurrent +VIOLATED +\S+ +\d+ +[\d,]+ +[\d,]+ +[\d.]+ s\n/);
    expect(r.out).toContain('npx tsx cli.ts check --design current --users 2 --lag 0');
    expect(r.out).not.toContain('initial state');

    const incomplete = await run(['check', '--design', 'fixed,shipped', '--max-states', '50']);
    expect(incomplete.code).toBe(EXIT.incomplete);
  });

  test('an error inside the model: one line and exit 4; --debug adds the stack', async () => {
    const r = await run(['check', '--model', models.throws]);
    expect(r.code).toBe(EXIT.internal);
    expect(r.err.trimEnd().split('\n')).toEqual([
      'presence-check: internal error: the guard of boom() threw: guard exploded (run with --debug for the stack trace)',
    ]);
    const debug = await run(['check', '--model', models.throws, '--debug']);
    expect(debug.code).toBe(EXIT.internal);
    expect(debug.err).toMatch(/guard exploded\n\s+at /);
  });
});

// ------------------------------------------------------------------- json

describe('--json', () => {
  test('one JSON line per run, with the trace as views and descriptions', async () => {
    const r = await run(['check', '--design', 'current', '--users', '2', '--lag', '0', '--json'], { tty: true });
    expect(r.code).toBe(EXIT.failed);
    expect(r.err).toBe(''); // no progress under --json, even on a terminal
    const lines = r.out.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    const record = JSON.parse(lines[0]) as RunReport;
    for (const key of ['design', 'bounds', 'symmetry', 'verdict', 'property', 'states', 'transitions', 'depth', 'elapsedMs',
      'coverage', 'properties', 'limit', 'vacuity', 'trace']) {
      expect(record).toHaveProperty(key);
    }
    expect(record).toMatchObject({
      design: 'current', symmetry: true, verdict: 'violated', limit: null,
      bounds: { ...DEFAULT_BOUNDS, users: 2, lag: 0 },
    });
    expect(record.trace.length - 1).toBe(record.depth);
    record.trace.forEach((step, index) => {
      expect(Object.keys(step).sort()).toEqual(['action', 'description', 'index', 'params', 'state']);
      expect(step.index).toBe(index);
      expect(step.action === null).toBe(index === 0);
      expect(typeof step.description).toBe('string');
      expect(step.description.length).toBeGreaterThan(0);
      expect(step.state).toHaveProperty('tabs');
      expect(step.state).toHaveProperty('meetings');
    });
    expect(record.properties.find((p) => p.name === record.property)?.status).toBe('violated');
  });

  test('several runs: JSON Lines; a model without a view gives its plain state', async () => {
    const r = await run(['check', '--design', 'shipped,fixed', '--max-states', '50', '--json']);
    expect(r.code).toBe(EXIT.incomplete);
    const records = r.out.trimEnd().split('\n').map((l) => JSON.parse(l) as RunReport);
    expect(records.map((x) => [x.design, x.verdict, x.limit])).toEqual([
      ['shipped', 'incomplete', 'max-states'], ['fixed', 'incomplete', 'max-states'],
    ]);

    const c = await run(['check', '--model', models.counter, '--json']);
    const counter = JSON.parse(c.out) as RunReport;
    expect(counter).toMatchObject({ design: null, bounds: null, symmetry: null, model: 'counter', verdict: 'violated', property: 'n-below-3' });
    expect(counter.trace.map((s) => s.description)).toEqual(['initial state', 'tick()', 'tick()', 'tick()']);
    expect(counter.trace[3].state).toEqual({ counter: { n: 3 }, m: 0 });

    const t = await run(['check', '--model', models.toggle, '--json']);
    expect(JSON.parse(t.out)).toMatchObject({ verdict: 'holds', trace: [], coverage: { flip: 2 } });
  });
});

// ------------------------------------------------------------ text pieces

describe('diff and trace text', () => {
  test('diffViews: changes, additions, removals, nested paths', () => {
    const before = { tabs: { 'u1#1': { phase: 'handshaking', left: 2 } }, meetings: { M1: { active: true, polls: ['due'] } } };
    const after = {
      tabs: { 'u1#1': { phase: 'connected' }, 'u2#1': { phase: 'idle' } },
      meetings: { M1: { active: false, polls: ['due', 'in 3'] }, M2: { active: true } },
    };
    expect(diffViews(before, after).map(formatDiffEntry)).toEqual([
      'tabs.u1#1.phase: handshaking → connected',
      '- tabs.u1#1.left',
      '+ tabs.u2#1: {phase: idle}',
      'meetings.M1.active: true → false',
      'meetings.M1.polls: [due] → [due, "in 3"]',
      '+ meetings.M2: {active: true}',
    ]);
    expect(diffViews(after, before).map(formatDiffEntry)).toContain('- tabs.u2#1');
    expect(diffViews(before, structuredClone(before))).toEqual([]);
  });

  test('diffViews: arrays of objects by index, odd keys, scalars and type changes', () => {
    expect(diffViews({ xs: [{ a: 1 }, { a: 2 }] }, { xs: [{ a: 1 }, { a: 3 }, { a: 4 }] }).map(formatDiffEntry))
      .toEqual(['xs[1].a: 2 → 3', '+ xs[2]: {a: 4}']);
    expect(diffViews({ 'a b': 1 }, { 'a b': 2 }).map(formatDiffEntry)).toEqual(['["a b"]: 1 → 2']);
    expect(diffViews(1, 2).map(formatDiffEntry)).toEqual(['(state): 1 → 2']);
    expect(diffViews({ a: { b: 1 } }, { a: null }).map(formatDiffEntry)).toEqual(['a: {b: 1} → null']);
  });

  test('compact: unquoted words, quoted when ambiguous', () => {
    expect(compact({ phase: 'idle', n: 2, ok: true, s: 'true', t: 'in 3', e: {}, l: [] })).toBe(
      '{phase: idle, n: 2, ok: true, s: "true", t: "in 3", e: {}, l: []}',
    );
  });

  test('formatTrace: numbered steps, the tick clock, only what changed', () => {
    const trace: TraceStepReport[] = [
      { index: 0, action: null, params: {}, description: 'initial state', state: { n: 0, m: 0 } },
      { index: 1, action: 'bump', params: { by: 1 }, description: '', state: { n: 0, m: 1 } },
      { index: 2, action: 'tick', params: {}, description: 'one tick passes', state: { n: 1, m: 1 } },
      { index: 3, action: 'noop', params: {}, description: 'nothing', state: { n: 1, m: 1 } },
    ];
    expect(formatTrace(trace)).toEqual([
      '  0  t=0  initial state: {n: 0, m: 0}',
      '  1  t=0  bump(by=1)',
      '            m: 0 → 1',
      '  2  t=1  one tick passes',
      '            n: 0 → 1',
      '  3  t=1  nothing',
      '            (no visible change)',
    ]);
    expect(formatTrace(trace.slice(0, 2))[1]).toBe('  1  bump(by=1)'); // no tick action: no clock
  });

  test('a user model trace: fallback descriptions and a time column', async () => {
    const r = await run(['check', '--model', models.counter]);
    expect(r.code).toBe(EXIT.failed);
    expect(r.out).toContain([
      'shortest trace (3 steps; t = ticks elapsed):',
      '  0  t=0  initial state: {counter: {n: 0}, m: 0}',
      '  1  t=1  tick()',
      '            counter.n: 0 → 1',
      '  2  t=2  tick()',
      '            counter.n: 1 → 2',
      '  3  t=3  tick()',
      '            counter.n: 2 → 3',
      'property n-below-3 is violated after step 3: n stays below 3',
    ].join('\n'));
  });
});

// -------------------------------------------------- progress and interrupt

describe('progress and interrupts', () => {
  test('progress on a terminal only, a bar over the BFS level, then cleared; an interrupt ends the run as incomplete, exit 130', async () => {
    let interrupt: (() => void) | null = null;
    const deps: MainDeps = {
      onInterrupt: (handler) => {
        interrupt = handler;
        return () => (interrupt = null);
      },
    };
    // "press Ctrl-C" when the first progress line shows (the in-process runner reads the flag between states)
    const r = await run(['check', '--design', 'fixed,current'], {
      tty: true, deps, onErr: (s) => { if (s.includes('states/s')) interrupt?.(); },
    });
    expect(r.code).toBe(EXIT.interrupted);
    expect(r.err).toMatch(/fixed level \d+ \[[█░]{20}\] \d+% \| [\d,]+ states, frontier [\d,]+, [\d,]+ states\/s, [\d.]+ s, [\d.]+ GiB/);
    expect(r.err.endsWith('\x1b[2K')).toBe(true); // the line is erased before the report
    expect(r.out).toMatch(/\nfixed +incomplete +\(interrupted, depth \d+\)/);
    expect(r.out).toContain('interrupted: not checked: current');
    expect(interrupt).toBeNull(); // unsubscribed

    const quiet = await run(['check', '--model', models.toggle]);
    expect(quiet.err).toBe(''); // not a terminal: no progress
  });
});

// ------------------------------------------------------------ subprocesses

describe('the real command', () => {
  const npx = (args: string[]) => spawnSync('npx', ['tsx', 'cli.ts', ...args], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });

  test('exit 1 with a trace; exit 0 for a user model; exit 2 with one line and no stack trace', () => {
    const violated = npx(['check', '--design', 'current', '--users', '2', '--lag', '0']);
    expect(violated.status).toBe(1);
    expect(violated.stdout).toMatch(/\nVIOLATED: /);
    expect(violated.stdout).toMatch(/\nproperty \S+ is violated after step \d+/);

    const bad = npx(['check', '--users', '99']);
    expect(bad.status).toBe(2);
    expect(bad.stdout).toBe('');
    expect(bad.stderr).toBe('presence-check: --users must be an integer from 1 to 6 (got 99)\n');

    const missing = npx(['check', '--model', 'no/such/model.ts']);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toBe('presence-check: --model no/such/model.ts: no such file\n');

    const user = npx(['check', '--model', models.helpers]);
    expect(user.stderr).toBe('');
    expect(user.status).toBe(0);
    expect(user.stdout).toMatch(/\nholds: all 3 properties hold; 2 distinct states/);

    const unknown = npx(['check', '--frobnicate']);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr.split('\n').filter(Boolean)).toHaveLength(1);
    expect(unknown.stderr).not.toMatch(/Options:|\n\s+at /);
  });

  test('--workers: the same report from 1 and 2 worker threads, the second run on both', () => {
    const report = (workers: string) => {
      const r = npx(['check', '--design', 'pending-joins', '--json', '--workers', workers]);
      expect(r.status).toBe(1);
      return JSON.parse(r.stdout) as Record<string, unknown>;
    };
    const { elapsedMs: _a, workers: one, ...alone } = report('1');
    const { elapsedMs: _b, workers: two, ...shared } = report('2');
    expect([one, two]).toEqual([1, 2]); // its levels outgrow the in-thread start (10,000 states)
    expect(shared).toEqual(alone);
  });

  test('Ctrl-C stops the running check: partial summary, exit 130', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'cli.ts', 'check', '--design', 'fixed'], { cwd: ROOT });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    await new Promise((resolve) => setTimeout(resolve, 6000));
    child.kill('SIGINT');
    const code = await exited;
    expect(err).toBe('');
    expect(code).toBe(130);
    expect(out).toMatch(/\nINCOMPLETE: interrupted \(Ctrl-C\); holds up to depth \d+; [\d,]+ distinct states/);
  });
});

// ------------------------------------------------------------- --trace-out

describe('--trace-out', () => {
  test('writes the run in the format the file name implies, the same bytes every time, and nothing else beside it', async () => {
    const out = join(dir, 'current.md');
    const first = await run(['check', '--design', 'current', '--users', '2', '--lag', '0', '--trace-out', out]);
    expect(first.code).toBe(EXIT.failed);
    const text = readFileSync(out, 'utf8');
    expect(text).toContain('no-orphaned-call');
    expect(text).toContain('```mermaid');
    expect(text).toMatch(/\| 12 \| 0 \| u1 opens a new tab/);
    await run(['check', '--design', 'current', '--users', '2', '--lag', '0', '--trace-out', out]);
    expect(readFileSync(out, 'utf8')).toBe(text);
    expect(readdirSync(dir).filter((f) => f.includes('.tmp'))).toEqual([]);
  });

  test.each([
    ['itf', (t: string) => JSON.parse(t)['#meta'].format === 'ITF'],
    ['json', (t: string) => JSON.parse(t).verdict === 'violated'],
    ['mermaid', (t: string) => t.startsWith('sequenceDiagram')],
    ['text', (t: string) => t.includes('VIOLATED: no-orphaned-call')],
  ] as const)('--format %s', async (format, looksRight) => {
    const out = join(dir, `trace-${format}.out`);
    const r = await run(['check', '--design', 'shipped', '--lag', '0', '--trace-out', out, '--format', format]);
    expect(r.code).toBe(EXIT.failed);
    expect(looksRight(readFileSync(out, 'utf8'))).toBe(true);
  });

  test.each([
    [['check', '--trace-out', 'x.md'], [/--trace-out writes one run/]],
    [['check', '--design', 'current', '--trace-out', 'x.out'], [/give --format/, /markdown/]],
    [['check', '--design', 'current', '--trace-out', 'x.md', '--format', 'pdf'], [/unknown --format 'pdf'/, /itf/]],
    [['check', '--design', 'current', '--format', 'itf'], [/--format applies to --trace-out only/]],
  ])('bad input %j', async (argv, mentions) => {
    expectBadInput(await run(argv), ...mentions);
  });
});
