// `simulate` on the command line: its flags and bad input, the issue's
// "done when" at reduced time budgets (the exact commands run in `npm run
// prove`, specs/prove/simulate-done-when.test.ts), the same trace for the
// same seed on one thread or two, every trace format written and replayed,
// --json, the seed printed when not given, several designs, a user's model,
// progress and Ctrl-C. Presence runs are keyed to design names and verdicts,
// not to a trace's text: the model is being rewritten.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { commandHelp, helpText, parseArgs, type SimulateArgs } from '../cli/args/index.ts';
import { SIMULATE_FLAGS } from '../cli/args/simulate.ts';
import { DEFAULT_WORKERS } from '../cli/args/check.ts';
import { EXIT, EXIT_CODE_DOC, exitCodeOf } from '../cli/exit.ts';
import type { MainDeps } from '../cli/main.ts';
import type { RunReport } from '../report/types.ts';
import { jobRecord, presenceJob } from '../cli/jobs.ts';
import { DEFAULT_BOUNDS, designByName } from '../model/index.ts';
import { exportReport, formatRun } from '../export/index.ts';
import { expectBadInput, runCli as run } from './bad-input.ts';

const ROOT = new URL('..', import.meta.url).pathname;

function options(argv: string[]): SimulateArgs {
  const parsed = parseArgs(argv);
  if (parsed.kind !== 'simulate') throw new Error(`expected simulate options, got ${JSON.stringify(parsed)}`);
  return parsed.options;
}

/** The elapsed time a text report printed ("in 1.23 s"), back in milliseconds as formatRun rounds it. */
function elapsedOf(text: string): number {
  const m = /\) in ([\d.]+) s\n|seen in ([\d.]+) s|, in ([\d.]+) s;/.exec(text);
  return Number(m![1] ?? m![2] ?? m![3]) * 1000;
}

