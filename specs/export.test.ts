// Traces for documentation (export/, scripts/docs.ts): the committed
// docs/traces are what `npm run docs` makes today; ITF files replay to the
// same states and the same violation; every Mermaid diagram parses with
// Mermaid's own parser; the output is deterministic and reads as a trace.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import mermaid from 'mermaid';
import { beforeAll, describe, expect, it } from 'vitest';
import { replay, type Params } from '../checker/index.ts';
import { runModel, type RunReport, type TraceStepReport } from '../cli/run.ts';
import {
  exportReport, fromItf, ItfError, toItf, toItfJson, toJson, toMarkdown, toMermaid, EXPORT_FORMATS,
} from '../export/index.ts';
import { DEFAULT_BOUNDS, presenceModel, type Bounds } from '../model/index.ts';
import { checkDesign, docFiles, docReports, PROVEN, TRACES_DIR, type DocFile } from '../scripts/docs.ts';
import dieHard from '../examples/die-hard.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const committed = (path: string) => readFileSync(join(ROOT, path), 'utf8');
const STALE = 'is stale: run `npm run docs` and commit docs/traces';

let reports: RunReport[];
let files: DocFile[];

beforeAll(async () => {
  // every design but `fixed`, at the default bounds (2 users, lag 1): each check takes seconds
  reports = await docReports();
  files = docFiles(reports);
});

const reportOf = (design: string) => reports.find((r) => r.design === design)!;

/** The cells of a Markdown table row, split at unescaped pipes. */
function cells(row: string): string[] {
  return row.trim().replace(/^\|/, '').replace(/\|$/, '').split(/(?<!\\)\|/).map((c) => c.trim());
}

/** The body of the first ```mermaid block of a Markdown document. */
function mermaidBlock(markdown: string): string {
  const m = /```mermaid\n([\s\S]*?)```/.exec(markdown);
  if (!m) throw new Error('no mermaid block');
  return m[1];
}

