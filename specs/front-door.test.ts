// One front door: check, matrix, the worker threads and replay build their
// model from one job description (cli/jobs.ts), every trace records it, and
// `replay FILE` rebuilds exactly that model (issue 22). Here: every trace the
// fault matrix gives at small bounds (every design × fault), in every format
// that records the job, replays to what its check found; a --faults trace
// and a design-file trace (its file gone) replay; replay matches bindings by
// value and type, reads ITF whose states leave a field out, evaluates each
// property once, and its verdict words and exit codes are docs/cli.md's.
import { mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { DEFAULT_BOUNDS, DESIGNS, designByName, FAULT_NAMES, type FaultName } from '../model/index.ts';
import { matrixCells } from '../cli/matrix/plan.ts';
import { jobRecord, presenceJob, readJob } from '../cli/jobs.ts';
import { REPLAY_VERDICTS, type ReplayReport, type RunReport } from '../report/types.ts';
import { EXIT } from '../cli/exit.ts';
import { workerRunner } from '../cli/worker-runner.ts';
import { expectBadInput, runCli } from './bad-input.ts';
import { FILE_END, REPLAYABLE, roundTrip } from './front-door-cells.ts';

const ROOT = new URL('..', import.meta.url).pathname;
let dir = '';
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'presence-front-door-'));
});
afterAll(() => {
  if (dir !== '') rmSync(dir, { recursive: true, force: true });
});
const write = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};
async function replayJson(argv: string[]): Promise<{ code: number; report: ReplayReport }> {
  const r = await runCli(['replay', ...argv, '--json']);
  expect(r.err).toBe('');
  return { code: r.code, report: JSON.parse(r.out) as ReplayReport };
}

// Every design once (no fault), every fault once, and all faults at once:
// the covering set of the fault matrix's cells at 1 user × 1 tab × lag 0
// (with liveness), each on the design where its trace shows the fault at
// work soonest: the step only the fault makes possible, or (slow-join, whose
// longer handshake is a guard and no step of its own) a verdict it changes.
// webhook-dup's duplicate and clock-skew's misjudged fence are in no
// shortest trace at these bounds: their cells replay a trace, or the
// initial state, of a model built with the fault. refresh-fails needs a
// second user to split two-looks. Every cell of the matrix (13 designs ×
// their faults: 130 cells, about two minutes) is specs/prove/front-door-matrix.test.ts.
const COVER: readonly (readonly [design: string, faults: readonly FaultName[] | 'all', step: string | null, users?: number])[] = [
  ...DESIGNS.map((d) => [d.name, [], null] as const),
  ['fixed-ttl', ['slow-join'], null],
  ['fixed-ttl', ['lock-lost'], 'pmLosesLock'],
  ['fixed-ttl', ['key-lost'], 'reservationLost'],
  ['fail-loudly', ['presence-flap'], 'presenceHides'],
  ['pending-joins', ['joining-error'], 'joiningFails'],
  ['fail-loudly', ['webhook-dup'], null],
  ['current-presence-api', ['meeting-rollover'], 'getOrCreateRollsOver'],
  ['fail-loudly', ['owner-deactivate'], 'ownerEndsMeeting'],
  ['fixed-ttl', ['direct-join'], 'joinsDirectly'],
  ['fail-loudly', ['create-lock-lost'], 'getOrCreateInserts'],
  ['two-looks', ['refresh-fails'], 'reservationLapses', 2],
  ['two-looks-sql', ['clock-skew'], null],
  ['fixed-ttl', 'all', 'getOrCreateInserts'],
];

describe('every trace the fault matrix gives replays, in every format', () => {
  test('every design and every fault, at 1 user, 1 tab, lag 0: each replay agrees with its check, whatever the format', async () => {
    // each fault once, and each design once
    expect(FAULT_NAMES.filter((f) => !COVER.some(([, faults]) => faults !== 'all' && faults.includes(f)))).toEqual([]);
    expect(DESIGNS.filter((d) => !COVER.some(([name]) => name === d.name))).toEqual([]);
    let traces = 0;
    for (const [i, [name, faults, step, users = 1]] of COVER.entries()) {
      const design = designByName(name)!;
      // the cell as the fault matrix makes it
      const cells = matrixCells({ designs: [design], users: [users], lag: [0], tabs: 1, sweeps: false, faults: true, liveness: true });
      const cell = cells.find((c) => (faults === 'all' ? c.faults.length === FAULT_NAMES.length : c.faults.join() === faults.join()));
      expect(cell, `${name} [${faults}] is a cell of the fault matrix`).toBeDefined();
      const { found, faultSteps } = await roundTrip(cell!, dir, `cell-${i}`, users === 1 ? 20_000 : 200_000);
      if (found.trace.length > 0) traces++;
      if (step !== null) expect(faultSteps, `${name} [${faults}]`).toContain(step);
    }
    // the designs that break without faults give lassos; slow-join turns fixed-ttl's hold into a violation
    expect(traces).toBeGreaterThanOrEqual(6 + 11);
  }, 120_000);
});

