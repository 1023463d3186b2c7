// `replay FILE`: the design doc's timeline as a scenario (the split on
// `current`; on `fixed`, the step the fix blocks), the file format (YAML and
// JSON, the shorthands, `initial:`), bad input (exit 2, one line naming the
// line and the step), steps that are not enabled (exit 1, with the reason in
// the model's terms), a deadlock after the last step, --json, the traces
// `check --trace-out` writes (JSON and ITF, replayed as they are to the
// verdict the check found), and one real subprocess. Every replay here is a
// handful of steps; the only searches are the small checks that write the
// traces replayed at the end (every design at 2 users, lag 0).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { DEFAULT_BOUNDS, DESIGN_NAMES } from '../model/index.ts';
import { commandHelp, parseArgs } from '../cli/args/index.ts';
import { REPLAY_FLAGS } from '../cli/args/replay.ts';
import { EXIT } from '../cli/exit.ts';
import { expectBadInput, runCli } from './bad-input.ts';
import type { ReplayReport, RunReport } from '../report/types.ts';
import { parseScenario } from '../cli/scenario.ts';

const ROOT = new URL('..', import.meta.url).pathname;
const CURRENT = 'specs/scenarios/doc-timeline.yaml';
const FIXED = 'specs/scenarios/doc-timeline-fixed.yaml';

const run = (argv: string[]) => runCli(argv);

async function replayJson(argv: string[]): Promise<{ code: number; report: ReplayReport }> {
  const r = await run(['replay', ...argv, '--json']);
  expect(r.err).toBe('');
  const lines = r.out.trimEnd().split('\n');
  expect(lines).toHaveLength(1);
  return { code: r.code, report: JSON.parse(lines[0]) as ReplayReport };
}

let dir = '';
/** Writes a scenario to a temp file; returns its path. */
function scenario(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}
const yamlSteps = (design: string, steps: string[]) => `design: ${design}\nsteps:\n${steps.map((s) => `  - ${s}\n`).join('')}`;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'presence-replay-'));
});
afterAll(() => {
  if (dir !== '') rmSync(dir, { recursive: true, force: true });
});

// ------------------------------------------------------ the doc's timeline

// the "Race Scenario Timeline" of PRESENCE_RACE_DESIGN_DOC.md, in order
const DOC_TIMES = [
  'T+0ms',
  'T+1000ms',
  'T+1050ms',
  'T+1500ms',
  'T+1600ms',
  'T+1700ms',
  'T+2000ms',
  'T+2100ms',
  'T+3000ms',
  'T+3100ms',
  'T+3200ms',
  'T+3300ms',
  'T+4000ms',
  'T+5000ms',
];

