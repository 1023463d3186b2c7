// `replay FILE`: the design doc's timeline as a scenario (the split on
// `current`; on `fixed`, the step the fix blocks), the file format (YAML and
// JSON, the shorthands), bad input (exit 2, one line naming the line and the
// step), steps that are not enabled (exit 1, with the reason in the model's
// terms), --json, and one real subprocess. Every replay here is a handful of
// steps: no search runs.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { DEFAULT_BOUNDS } from '../model/index.ts';
import { helpText, parseArgs } from '../cli/args.ts';
import { EXIT } from '../cli/exit.ts';
import { expectBadInput, runCli } from './bad-input.ts';
import type { ReplayReport } from '../cli/replay.ts';
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
const DOC_TIMES = ['T+0ms', 'T+1000ms', 'T+1050ms', 'T+1500ms', 'T+1600ms', 'T+1700ms', 'T+2000ms', 'T+2100ms', 'T+3000ms',
  'T+3100ms', 'T+3200ms', 'T+3300ms', 'T+4000ms', 'T+5000ms'];

describe('the design doc timeline', () => {
  test.each([CURRENT, FIXED])('%s comments every line of the doc\'s timeline, in order', (file) => {
    const text = readFileSync(join(ROOT, file), 'utf8');
    const at = DOC_TIMES.map((t) => text.indexOf(`# ${t}:`));
    expect(at.every((i) => i >= 0)).toBe(true);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
  });

  test('on current it reproduces the split: no-orphaned-call is violated after the last step (exit 1)', async () => {
    const { code, report } = await replayJson([join(ROOT, CURRENT)]);
    expect(code).toBe(EXIT.failed);
    expect(report).toMatchObject({
      design: 'current', designFrom: 'file', symmetry: false, verdict: 'violated', notEnabled: null,
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
    expect(said).toContain('process_meetings deactivates M1 (is_active = false; its Daily room lives on)');
    expect(said.at(-2)).toMatch(/^u1#2 WebRTC handshake completes: in M1's Daily call \(M1 is no longer active\)/);
    expect(said.at(-1)).toBe('u2 opens a new tab u2#1: POST /rooms/R/meeting → M2 (created, new Daily room)');
    expect(report.properties.find((p) => p.name === 'quick-rejoin')?.status).toBe('reached');

    const text = await run(['replay', join(ROOT, CURRENT)]);
    expect(text.code).toBe(EXIT.failed);
    const lines = text.out.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^replay .*doc-timeline\.yaml: design current \(from the file\), users=2 tabs=2 lag=1 .*\(unreduced model: no symmetry\)$/);
    expect(lines[1]).toMatch(new RegExp(`^VIOLATED: no-orphaned-call \\(.+\\) after step ${report.steps} \\(line \\d+\\) of ${report.steps}$`));
    expect(text.out).toContain(`\ntrace (${report.steps} steps; t = ticks elapsed):\n`);
    expect(lines.at(-1)).toBe(`property no-orphaned-call is violated after step ${report.steps}: `
      + "nobody is in a deactivated meeting's Daily room while another meeting is active");
  });

  test('on fixed the same story stops where the fix blocks it: process_meetings kept M1 (exit 1, not enabled)', async () => {
    // doc-timeline-fixed.yaml is the same story with the /joining that fixed
    // adds before each handshake. process_meetings on fixed reads pending
    // joins first (T+3000): the rejoining tab's key is there, so it keeps M1
    // and its run ends; the doc's next step, the presence read that would
    // see nobody (T+3100), is not enabled, and so neither the deactivation
    // nor the split can follow. Every invariant holds up to there.
    const { code, report } = await replayJson([join(ROOT, FIXED)]);
    expect(code).toBe(EXIT.failed);
    expect(report).toMatchObject({ design: 'fixed', verdict: 'not-enabled', violation: null, replayed: 16, steps: 20 });
    expect(report.notEnabled).toMatchObject({ step: 17, action: 'pmReadsPresence', params: { meeting: 1 }, label: 'pmReadsPresence M1' });
    expect(report.notEnabled!.reason).toBe('process_meetings is not at its read 2 of 2 (pmReadsPresence) on M1 (it is idle; '
      + 'its last run on M1 ended at step 16: process_meetings(M1) reads pending joins: some pending: keeps it)');
    expect(report.trace[10].description).toBe('u1#2 POST /joining M1 → 200, pending_join:M1:u1 set (TTL 6)');
    for (const p of report.properties) if (p.kind === 'always') expect(p.status).toBe('holds');
    expect(report.properties.find((p) => p.name === 'meeting-deactivated')?.status).toBe('unreached');

    const text = await run(['replay', join(ROOT, FIXED)]);
    expect(text.code).toBe(EXIT.failed);
    const lines = text.out.trimEnd().split('\n');
    expect(lines[1]).toMatch(/^NOT ENABLED: step 17 \(pmReadsPresence M1, line \d+\) of 20 cannot be taken; every invariant holds after each of steps 1-16$/);
    expect(text.out).toContain('\ntrace (16 of 20 steps replayed; t = ticks elapsed):\n');
    expect(lines.at(-1)).toMatch(/^step 17 \(pmReadsPresence M1, line \d+\) is not enabled: process_meetings is not at its read 2 of 2/);
  });

  test('the current file does not replay on fixed: fixed has no pmReadsSessions step (exit 2, before any step runs)', async () => {
    expectBadInput(await run(['replay', join(ROOT, CURRENT), '--design', 'fixed']),
      /doc-timeline\.yaml:\d+: step 14 \(pmReadsSessions\): unknown action 'pmReadsSessions' for design fixed \(it is a step of current, shipped, not of fixed\); fixed's actions: getOrCreateMeeting, postJoining, /);
  });

  test('on fixed the story ends well: A connects into M1 and B joins M1 (a JSON scenario; exit 0)', async () => {
    const parsed = parseScenario(readFileSync(join(ROOT, FIXED), 'utf8'));
    if (!parsed.ok) throw new Error(parsed.message);
    const upToKeep = parsed.scenario.steps.slice(0, 16).map((s) => ({ action: s.action, ...s.params }));
    const json = {
      design: 'fixed',
      bounds: { users: 2, lag: 1 },
      steps: [...upToKeep, { connect: { user: 'u1' } }, { postJoined: { user: 1 } }, { getOrCreateMeeting: { user: 'u2' } },
        { postJoining: { user: 2 } }, 'tick', { connect: { user: 2 } }],
    };
    const file = scenario('fixed-happy.json', JSON.stringify(json, null, 2));
    const { code, report } = await replayJson([file]);
    expect(code).toBe(EXIT.holds);
    expect(report).toMatchObject({ verdict: 'holds', violation: null, notEnabled: null, replayed: 22, steps: 22 });
    expect(report.properties.find((p) => p.name === 'users-connected-together')).toMatchObject({ status: 'reached', step: 22 });
    expect(report.trace[19].description).toBe('u2 opens a new tab u2#1: POST /rooms/R/meeting → M1 (active)');
    expect(report.trace.at(-1)!.line).toBeGreaterThan(report.trace[1].line!); // JSON lines are tracked too
    const text = await run(['replay', file]);
    expect(text.code).toBe(EXIT.holds);
    expect(text.out.split('\n')[1]).toBe('holds: all 22 steps replayed; every invariant holds after each step');
  });
});

// ------------------------------------------------------------------ format

describe('the scenario format', () => {
  test('every step form and shorthand gives the same replay', async () => {
    const long = scenario('long.yaml', yamlSteps('current', [
      'getOrCreateMeeting: { user: 1 }', 'connect: { user: 1 }', 'presenceCatchesUp: { user: 1, tab: 1 }',
      'pollReadsPresence: { meeting: 1 }', 'tick',
    ]));
    const short = scenario('short.yaml', [
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
    ].join('\n'));
    const a = await replayJson([long]);
    const b = await replayJson([short]);
    expect(a.code).toBe(EXIT.holds);
    expect(b.code).toBe(EXIT.holds);
    const strip = (r: ReplayReport) => r.trace.map(({ line: _line, ...rest }) => rest);
    expect(strip(b.report)).toEqual(strip(a.report));
    expect(b.report.trace.map((s) => s.line)).toEqual([null, 7, 8, 9, 10, 12]);
    expect(b.report.trace[3].params).toEqual({ user: 1, tab: 1 });
  });

  test('flags override the file: --design, and each bound', async () => {
    const file = scenario('bounds.yaml', 'design: fixed\nbounds: { lag: 2, pollDelay: 1 }\nsteps:\n  - getOrCreateMeeting: { user: u1 }\n');
    const fromFile = await replayJson([file]);
    expect(fromFile.report).toMatchObject({ design: 'fixed', designFrom: 'file', bounds: { ...DEFAULT_BOUNDS, lag: 2, pollDelay: 1 } });
    const flags = await replayJson([file, '--design', 'current', '--lag', '0', '--users', '3']);
    expect(flags.report).toMatchObject({ design: 'current', designFrom: 'flag', bounds: { ...DEFAULT_BOUNDS, lag: 0, pollDelay: 1, users: 3 } });
    expect((await run(['replay', file, '--design', 'current'])).out).toMatch(/^replay .*bounds\.yaml: design current \(--design\), users=2 tabs=2 lag=2 handshake=2 ttl=6 poll-delay=1 /);
  });

  test('a user model (--model): its own actions, and "its guard is false" when a step is not enabled', async () => {
    const solve = scenario('jugs.yaml', yamlSteps('x', [
      'fill: { jug: big }', 'pour: { from: big, to: small }', 'empty: { jug: small }', 'pour: { from: big, to: small }',
      'fill: { jug: big }', 'pour: { from: big, to: small }',
    ]).replace('design: x\n', ''));
    const solved = await replayJson([solve, '--model', join(ROOT, 'examples/die-hard.ts')]);
    expect(solved.code).toBe(EXIT.failed);
    expect(solved.report).toMatchObject({ design: null, bounds: null, model: 'die-hard', verdict: 'violated', violation: { property: 'big-jug-not-4', step: 6 } });
    expect(solved.report.trace[6].state).toEqual({ small: 3, big: 4 });

    const twice = scenario('twice.yaml', 'steps:\n  - fill: { jug: big }\n  - fill: { jug: big }\n');
    const r = await run(['replay', twice, '--model', join(ROOT, 'examples/die-hard.ts')]);
    expect(r.code).toBe(EXIT.failed);
    expect(r.out.trimEnd().split('\n').at(-1)).toBe('step 2 (fill {jug: big}, line 3) is not enabled: its guard is false in the state after step 1');

    expectBadInput(await run(['replay', scenario('jd.yaml', 'design: current\nsteps: [fill]\n'), '--model', join(ROOT, 'examples/die-hard.ts')]),
      /jd\.yaml:1: design: does not apply to --model/);
    expectBadInput(await run(['replay', scenario('jp.yaml', 'steps:\n  - fill: { jug: huge }\n'), '--model', join(ROOT, 'examples/die-hard.ts')]),
      /jp\.yaml:2: step 1 \(fill \{jug: huge\}\): action 'fill' takes no binding \{jug=huge\} \(valid: \{jug=small\} \{jug=big\}\) in the initial state/);
  });
});

// --------------------------------------------------------------- bad input

describe('bad input: one line naming the line and the step, exit 2', () => {
  test('malformed YAML and JSON name the line', async () => {
    const yaml = scenario('bad.yaml', 'design: current\nsteps:\n  - getOrCreateMeeting: { user: u1 }\n  - connect: { user: 1\n  - tick\n');
    expectBadInput(await run(['replay', yaml]), /^presence-check: .*bad\.yaml:5: not valid YAML: Flow map .* end with a }$/);
    const json = scenario('bad.json', '{"design": "current",\n "steps": ["tick" "tick"]}');
    expectBadInput(await run(['replay', json]), /bad\.json:2: not valid JSON: /);
    expectBadInput(await run(['replay', scenario('dup.yaml', 'design: current\nsteps: [tick]\ndesign: fixed\n')]), /dup\.yaml:3: not valid YAML: Map keys must be unique/);
  });

  test.each([
    ['empty.yaml', '', /empty\.yaml: the file is empty/],
    ['list.yaml', '- tick\n', /list\.yaml:1: a scenario is a mapping with a `steps:` list/],
    ['key.yaml', 'design: current\nstep:\n  - tick\n', /key\.yaml:2: unknown key 'step' \(a scenario's keys: design, bounds, description, steps\)/],
    ['nosteps.yaml', 'design: current\n', /nosteps\.yaml: no `steps:` list/],
    ['nolist.yaml', 'design: current\nsteps: tick\n', /nolist\.yaml:2: `steps:` must be a list/],
    ['zero.yaml', 'design: current\nsteps: []\n', /zero\.yaml:2: `steps:` is empty/],
    ['indent.yaml', 'design: current\nsteps:\n  - connect:\n    user: 1\n', /indent\.yaml:3: step 1 has 2 keys \(connect, user\): write `- action`/],
    ['nested.yaml', 'design: current\nsteps:\n  - connect: { user: [1] }\n', /nested\.yaml:3: step 1 \(connect\): parameter user must be a number, a word or true\/false/],
    ['scalar.yaml', 'design: current\nsteps:\n  - connect: u1\n', /scalar\.yaml:3: step 1 \(connect\): the parameters must be a mapping, e.g. `- connect: \{ user: u1 \}`/],
    ['number.yaml', 'design: current\nsteps:\n  - tick\n  - 7\n', /number\.yaml:4: step 2: 7 is not a step/],
    ['bound.yaml', 'design: current\nbounds: { users: 9 }\nsteps: [tick]\n', /bound\.yaml:2: bounds: users must be an integer from 1 to 6 \(got 9\)/],
    ['boundname.yaml', 'design: current\nbounds:\n  lag: 1\n  delay: 2\nsteps: [tick]\n', /boundname\.yaml:4: unknown bound 'delay' \(bounds: users, tabs, lag, /],
    ['nodesign.yaml', 'steps: [tick]\n', /nodesign\.yaml: no design: give --design or `design:` in the file \(designs: current, /],
    ['baddesign.yaml', 'design: nope\nsteps: [tick]\n', /baddesign\.yaml:1: unknown design 'nope' \(designs: current, /],
  ])('%s', async (name, text, mention) => {
    expectBadInput(await run(['replay', scenario(name, text)]), mention);
  });

  test('an unknown action names the step and lists the design\'s actions', async () => {
    const file = scenario('unknown.yaml', yamlSteps('current', ['getOrCreateMeeting: { user: u1 }', 'conect: { user: u1 }', 'tick']));
    expectBadInput(await run(['replay', file]),
      /unknown\.yaml:4: step 2 \(conect\): unknown action 'conect' for design current; current's actions: getOrCreateMeeting, connect, postJoined, closeTab, presenceCatchesUp, .*, tick$/);
    const other = scenario('other.yaml', yamlSteps('current', ['getOrCreateMeeting: { user: u1 }', 'postJoining: { user: u1 }']));
    expectBadInput(await run(['replay', other]), /step 2 \(postJoining\): unknown action 'postJoining' for design current \(it is a step of pending-joins, fixed, not of current\)/);
    const lag0 = scenario('lag0.yaml', yamlSteps('current', ['presenceCatchesUp: { tab: u1#1 }']));
    expectBadInput(await run(['replay', lag0, '--lag', '0']), /step 1 \(presenceCatchesUp\): unknown action 'presenceCatchesUp' for design current \(at --lag 0 presence never lags/);
  });

  test('bad parameters name the step and the valid bindings', async () => {
    const cases: [string[], RegExp][] = [
      [['getOrCreateMeeting: { user: u3 }'], /step 1 \(getOrCreateMeeting\): bad parameters \{user: u3\}: getOrCreateMeeting takes one of \{user: u1\}, \{user: u2\}$/],
      [['connect'], /step 1 \(connect\): bad parameters \(none given\): connect takes one of \{user: u1\}, \{user: u2\}$/],
      [['connect: { user: u1, tab: 1 }'], /bad parameters \{user: u1, tab: 1\}: connect takes one of/],
      [['tick: { user: 1 }'], /step 1 \(tick\): bad parameters \{user: 1\}: tick takes none$/],
      [['presenceCatchesUp: { tab: u1#3 }'], /bad parameters \{tab: u1#3\}: presenceCatchesUp takes one of \{tab: u1#1\}, \{tab: u1#2\}, \{tab: u2#1\}, \{tab: u2#2\}$/],
      [['presenceCatchesUp: { user: 2, tab: u1#1 }'], /step 1 \(presenceCatchesUp\): tab u1#1 is not a tab of user 2$/],
      [['pollReadsPresence: { meeting: M6 }'], /bad parameters \{meeting: M6\}: pollReadsPresence takes one of \{meeting: M1\}, .*\{meeting: M5\}$/],
      [['pollReadsPresence: { meeting: u1 }'], /bad parameters \{meeting: u1\}/],
    ];
    for (const [steps, mention] of cases) {
      expectBadInput(await run(['replay', scenario('params.yaml', yamlSteps('current', ['tick', ...steps]))]), /params\.yaml:4: step 2 /);
      expectBadInput(await run(['replay', scenario('params.yaml', yamlSteps('current', steps))]), mention);
    }
  });

  test('arguments', async () => {
    const file = join(ROOT, CURRENT);
    expectBadInput(await run(['replay']), /replay needs a scenario file: usage: npx tsx cli.ts replay FILE/);
    expectBadInput(await run(['replay', file, 'more']), /unexpected argument 'more' after replay FILE/);
    expectBadInput(await run(['replay', join(dir, 'missing.yaml')]), /missing\.yaml: no such file$/);
    expectBadInput(await run(['replay', dir]), /: not a file$/);
    expectBadInput(await run(['replay', file, '--no-symmetry']), /--no-symmetry does not apply to replay \(it follows the scenario's steps on the unreduced model; there is no search\)/);
    expectBadInput(await run(['replay', file, '--exact', '--max-time', '3']), /--exact, --max-time do not apply to replay/);
    expectBadInput(await run(['replay', file, '--design', 'current,fixed']), /replay takes one design \(got 'current,fixed'; designs: /);
    expectBadInput(await run(['replay', file, '--design', 'all']), /replay takes one design/);
    expectBadInput(await run(['replay', file, '--design', 'nope']), /unknown design 'nope'/);
    expectBadInput(await run(['replay', file, '--users', '7']), /--users must be an integer from 1 to 6 \(got 7\)/);
    expectBadInput(await run(['replay', file, '--model', 'x.ts', '--lag', '2']), /--lag does not apply to --model/);
    expectBadInput(await run(['replay', file, '--frobnicate']), /unknown option --frobnicate/);
    expect(parseArgs(['replay', file, '--users', '3', '--json'])).toMatchObject({
      kind: 'replay', options: { command: 'replay', file, boundsGiven: { users: 3 }, json: true, debug: false },
    });
    expect(parseArgs(['replay', '--help']).kind).toBe('help');
    const help = helpText();
    expect(help).toContain('replay FILE');
    expect(help).toMatch(/replay exits 0 when every step replays/);
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
    expect(await reasonOf('current', ['connect: { user: u1 }']))
      .toBe('connect u1: u1 has no tab handshaking (u1 has no open tab; getOrCreateMeeting opens one)');
    expect(await reasonOf('fixed', ['getOrCreateMeeting: { user: u1 }', 'connect: { user: u1 }']))
      .toBe('connect u1: u1 has no tab handshaking (its open tab u1#1 is got-meeting; its next step is postJoining)');
    expect(await reasonOf('shipped', ['getOrCreateMeeting: { user: u1 }', 'connect: { user: u1 }']))
      .toBe('connect u1: u1 has no tab handshaking (its open tab u1#1 is got-meeting; its next step is joiningChecksMeeting)');
    expect(await reasonOf('current', ['getOrCreateMeeting: { user: u1 }', 'postJoined: { user: u1 }']))
      .toBe("postJoined u1: u1 has no tab connected (its open tab u1#1 is handshaking; it is in its WebRTC handshake with M1's Daily room; its next step is connect)");
    expect(await reasonOf('current', ['closeTab: { user: u2 }'])).toBe('closeTab u2: u2 has no open tab');
    expect(await reasonOf('current', ['getOrCreateMeeting: { user: u1 }', 'getOrCreateMeeting: { user: u1 }']))
      .toMatch(/^getOrCreateMeeting u1: u1 already has an open tab, u1#1 \(handshaking; .*\): a user opens a new tab after closing the old one/);
  });

  test('a quick rejoin with one tab slot: the closed tab lingers (the doc timeline at --tabs 1)', async () => {
    const r = await run(['replay', join(ROOT, CURRENT), '--tabs', '1']);
    expect(r.code).toBe(EXIT.failed);
    expect(r.out.trimEnd().split('\n').at(-1)).toMatch(/^step 8 \(getOrCreateMeeting u1, line \d+\) is not enabled: u1 has no free tab slot \(--tabs 1\): closed tabs linger until Daily, the DB and Redis forget them: u1#1 \(Daily presence still shows it, its DB session is open\)$/);
  });

  test('polls, process_meetings, meetings that do not exist', async () => {
    expect(await reasonOf('current', ['getOrCreateMeeting: { user: u1 }', 'pollReadsPresence: { meeting: M1 }']))
      .toBe('pollReadsPresence M1: no poll of M1 is due (none queued)');
    expect(await reasonOf('current', [...joined, 'closeTab: { user: u1 }', ...poll, 'pollReadsPresence: { meeting: M1 }']))
      .toBe('pollReadsPresence M1: no poll of M1 is due (queued: in 3; a tick brings them closer)');
    expect(await reasonOf('current', ['getOrCreateMeeting: { user: u1 }', 'connect: { user: u1 }', 'pollReadsPresence: { meeting: M1 }', 'pollSkipsLocked: { meeting: M1 }']))
      .toBe('pollSkipsLocked M1: no poll of M1 is due (none queued)');
    expect(await reasonOf('current', ['getOrCreateMeeting: { user: u1 }', 'pollWritesSessions: { meeting: M1 }']))
      .toBe('pollWritesSessions M1: no poll of M1 has read presence (pollReadsPresence M1 comes first)');
    expect(await reasonOf('current', ['pollReadsPresence: { meeting: M2 }']))
      .toBe('pollReadsPresence M2: M2 does not exist yet (no meeting exists; getOrCreateMeeting creates the next one)');
    expect(await reasonOf('current', ['getOrCreateMeeting: { user: u1 }', 'pmDeactivates: { meeting: M1 }']))
      .toBe('pmDeactivates M1: process_meetings is not about to deactivate M1 (it is idle; no run on M1 has started: pmReadsSessions starts one)');
    expect(await reasonOf('current', [...joined, 'pmReadsSessions: { meeting: M1 }', 'pmDeactivates: { meeting: M1 }']))
      .toBe("pmDeactivates M1: process_meetings is not about to deactivate M1 (it is idle; its last run on M1 ended at step 6: process_meetings(M1) reads DB sessions: someone is there: keeps it)");
    expect(await reasonOf('version-check', ['getOrCreateMeeting: { user: u1 }', 'pmReadsVersion: { meeting: M1 }', 'pmReadsVersion: { meeting: M1 }']))
      .toBe('pmReadsVersion M1: process_meetings is already running on M1 (read 1 of 2 done): its next step is pmReadsPresence or pmPresenceApiFails M1');
    // deactivated, and no tab left in it: the model forgets M1
    expect(await reasonOf('current', [...joined, 'closeTab: { user: u1 }', 'presenceCatchesUp: { tab: u1#1 }', ...poll,
      'pmReadsSessions: { meeting: M1 }', 'pmDeactivates: { meeting: M1 }', 'pollReadsPresence: { meeting: M1 }']))
      .toBe('pollReadsPresence M1: M1 is gone: it was deactivated and no tab refers to it any more (a new meeting would reuse its id)');
  });

  test('/joining under the meeting lock, presence, keys, webhooks, time', async () => {
    // u1's key expires (TTL 6), so process_meetings finds no pending join and goes on holding M1's lock
    const quiet = [...['getOrCreateMeeting: { user: u1 }', 'postJoining: { user: u1 }'], ...joined.slice(1), 'tick', 'tick', 'tick', 'tick', 'tick', 'tick',
      'pendingJoinExpires: { tab: u1#1 }', 'pmReadsPendingJoins: { meeting: M1 }', 'getOrCreateMeeting: { user: u2 }', 'postJoining: { user: u2 }'];
    expect(await reasonOf('fixed', quiet))
      .toBe("postJoining u2: process_meetings holds M1's lock (read 1 of 2 done): /joining checks is_active under that lock, so it waits until the run ends (next: pmReadsPresence or pmPresenceApiFails M1)");
    expect(await reasonOf('current', [...joined, 'presenceCatchesUp: { tab: u1#1 }']))
      .toBe("presenceCatchesUp u1#1: Daily presence already agrees with u1#1: it is in M1's call and shown");
    expect(await reasonOf('current', ['presenceCatchesUp: { tab: u2#2 }']))
      .toBe('presenceCatchesUp u2#2: u2#2 is a free slot: no tab, so nothing for Daily presence to catch up with');
    expect(await reasonOf('fixed', ['getOrCreateMeeting: { user: u1 }', 'postJoining: { user: u1 }', 'tick', 'pendingJoinExpires: { tab: u1#1 }']))
      .toBe("pendingJoinExpires u1#1: u1#1's pending join has 5 ticks of its TTL left (it expires at 0: tick first)");
    expect(await reasonOf('fixed', ['pendingJoinExpires: { tab: u1#1 }'])).toBe('pendingJoinExpires u1#1: u1#1 has no pending-join key');
    expect(await reasonOf('shipped', ['webhookDelivered: { tab: u1#1 }'])).toBe('webhookDelivered u1#1: no participant.left webhook for u1#1 is in flight');
    expect(await reasonOf('current', ['getOrCreateMeeting: { user: u1 }', 'tick', 'tick', 'tick']))
      .toBe("tick: time cannot pass a deadline: u1#1's handshake is at its longest (connect or closeTab first)");
    expect(await reasonOf('current', ['getOrCreateMeeting: { user: u1 }', 'connect: { user: u1 }', 'tick', 'tick']))
      .toBe('tick: time cannot pass a deadline: Daily presence must catch up with u1#1 (presenceCatchesUp first)');
  });

  test('an invariant violated before a step that is not enabled: both are reported', async () => {
    const text = readFileSync(join(ROOT, CURRENT), 'utf8') + '  - pmDeactivates: { meeting: M2 }\n';
    const file = scenario('then.yaml', text);
    const { code, report } = await replayJson([file]);
    expect(code).toBe(EXIT.failed);
    expect(report).toMatchObject({ verdict: 'violated', violation: { property: 'no-orphaned-call', step: 17 }, notEnabled: { step: 18 } });
    const out = (await run(['replay', file])).out.trimEnd().split('\n');
    expect(out[1]).toMatch(/^VIOLATED: no-orphaned-call .* after step 17 \(line \d+\) of 18; then step 18 is not enabled and the replay stops there$/);
    expect(out.at(-2)).toMatch(/^property no-orphaned-call is violated after step 17: /);
    expect(out.at(-1)).toMatch(/^step 18 \(pmDeactivates M2, line \d+\) is not enabled: process_meetings is not about to deactivate M2 \(it is idle; no run on M2 has started/);
  });
});

// -------------------------------------------------------------------- json

describe('--json', () => {
  test('one object: the frame, the verdict, properties, and the trace with lines', async () => {
    const { report } = await replayJson([join(ROOT, CURRENT)]);
    expect(Object.keys(report).sort()).toEqual(['bounds', 'command', 'design', 'designFrom', 'file', 'model', 'modelPath', 'notEnabled',
      'properties', 'replayed', 'steps', 'symmetry', 'trace', 'verdict', 'violation'].sort());
    expect(report).toMatchObject({ command: 'replay', model: 'presence/current', modelPath: null });
    expect(report.violation).toEqual({
      property: 'no-orphaned-call', description: "nobody is in a deactivated meeting's Daily room while another meeting is active",
      step: 17, line: report.trace[17].line,
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
    const npx = (args: string[]) => spawnSync('npx', ['tsx', 'cli.ts', ...args], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
    const split = npx(['replay', CURRENT]);
    expect(split.stderr).toBe('');
    expect(split.status).toBe(1);
    expect(split.stdout).toMatch(/\nproperty no-orphaned-call is violated after step 17: /);
    const bad = npx(['replay', CURRENT, '--design', 'fixed']);
    expect(bad.status).toBe(2);
    expect(bad.stdout).toBe('');
    expect(bad.stderr.split('\n').filter(Boolean)).toHaveLength(1);
  });
});