let dir = '';
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'simulate-'));
  writeFileSync(
    join(dir, 'toggle.ts'),
    `type S = { readonly on: boolean };
export default {
  name: 'toggle',
  init: [{ on: false }],
  actions: [{ name: 'flip', guard: (_s: S) => true, effect: (s: S): S => ({ on: !s.on }) }],
  properties: [
    { kind: 'always', name: 'is-boolean', description: 'on is a boolean', condition: (s: S) => typeof s.on === 'boolean' },
    { kind: 'sometimes', name: 'turned-on', description: 'the toggle is on', condition: (s: S) => s.on },
  ],
};
`,
  );
  // a liveness bug a walk closes as a lasso (specs/checker/walk-models.ts has it too)
  writeFileSync(
    join(dir, 'desk.ts'),
    `type S = 'waiting' | 'served' | 'stuck';
export default {
  name: 'desk',
  init: ['waiting'],
  actions: [
    { name: 'serve', guard: (s: S) => s === 'waiting', effect: (): S => 'served', fairness: 'weak' },
    { name: 'poke', guard: (s: S) => s === 'waiting', effect: (): S => 'stuck', fairness: 'weak' },
    { name: 'idle', guard: (s: S) => s === 'stuck', effect: (s: S) => s, fairness: 'weak' },
    { name: 'again', guard: (s: S) => s === 'served', effect: (): S => 'waiting', fairness: 'weak' },
  ],
  properties: [
    { kind: 'leadsTo', name: 'waiting-served', description: 'a waiting customer is served', p: (s: S) => s === 'waiting', q: (s: S) => s === 'served' },
  ],
};
`,
  );
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('arguments', () => {
  test('defaults: every design, no seed yet (drawn when it runs), walks of 100 steps, every core, shrinking on', () => {
    const o = options(['simulate']);
    expect(o.designs.length).toBeGreaterThan(1);
    expect(o).toMatchObject({
      seed: null,
      maxSteps: 100,
      workers: DEFAULT_WORKERS,
      weights: {},
      swarm: false,
      shrink: true,
      liveness: true,
    });
    expect(o.runs).toBeUndefined();
    expect(o.maxTimeMs).toBeUndefined();
  });

  test('the walk flags', () => {
    const o = options([
      'simulate',
      '--design',
      'current',
      '--seed',
      '9007199254740991',
      '--runs',
      '50',
      '--max-steps',
      '0',
      '--max-time',
      '1.5',
      '--weights',
      'tick=4, closeTab=0,connect=.5',
      '--swarm',
      '--no-shrink',
      '--workers',
      '3',
      '--no-symmetry',
    ]);
    expect(o).toMatchObject({
      designs: ['current'],
      seed: 2 ** 53 - 1,
      runs: 50,
      maxSteps: 0,
      maxTimeMs: 1500,
      weights: { tick: 4, closeTab: 0, connect: 0.5 },
      swarm: true,
      shrink: false,
      workers: 3,
      symmetry: false,
    });
  });

  test.each([
    [['--seed', '-1'], /^presence-check: --seed must be an integer of at least 0 \(got -1\)$/],
    [['--seed', '9007199254740992'], /--seed must be at most 2\^53-1/],
    [['--runs', '0'], /--runs must be an integer of at least 1/],
    [['--max-steps', 'many'], /--max-steps must be an integer of at least 0 \(got 'many'\)/],
    [['--max-time', '0'], /--max-time must be a positive number of seconds/],
    [['--weights', 'tick'], /--weights: 'tick' is not ACTION=WEIGHT/],
    [['--weights', 'tick=-1'], /--weights: 'tick=-1' is not ACTION=WEIGHT/],
    [['--weights', 'tick=1,tick=2'], /--weights: tick is given twice/],
    [['--max-states', '5'], /unknown option --max-states for simulate/],
    [['--exact'], /unknown option --exact for simulate/],
    [['--design', 'current', '--weights', 'teleport=1'], /--weights: 'teleport' is no action of design current \(its actions: .*tick/],
    [['--model', 'x.ts', '--users', '3'], /--users does not apply to --model/],
    [['--trace-out', 'x.json'], /--trace-out writes one run: give one --design/],
    [['extra'], /unexpected argument 'extra' after simulate \(see simulate --help\)/],
  ])('bad input %j: one line, exit 2, nothing run', async (flags, message) => {
    expectBadInput(await run(['simulate', ...flags]), message);
  });

  test('help: simulate is a command; its help lists exactly its flags; none-found is exit 0 in the table', () => {
    expect(helpText()).toMatch(/\n {2}simulate \[options\] +random walks/);
    const help = commandHelp('simulate');
    for (const f of SIMULATE_FLAGS) expect(help).toContain(`--${f.flag}`);
    expect(SIMULATE_FLAGS.map((f) => f.flag)).not.toContain('max-states');
    expect(help).not.toMatch(/\n {2}--max-states/);
    expect(help).toMatch(/never holds/);
    expect(EXIT_CODE_DOC.find(([code]) => code === 0)![1]).toMatch(/none-found/);
    expect(exitCodeOf('none-found')).toBe(EXIT.holds);
  });
});

describe('the issue\'s "done when", at smaller time budgets', () => {
  test('current at 4 users x 2 tabs x lag 2, seed 7: exit 1, a shrunk trace of at most 30 steps, the same for the same seed on 1 and 2 threads', async () => {
    const argv = ['simulate', '--design', 'current', '--users', '4', '--tabs', '2', '--lag', '2', '--seed', '7', '--max-time', '60'];
    const two = await run([...argv, '--json']);
    expect(two.code).toBe(EXIT.failed);
    const report = JSON.parse(two.out) as RunReport;
    expect(report.verdict).toBe('violated');
    expect(report.trace.length - 1).toBeLessThanOrEqual(30);
    expect(report.simulation!.seed).toBe(7);
    expect(report.simulation!.shrink!.to).toBe(report.trace.length - 1);
    const text = await run([...argv, '--workers', '1']);
    expect(text.code).toBe(EXIT.failed);
    // the same report on one thread as on two: what the text says is what formatRun makes of the JSON one
    expect(text.out).toBe(`${formatRun({ ...report, elapsedMs: elapsedOf(text.out), workers: 1 })}\n`);
    expect(text.out).toMatch(/^simulate current: users=4 tabs=2 lag=2 .*seed 7/);
    expect(text.out).toMatch(/\nVIOLATED: \S+ .*\(found in run \d+/);
    expect(text.out).toContain(
      `\nrerun: presence-check simulate --design current --users 4 --tabs 2 --lag 2 --seed 7 --runs ${report.simulation!.runs}\n`,
    );
  }, 120_000);

  test('fixed at 3 users x 2 tabs x lag 1 for 2 seconds: exit 0, none found (not holds), with each action taken and the witnesses', async () => {
    const r = await run(['simulate', '--design', 'fixed', '--users', '3', '--tabs', '2', '--lag', '1', '--max-time', '2', '--seed', '1']);
    expect(r.code).toBe(EXIT.holds);
    expect(r.out).toMatch(
      /\nNONE FOUND: no property violated in [\d,]+ runs?, [\d,]+ steps, [\d,]+ distinct states seen \(--max-time 2 s reached\)/,
    );
    expect(r.out).toContain('this is not "holds"');
    expect(r.out).not.toMatch(/\nholds/);
    expect(r.out).toMatch(/\ncoverage: getOrCreateMeeting [\d,]+, /);
    // how many walks 2 seconds allow depends on the machine: each witness is reached or said not to be
    expect(r.out).toMatch(/\n {2}sometimes +meeting-deactivated +(reached \(run \d+, step \d+\)|NOT REACHED by the walks)/);
    expect(r.out).toMatch(/\n {2}leadsTo +latecomer-joins\[u1\] +not judged/);
    expect(r.out).toMatch(/\nliveness: a finite walk cannot judge a leadsTo property/);
    // the rerun line repeats exactly the walks done, whatever the machine did in 2 seconds
    const runs = /\nNONE FOUND: no property violated in ([\d,]+) runs?/.exec(r.out)![1].replace(/,/g, '');
    expect(r.out).toContain(`\nrerun: presence-check simulate --design fixed --users 3 --tabs 2 --lag 1 --seed 1 --runs ${runs}`);
  }, 60_000);

  test('witnesses: the first run and step that reached each, the same for the same seed and runs on 1 and 2 threads', async () => {
    const argv = ['simulate', '--design', 'fixed', '--users', '2', '--tabs', '1', '--lag', '1', '--seed', '1', '--runs', '200', '--json'];
    const a = JSON.parse((await run(argv)).out) as RunReport;
    const b = JSON.parse((await run([...argv, '--workers', '1'])).out) as RunReport;
    const reached = a.properties.filter((p) => p.kind === 'sometimes' && p.status === 'reached').map((p) => p.name);
    expect(reached.length).toBeGreaterThan(0);
    expect(Object.keys(a.simulation!.reached).sort()).toEqual([...reached].sort());
    expect(b.simulation!.reached).toEqual(a.simulation!.reached);
  }, 60_000);
});

describe('traces', () => {
  test('a violation written in every format, each recording its job; replay takes the JSON, ITF, Markdown and Mermaid ones to the same verdict at the same step', async () => {
    const argv = ['simulate', '--design', 'current', '--users', '6', '--tabs', '3', '--lag', '4', '--seed', '7', '--workers', '1'];
    const files: Record<string, string> = {};
    for (const ext of ['json', 'itf.json']) {
      const path = join(dir, `current.${ext}`);
      const r = await run([...argv, '--trace-out', path]);
      expect(r.code).toBe(EXIT.failed);
      files[ext] = readFileSync(path, 'utf8');
    }
    const report = JSON.parse(files.json) as RunReport;
    // the other formats from the same report, as --trace-out writes them (exportReport), and --trace-out - once
    files.md = exportReport(report, 'markdown');
    files.txt = exportReport(report, 'text');
    const mermaid = await run([...argv, '--trace-out', '-', '--format', 'mermaid']);
    files.mmd = mermaid.out;
    expect(report.simulation!.seed).toBe(7);
    expect(files['itf.json']).toContain('"simulation"');
    expect(files['itf.json']).toContain('shrunk from a random walk');
    expect(files.md).toMatch(/\n- \*\*simulation\*\*: seed 7, walks of up to 100 steps; /);
    expect(files.txt).toMatch(/^simulate current: /);
    expect(files.mmd).toMatch(/^sequenceDiagram/m);
    // the job, as check records it: the design with every switch, the bounds, the options
    expect(report.job).toEqual(
      jobRecord(presenceJob(designByName('current')!, null, { ...DEFAULT_BOUNDS, users: 6, tabs: 3, lag: 4 }, {})),
    );
    expect(JSON.parse(files['itf.json'])['#meta'].job).toEqual(report.job);
    writeFileSync(join(dir, 'current.md'), files.md);
    writeFileSync(join(dir, 'current.mmd'), files.mmd);
    for (const ext of ['json', 'itf.json', 'md', 'mmd']) {
      const r = await run(['replay', join(dir, `current.${ext}`)]);
      expect(r.code).toBe(EXIT.failed);
      expect(r.out).toMatch(new RegExp(`\\nas the check that wrote it found: ${report.property} after step ${report.trace.length - 1}\\n`));
    }
  }, 120_000);

  test('a lasso (a liveness violation a walk closed) is written and replays as the same fair behaviour', async () => {
    const path = join(dir, 'desk.json');
    const r = await run(['simulate', '--model', join(dir, 'desk.ts'), '--seed', '1', '--trace-out', path]);
    expect(r.code).toBe(EXIT.failed);
    expect(r.out).toMatch(
      /\nVIOLATED: waiting-served \(a waiting customer is served\) by a behaviour that goes round step 2 \(a cycle of 1 step\) forever, after 1 step/,
    );
    const report = JSON.parse(readFileSync(path, 'utf8')) as RunReport;
    expect([report.loop, report.trace.map((t) => t.action)]).toEqual([1, [null, 'poke', 'idle']]);
    // the job: the model file, as check records it
    expect(report.job).toEqual({ kind: 'module', path: join(dir, 'desk.ts'), liveness: true });
    writeFileSync(join(dir, 'desk.md'), exportReport(report, 'markdown'));
    for (const file of [path, join(dir, 'desk.md')]) {
      const replayed = await run(['replay', file]);
      expect(replayed.code).toBe(EXIT.failed);
      expect(replayed.out).toMatch(/\na fair behaviour: step 2 repeats forever, after 1 step; it violates waiting-served\n/);
      expect(replayed.out).toContain('as the check that wrote it found: waiting-served, by a lasso');
    }
  });
});

describe('output', () => {
  test('--json: one line with the simulation; no progress and no seed line, even on a terminal', async () => {
    const r = await run(['simulate', '--model', join(dir, 'toggle.ts'), '--json', '--runs', '50'], { tty: true });
    expect(r.err).toBe('');
    expect(r.code).toBe(EXIT.holds);
    const lines = r.out.trim().split('\n');
    expect(lines).toHaveLength(1);
    const report = JSON.parse(lines[0]) as RunReport;
    expect(report.verdict).toBe('none-found');
    expect(report.simulation).toMatchObject({ runs: 50, steps: 5000, maxSteps: 100 });
    expect(report.states).toBe(2);
    expect(report.properties.map((p) => p.status)).toEqual(['none-found', 'reached', 'none-found']);
  });

  test('a seed not given is drawn, printed on stderr as the run starts, and in the report and its rerun line', async () => {
    const r = await run(['simulate', '--model', join(dir, 'toggle.ts'), '--runs', '20']);
    const seed = /^simulate: --seed (\d+) \(drawn at random; give it to repeat these walks\)\n$/.exec(r.err)?.[1];
    expect(seed).toBeDefined();
    expect(r.out).toContain(`(seed ${seed}, walks of up to 100 steps`);
    expect(r.out).toMatch(new RegExp(`\\nrerun: presence-check simulate --model \\S+toggle.ts --seed ${seed} --runs 20\\n?$`));
    expect(r.out).toMatch(/\nNONE FOUND: no property violated in 20 runs, 2,000 steps, 2 distinct states seen/);
  });

  test('several designs: a table, the worst exit code', async () => {
    const r = await run([
      'simulate',
      '--design',
      'current,fixed',
      '--users',
      '2',
      '--tabs',
      '1',
      '--lag',
      '0',
      '--runs',
      '300',
      '--seed',
      '3',
      '--no-liveness',
    ]);
    expect(r.code).toBe(EXIT.failed);
    expect(r.out).toMatch(/^simulating 2 designs at users=2 tabs=1 lag=0 /);
    expect(r.out).toMatch(/\ncurrent +VIOLATED +no-orphaned-call +\d+ /);
    expect(r.out).toMatch(/\nfixed +none-found +- +- /);
    expect(r.out).toMatch(
      /\nfor its shrunk trace, simulate one design alone, e.g.: presence-check simulate --design current .*--seed 3 --runs \d+/,
    );
  }, 60_000);

  test('progress on a terminal: the walks done; Ctrl-C ends the walks with what was done, exit 130', async () => {
    let interrupt: (() => void) | null = null;
    const deps: MainDeps = {
      onInterrupt: (handler) => {
        interrupt = () => handler('SIGINT');
        return () => (interrupt = null);
      },
    };
    const r = await run(['simulate', '--design', 'fixed', '--users', '3', '--tabs', '2', '--lag', '1', '--seed', '1', '--max-time', '30'], {
      tty: true,
      deps,
      onErr: (s) => {
        if (s.includes('steps/s')) interrupt?.();
      },
    });
    expect(r.code).toBe(EXIT.interrupted);
    expect(r.err).toMatch(/fixed \[[█░]{20}\] \d+% \| [\d,]+ runs?, [\d,]+ steps, [\d,]+ distinct states, [\d,]+ steps\/s/);
    expect(r.out).toMatch(/\nNONE FOUND: no property violated in [\d,]+ runs?, .*\(interrupted: Ctrl-C\)/);
  }, 60_000);

  test('the real command: Ctrl-C stops the walks in their worker thread, exit 130, with the walks so far', async () => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'cli.ts', 'simulate', '--design', 'fixed', '--seed', '1', '--max-time', '60', '--progress-every', '0.2'],
      {
        cwd: ROOT,
      },
    );
    let out = '';
    let err = '';
    let sent = false;
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    // Ctrl-C at the first progress line (stderr is not a terminal: a plain line every --progress-every), printed
    // once the walks run, by when the handler is in place
    child.stderr.on('data', (d: Buffer) => {
      err += d.toString();
      if (!sent && /steps\/s/.test(err)) {
        sent = true;
        child.kill('SIGINT');
      }
    });
    const code = await new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
    expect(sent).toBe(true);
    // nothing on stderr but the progress lines: no error, no stack trace
    for (const line of err.trimEnd().split('\n'))
      expect(line).toMatch(/^presence-check: fixed: ([\d,]+ runs?, [\d,]+ steps?, |starting the search; |[\d,]+ states, depth )/);
    expect(code).toBe(EXIT.interrupted);
    expect(out).toMatch(
      /\nNONE FOUND: no property violated in [\d,]+ runs?, [\d,]+ steps, [\d,]+ distinct states seen \(interrupted: Ctrl-C\)/,
    );
  }, 60_000);
});