describe('the design doc timeline', () => {
  test.each([CURRENT, FIXED])("%s comments every line of the doc's timeline, in order", (file) => {
    const text = readFileSync(join(ROOT, file), 'utf8');
    const at = DOC_TIMES.map((t) => text.indexOf(`# ${t}:`));
    expect(at.every((i) => i >= 0)).toBe(true);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
  });

  test('on current it reproduces the split: no-orphaned-call is violated after the last step (exit 1)', async () => {
    const { code, report } = await replayJson([join(ROOT, CURRENT)]);
    expect(code).toBe(EXIT.failed);
    expect(report).toMatchObject({
      design: 'current',
      designFrom: 'file',
      faults: [],
      // a scenario's job: its design and bounds, no faults, nothing reduced, no liveness without a loop
      job: { kind: 'presence', design: { name: 'current' }, options: { faults: [], symmetry: false, liveness: false, settles: true } },
      verdict: 'violated',
      notEnabled: null,
      bounds: { ...DEFAULT_BOUNDS, users: 2, lag: 1 },
    });
    expect(report.replayed).toBe(report.steps);
    expect(report.violation).toMatchObject({ property: 'no-orphaned-call', step: report.steps });
    // no invariant fails before the last step
    for (const p of report.properties.filter((x) => x.kind === 'always' && x.name !== 'no-orphaned-call')) expect(p.status).toBe('holds');
    const said = report.trace.map((s) => s.description);
    expect(said).toContain('poll(M1) reads presence: nobody');
    expect(said).toContain('poll(M1) reconciles sessions: closes u1#1');
    expect(said).toContain('process_meetings(M1) reads DB sessions: nobody there, had sessions: go on');
    expect(said).toContain('process_meetings(M1) deactivates M1 (is_active = false; its Daily room lives on)');
    expect(said.at(-2)).toMatch(/^u1#2 WebRTC handshake completes: in M1's Daily call \(M1 is no longer active\)/);
    expect(said.at(-1)).toBe('u2 opens a new tab u2#1: POST /rooms/R/meeting → M2 (created, new Daily room)');
    expect(report.properties.find((p) => p.name === 'quick-rejoin')?.status).toBe('reached');

    const text = await run(['replay', join(ROOT, CURRENT)]);
    expect(text.code).toBe(EXIT.failed);
    const lines = text.out.trimEnd().split('\n');
    expect(lines[0]).toMatch(
      /^replay .*doc-timeline\.yaml: design current \(from the file\), users=2 tabs=2 lag=1 handshake=2 ttl=6 poll-delay=3 left-poll-delay=5 grace=3$/,
    );
    expect(lines[1]).toMatch(
      new RegExp(`^VIOLATED: no-orphaned-call \\(.+\\) after step ${report.steps} \\(line \\d+\\) of ${report.steps}$`),
    );
    expect(text.out).toContain(`\ntrace (${report.steps} steps; t = ticks elapsed):\n`);
    expect(lines.at(-1)).toBe(
      `property no-orphaned-call is violated after step ${report.steps}: ` +
        "nobody is in a deactivated meeting's Daily room while another meeting is active",
    );
  });

  test('on fixed-ttl the same story stops where the fix blocks it: process_meetings kept M1 (exit 1, not enabled)', async () => {
    // doc-timeline-fixed.yaml is the same story with the /joining that fixed-ttl
    // adds before each handshake. process_meetings on fixed-ttl reads pending
    // joins first (T+3000): the rejoining tab's key is there, so it keeps M1
    // and its run ends; the doc's next step, the presence read that would
    // see nobody (T+3100), is not enabled, and so neither the deactivation
    // nor the split can follow. Every invariant holds up to there. (The
    // doc's second poll, T+2100, is no step here: fixed-ttl reads no
    // sessions, so the model keeps no poll of a meeting that had them.)
    const { code, report } = await replayJson([join(ROOT, FIXED)]);
    expect(code).toBe(EXIT.failed);
    // derived from the file: 18 steps, the 15th the presence read at T+3100
    expect(report).toMatchObject({ design: 'fixed-ttl', verdict: 'not-enabled', violation: null, replayed: 14, steps: 18 });
    expect(report.notEnabled).toMatchObject({
      step: 15,
      action: 'pmReadsPresence',
      params: { meeting: 1, run: 1 },
      label: 'pmReadsPresence M1 run=1',
    });
    expect(report.notEnabled!.reason).toBe(
      'process_meetings is not running on M1 (its last run on M1 ended at step 14: ' +
        'process_meetings(M1) reads pending joins: some pending: keeps it): a run starts with pmReadsPendingJoins M1',
    );
    expect(report.trace[10].description).toBe('u1#2 POST /joining M1 → 200, pending_join:M1:u1 set (TTL 6)');
    // presence drops the closed tab of M1 (its slot is freed as it does: the description names the meeting it was in)
    expect(report.trace[12].description).toBe('Daily presence no longer shows u1#1 in M1');
    for (const p of report.properties) if (p.kind === 'always') expect(p.status).toBe('holds');
    expect(report.properties.find((p) => p.name === 'meeting-deactivated')?.status).toBe('unreached');

    const text = await run(['replay', join(ROOT, FIXED)]);
    expect(text.code).toBe(EXIT.failed);
    const lines = text.out.trimEnd().split('\n');
    expect(lines[1]).toMatch(
      /^NOT ENABLED: step 15 \(pmReadsPresence M1 run=1, line \d+\) of 18 cannot be taken; every invariant holds after each of steps 1-14$/,
    );
    expect(text.out).toContain('\ntrace (14 of 18 steps replayed; t = ticks elapsed):\n');
    expect(lines.at(-1)).toMatch(
      /^step 15 \(pmReadsPresence M1 run=1, line \d+\) is not enabled: process_meetings is not running on M1 \(its last run/,
    );
  });

  test('the current file does not replay on fixed: fixed has no pmReadsSessions step (exit 2, before any step runs)', async () => {
    expectBadInput(
      await run(['replay', join(ROOT, CURRENT), '--design', 'fixed']),
      /doc-timeline\.yaml:\d+: step 14 \(pmReadsSessions\): unknown action 'pmReadsSessions' for design fixed \(it is a step of current, shipped, not of fixed\); design fixed's actions: getOrCreateMeeting, getOrCreateAgain, postJoining, /,
    );
  });

  test('on fixed-ttl the story ends well: A connects into M1 and B joins M1 (a JSON scenario; exit 0)', async () => {
    const parsed = parseScenario(readFileSync(join(ROOT, FIXED), 'utf8'));
    if (!parsed.ok) throw new Error(parsed.message);
    const upToKeep = parsed.scenario.steps.slice(0, 14).map((s) => ({ action: s.action, ...s.params }));
    const json = {
      design: 'fixed-ttl',
      bounds: { users: 2, lag: 1 },
      steps: [
        ...upToKeep,
        { connect: { user: 'u1' } },
        { postJoined: { user: 1 } },
        { getOrCreateMeeting: { user: 'u2' } },
        { postJoining: { user: 2 } },
        'tick',
        { connect: { user: 2 } },
      ],
    };
    const file = scenario('fixed-happy.json', JSON.stringify(json, null, 2));
    const { code, report } = await replayJson([file]);
    expect(code).toBe(EXIT.holds);
    // derived from the scenario above: 14 steps of the file, then 6
    expect(report).toMatchObject({ verdict: 'holds', violation: null, notEnabled: null, replayed: 20, steps: 20 });
    expect(report.properties.find((p) => p.name === 'users-connected-together')).toMatchObject({ status: 'reached', step: 20 });
    expect(report.trace[17].description).toBe('u2 opens a new tab u2#1: POST /rooms/R/meeting → M1 (active)');
    expect(report.trace.at(-1)!.line).toBeGreaterThan(report.trace[1].line!); // JSON lines are tracked too
    const text = await run(['replay', file]);
    expect(text.code).toBe(EXIT.holds);
    expect(text.out.split('\n')[1]).toBe('holds: all 20 steps replayed; every invariant holds after each step');
  });
});

// ------------------------------------------------------------------ format

describe('the scenario format', () => {
  test('every step form and shorthand gives the same replay', async () => {
    const long = scenario(
      'long.yaml',
      yamlSteps('current', [
        'getOrCreateMeeting: { user: 1 }',
        'connect: { user: 1 }',
        'presenceCatchesUp: { user: 1, tab: 1 }',
        'pollReadsPresence: { meeting: 1 }',
        'tick',
      ]),
    );
    const short = scenario(
      'short.yaml',
      [
        '# comments are fine',
        'design: current',
        'bounds:',
        '  users: 2',
        '  poll-delay: 3',
        'steps:',
        '  - getOrCreateMeeting: { user: u1 }',
        '  - { action: connect, user: u1 }',
        '  - presenceCatchesUp: { tab: u1#1 }',
        '  - action: pollReadsPresence',
        '    meeting: M1',
        '  - tick:',
        '',
      ].join('\n'),
    );
    const a = await replayJson([long]);
    const b = await replayJson([short]);
    expect(a.code).toBe(EXIT.holds);
    expect(b.code).toBe(EXIT.holds);
    const strip = (r: ReplayReport) => r.trace.map(({ line: _line, ...rest }) => rest);
    expect(strip(b.report)).toEqual(strip(a.report));
    // derived from the file above: the steps start at line 7; the fourth takes two lines
    expect(b.report.trace.map((s) => s.line)).toEqual([null, 7, 8, 9, 10, 12]);
    expect(b.report.trace[3].params).toEqual({ user: 1, tab: 1 });
  });

  test('flags override the file: --design, and each bound', async () => {
    const file = scenario('bounds.yaml', 'design: fixed\nbounds: { lag: 2, pollDelay: 1 }\nsteps:\n  - getOrCreateMeeting: { user: u1 }\n');
    const fromFile = await replayJson([file]);
    expect(fromFile.report).toMatchObject({ design: 'fixed', designFrom: 'file', bounds: { ...DEFAULT_BOUNDS, lag: 2, pollDelay: 1 } });
    const flags = await replayJson([file, '--design', 'current', '--lag', '0', '--users', '3']);
    expect(flags.report).toMatchObject({
      design: 'current',
      designFrom: 'flag',
      bounds: { ...DEFAULT_BOUNDS, lag: 0, pollDelay: 1, users: 3 },
    });
    expect((await run(['replay', file, '--design', 'current'])).out).toMatch(
      /^replay .*bounds\.yaml: design current \(--design\), users=2 tabs=2 lag=2 handshake=2 ttl=6 poll-delay=1 /,
    );
  });

  test('a user model (--model): its own actions, and "its guard is false" when a step is not enabled', async () => {
    const solve = scenario(
      'jugs.yaml',
      yamlSteps('x', [
        'fill: { jug: big }',
        'pour: { from: big, to: small }',
        'empty: { jug: small }',
        'pour: { from: big, to: small }',
        'fill: { jug: big }',
        'pour: { from: big, to: small }',
      ]).replace('design: x\n', ''),
    );
    const solved = await replayJson([solve, '--model', join(ROOT, 'examples/die-hard.ts')]);
    expect(solved.code).toBe(EXIT.failed);
    expect(solved.report).toMatchObject({
      design: null,
      bounds: null,
      model: 'die-hard',
      verdict: 'violated',
      violation: { property: 'big-jug-not-4', step: 6 },
    });
    expect(solved.report.trace[6].state).toEqual({ small: 3, big: 4 });

    const twice = scenario('twice.yaml', 'steps:\n  - fill: { jug: big }\n  - fill: { jug: big }\n');
    const r = await run(['replay', twice, '--model', join(ROOT, 'examples/die-hard.ts')]);
    expect(r.code).toBe(EXIT.failed);
    expect(r.out.trimEnd().split('\n').at(-1)).toBe(
      'step 2 (fill {jug: big}, line 3) is not enabled: its guard is false in the state after step 1',
    );

    expectBadInput(
      await run(['replay', scenario('jd.yaml', 'design: current\nsteps: [fill]\n'), '--model', join(ROOT, 'examples/die-hard.ts')]),
      /jd\.yaml:1: design: does not apply to --model/,
    );
    expectBadInput(
      await run(['replay', scenario('jp.yaml', 'steps:\n  - fill: { jug: huge }\n'), '--model', join(ROOT, 'examples/die-hard.ts')]),
      /jp\.yaml:2: step 1 \(fill \{jug: huge\}\): action 'fill' takes no binding \{jug=huge\} \(valid: \{jug=small\} \{jug=big\}\) in the initial state/,
    );
  });
});

// --------------------------------------------------------------- bad input

describe('bad input: one line naming the line and the step, exit 2', () => {
  test('malformed YAML and JSON name the line', async () => {
    const yaml = scenario('bad.yaml', 'design: current\nsteps:\n  - getOrCreateMeeting: { user: u1 }\n  - connect: { user: 1\n  - tick\n');
    expectBadInput(await run(['replay', yaml]), /^presence-check: .*bad\.yaml:5: not valid YAML: Flow map .* end with a }$/);
    const json = scenario('bad.json', '{"design": "current",\n "steps": ["tick" "tick"]}');
    expectBadInput(await run(['replay', json]), /bad\.json:2: not valid JSON: /);
    expectBadInput(
      await run(['replay', scenario('dup.yaml', 'design: current\nsteps: [tick]\ndesign: fixed\n')]),
      /dup\.yaml:3: not valid YAML: Map keys must be unique/,
    );
  });

  test.each([
    ['empty.yaml', '', /empty\.yaml: the file is empty/],
    ['list.yaml', '- tick\n', /list\.yaml:1: a scenario is a mapping with a `steps:` list/],
    [
      'key.yaml',
      'design: current\nstep:\n  - tick\n',
      /key\.yaml:2: unknown key 'step' \(a scenario's keys: design, bounds, faults, initial, description, loop, steps\)/,
    ],
    ['nosteps.yaml', 'design: current\n', /nosteps\.yaml: no `steps:` list/],
    ['nolist.yaml', 'design: current\nsteps: tick\n', /nolist\.yaml:2: `steps:` must be a list/],
    ['zero.yaml', 'design: current\nsteps: []\n', /zero\.yaml:2: `steps:` is empty/],
    [
      'indent.yaml',
      'design: current\nsteps:\n  - connect:\n    user: 1\n',
      /indent\.yaml:3: step 1 has 2 keys \(connect, user\): write `- action`/,
    ],
    [
      'nested.yaml',
      'design: current\nsteps:\n  - connect: { user: [1] }\n',
      /nested\.yaml:3: step 1 \(connect\): parameter user must be a number, a word or true\/false/,
    ],
    [
      'scalar.yaml',
      'design: current\nsteps:\n  - connect: u1\n',
      /scalar\.yaml:3: step 1 \(connect\): the parameters must be a mapping, e.g. `- connect: \{ user: u1 \}`/,
    ],
    ['number.yaml', 'design: current\nsteps:\n  - tick\n  - 7\n', /number\.yaml:4: step 2: 7 is not a step/],
    [
      'bound.yaml',
      'design: current\nbounds: { users: 9 }\nsteps: [tick]\n',
      /bound\.yaml:2: bounds: users must be an integer from 1 to 6 \(got 9\)/,
    ],
    [
      'boundname.yaml',
      'design: current\nbounds:\n  lag: 1\n  delay: 2\nsteps: [tick]\n',
      /boundname\.yaml:4: unknown bound 'delay' \(bounds: users, tabs, lag, /,
    ],
    [
      'nodesign.yaml',
      'steps: [tick]\n',
      /nodesign\.yaml: no design: give --design or --design-file, or `design:` in the file \(designs: current, /,
    ],
    ['baddesign.yaml', 'design: nope\nsteps: [tick]\n', /baddesign\.yaml:1: unknown design 'nope' \(designs: current, /],
  ])('%s', async (name, text, mention) => {
    expectBadInput(await run(['replay', scenario(name, text)]), mention);
  });

  test("an unknown action names the step and lists the design's actions", async () => {
    const file = scenario('unknown.yaml', yamlSteps('current', ['getOrCreateMeeting: { user: u1 }', 'conect: { user: u1 }', 'tick']));
    expectBadInput(
      await run(['replay', file]),
      /unknown\.yaml:4: step 2 \(conect\): unknown action 'conect' for design current; design current's actions: getOrCreateMeeting, connect, postJoined, closeTab, presenceCatchesUp, .*, tick$/,
    );
    const other = scenario('other.yaml', yamlSteps('current', ['getOrCreateMeeting: { user: u1 }', 'postJoining: { user: u1 }']));
    expectBadInput(
      await run(['replay', other]),
      /step 2 \(postJoining\): unknown action 'postJoining' for design current \(it is a step of pending-joins, fixed-ttl, two-looks, two-looks-sql, fixed, refuse-latecomers, not of current\)/,
    );
    const lag0 = scenario('lag0.yaml', yamlSteps('current', ['presenceCatchesUp: { tab: u1#1 }']));
    expectBadInput(
      await run(['replay', lag0, '--lag', '0']),
      /step 1 \(presenceCatchesUp\): unknown action 'presenceCatchesUp' for design current \(at --lag 0 presence never lags/,
    );
  });

  test('bad parameters name the step and the valid bindings', async () => {
    // the bindings are listed as the model's domain holds them ({user: 1}), which a scenario may write too
    const cases: [string[], RegExp][] = [
      [
        ['getOrCreateMeeting: { user: u3 }'],
        /step 1 \(getOrCreateMeeting\): bad parameters \{user: u3\}: getOrCreateMeeting takes one of \{user: 1\}, \{user: 2\}$/,
      ],
      [['connect'], /step 1 \(connect\): bad parameters \(none given\): connect takes one of \{user: 1\}, \{user: 2\}$/],
      [['connect: { user: u1, tab: 1 }'], /bad parameters \{user: u1, tab: 1\}: connect takes one of/],
      [['tick: { user: 1 }'], /step 1 \(tick\): bad parameters \{user: 1\}: tick takes none$/],
      [
        ['presenceCatchesUp: { tab: u1#3 }'],
        /bad parameters \{tab: u1#3\}: presenceCatchesUp takes one of \{user: 1, tab: 1\}, \{user: 1, tab: 2\}, \{user: 2, tab: 1\}, \{user: 2, tab: 2\}$/,
      ],
      [['presenceCatchesUp: { user: 2, tab: u1#1 }'], /step 1 \(presenceCatchesUp\): tab u1#1 disagrees with user 2$/],
      [
        ['pollReadsPresence: { meeting: M6 }'],
        /bad parameters \{meeting: M6\}: pollReadsPresence takes one of \{meeting: 1\}, .*\{meeting: 5\}$/,
      ],
      [['pollReadsPresence: { meeting: u1 }'], /bad parameters \{meeting: u1\}/],
    ];
    for (const [steps, mention] of cases) {
      expectBadInput(await run(['replay', scenario('params.yaml', yamlSteps('current', ['tick', ...steps]))]), /params\.yaml:4: step 2 /);
      expectBadInput(await run(['replay', scenario('params.yaml', yamlSteps('current', steps))]), mention);
    }
  });

  test('arguments', async () => {
    const file = join(ROOT, CURRENT);
    const options = new RegExp(`\\(its options: ${REPLAY_FLAGS.map((f) => `--${f.flag}`).join(', ')}; see replay --help\\)$`);
    expectBadInput(await run(['replay']), /replay needs a scenario or trace file: usage: replay FILE \[options\] \(see replay --help\)$/);
    expectBadInput(await run(['replay', file, 'more']), /unexpected argument 'more' after replay FILE/);
    expectBadInput(await run(['replay', join(dir, 'missing.yaml')]), /missing\.yaml: no such file$/);
    expectBadInput(await run(['replay', dir]), /: not a file$/);
    // check's search flags are not replay's: it follows the steps on the unreduced model, with no search
    expectBadInput(await run(['replay', file, '--no-symmetry']), /unknown option --no-symmetry for replay /, options);
    expectBadInput(await run(['replay', file, '--exact', '--max-time', '3']), /unknown option --exact, --max-time for replay /, options);
    expectBadInput(await run(['replay', file, '--trace-out', 'x.md']), /unknown option --trace-out for replay /);
    expectBadInput(await run(['replay', file, '--design', 'current,fixed']), /replay takes one design \(got 'current,fixed'; designs: /);
    expectBadInput(await run(['replay', file, '--design', 'all']), /replay takes one design/);
    expectBadInput(
      await run(['replay', file, '--design', 'nope']),
      /unknown design 'nope' \(designs: .*; a design of your own: --design-file\)$/,
    );
    expectBadInput(
      await run(['replay', file, '--design', 'fixed', '--design-file', 'x.yaml']),
      /give --design or --design-file, not both$/,
    );
    expectBadInput(await run(['replay', file, '--users', '7']), /--users must be an integer from 1 to 6 \(got 7\)/);
    expectBadInput(
      await run(['replay', file, '--model', 'x.ts', '--lag', '2']),
      /--lag does not apply to --model \(it configures the presence designs\)$/,
    );
    expectBadInput(await run(['replay', file, '--frobnicate']), /unknown option --frobnicate for replay /, options);
    expect(parseArgs(['replay', file, '--users', '3', '--json'])).toEqual({
      kind: 'replay',
      options: { command: 'replay', file, boundsGiven: { users: 3 }, json: true, debug: false },
    });
    expect(parseArgs(['replay', file, '--design-file', 'd.yaml', '--model', 'm.ts'])).toMatchObject({ kind: 'error' });
    expect(parseArgs(['replay', '--help'])).toEqual({ kind: 'help', text: commandHelp('replay') });
    const help = commandHelp('replay');
    expect(help).toMatch(/^usage: presence-check replay FILE \[options\]\n/);
    expect(help).toMatch(/replay's verdicts: holds \(exit 0\), VIOLATED \(exit 1\),/);
  });
});

// ------------------------------------------------------------- not enabled

describe('a step that is not enabled: the trace so far and why, exit 1', () => {
  const reasonOf = async (design: string, steps: string[], extra: string[] = []) => {
    const r = await run(['replay', scenario('ne.yaml', yamlSteps(design, steps)), ...extra]);
    expect(r.err).toBe('');
    expect(r.code).toBe(EXIT.failed);
    const last = r.out.trimEnd().split('\n').at(-1)!;
    expect(last).toMatch(new RegExp(`^step ${steps.length} \\(.+, line ${steps.length + 2}\\) is not enabled: `));
    return last.replace(/^step \d+ \((.+), line \d+\) is not enabled: /, '$1: ');
  };
  const poll = ['pollReadsPresence: { meeting: M1 }', 'pollWritesSessions: { meeting: M1 }'];
  const joined = ['getOrCreateMeeting: { user: u1 }', 'connect: { user: u1 }', 'presenceCatchesUp: { tab: u1#1 }', ...poll];

  test('user actions: the tab phase the guard needs and the one the user has', async () => {
    expect(await reasonOf('current', ['connect: { user: u1 }'])).toBe(
      'connect u1: u1 has no tab handshaking (u1 has no open tab; getOrCreateMeeting opens one)',
    );
    expect(await reasonOf('fixed', ['getOrCreateMeeting: { user: u1 }', 'connect: { user: u1 }'])).toBe(
      'connect u1: u1 has no tab handshaking (its open tab u1#1 is got-meeting; its next step is postJoining)',
    );
    expect(await reasonOf('shipped', ['getOrCreateMeeting: { user: u1 }', 'connect: { user: u1 }'])).toBe(
      'connect u1: u1 has no tab handshaking (its open tab u1#1 is got-meeting; its next step is joiningChecksMeeting)',
    );
    expect(await reasonOf('current', ['getOrCreateMeeting: { user: u1 }', 'postJoined: { user: u1 }'])).toBe(
      "postJoined u1: u1 has no tab connected (its open tab u1#1 is handshaking; it is in its WebRTC handshake with M1's Daily room; its next step is connect)",
    );
    expect(await reasonOf('current', ['closeTab: { user: u2 }'])).toBe('closeTab u2: u2 has no open tab');
    expect(await reasonOf('current', ['getOrCreateMeeting: { user: u1 }', 'getOrCreateMeeting: { user: u1 }'])).toMatch(
      /^getOrCreateMeeting u1: u1 already has an open tab, u1#1 \(handshaking; .*\): a user opens a new tab after closing the old one/,
    );
  });

  test('a quick rejoin with one tab slot: the closed tab lingers (the doc timeline at --tabs 1)', async () => {
    const r = await run(['replay', join(ROOT, CURRENT), '--tabs', '1']);
    expect(r.code).toBe(EXIT.failed);
    expect(r.out.trimEnd().split('\n').at(-1)).toMatch(
      /^step 8 \(getOrCreateMeeting u1, line \d+\) is not enabled: u1 has no free tab slot \(--tabs 1\): closed tabs linger until Daily, the DB and Redis forget them: u1#1 \(Daily presence still shows it, its DB session is open\)$/,
    );
  });

  test('polls, process_meetings, meetings that do not exist', async () => {
    expect(await reasonOf('current', ['getOrCreateMeeting: { user: u1 }', 'pollReadsPresence: { meeting: M1 }'])).toBe(
      'pollReadsPresence M1: no poll of M1 is due (none queued)',
    );
    expect(await reasonOf('current', [...joined, 'closeTab: { user: u1 }', ...poll, 'pollReadsPresence: { meeting: M1 }'])).toBe(
      'pollReadsPresence M1: no poll of M1 is due (queued: in 3; a tick brings them closer)',
    );
    expect(
      await reasonOf('current', [
        'getOrCreateMeeting: { user: u1 }',
        'connect: { user: u1 }',
        'pollReadsPresence: { meeting: M1 }',
        'pollSkipsLocked: { meeting: M1 }',
      ]),
    ).toBe('pollSkipsLocked M1: no poll of M1 is due (none queued)');
    expect(await reasonOf('current', ['getOrCreateMeeting: { user: u1 }', 'pollWritesSessions: { meeting: M1 }'])).toBe(
      'pollWritesSessions M1: no poll of M1 has read presence (pollReadsPresence M1 comes first)',
    );
    expect(await reasonOf('current', ['pollReadsPresence: { meeting: M2 }'])).toBe(
      'pollReadsPresence M2: M2 does not exist yet (no meeting exists; getOrCreateMeeting creates the next one)',
    );
    expect(await reasonOf('current', ['getOrCreateMeeting: { user: u1 }', 'pmDeactivates: { meeting: M1 }'])).toBe(
      'pmDeactivates M1 run=1: process_meetings is not running on M1: a run starts with pmReadsSessions M1',
    );
    expect(await reasonOf('current', [...joined, 'pmReadsSessions: { meeting: M1 }', 'pmDeactivates: { meeting: M1 }'])).toBe(
      'pmDeactivates M1 run=1: process_meetings is not running on M1 (its last run on M1 ended at step 6: ' +
        'process_meetings(M1) reads DB sessions: someone is there: keeps it): a run starts with pmReadsSessions M1',
    );
    expect(
      await reasonOf('version-check', [
        'getOrCreateMeeting: { user: u1 }',
        'pmReadsVersion: { meeting: M1 }',
        'pmReadsVersion: { meeting: M1 }',
      ]),
    ).toBe(
      'pmReadsVersion M1 run=1: process_meetings is already running on M1 (step 1 of 3 done): its next step is pmReadsPresence or pmPresenceApiFails M1',
    );
    // deactivated, and no tab left in it: the model forgets M1
    expect(
      await reasonOf('current', [
        ...joined,
        'closeTab: { user: u1 }',
        'presenceCatchesUp: { tab: u1#1 }',
        ...poll,
        'pmReadsSessions: { meeting: M1 }',
        'pmDeactivates: { meeting: M1 }',
        'pollReadsPresence: { meeting: M1 }',
      ]),
    ).toBe('pollReadsPresence M1: M1 is gone: it was closed and no tab refers to it any more (a new meeting would reuse its id)');
  });

  test('/joining under the meeting lock, presence, keys, webhooks, time', async () => {
    // fixed-ttl (the first fix): u1's key expires (TTL 6), so process_meetings finds no pending join and goes on holding M1's lock
    const quiet = [
      ...['getOrCreateMeeting: { user: u1 }', 'postJoining: { user: u1 }'],
      ...joined.slice(1),
      'tick',
      'tick',
      'tick',
      'tick',
      'tick',
      'tick',
      'reservationExpires: { tab: u1#1 }',
      'pmReadsPendingJoins: { meeting: M1 }',
      'getOrCreateMeeting: { user: u2 }',
      'postJoining: { user: u2 }',
    ];
    expect(await reasonOf('fixed-ttl', quiet)).toBe(
      "postJoining u2: process_meetings holds M1's lock (step 1 of 3 done: its next step is pmReadsPresence or pmPresenceApiFails M1): " +
        '/joining checks is_active under that lock, so it waits until the run ends',
    );
    expect(await reasonOf('current', [...joined, 'presenceCatchesUp: { tab: u1#1 }'])).toBe(
      "presenceCatchesUp u1#1: Daily presence already agrees with u1#1: it is in M1's call and shown",
    );
    expect(await reasonOf('current', ['presenceCatchesUp: { tab: u2#2 }'])).toBe(
      'presenceCatchesUp u2#2: u2#2 is a free slot: no tab, so nothing for Daily presence to catch up with',
    );
    expect(
      await reasonOf('fixed-ttl', [
        'getOrCreateMeeting: { user: u1 }',
        'postJoining: { user: u1 }',
        'tick',
        'reservationExpires: { tab: u1#1 }',
      ]),
    ).toBe("reservationExpires u1#1: u1#1's reservation has 5 ticks of its TTL left (it expires at 0: tick first)");
    expect(await reasonOf('fixed-ttl', ['reservationExpires: { tab: u1#1 }'])).toBe('reservationExpires u1#1: u1#1 has no reservation');
    expect(await reasonOf('shipped', ['webhookDelivered: { tab: u1#1 }'])).toBe(
      'webhookDelivered u1#1: no participant.left webhook for u1#1 is in flight',
    );
    expect(await reasonOf('current', ['getOrCreateMeeting: { user: u1 }', 'tick', 'tick', 'tick'])).toBe(
      'tick: time cannot pass a deadline: u1#1: its handshake is at its longest (connect or closeTab first)',
    );
    expect(await reasonOf('current', ['getOrCreateMeeting: { user: u1 }', 'connect: { user: u1 }', 'tick', 'tick'])).toBe(
      'tick: time cannot pass a deadline: u1#1: Daily presence must catch up with it (presenceCatchesUp first)',
    );
  });

  test('an invariant violated before a step that is not enabled: both are reported', async () => {
    const text = `${readFileSync(join(ROOT, CURRENT), 'utf8')}  - pmDeactivates: { meeting: M2 }\n`;
    const file = scenario('then.yaml', text);
    const { code, report } = await replayJson([file]);
    expect(code).toBe(EXIT.failed);
    // derived from the file: doc-timeline.yaml's 17 steps, then the one added
    expect(report).toMatchObject({ verdict: 'violated', violation: { property: 'no-orphaned-call', step: 17 }, notEnabled: { step: 18 } });
    const out = (await run(['replay', file])).out.trimEnd().split('\n');
    expect(out[1]).toMatch(
      /^VIOLATED: no-orphaned-call .* after step 17 \(line \d+\) of 18; then step 18 is not enabled and the replay stops there$/,
    );
    expect(out.at(-2)).toMatch(/^property no-orphaned-call is violated after step 17: /);
    expect(out.at(-1)).toMatch(
      /^step 18 \(pmDeactivates M2 run=1, line \d+\) is not enabled: process_meetings is not running on M2: a run starts with pmReadsSessions M2$/,
    );
  });
});

// -------------------------------------------------------------------- json

describe('--json', () => {
  test('one object: the frame, the verdict, properties, and the trace with lines', async () => {
    const { report } = await replayJson([join(ROOT, CURRENT)]);
    // step 17: doc-timeline.yaml's last step (the file has 17)
    expect(Object.keys(report).sort()).toEqual(
      [
        'bounds',
        'boundsText',
        'clock',
        'command',
        'design',
        'designFrom',
        'expected',
        'faultBounds',
        'faults',
        'file',
        'initial',
        'job',
        'lasso',
        'model',
        'modelPath',
        'notEnabled',
        'notJudged',
        'properties',
        'replayed',
        'source',
        'steps',
        'trace',
        'verdict',
        'violation',
      ].sort(),
    );
    expect(report).toMatchObject({
      command: 'replay',
      source: 'scenario',
      model: 'presence/current',
      modelPath: null,
      initial: 0,
      expected: null,
      clock: 'tick',
    });
    expect(report.violation).toEqual({
      property: 'no-orphaned-call',
      description: "nobody is in a deactivated meeting's Daily room while another meeting is active",
      step: 17,
      line: report.trace[17].line,
    });
    report.trace.forEach((step, index) => {
      expect(Object.keys(step).sort()).toEqual(['action', 'description', 'index', 'line', 'params', 'state']);
      expect(step.index).toBe(index);
      expect(step.line === null).toBe(index === 0);
      expect(step.state).toHaveProperty('tabs');
    });
    for (const p of report.properties) {
      expect(['always', 'sometimes']).toContain(p.kind);
      expect(p.step === undefined).toBe(p.status === 'holds' || p.status === 'unreached');
    }
    const { report: fixed } = await replayJson([join(ROOT, FIXED)]);
    expect(Object.keys(fixed.notEnabled!).sort()).toEqual(['action', 'label', 'line', 'params', 'reason', 'step']);
  });
});

// ------------------------------------------------------------ subprocess

describe('the real command', () => {
  test('exit 1 with the trace; exit 2 with one line', () => {
    // node with tsx's loader on cli.ts: what `npx tsx cli.ts` runs, without its launcher processes
    const cli = (args: string[]) =>
      spawnSync(process.execPath, ['--import', 'tsx', 'cli.ts', ...args], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
    const split = cli(['replay', CURRENT]);
    expect(split.stderr).toBe('');
    expect(split.status).toBe(1);
    expect(split.stdout).toMatch(/\nproperty no-orphaned-call is violated after step 17: /);
    const bad = cli(['replay', CURRENT, '--design', 'fixed']);
    expect(bad.status).toBe(2);
    expect(bad.stdout).toBe('');
    expect(bad.stderr.split('\n').filter(Boolean)).toHaveLength(1);
  });
});

// --------------------------------------------------- initial: and deadlock

// two initial states; x = 11 breaks the invariant, one step from the second
const TWO_STARTS = `
type S = { readonly x: number };
export default {
  name: 'two-starts',
  init: [{ x: 0 }, { x: 10 }],
  actions: [{ name: 'inc', guard: (s: S) => s.x < 12, effect: (s: S): S => ({ x: s.x + 1 }) }],
  properties: [{ kind: 'always', name: 'below-11', description: 'x stays below 11', condition: (s: S) => s.x < 11 }],
  deadlockIsError: false,
};
`;

// 0 → 1 → 2, and nothing is enabled at 2: a deadlock (an error, by default)
const CHAIN = `
export default {
  name: 'chain',
  init: [0],
  actions: [{ name: 'step', guard: (s: number) => s < 2, effect: (s: number) => s + 1 }],
  properties: [{ kind: 'always', name: 'small', description: 'stays below 5', condition: (s: number) => s < 5 }],
};
`;

describe('initial: and a deadlock after the last step', () => {
  test('`initial:` picks the initial state by index or by its view; one that does not exist is bad input', async () => {
    const model = scenario('two-starts.ts', TWO_STARTS);
    const replayOn = (name: string, text: string) => replayJson([scenario(name, text), '--model', model]);
    const second = await replayOn('second.yaml', 'initial: 1\nsteps: [inc]\n');
    expect(second.code).toBe(EXIT.failed);
    expect(second.report).toMatchObject({ initial: 1, verdict: 'violated', violation: { property: 'below-11', step: 1 } });
    expect(second.report.trace.map((s) => s.state)).toEqual([{ x: 10 }, { x: 11 }]);
    const byView = await replayOn('by-view.yaml', 'initial: { x: 10 }\nsteps: [inc]\n');
    expect(byView.report).toEqual({ ...second.report, file: byView.report.file });
    const first = await replayOn('first.yaml', 'initial: 0\nsteps: [inc]\n');
    expect(first.code).toBe(EXIT.holds);
    expect(first.report.trace.map((s) => s.state)).toEqual([{ x: 0 }, { x: 1 }]);
    // the default is the first
    expect((await replayOn('default.yaml', 'steps: [inc]\n')).report).toMatchObject({ initial: 0, verdict: 'holds' });

    const text = await run(['replay', scenario('second.yaml', 'initial: 1\nsteps: [inc]\n'), '--model', model]);
    expect(text.out.split('\n')[0]).toMatch(/^replay .*second\.yaml: model two-starts from .*two-starts\.ts, from initial state 1$/);

    expectBadInput(
      await run(['replay', scenario('i2.yaml', 'initial: 2\nsteps: [inc]\n'), '--model', model]),
      /i2\.yaml: initial state 2 does not exist \(the model has 2: 0 to 1\)$/,
    );
    expectBadInput(
      await run(['replay', scenario('i5.yaml', 'initial: { x: 5 }\nsteps: [inc]\n'), '--model', model]),
      /i5\.yaml: initial: \{x: 5\} is none of the model's initial states \(\{x: 0\}; \{x: 10\}\)$/,
    );
    expectBadInput(
      await run(['replay', scenario('inull.yaml', 'initial:\nsteps: [inc]\n'), '--model', model]),
      /inull\.yaml:1: `initial:` must be an index/,
    );
    // a presence design's one initial state, by its view
    const presence = await replayJson([
      scenario('p-initial.yaml', 'design: current\ninitial: { tabs: {}, meetings: {} }\nsteps: [tick]\n'),
    ]);
    expect(presence.report).toMatchObject({ initial: 0, verdict: 'holds' });
  });

  test('a final state in which nothing is enabled is a violation: deadlock (exit 1); short of it, the replay holds', async () => {
    const model = scenario('chain.ts', CHAIN);
    const stuck = await replayJson([scenario('stuck.yaml', 'steps: [step, step]\n'), '--model', model]);
    expect(stuck.code).toBe(EXIT.failed);
    expect(stuck.report).toMatchObject({ verdict: 'violated', violation: { property: 'deadlock', step: 2, line: 1 } });
    expect(stuck.report.properties.at(-1)).toMatchObject({ name: 'deadlock', kind: 'deadlock', status: 'violated', step: 2 });
    const text = await run(['replay', scenario('stuck.yaml', 'steps: [step, step]\n'), '--model', model]);
    expect(text.out.split('\n')[1]).toMatch(/^VIOLATED: deadlock \(.+\) after step 2 \(line 1\) of 2$/);
    expect(text.out.trimEnd().split('\n').at(-1)).toBe(
      'deadlock after step 2: no action is enabled in this state (deadlock is an error for this model)',
    );

    const short = await replayJson([scenario('short-chain.yaml', 'steps: [step]\n'), '--model', model]);
    expect(short.code).toBe(EXIT.holds);
    expect(short.report.properties.map((p) => p.name)).toEqual(['small']);
  });
});

// ------------------------------------------------ traces written by check

describe('traces that check --trace-out wrote', () => {
  const DIE_HARD = join(ROOT, 'examples/die-hard.ts');

  /** Runs check with --trace-out to `file` (in the temp dir); returns the path. */
  async function traceOf(argv: string[], file: string): Promise<string> {
    const path = join(dir, file);
    const r = await run(['check', ...argv, '--trace-out', path]);
    expect(r.err).toBe('');
    return path;
  }
  const edit = (path: string, name: string, change: (doc: Record<string, any>) => void) => {
    const doc = JSON.parse(readFileSync(path, 'utf8')) as Record<string, any>;
    change(doc);
    return scenario(name, JSON.stringify(doc, null, 2));
  };

  test.each(['dh.json', 'dh.itf.json'])('%s replays as it is, to the violation the check found, at the same step', async (file) => {
    const path = await traceOf(['--model', DIE_HARD], file);
    const { code, report } = await replayJson([path]);
    expect(code).toBe(EXIT.failed);
    expect(report).toMatchObject({
      source: file.endsWith('.itf.json') ? 'itf' : 'json',
      model: 'die-hard',
      modelPath: DIE_HARD,
      design: null,
      initial: 0,
      verdict: 'violated',
      steps: 6,
      replayed: 6,
      notEnabled: null,
      // derived by hand: the puzzle's shortest solution takes 6 steps (fill 5, pour, empty, pour, fill, pour: 4 in the big jug)
      violation: { property: 'big-jug-not-4', step: 6, line: null },
      expected: { verdict: 'violated', property: 'big-jug-not-4', step: 6, agrees: true },
    });
    expect(report.trace.at(-1)!.state).toEqual({ small: 3, big: 4 });
    const text = await run(['replay', path]);
    expect(text.code).toBe(EXIT.failed);
    const lines = text.out.split('\n');
    expect(lines[0]).toBe(`replay ${path} (${file.endsWith('.itf.json') ? 'an ITF' : 'a JSON'} trace): model die-hard from ${DIE_HARD}`);
    expect(lines[1]).toBe('VIOLATED: big-jug-not-4 (the big jug never holds exactly 4 gallons) after step 6 of 6');
    expect(lines[2]).toBe('as the check that wrote it found: big-jug-not-4 after step 6');
  });

  test('a trace that replays to something else than the check found: DIFFERS, exit 1', async () => {
    const path = await traceOf(['--model', DIE_HARD], 'dh-differs.json');
    // the last step dropped: every step replays, nothing is violated, but the check had found a violation after step 6
    const cut = edit(path, 'dh-cut.json', (doc) => doc.trace.pop());
    const { code, report } = await replayJson([cut]);
    expect(code).toBe(EXIT.failed);
    expect(report).toMatchObject({
      verdict: 'holds',
      expected: { verdict: 'violated', property: 'big-jug-not-4', step: 5, agrees: false },
    });
    expect((await run(['replay', cut])).out.split('\n')[2]).toBe(
      'DIFFERS from the check that wrote it, which found: big-jug-not-4 after step 5',
    );
    // the same violation under another name
    const renamed = edit(path, 'dh-renamed.json', (doc) => (doc.property = 'another-property'));
    expect(await replayJson([renamed])).toMatchObject({ code: EXIT.failed, report: { verdict: 'violated', expected: { agrees: false } } });
  });

  test("a trace whose first state is not one of the model's initial states is refused (exit 2)", async () => {
    const json = await traceOf(['--model', DIE_HARD], 'dh-start.json');
    const moved = edit(json, 'dh-moved.json', (doc) => (doc.trace[0].state.small = 1));
    expectBadInput(
      await run(['replay', moved]),
      /dh-moved\.json: the trace's first state is not the model's initial state 0 \(\{small: 0, big: 0\}\): was it written by another model or other bounds\?$/,
    );
    const itf = await traceOf(['--model', DIE_HARD], 'dh-start.itf.json');
    const movedItf = edit(itf, 'dh-moved.itf.json', (doc) => (doc.states[0].small = { '#bigint': '1' }));
    expectBadInput(await run(['replay', movedItf]), /dh-moved\.itf\.json: the trace's first state is not the model's initial state 0 /);
  });

  test('a violation from the second initial state: the trace says which (initial, #meta.initialState) and replays from it', async () => {
    const model = scenario('two-starts.ts', TWO_STARTS);
    for (const file of ['two.json', 'two.itf.json']) {
      const path = await traceOf(['--model', model], file);
      const doc = JSON.parse(readFileSync(path, 'utf8')) as Record<string, any>;
      if (file.endsWith('.itf.json')) expect(doc['#meta']).toMatchObject({ initialState: 1, modelPath: model });
      else expect(doc).toMatchObject({ initial: 1, modelPath: model });
      const { code, report } = await replayJson([path]);
      expect(code).toBe(EXIT.failed);
      expect(report).toMatchObject({ initial: 1, violation: { property: 'below-11', step: 1 }, expected: { agrees: true } });
    }
  });

  test('a deadlock the check found replays to the same deadlock', async () => {
    const model = scenario('chain.ts', CHAIN);
    for (const file of ['chain.json', 'chain.itf.json']) {
      const { code, report } = await replayJson([await traceOf(['--model', model], file)]);
      expect(code).toBe(EXIT.failed);
      // derived by hand: 0 → 1 → 2, where nothing is enabled
      expect(report).toMatchObject({
        violation: { property: 'deadlock', step: 2 },
        expected: { property: 'deadlock', step: 2, agrees: true },
      });
    }
  });

  test('a presence trace names its design and bounds; the committed docs trace replays as the help says', async () => {
    const { code, report } = await replayJson([join(ROOT, 'docs/traces/current.itf.json')]);
    expect(code).toBe(EXIT.failed);
    // pinned: docs/traces/README.md (current at the default bounds: 14 steps), computed by the checker
    expect(report).toMatchObject({
      source: 'itf',
      design: 'current',
      designFrom: 'file',
      bounds: DEFAULT_BOUNDS,
      // the check's own job, as the trace records it (the thorough saved run judges safety and liveness)
      job: { kind: 'presence', options: { faults: [], symmetry: true, liveness: true, settles: true } },
      violation: { property: 'no-orphaned-call', step: 14 },
      expected: { agrees: true },
    });
  });
});

// --------------------------------------- every violation, there and back

// Every design's violation, there and back: each design that breaks an
// invariant at 2 users, lag 0, there, checked for safety alone (the search
// merges symmetric states: the trace it prints is still a real run, and must
// replay); two-looks (which holds without faults)
// under presence-flap, so a trace with a fault in its job replays too;
// fixed-ttl where its timing assumption fails; and liveness lassos (a design
// whose safety holds, and one whose lone user is stranded). fixed is
// violated nowhere: it has nothing to round-trip. Trace lengths pinned:
// computed by the checker (docs/matrix.md and docs/fault-matrix.md have the
// same cells).
const SAFETY_VIOLATIONS = (
  [
    ['current', 12],
    ['current-presence-api', 10],
    ['fail-loudly', 10],
    ['grace-period', 14],
    ['version-check', 11],
    ['pending-joins', 14],
    ['shipped', 12],
    ['two-looks-sql', 11],
    ['two-looks', 12, 'presence-flap'],
  ] as const
).map(
  ([d, steps, fault]: readonly [string, number, string?]) =>
    [
      `${d} users=2 lag=0${fault ? ` --faults ${fault}` : ''}`,
      ['--design', d, '--users', '2', '--lag', '0', '--no-liveness', ...(fault ? ['--faults', fault] : [])],
      steps,
    ] as const,
);
/** [name, check's flags, steps, loop] of the lassos */
const LASSOS = [
  ['current users=1 tabs=1 lag=0 (a lasso)', ['--design', 'current', '--users', '1', '--tabs', '1', '--lag', '0'], 13, 12],
  [
    'refuse-latecomers users=2 tabs=1 lag=0 (a lasso)',
    ['--design', 'refuse-latecomers', '--users', '2', '--tabs', '1', '--lag', '0'],
    12,
    7,
  ],
] as const;

describe('every violation: check --trace-out (JSON and ITF), then replay: the same property at the same step', () => {
  test('every design is here but fixed, which is violated nowhere', () => {
    const here = [...SAFETY_VIOLATIONS, ...LASSOS].map(([, argv]) => argv[1]);
    expect(DESIGN_NAMES.filter((d) => d !== 'fixed' && d !== 'fixed-ttl').every((d) => here.includes(d))).toBe(true);
  });

  test.each([
    ...SAFETY_VIOLATIONS,
    // fixed-ttl where ttl <= handshake + lag (docs/matrix.md)
    [
      'fixed-ttl users=2 lag=0 handshake=1 ttl=1',
      ['--design', 'fixed-ttl', '--users', '2', '--tabs', '2', '--lag', '0', '--handshake', '1', '--ttl', '1', '--no-liveness'],
      15,
    ],
    // derived by hand (see the examples' comments): the jugs' solution in 6 steps, both processes in 4
    ['die-hard', ['--model', join(ROOT, 'examples/die-hard.ts')], 6],
    ['naive-mutex', ['--model', join(ROOT, 'examples/naive-mutex.ts')], 4],
  ] as const)('%s', async (name, argv, steps) => {
    const safe = name.replace(/\W+/g, '-');
    const found: RunReport[] = [];
    for (const file of [`${safe}.json`, `${safe}.itf.json`]) {
      const path = join(dir, file);
      const checked = await run(['check', ...argv, '--trace-out', path]);
      expect(checked.code).toBe(EXIT.failed);
      if (file.endsWith('.json') && !file.endsWith('.itf.json')) found.push(JSON.parse(readFileSync(path, 'utf8')) as RunReport);
      const { code, report } = await replayJson([path]);
      expect(code).toBe(EXIT.failed);
      expect(report.expected).toEqual({ verdict: 'violated', property: report.violation!.property, step: steps, agrees: true });
      // a fault the check had in force is in the trace's job, and the replay's
      const fault = (argv as readonly string[]).indexOf('--faults');
      if (fault >= 0) expect(report.faults).toEqual([argv[fault + 1]]);
      expect(report).toMatchObject({
        verdict: 'violated',
        steps,
        replayed: steps,
        notEnabled: null,
        violation: { step: steps },
        lasso: null,
      });
    }
    // the property is the one the check names
    expect(found[0]).toMatchObject({ verdict: 'violated', loop: null });
    const { report } = await replayJson([join(dir, `${safe}.json`)]);
    expect(report.violation!.property).toBe(found[0].property);
    // the JSON trace's states are the replay's
    expect(report.trace.map((s) => s.state)).toEqual(found[0].trace.map((s) => s.state));
  });

  test.each(LASSOS)('%s', async (name, argv, steps, loop) => {
    const safe = name.replace(/\W+/g, '-');
    const json = join(dir, `${safe}.json`),
      itf = join(dir, `${safe}.itf.json`);
    for (const path of [json, itf]) expect((await run(['check', ...argv, '--trace-out', path])).code).toBe(EXIT.failed);
    const found = JSON.parse(readFileSync(json, 'utf8')) as RunReport;
    expect(found).toMatchObject({ verdict: 'violated', loop });
    expect(found.trace).toHaveLength(steps + 1);
    // ITF: the states up to the last, whose successor is states[loop] again (#meta.loopBack says by which step)
    const written = JSON.parse(readFileSync(itf, 'utf8'));
    expect(written.loop).toBe(loop);
    expect(written.states).toHaveLength(steps);
    expect(written['#meta'].loopBack).toMatchObject({ action: found.trace[steps].action, params: found.trace[steps].params });
    for (const path of [json, itf]) {
      const { code, report } = await replayJson([path]);
      expect(code).toBe(EXIT.failed);
      expect(report).toMatchObject({
        verdict: 'violated',
        steps,
        replayed: steps,
        notEnabled: null,
        violation: { property: found.property, step: steps },
        lasso: { loop, closes: true, unfair: [] },
        expected: { verdict: 'violated', property: found.property, step: null, agrees: true },
      });
      expect(report.lasso!.violates).toContain(found.property);
      expect(report.trace.map((s) => s.state)).toEqual(found.trace.map((s) => s.state));
    }
    // an ITF lasso without loopBack (as another tool writes it): the closing step is found
    delete written['#meta'].loopBack;
    const bare = join(dir, `${safe}-bare.itf.json`);
    writeFileSync(bare, JSON.stringify(written));
    const { report } = await replayJson([bare]);
    expect(report).toMatchObject({ verdict: 'violated', steps, lasso: { loop, closes: true, unfair: [] } });
  });

  test('a lasso that does not close, or is unfair, is no behaviour: no liveness verdict', async () => {
    // the current lasso above, cut one step short of closing: the cycle does not come back
    const base = LASSOS[0];
    const path = join(dir, 'open.json');
    await run(['check', ...base[1], '--trace-out', path]);
    const doc = JSON.parse(readFileSync(path, 'utf8'));
    const steps = doc.trace.slice(1).map(
      (s: { action: string; params: Record<string, unknown> }) =>
        `  - { action: ${s.action}${Object.entries(s.params)
          .map(([k, v]) => `, ${k}: ${v}`)
          .join('')} }`,
    );
    const yaml = (loop: number, upTo: number) =>
      `design: current\nbounds: { users: 1, tabs: 1, lag: 0 }\nloop: ${loop}\nsteps:\n${steps.slice(0, upTo).join('\n')}\n`;
    const open = await replayJson([scenario('open.yaml', yaml(10, steps.length))]);
    expect(open.code).toBe(EXIT.failed);
    expect(open.report).toMatchObject({ verdict: 'not-a-lasso', lasso: { loop: 10, closes: false } });
    expect(open.report.properties.filter((p) => p.kind === 'leadsTo').every((p) => p.status === 'not-judged')).toBe(true);
    // stopping at step 12 for ever, where time can pass (tick is weakly fair): unfair
    const stutter = await replayJson([scenario('stutter.yaml', yaml(base[3], base[3]))]);
    expect(stutter.code).toBe(EXIT.failed);
    expect(stutter.report).toMatchObject({ verdict: 'unfair-lasso', lasso: { loop: base[3], closes: true, unfair: ['tick()'] } });
    const closed = await replayJson([scenario('closed.yaml', yaml(base[3], steps.length))]);
    expect(closed.report).toMatchObject({ verdict: 'violated', lasso: { loop: base[3], closes: true, unfair: [] } });
    const text = await run(['replay', scenario('closed2.yaml', yaml(base[3], steps.length))]);
    expect(text.out).toContain('a fair behaviour: step 13 repeats forever, after 12 steps; it violates latecomer-joins[u1]');
    expect(text.out).toContain('↻ the cycle starts here: step 13 repeats forever');
  });
});

// ------------------------------------------------------------ design files

describe('--design-file', () => {
  test("the doc timeline on a design file that renames current gives current's replay under the file's name", async () => {
    const file = scenario('my-current.yaml', 'name: my-current\nbase: current\n');
    const mine = await replayJson([join(ROOT, CURRENT), '--design-file', file]);
    const theirs = await replayJson([join(ROOT, CURRENT)]);
    expect(mine.code).toBe(EXIT.failed);
    expect(mine.report).toMatchObject({ design: 'my-current', designFrom: 'flag', model: 'presence/my-current' });
    const same = (r: ReplayReport) => [r.verdict, r.violation, r.properties, r.trace];
    expect(same(mine.report)).toEqual(same(theirs.report));
    // and on a design file based on fixed the current file's steps are unknown, as on fixed
    const fixedLike = scenario('my-fixed.yaml', 'name: my-fixed\nbase: fixed\n');
    expectBadInput(
      await run(['replay', join(ROOT, CURRENT), '--design-file', fixedLike]),
      /step 14 \(pmReadsSessions\): unknown action 'pmReadsSessions' for design my-fixed \(it is a step of current, shipped, not of my-fixed\)/,
    );
  });
});