describe('a trace names the model it was checked on', () => {
  test('a `check --faults` trace replays: its job has the faults (before: an unknown step, exit 2)', async () => {
    const path = join(dir, 'faults.itf.json');
    const argv = ['--design', 'fixed-ttl', '--faults', 'owner-deactivate', '--users', '1', '--tabs', '1', '--lag', '0'];
    expect((await runCli(['check', ...argv, '--trace-out', path])).code).toBe(EXIT.failed);
    const written = JSON.parse(readFileSync(path, 'utf8'));
    expect(written['#meta'].job).toMatchObject({ kind: 'presence', options: { faults: ['owner-deactivate'] } });
    const { code, report } = await replayJson([path]);
    expect(code).toBe(EXIT.failed);
    expect(report).toMatchObject({ faults: ['owner-deactivate'], expected: { agrees: true } });
    // the fault's own step (on fixed-ttl the owner's end-meeting is one UPDATE: ownerEndsMeeting; the designs
    // whose owner ejects or deletes the room first take a second step, ownerDeactivates)
    expect(report.trace.some((s) => s.action === 'ownerEndsMeeting')).toBe(true);
    // --faults overrides the trace's: without the fault, its step is unknown (bad input, before any step runs)
    expectBadInput(await runCli(['replay', path, '--faults', 'none']), /unknown action 'ownerEndsMeeting'/);
  });

  test('a --design-file trace carries every switch: it replays with its design file gone', async () => {
    // current, with /leave closing sessions directly: a switch no built-in design of that name has
    const file = write('mine.yaml', 'name: mine\nbase: current\nleaveClosesSession: true\n');
    const argv = ['--design-file', file, '--users', '2', '--tabs', '1', '--lag', '0', '--no-liveness'];
    for (const format of ['json', 'md'] as const) {
      const path = join(dir, `mine.${format}`);
      expect((await runCli(['check', ...argv, '--trace-out', path])).code).toBe(EXIT.failed);
      const found = format === 'json' ? (JSON.parse(readFileSync(path, 'utf8')) as RunReport) : null;
      if (found !== null)
        expect(found.job).toMatchObject({ kind: 'presence', designFile: file, design: { name: 'mine', leaveClosesSession: true } });
    }
    unlinkSync(file);
    for (const format of ['json', 'md'] as const) {
      const { code, report } = await replayJson([join(dir, `mine.${format}`)]);
      expect(code).toBe(EXIT.failed);
      expect(report).toMatchObject({ design: 'mine', designFrom: 'file', model: 'presence/mine', expected: { agrees: true } });
    }
  });

  test('the job is checked like any input: a fault, a bound or a switch the model does not know is one line (exit 2)', async () => {
    const base = jobRecord(presenceJob(designByName('current')!, null, DEFAULT_BOUNDS, {}));
    expect(readJob(base)).toEqual(presenceJob(designByName('current')!, null, DEFAULT_BOUNDS, {}));
    // bounds and switches left out take their defaults (a job written before they existed)
    const { summary: _summary, ...switches } = designByName('current')!;
    expect(readJob({ kind: 'presence', design: { name: 'current' } })).toMatchObject({ bounds: DEFAULT_BOUNDS, design: switches });
    const edits: [string, Record<string, unknown>, RegExp][] = [
      ['fault', { options: { faults: ['meteor'] } }, /job\.options\.faults: unknown fault 'meteor' \(faults: slow-join, /],
      ['bound', { bounds: { users: 99 } }, /job\.bounds: --users must be an integer from 1 to 6 \(got 99\)/],
      ['unknown bound', { bounds: { moons: 2 } }, /job\.bounds: unknown bound 'moons'/],
      [
        'switch',
        { design: { ...(base.design as object), deactivation: 'maybe' } },
        /job\.design: deactivation: expected write or conditional or conditional-fenced, got 'maybe'/,
      ],
      ['kind', { kind: 'quint' }, /job\.kind: expected presence or module \(got "quint"\)/],
    ];
    const found = JSON.parse(
      (await runCli(['check', '--design', 'current', '--users', '1', '--tabs', '1', '--lag', '0', '--trace-out', '-', '--format', 'json']))
        .out,
    ) as RunReport;
    for (const [what, edit, message] of edits) {
      const path = write(`bad-${what.replace(/ /g, '-')}.json`, JSON.stringify({ ...found, job: { ...found.job, ...edit } }));
      expectBadInput(await runCli(['replay', path]), message);
    }
  });
});

describe('replay reads what check writes', () => {
  // two bindings that differ only in type: 1 moves by 1, '1' by 10, and 10 breaks the invariant
  const TYPED = `
export default {
  name: 'typed',
  init: [0],
  actions: [{ name: 'add', params: () => [{ v: 1 }, { v: '1' }], guard: (s: number) => s < 10, effect: (s: number, p: { v: number | string }) => s + (typeof p.v === 'string' ? 10 : 1) }],
  properties: [{ kind: 'always', name: 'below-10', description: 'stays below 10', condition: (s: number) => s < 10 }],
};
`;

  // Before: String(1) = String('1'): the step {v: '1'} replayed as {v: 1}, and the replay DIFFERED.
  test('bindings are matched by value and type', async () => {
    const model = write('typed.ts', TYPED);
    for (const file of ['typed.json', 'typed.itf.json', 'typed.md']) {
      const path = join(dir, file);
      expect((await runCli(['check', '--model', model, '--trace-out', path])).code).toBe(EXIT.failed);
      const { code, report } = await replayJson([path]);
      expect(code).toBe(EXIT.failed);
      // add(v='1'): 0 -> 10, one step
      expect(report).toMatchObject({ violation: { property: 'below-10', step: 1 }, expected: { agrees: true } });
      expect(report.trace[1].params).toEqual({ v: '1' });
    }
    // a scenario says which it means, by its YAML type; neither is the other
    const quoted = await replayJson([write('q.yaml', "steps:\n  - add: { v: '1' }\n"), '--model', model]);
    expect(quoted.report.trace.map((s) => s.state)).toEqual([0, 10]);
    const number = await replayJson([write('n.yaml', 'steps:\n  - add: { v: 1 }\n'), '--model', model]);
    expect(number.report.trace.map((s) => s.state)).toEqual([0, 1]);
  });

  test('a step property violated in check is violated in replay, by the same step, in every format', async () => {
    const model = write(
      'wrapping.ts',
      `export { wrappingCounter as default } from ${JSON.stringify(join(ROOT, 'specs/checker/round-three-models.ts'))};\n`,
    );
    for (const format of REPLAYABLE) {
      const path = join(dir, `wrapping.${FILE_END[format]}`);
      const checked = await runCli(['check', '--model', model, '--trace-out', path]);
      expect(checked.code).toBe(EXIT.failed);
      expect(checked.out).toContain('VIOLATED: never-decreases (the counter never goes down) by step 4, the last of a shortest run;');
      const written = readFileSync(path, 'utf8');
      if (format === 'markdown') expect(written).toContain('Step 4 violates `never-decreases`: the counter never goes down.');
      // Mermaid wraps its notes (<br>, MERMAID_WRAP)
      if (format === 'mermaid') expect(written.replace(/<br>/g, ' ')).toContain('✗ never-decreases violated by step 4:');
      const { code, report } = await replayJson([path]);
      expect(code).toBe(EXIT.failed);
      expect(report).toMatchObject({ violation: { property: 'never-decreases', step: 4 }, expected: { agrees: true } });
      expect(report.properties).toContainEqual({
        name: 'never-decreases',
        kind: 'step',
        description: 'the counter never goes down',
        status: 'violated',
        step: 4,
      });
    }
  });

  // a view with a field in some states only: ITF leaves it out of the states without it
  const OPTIONAL = `
type S = { readonly n: number; readonly note?: string };
export default {
  name: 'optional',
  init: [{ n: 0 }],
  actions: [{ name: 'inc', guard: (s: S) => s.n < 3, effect: (s: S): S => (s.n === 1 ? { n: 2, note: 'two' } : { n: s.n + 1 }) }],
  properties: [{ kind: 'always', name: 'below-3', description: 'n stays below 3', condition: (s: S) => s.n < 3 }],
};
`;

  // Before: "states[0] has no value for variable 'note'" (exit 2), or the first state compared whole against one field.
  test('an ITF trace whose states leave a field out replays', async () => {
    const model = write('optional.ts', OPTIONAL);
    const path = join(dir, 'optional.itf.json');
    expect((await runCli(['check', '--model', model, '--trace-out', path])).code).toBe(EXIT.failed);
    const written = JSON.parse(readFileSync(path, 'utf8'));
    expect(written.vars).toEqual(['n', 'note']);
    expect(Object.keys(written.states[0]).sort()).toEqual(['#meta', 'n']);
    const { code, report } = await replayJson([path]);
    expect(code).toBe(EXIT.failed);
    expect(report).toMatchObject({ violation: { property: 'below-3', step: 3 }, expected: { agrees: true } });
    expect(report.trace.map((s) => s.state)).toEqual([{ n: 0 }, { n: 1 }, { n: 2, note: 'two' }, { n: 3 }]);
  });

  // each property counts its calls in the module (shared with this test: the same file URL)
  const COUNTED = `
export const calls = { small: 0 };
export default {
  name: 'counted',
  init: [0],
  actions: [{ name: 'inc', guard: (s: number) => s < 6, effect: (s: number) => s + 1 }],
  properties: [{ kind: 'always', name: 'small', description: 'stays below 4', condition: (s: number) => (calls.small++, s < 4) }],
  deadlockIsError: false,
};
`;

  // Before: 2 evaluations a state: replay() checked the invariants, then the command checked every property again.
  test('replay evaluates each property once a state, and stops once it has failed', async () => {
    const model = write('counted.ts', COUNTED);
    const { calls } = (await import(pathToFileURL(model).href)) as { calls: { small: number } };
    calls.small = 0;
    const { report } = await replayJson([write('six.yaml', 'steps: [inc, inc, inc, inc, inc, inc]\n'), '--model', model]);
    // states 0..4: 5 evaluations, the fifth fails (4 is not below 4); states 5 and 6 are not looked at again
    expect(report.violation).toMatchObject({ property: 'small', step: 4 });
    expect(calls.small).toBe(5);
  });
});

describe('bad input', () => {
  test('a lossy codec is one line naming the field and the state (exit 2)', async () => {
    const model = write(
      'lossy.ts',
      `export { forgetfulCodec as default } from ${JSON.stringify(join(ROOT, 'specs/checker/round-three-models.ts'))};\n`,
    );
    expectBadInput(
      await runCli(['check', '--model', model]),
      /--model .*lossy\.ts: the model's codec loses information: unpack\(pack\(s\)\) differs from s at state\.y \(1 in s, 0 after the round trip\), for a state at depth 1: s = \{x: 0, y: 1\}$/,
    );
  });
});

describe('verdicts and exit codes', () => {
  // docs/cli.md lists them in a table: | `key` | `WORD` | exit | meaning |
  test('docs/cli.md lists every replay verdict with the word and exit code the code gives it', () => {
    const doc = readFileSync(join(ROOT, 'docs/cli.md'), 'utf8');
    const section = doc.slice(doc.indexOf('## `replay FILE`'), doc.indexOf('## `matrix`'));
    const rows = [...section.matchAll(/^\| `([a-z-]+)` \| `([^`]+)` \| (\d+) \|/gm)].map((m) => [m[1], m[2], Number(m[3])]);
    const code = Object.entries(REPLAY_VERDICTS).map(([key, v]) => [key, v.word, v.passes ? EXIT.holds : EXIT.failed]);
    expect(rows).toEqual(code);
  });

  test('each verdict is printed with its word', async () => {
    const model = write(
      'chain.ts',
      "export default { name: 'chain', init: [0], actions: [{ name: 'step', guard: (s: number) => s < 2, effect: (s: number) => s + 1, fairness: 'weak' }], properties: [], deadlockIsError: false };",
    );
    const first = async (yaml: string) =>
      (await runCli(['replay', write(`v${yaml.length}.yaml`, yaml), '--model', model])).out.split('\n')[1];
    expect(await first('steps: [step]\n')).toMatch(/^holds: /);
    expect(await first('steps: [step, step, step]\n')).toMatch(/^NOT ENABLED: /);
    expect(await first('loop: 0\nsteps: [step]\n')).toMatch(/^NOT A LASSO: /);
    expect(await first('loop: 1\nsteps: [step]\n')).toMatch(/^NOT A FAIR BEHAVIOUR: /);
  });
});

describe('the CLI worker thread', () => {
  // cli.ts runs each check in a worker thread (cli/worker.ts), which builds the model from the job as the
  // search's worker threads do; its trace replays
  test('a design-file check with faults, run in the worker thread, writes a trace that replays', async () => {
    const runner = workerRunner();
    expect(runner).not.toBeNull();
    const file = write('real.yaml', 'name: real\nbase: fixed-ttl\n');
    const path = join(dir, 'real.itf.json');
    const argv = ['--design-file', file, '--faults', 'key-lost', '--users', '1', '--tabs', '1', '--lag', '0'];
    const checked = await runCli(['check', ...argv, '--trace-out', path], { deps: { runner: runner! } });
    expect(checked.err).toBe('');
    expect(checked.code).toBe(EXIT.failed);
    const { code, report } = await replayJson([path]);
    expect(code).toBe(EXIT.failed);
    expect(report).toMatchObject({
      design: 'real',
      faults: ['key-lost'],
      expected: { verdict: 'violated', property: 'latecomer-joins[u1]', agrees: true },
    });
  });
});
