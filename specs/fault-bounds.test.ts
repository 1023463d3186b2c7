// The fault bounds and --judge on the command line: --flap-ticks and --flaps
// bound presence-flap, --judge judges a property a fault in force would
// leave unjudged. Each reaches the model (a verdict changes), travels in the
// job a trace records (replay rebuilds the exact model), is refused in one
// line when bad, and every report names what the verdict assumed: the fault
// bounded or not, and each property not judged. The runs are the smallest
// that show the difference: two-looks at every timing bound 0 (ttl 2), where
// a flap of at most 1 tick, once a connection, holds and anything more is
// violated; fixed with refresh-fails at 1 user.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  DESIGNS,
  FAULT_BOUND_SPECS,
  faultByName,
  JUDGEABLE,
  notJudgedOf,
  PREMISES,
  presenceModel,
  type FaultName,
} from '../model/index.ts';
import { commandHelp, parseArgs } from '../cli/args/index.ts';
import { EXIT } from '../cli/exit.ts';
import { matrixPremises } from '../cli/matrix/premises.ts';
import type { RunReport } from '../report/types.ts';
import { expectBadInput, runCli as run } from './bad-input.ts';

/** two-looks under presence-flap at the smallest bounds where the flap's bounds decide the verdict (about 1 s a run). */
const TWO_LOOKS = [
  'check',
  '--design',
  'two-looks',
  '--faults',
  'presence-flap',
  '--users',
  '2',
  '--tabs',
  '1',
  '--lag',
  '1',
  '--handshake',
  '0',
  '--ttl',
  '2',
  '--poll-delay',
  '0',
  '--left-poll-delay',
  '0',
  '--grace',
  '0',
  '--no-liveness',
  '--workers',
  '1',
];
/** fixed, which deletes rooms, under refresh-fails: no-call-cut is not judged unless asked for. */
const FIXED_REFRESH = [
  'check',
  '--design',
  'fixed',
  '--faults',
  'refresh-fails',
  '--users',
  '1',
  '--tabs',
  '1',
  '--lag',
  '0',
  '--no-liveness',
  '--workers',
  '1',
];

const GUARANTEE = faultByName('refresh-fails')!.guarantee;

let dir = '';
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'fault-bounds-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const json = (out: string): RunReport => JSON.parse(out.trim()) as RunReport;

describe('--flap-ticks, --flaps, --judge: parsed, and listed in the help from the model', () => {
  test('check and simulate take them; the job options carry exactly what was given', () => {
    for (const command of ['check', 'simulate']) {
      const parsed = parseArgs([
        command,
        '--faults',
        'presence-flap,refresh-fails',
        '--flap-ticks',
        '3',
        '--flaps',
        '2',
        '--judge',
        'no-call-cut',
      ]);
      if (parsed.kind !== 'check' && parsed.kind !== 'simulate') throw new Error(JSON.stringify(parsed));
      expect(parsed.options.faultBounds).toEqual({ flapTicks: 3, flaps: 2 });
      expect(parsed.options.judge).toEqual(['no-call-cut']);
      const plain = parseArgs([command, '--faults', 'presence-flap']);
      if (plain.kind !== 'check' && plain.kind !== 'simulate') throw new Error(JSON.stringify(plain));
      expect(plain.options.faultBounds).toEqual({});
      expect(plain.options.judge).toEqual([]);
    }
  });

  test("each --help lists each bound with its range and fault, and --judge with the model's judgeable properties", () => {
    for (const command of ['check', 'simulate'] as const) {
      const help = commandHelp(command).replace(/\s+/g, ' ');
      for (const b of FAULT_BOUND_SPECS)
        expect(help).toContain(`--${b.flag} N ${b.description} [${b.min} to ${b.max}; only with ${b.fault} in --faults`);
      for (const p of JUDGEABLE) expect(help).toContain(`${p} (not judged under ${PREMISES[p].fault} unless named here)`);
    }
  });
});