/** Mermaid's parser (the real one, from the mermaid package) accepts the text as a sequence diagram. */
async function expectValidSequenceDiagram(text: string): Promise<void> {
  await expect(mermaid.parse(text)).resolves.toMatchObject({ diagramType: 'sequence' });
  // what Mermaid's parser lets through but renders badly or draws a lane we did not declare
  const lines = text.trimEnd().split('\n');
  expect(lines[0]).toBe('sequenceDiagram');
  const declared = new Set<string>();
  for (const line of lines.slice(1)) {
    const participant = /^ {4}participant (\w+) as [^:;#]+$/.exec(line);
    if (participant) {
      declared.add(participant[1]);
      continue;
    }
    const message = /^ {4}(\w+)(->>|-->>|-x)(\w+): (.+)$/.exec(line);
    const note = /^ {4}Note over (\w+)(?:,(\w+))?: (.+)$/.exec(line);
    expect(message ?? note, `not a message or a note: ${line}`).not.toBeNull();
    const [lanes, body] = message ? [[message[1], message[3]], message[4]] : [[note![1], note![2]], note![3]];
    for (const lane of lanes) if (lane !== undefined) expect(declared, `undeclared participant in: ${line}`).toContain(lane);
    expect(body, `text with # ; %% or HTML in: ${line}`).not.toMatch(/[#;]|%%|<(?!br>)/);
  }
}

describe('docs/traces (npm run docs)', () => {
  it('is not stale: regenerating gives the committed files byte for byte', () => {
    const designs = reports.filter((r) => r.verdict === 'violated').map((r) => r.design);
    expect(designs).toEqual(['current', 'current-presence-api', 'fail-loudly', 'grace-period', 'version-check', 'pending-joins', 'shipped']);
    expect(files.map((f) => f.path)).toContain(`${TRACES_DIR}/README.md`);
    for (const file of files) {
      expect(existsSync(join(ROOT, file.path)), `${file.path} is missing: run \`npm run docs\``).toBe(true);
      expect(committed(file.path) === file.content, `${file.path} ${STALE}`).toBe(true);
    }
    const generated = new Set(files.map((f) => f.path));
    const extra = readdirSync(join(ROOT, TRACES_DIR)).map((n) => `${TRACES_DIR}/${n}`).filter((p) => !generated.has(p));
    expect(extra, `files in ${TRACES_DIR} that npm run docs no longer makes`).toEqual([]);
  });

  it('skips the proven design and indexes the others with property and trace length', () => {
    expect(PROVEN).toEqual(['fixed']);
    expect(reports.map((r) => r.design)).not.toContain('fixed');
    const index = files.find((f) => f.path === `${TRACES_DIR}/README.md`)!.content;
    expect(index).toContain('| `current` | `no-orphaned-call` | 14 steps | 33,122 | [current.md](current.md) | [current.itf.json](current.itf.json) |');
    expect(index).toContain('| `shipped` | `no-orphaned-call` | 11 steps |');
    expect(index).toContain('No trace: `fixed`');
  });
});

describe('ITF', () => {
  it('the committed current.itf.json replays (no symmetry) to the same states and the violation at its last step', () => {
    const itf = fromItf(committed(`${TRACES_DIR}/current.itf.json`));
    expect(itf.meta).toMatchObject({ format: 'ITF', design: 'current', property: 'no-orphaned-call', violatedAfterStep: 14 });
    expect(itf.vars).toEqual(['tabs', 'meetings']);
    expect(itf.steps).toHaveLength(14);
    expect(itf.steps[2]).toEqual({ action: 'connect', params: { user: 1 } });
    const model = presenceModel('current', itf.meta.bounds as Bounds, { symmetry: false });
    const run = replay(model, itf.steps);
    if (!run.ok) throw new Error(run.message);
    expect(run.violation).toEqual({ property: 'no-orphaned-call', step: 14 });
    const views = run.trace.map((s) => model.view!(s.state));
    expect(views[views.length - 1]).toEqual(itf.states[itf.states.length - 1]);
    expect(views).toEqual(itf.states);
  });

  it('every committed ITF trace replays to its property at its last step', () => {
    for (const r of reports.filter((x) => x.verdict === 'violated')) {
      const itf = fromItf(committed(`${TRACES_DIR}/${r.design}.itf.json`));
      const model = presenceModel(r.design!, itf.meta.bounds as Bounds, { symmetry: false });
      const run = replay(model, itf.steps);
      expect(run.ok, r.design!).toBe(true);
      if (!run.ok) continue;
      expect(run.violation, r.design!).toEqual({ property: r.property, step: r.trace.length - 1 });
      expect(run.trace.map((s) => model.view!(s.state)), r.design!).toEqual(itf.states);
    }
  });

  it('encodes integers as #bigint, tabs and meetings as #map, lists as arrays, and the action in #meta', () => {
    const itf = toItf(reportOf('current'));
    expect(itf.vars).toEqual(['tabs', 'meetings']);
    expect(itf.states[0]).toEqual({ '#meta': { index: 0 }, tabs: { '#map': [] }, meetings: { '#map': [] } });
    const third = itf.states[3];
    expect(third['#meta']).toMatchObject({ index: 3, action: 'connect', params: { user: 1 } });
    const tabs = (third.tabs as { '#map': [string, Record<string, unknown>][] })['#map'];
    expect(tabs.map(([k]) => k)).toEqual(['u1#1', 'u2#1']);
    expect(tabs[0][1]).toMatchObject({ phase: 'connected', meeting: 'M1', presenceCatchesUpWithin: { '#bigint': '1' } });
    const meetings = (third.meetings as { '#map': [string, Record<string, unknown>][] })['#map'];
    expect(meetings[0]).toEqual(['M1', expect.objectContaining({ active: true, queuedPolls: ['due'] })]);
    expect(JSON.stringify(itf)).not.toMatch(/"(elapsedMs|timestamp)"/);
  });

  it('rejects malformed traces with a message naming the problem', () => {
    const good = JSON.parse(toItfJson(reportOf('shipped'))) as { states: Record<string, unknown>[] } & Record<string, unknown>;
    const clone = () => JSON.parse(JSON.stringify(good)) as typeof good;
    expect(() => fromItf('{not json')).toThrow(/^ITF: not JSON/);
    expect(() => fromItf([])).toThrow('ITF: a trace must be a JSON object (got [])');
    expect(() => fromItf({ vars: [] })).toThrow('ITF: states must be an array (got nothing)');
    expect(() => fromItf({ vars: 'tabs', states: [] })).toThrow('ITF: vars must be an array of variable names (got "tabs")');
    let bad = clone();
    delete (bad.states[2]['#meta'] as Record<string, unknown>).action;
    expect(() => fromItf(bad)).toThrow("ITF: states[2]['#meta'].action must name the action that led to this state (got nothing)");
    bad = clone();
    (bad.states[2]['#meta'] as Record<string, unknown>).params = { user: [1] };
    expect(() => fromItf(bad)).toThrow("ITF: states[2]['#meta'].params.user must be a string, an integer or a boolean (got [1])");
    bad = clone();
    (bad.states[1]['#meta'] as Record<string, unknown>).index = 7;
    expect(() => fromItf(bad)).toThrow("ITF: states[1]['#meta'].index is 7, expected 1");
    bad = clone();
    delete bad.states[4].meetings;
    expect(() => fromItf(bad)).toThrow("ITF: states[4] has no value for variable 'meetings'");
    bad = clone();
    (bad.states[1] as Record<string, unknown>).tabs = { '#map': [['u1#1', { n: { '#bigint': 'twelve' } }]] };
    expect(() => fromItf(bad)).toThrow(ItfError);
    expect(() => fromItf(bad)).toThrow('ITF: states[1].tabs["u1#1"].n: #bigint must be a string of digits (got "twelve")');
    // a well-formed trace whose action the model does not enable is replay's to refuse
    bad = clone();
    (bad.states[1]['#meta'] as Record<string, unknown>).action = 'pmDeactivates';
    (bad.states[1]['#meta'] as Record<string, unknown>).params = { meeting: 1 };
    const run = replay(presenceModel('shipped', DEFAULT_BOUNDS, { symmetry: false }), fromItf(bad).steps);
    expect(run).toMatchObject({ ok: false, step: 1 });
  });

  it("reads Quint's mbt::actionTaken and mbt::nondetPicks when #meta has no action", () => {
    const quint = {
      '#meta': { format: 'ITF', source: 'jugs.qnt' },
      vars: ['big', 'mbt::actionTaken', 'mbt::nondetPicks', 'small'],
      states: [
        { '#meta': { index: 0 }, big: { '#bigint': '0' }, small: { '#bigint': '0' }, 'mbt::actionTaken': 'init', 'mbt::nondetPicks': {} },
        {
          '#meta': { index: 1 }, big: { '#bigint': '5' }, small: { '#bigint': '0' }, 'mbt::actionTaken': 'fill',
          'mbt::nondetPicks': { jug: { tag: 'Some', value: 'big' }, other: { tag: 'None', value: { '#tup': [] } } },
        },
      ],
    };
    const itf = fromItf(quint);
    expect(itf.steps).toEqual([{ action: 'fill', params: { jug: 'big' } }]);
    expect(itf.states).toEqual([{ big: 0, small: 0 }, { big: 5, small: 0 }]);
    expect(itf.vars).toEqual(['big', 'small']);
  });
});

describe('Mermaid', () => {
  it('every generated sequence diagram parses with the mermaid package, and each Markdown page embeds it', async () => {
    for (const r of reports) {
      const diagram = toMermaid(r);
      await expectValidSequenceDiagram(diagram);
      const page = files.find((f) => f.path === `${TRACES_DIR}/${r.design}.md`)!.content;
      expect(mermaidBlock(page)).toBe(diagram);
    }
  });

  it('the parser is a real check: it rejects what the sanitiser removes', async () => {
    await expect(mermaid.parse('sequenceDiagram\n    participant B as Backend\n    B->>B: a; b')).rejects.toThrow(/Parse error/);
    await expect(mermaid.parse('sequenceDiagram\n    participant B as Backend\n    Note over B no colon')).rejects.toThrow(/Parse error/);
  });

  it('lays out lanes and arrows per part of the system', () => {
    const diagram = toMermaid(reportOf('grace-period'));
    expect(diagram.split('\n').slice(0, 7)).toEqual([
      'sequenceDiagram',
      '    participant U1 as Tab u1',
      '    participant U2 as Tab u2',
      '    participant B as Backend',
      '    participant W as Worker',
      '    participant D as Daily',
      '    participant R as Redis/DB',
    ]);
    expect(diagram).toContain('    U1->>B: 1. u1 opens a new tab u1·1: POST /rooms/R/meeting → M1');
    expect(diagram).toContain('    U1->>D: 3. u1·1 WebRTC handshake completes');
    expect(diagram).toContain('    D-->>W: 4. Daily presence now shows u1·1 in M1');
    expect(diagram).toContain('    W->>D: 6. poll(M1) reads presence: u1·1');
    expect(diagram).toContain('    W->>R: 8. poll(M1) reconciles sessions: opens u1·1');
    expect(diagram).toContain('    Note over U1,R: 10. t = 1\n    Note over U1,R: 11. t = 2\n');
    expect(diagram).toMatch(/ {4}Note over U1,R: ✗ no-orphaned-call violated after step 16: u2 \(tab u2·1\)/);
    expect(mermaidBlock(files.find((f) => f.path.endsWith('/shipped.md'))!.content))
      .toContain('    W->>R: 10. process_meetings deactivates M1');
  });

  it('survives hostile descriptions and unknown actions', async () => {
    const base = reportOf('shipped');
    const nasty = 'a | pipe; semi # hash %% comment <b>html</b> `tick` *star* _under_ [link] & amp: colon\nnewline';
    const step = (index: number, action: string, params: Params, description: string): TraceStepReport =>
      ({ index, action, params, description, state: base.trace[Math.min(index, base.trace.length - 1)].state });
    const report: RunReport = {
      ...base,
      trace: [
        base.trace[0],
        step(1, 'getOrCreateMeeting', { user: 1 }, nasty),
        step(2, 'frobnicate', { x: 1 }, nasty),
        step(3, 'presenceCatchesUp', { user: 2, tab: 2 }, 'presence catches up'),
        step(4, 'tick', {}, 'one tick passes'),
        step(5, 'duplicatePollDropped', { meeting: 1 }, ''),
      ],
    };
    const diagram = toMermaid(report);
    await expectValidSequenceDiagram(diagram);
    expect(diagram).toContain('    Note over U1,R: 2. a | pipe, semi · hash % comment ‹b›html‹/b› \'tick\'');
    expect(diagram).toContain('    D-->>W: 3. u2·2: presence catches up');
    expect(diagram).toContain('    Note over W: 5. duplicatePollDropped(meeting=1)');
    const md = toMarkdown(report);
    const rows = md.split('\n').filter((l) => /^\| \d+ \|/.test(l));
    expect(rows).toHaveLength(6);
    for (const row of rows) expect(cells(row), row).toHaveLength(4);
    expect(rows[1]).toContain('a \\| pipe; semi # hash %% comment &lt;b&gt;html&lt;/b&gt; \\`tick\\` \\*star\\* \\_under\\_ \\[link] &amp; amp: colon newline');
  });
});

describe('determinism', () => {
  it('formatting the same report twice gives the same text, with no timings', () => {
    for (const r of reports) {
      for (const format of EXPORT_FORMATS) expect(exportReport(r, format)).toBe(exportReport(r, format));
      const slower = { ...r, elapsedMs: r.elapsedMs * 7 + 1 };
      expect(toMarkdown(slower)).toBe(toMarkdown(r));
      expect(toItfJson(slower)).toBe(toItfJson(r));
      expect(toJson(slower)).toBe(toJson(r));
    }
    const json = JSON.parse(toJson(reportOf('current'))) as Record<string, unknown>;
    expect(json).not.toHaveProperty('elapsedMs');
    const { elapsedMs: _e, ...rest } = reportOf('current');
    expect(json).toEqual(JSON.parse(JSON.stringify(rest)));
  });

  it('checking a design again gives the same files', async () => {
    const again = docFiles([await checkDesign('shipped')]).filter((f) => f.path.includes('/shipped.'));
    expect(again).toHaveLength(2);
    for (const f of again) expect(f.content).toBe(files.find((g) => g.path === f.path)!.content);
  });
});

describe('Markdown for a reader', () => {
  it('current: numbered steps, ticks, what changed, the deactivation, the property and the orphaned user', () => {
    const md = toMarkdown(reportOf('current'));
    expect(md).toMatch(/^# `current`: no-orphaned-call violated in 14 steps\n/);
    expect(md).toContain('- **bounds**: `users=2` `tabs=2` `lag=1`');
    expect(md).toContain('- **reproduce**: `npx tsx cli.ts check --design current --users 2 --lag 1`');
    expect(md).toContain('| # | t | step | what changed |');
    const rows = md.split('\n').filter((l) => /^\| \d+ \|/.test(l));
    expect(rows.map((r) => Number(cells(r)[0]))).toEqual([...Array(15).keys()]);
    for (const row of rows) expect(cells(row)).toHaveLength(4);
    expect(cells(rows[3])).toEqual([
      '3', '0', "u1#1 WebRTC handshake completes: in M1's Daily call; participant.joined → poll(M1) queued",
      '`tabs.u1#1.phase: handshaking → connected`<br>`- tabs.u1#1.handshakeTicksLeft`<br>'
        + '`+ tabs.u1#1.presenceCatchesUpWithin: 1`<br>`meetings.M1.queuedPolls: [] → [due]`',
    ]);
    expect(cells(rows[13])[2]).toContain('deactivates M1');
    expect(md).toContain("After step 14, `no-orphaned-call` is violated (nobody is in a deactivated meeting's Daily room while "
      + "another meeting is active): u2 (tab u2#1) is still in the Daily call of M1, which has been deactivated, "
      + "while M2 is the room's active meeting");
    expect(md).toContain('- users: `u2` (tab `u2#1`)\n- meetings: `M1`, `M2`');
    expect(md).not.toMatch(/elapsed ?ms|\d+\.\d+ s\b|states\/s/i);
  });

  it('grace-period counts ticks in the t column', () => {
    const rows = toMarkdown(reportOf('grace-period')).split('\n').filter((l) => /^\| \d+ \|/.test(l));
    expect(rows.map((r) => Number(cells(r)[1]))).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 2, 2, 3, 3, 3, 3]);
  });

  it('names two users in different rooms for same-daily-room, and falls back to the description elsewhere', () => {
    const r = reportOf('current');
    const last = r.trace[r.trace.length - 1];
    const split: RunReport = {
      ...r,
      property: 'same-daily-room',
      propertyDescription: 'no two users are in different Daily rooms',
      trace: [...r.trace.slice(0, -1), {
        ...last,
        state: {
          tabs: { 'u1#2': { phase: 'joined', meeting: 'M2' }, 'u2#1': { phase: 'connected', meeting: 'M1' } },
          meetings: { M1: { active: false }, M2: { active: true } },
        },
      }],
    };
    expect(toMarkdown(split)).toContain('u1 (tab u1#2) is in the Daily call of M2 and u2 (tab u2#1) in that of M1: '
      + 'two users of the same room are in different Daily rooms');
    const other = toMarkdown({ ...r, property: 'some-invariant', propertyDescription: 'something always holds' });
    expect(other).toContain('After step 14, `some-invariant` is violated: something always holds.');
  });
});

describe('a user model (examples/die-hard.ts)', () => {
  it('exports as one lane of notes, a table without t, and ITF that replays', async () => {
    const report = await runModel({ kind: 'module', path: join(ROOT, 'examples/die-hard.ts') }, dieHard, { exact: false });
    expect(report.verdict).toBe('violated');
    const diagram = toMermaid(report);
    await expectValidSequenceDiagram(diagram);
    expect(diagram).toContain('    participant M as die-hard\n    Note over M: 1. fill(jug=big)\n');
    const md = toMarkdown(report);
    expect(md).toContain('| # | step | what changed |');
    expect(md).toContain('After step 6, `big-jug-not-4` is violated: the big jug never holds exactly 4 gallons.');
    expect(md).toContain('- **model**: `die-hard` (`die-hard.ts`)');
    const itf = fromItf(toItfJson(report));
    expect(itf.vars).toEqual(['small', 'big']);
    const run = replay(dieHard, itf.steps);
    expect(run.ok && run.violation).toEqual({ property: 'big-jug-not-4', step: 6 });
    expect(run.trace.map((s) => s.state.toJS())).toEqual(itf.states);
  });
});