describe('bad values: one line, exit 2, nothing run', () => {
  test.each([
    [['--faults', 'presence-flap', '--flap-ticks', '0'], /--flap-ticks must be an integer from 1 to 15 \(got 0\)/],
    [['--faults', 'presence-flap', '--flap-ticks', '16'], /--flap-ticks must be an integer from 1 to 15 \(got 16\)/],
    [['--faults', 'presence-flap', '--flaps', 'two'], /--flaps must be an integer from 1 to 7 \(got 'two'\)/],
    [['--faults', 'presence-flap', '--flaps', '8'], /--flaps must be an integer from 1 to 7 \(got 8\)/],
    [['--faults', 'presence-flap', '--flaps'], /--flaps needs a value/],
    // a bound on a fault the run leaves out would do nothing: an error, not a silent no-op
    [
      ['--faults', 'lock-lost', '--flap-ticks', '2'],
      /--flap-ticks bounds presence-flap, which --faults does not include: add it \(--faults lock-lost,presence-flap\)/,
    ],
    [['--flaps', '1'], /--flaps bounds presence-flap, which --faults does not include/],
    [
      ['--faults', 'refresh-fails', '--judge', 'no-cal-cut'],
      /--judge: 'no-cal-cut' is not a property a fault leaves unjudged \(did you mean no-call-cut\? /,
    ],
    [
      ['--faults', 'refresh-fails', '--judge', 'same-daily-room'],
      /'same-daily-room' is not a property a fault leaves unjudged .*every other property is always judged/,
    ],
    [['--faults', 'refresh-fails', '--judge', ','], /--judge needs a property name/],
    // judged anyway without the fault that lifts its premise: the flag would do nothing
    [
      ['--faults', 'lock-lost', '--judge', 'no-call-cut'],
      /--judge no-call-cut: only refresh-fails leaves it unjudged, and --faults does not include refresh-fails/,
    ],
  ])('check and simulate %j', async (argv, message) => {
    expectBadInput(await run(['check', '--design', 'two-looks', ...argv]), message);
    expectBadInput(await run(['simulate', '--design', 'fixed', '--seed', '1', ...argv]), message);
  });

  test('with --model they are a clash, named before any missing fault', async () => {
    for (const command of ['check', 'simulate'])
      expectBadInput(
        await run([command, '--model', 'examples/die-hard.ts', '--flap-ticks', '1', '--judge', 'no-call-cut']),
        /--flap-ticks, --judge do not apply to --model/,
      );
  });

  test('a trace whose job has a bad fault bound or judge is refused in one line naming the field', async () => {
    const r = await run([...TWO_LOOKS, '--flap-ticks', '2', '--flaps', '1', '--json']);
    const report = json(r.out);
    const write = (name: string, options: Record<string, unknown>) => {
      const path = join(dir, name);
      const job = { ...report.job, options: { ...(report.job.options as object), ...options } };
      writeFileSync(path, JSON.stringify({ ...report, format: 'presence-check/run', job }));
      return path;
    };
    expectBadInput(
      await run(['replay', write('ticks.json', { faultBounds: { flapTicks: 0 } })]),
      /job\.options\.faultBounds: --flap-ticks must be an integer from 1 to 15 \(got 0\)/,
    );
    expectBadInput(
      await run(['replay', write('odd.json', { faultBounds: { flapLength: 2 } })]),
      /job\.options\.faultBounds: unknown bound 'flapLength' \(bounds: flapTicks, flaps\)/,
    );
    expectBadInput(
      await run(['replay', write('judge.json', { judge: ['nope'] })]),
      /job\.options\.judge: --judge: 'nope' is not a property a fault leaves unjudged/,
    );
    expectBadInput(
      await run(['replay', write('judge2.json', { judge: 'no-call-cut' })]),
      /job\.options\.judge: expected a list of property names/,
    );
  });
});

describe('the bounds reach the model: the verdict changes, and the report says which bounds it rests on', () => {
  test('a flap of ≤ 1 tick, once a connection: two-looks holds, and the report names both bounds as assumptions', async () => {
    const r = await run([...TWO_LOOKS, '--flap-ticks', '1', '--flaps', '1']);
    expect(r.code, r.err).toBe(EXIT.holds);
    const flat = r.out.replace(/\s+/g, ' ');
    expect(flat).toContain('faults in force: presence-flap (bounded: a flap lasts ≤ 1 tick, ≤ 1 flap a connection)');
    for (const b of FAULT_BOUND_SPECS) expect(flat).toContain(b.assumption(1));
    expect(flat).toMatch(/holds: all \d+ properties hold at these bounds, with these faults and assumptions/);
  });

  test('unbounded (the default), two-looks is violated, and the report says presence-flap is unbounded', async () => {
    const unbounded = await run(TWO_LOOKS);
    expect(unbounded.code).toBe(EXIT.failed);
    const flat = unbounded.out.replace(/\s+/g, ' ');
    expect(flat).toContain(
      'faults in force: presence-flap (unbounded: a flap lasts any number of ticks, any number of flaps a connection)',
    );
    expect(flat).toContain('VIOLATED: no-orphaned-call');
    for (const b of FAULT_BOUND_SPECS) expect(flat).not.toContain(b.assumption(1));
  });

  test('with either bound loosened by one, two-looks is violated again; the JSON report, job and rerun carry the bounds', async () => {
    for (const looser of [
      ['--flap-ticks', '2', '--flaps', '1'],
      ['--flap-ticks', '1', '--flaps', '2'],
    ]) {
      const r = await run([...TWO_LOOKS, ...looser, '--json']);
      expect(r.code, looser.join(' ')).toBe(EXIT.failed);
      const report = json(r.out);
      expect(report.property).toBe('no-orphaned-call');
      expect(report.faultBounds).toEqual([
        {
          fault: 'presence-flap',
          bounded: true,
          bounds: { flapTicks: Number(looser[1]), flaps: Number(looser[3]) },
          text: `presence-flap bounded: a flap lasts ≤ ${looser[1]} ${looser[1] === '1' ? 'tick' : 'ticks'}, ≤ ${looser[3]} ${looser[3] === '1' ? 'flap' : 'flaps'} a connection`,
        },
      ]);
      expect(report.job.options).toMatchObject({ faultBounds: { flapTicks: Number(looser[1]), flaps: Number(looser[3]) } });
      expect(report.rerun).toContain(`--faults presence-flap --flap-ticks ${looser[1]} --flaps ${looser[3]} --no-liveness`);
    }
  });

  test('simulate takes them too: the bounds are in its report, its job and its rerun', async () => {
    const r = await run(['simulate', ...TWO_LOOKS.slice(1), '--flap-ticks', '1', '--flaps', '1', '--seed', '7', '--runs', '50', '--json']);
    expect(r.code, r.err).toBe(EXIT.holds);
    const report = json(r.out);
    expect(report.verdict).toBe('none-found');
    expect(report.faultBounds?.[0]?.text).toBe('presence-flap bounded: a flap lasts ≤ 1 tick, ≤ 1 flap a connection');
    expect(report.assumptions).toEqual(expect.arrayContaining(FAULT_BOUND_SPECS.map((b) => b.assumption(1))));
    expect(report.rerun).toMatch(/ simulate .*--flap-ticks 1 --flaps 1 .*--seed 7 --runs 50/);
  });
});

describe('replay rebuilds the exact model from the job a trace records', () => {
  test.each(['json', 'itf.json', 'md', 'mmd'])(
    'a .%s trace written with --flap-ticks 2 --flaps 1 replays to the same violation',
    async (ext) => {
      const path = join(dir, `bounded.${ext}`);
      const r = await run([...TWO_LOOKS, '--flap-ticks', '2', '--flaps', '1', '--trace-out', path]);
      expect(r.code, r.err).toBe(EXIT.failed);
      const replayed = await run(['replay', path]);
      expect(replayed.code, replayed.err).toBe(EXIT.failed);
      expect(replayed.out).toContain('faults presence-flap (bounded: a flap lasts ≤ 2 ticks, ≤ 1 flap a connection)');
      expect(replayed.out).toMatch(/as the check that wrote it found: no-orphaned-call after step \d+/);
    },
  );

  test("the recorded bounds are the ones replayed: an unbounded run's trace, its job given ≤ 1-tick single flaps, cannot be replayed", async () => {
    const r = await run([...TWO_LOOKS, '--json']);
    const report = json(r.out);
    expect(report.verdict).toBe('violated');
    const as = (name: string, faultBounds: object | undefined) => {
      const path = join(dir, name);
      const options = { ...(report.job.options as object), ...(faultBounds !== undefined ? { faultBounds } : {}) };
      writeFileSync(path, JSON.stringify({ ...report, format: 'presence-check/run', job: { ...report.job, options } }));
      return path;
    };
    const same = await run(['replay', as('unbounded.json', undefined)]);
    expect(same.code).toBe(EXIT.failed);
    expect(same.out).toMatch(/as the check that wrote it found: no-orphaned-call/);
    // the shortest split needs a flap the bounds forbid: some step of it is not enabled under them
    const bounded = await run(['replay', as('rebounded.json', { flapTicks: 1, flaps: 1 })]);
    expect(bounded.code).toBe(EXIT.failed);
    expect(bounded.out).toContain('faults presence-flap (bounded: a flap lasts ≤ 1 tick, ≤ 1 flap a connection)');
    expect(bounded.out).toMatch(/NOT ENABLED|not enabled/);
    expect(bounded.out).toMatch(/DIFFERS from the check that wrote it/);
  });
});

describe('a property a fault in force leaves unjudged: named in every report, judged with --judge', () => {
  test('fixed under refresh-fails: text, JSON, Markdown trace and summary say no-call-cut is not judged, and why', async () => {
    const summary = join(dir, 'summary.md');
    const md = join(dir, 'fixed-refresh.md');
    const r = await run([...FIXED_REFRESH, '--summary', summary, '--trace-out', md]);
    expect(r.code, r.err).toBe(EXIT.holds);
    const line = `no-call-cut: not judged — refresh-fails in force (its premise: ${GUARANTEE}; ${PREMISES['no-call-cut'].why}); pass --judge no-call-cut to judge it`;
    expect(r.out.replace(/\s+/g, ' ')).toContain(line);
    expect(r.out).not.toMatch(/^\s+always\s+no-call-cut/m);
    expect(readFileSync(md, 'utf8').replace(/\s+/g, ' ')).toContain(`- **not judged**: ${line}`);
    expect(readFileSync(summary, 'utf8').replace(/\s+/g, ' ')).toContain(`- **not judged**: \`fixed\`: ${line}`);
    const j = json((await run([...FIXED_REFRESH, '--json'])).out);
    expect(j.notJudged).toEqual([
      { property: 'no-call-cut', fault: 'refresh-fails', premise: GUARANTEE, why: PREMISES['no-call-cut'].why },
    ]);
    expect(j.properties.map((p) => p.name)).not.toContain('no-call-cut');
  });

  test('--judge no-call-cut: the line is gone, the property is judged and the cut is found; its trace replays', async () => {
    const path = join(dir, 'cut.json');
    const r = await run([...FIXED_REFRESH, '--judge', 'no-call-cut', '--trace-out', path]);
    expect(r.code, r.err).toBe(EXIT.failed);
    expect(r.out).not.toContain('not judged —');
    expect(r.out).toContain('VIOLATED: no-call-cut');
    const report = JSON.parse(readFileSync(path, 'utf8')) as RunReport;
    expect(report.notJudged).toEqual([]);
    expect(report.job.options).toMatchObject({ judge: ['no-call-cut'] });
    expect(report.rerun).toContain('--faults refresh-fails --judge no-call-cut');
    const replayed = await run(['replay', path]);
    expect(replayed.code).toBe(EXIT.failed);
    expect(replayed.out).toMatch(/as the check that wrote it found: no-call-cut after step \d+/);
  });

  test('a design that never deletes rooms has no no-call-cut to leave unjudged: no line, though refresh-fails is in force', async () => {
    const r = await run([...FIXED_REFRESH.map((a) => (a === 'fixed' ? 'two-looks' : a)), '--json']);
    const report = json(r.out);
    expect(report.faults?.inForce).toEqual(['refresh-fails']);
    expect(report.notJudged).toEqual([]);
    expect(r.out).not.toContain('not judged —');
  });

  test("notJudgedOf is the model's own: for every design and premise, the property is missing exactly when it lists it", () => {
    for (const design of DESIGNS) {
      for (const [property, premise] of Object.entries(PREMISES)) {
        const faults: FaultName[] = [premise.fault];
        const names = (judge: string[]) =>
          presenceModel(design, { users: 1, tabs: 1, lag: 0 }, { faults, liveness: false, judge }).properties.map((p) => p.name);
        const listed = notJudgedOf(design, faults).some((n) => n.property === property);
        expect(names([]).includes(property), `${design.name}: ${property}`).toBe(!listed && premise.applies(design));
        if (listed) expect(names([property]), `${design.name}: --judge ${property}`).toContain(property);
        expect(notJudgedOf(design, faults, [property])).toEqual([]);
      }
    }
  });

  test('the matrix names the cells that left a property unjudged under the table, once per reason', () => {
    const why = `no-call-cut (refresh-fails lifts its premise: ${GUARANTEE})`;
    const base = { design: 'fixed', assumptions: ['the DB applies each transaction atomically and durably'] };
    const lines = matrixPremises([
      { ...base, faultList: [], faults: '—' },
      { ...base, faultList: ['refresh-fails'], faults: 'refresh-fails', notJudged: [why] },
      { ...base, faultList: ['refresh-fails', 'lock-lost'], faults: 'all', notJudged: [why] },
    ]);
    expect(lines.join(' ').replace(/\s+/g, ' ')).toContain(`not judged in fixed [refresh-fails], fixed [all]: ${why}`);
    expect(matrixPremises([{ ...base, faultList: [], faults: '—' }]).join(' ')).not.toContain('not judged');
  });
});
