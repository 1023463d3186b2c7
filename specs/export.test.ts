// Traces for documentation (export/, scripts/docs/traces.ts): docs/traces
// is drawn from the saved runs of docs/results, and those are what the
// checker finds today (one design checked again here, every one by npm run
// prove: specs/prove/docs-results.test.ts); ITF files replay to the
// same states and the same violation, with exact integers, sets and maps;
// every Mermaid diagram parses with Mermaid's own parser, its lanes and
// arrows as the model's report gives them; the files do not depend on
// timings, and read as a trace.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Map as IMap, Set as ISet } from 'immutable';
import mermaid from 'mermaid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { action, always, judgeLasso, replay, type Arrow, type Model, type Params } from '../checker/index.ts';
import { EXIT } from '../cli/exit.ts';
import { runModel } from '../cli/run.ts';
import {
  decodeItfValue,
  encodeItfValue,
  exportReport,
  fromItf,
  ItfError,
  toItf,
  toItfJson,
  toJson,
  toMarkdown,
  toMermaid,
  recordLine,
  TRACE_FORMATS,
} from '../export/index.ts';
import { MERMAID_INIT, MERMAID_WRAP } from '../export/mermaid.ts';
import type { RunReport, TraceStepReport } from '../report/types.ts';
import { DEFAULT_BOUNDS, presenceModel, type Bounds } from '../model/index.ts';
import { traceFiles, traceReports, TRACES_DIR, type DocFile } from '../scripts/docs/traces.ts';
import { readResult, reportsOf } from '../scripts/docs/results.ts';
import dieHard from '../examples/die-hard.ts';
import { runCli } from './bad-input.ts';
import { checkAgain, SAVED_VIOLATED } from './check-again.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const committed = (path: string) => readFileSync(join(ROOT, path), 'utf8');
const _STALE = 'is stale: run `npm run docs` and commit docs/traces';

let reports: RunReport[];
let files: DocFile[];
let traced: RunReport[];

beforeAll(() => {
  // the saved runs of both presets (npm run docs -- --rerun check-thorough check-quick)
  traced = traceReports(reportsOf(readResult(ROOT, 'check-thorough')), reportsOf(readResult(ROOT, 'check-quick')));
  reports = traced.filter((r) => r.verdict === 'violated');
  files = traceFiles(traced);
});

const reportOf = (design: string) => reports.find((r) => r.design === design)!;

/** The cells of a Markdown table row, split at unescaped pipes. */
function cells(row: string): string[] {
  return row
    .trim()
    .replace(/^\|/, '')
    .replace(/\|$/, '')
    .split(/(?<!\\)\|/)
    .map((c) => c.trim());
}

/** The body of the first ```mermaid block of a Markdown document. */
function mermaidBlock(markdown: string): string {
  const m = /```mermaid\n([\s\S]*?)```/.exec(markdown);
  if (!m) throw new Error('no mermaid block');
  return m[1];
}

/** Mermaid's parser (the real one, from the mermaid package) accepts the text as a sequence diagram. */
async function expectValidSequenceDiagram(text: string, wrapAt: number = MERMAID_WRAP): Promise<void> {
  await expect(mermaid.parse(text)).resolves.toMatchObject({ diagramType: 'sequence' });
  // what Mermaid's parser lets through but renders badly or draws a lane we did not declare
  const all = text.trimEnd().split('\n');
  // the init directive, the premises as comments, then the diagram
  expect(all[0]).toBe(MERMAID_INIT);
  const start = all.indexOf('sequenceDiagram');
  expect(start).toBeGreaterThan(0);
  for (const comment of all.slice(1, start)) expect(comment).toMatch(/^%% (faults in force|assuming): [^\n]+$/);
  const lines = all.slice(start);
  const declared = new Set<string>();
  let inLoop = false;
  // the replayable record (export/record.ts), a comment Mermaid skips, is the last line if any
  if (/^ {4}%% presence-check\/trace \{.*\}$/.test(lines.at(-1)!)) lines.pop();
  for (const line of lines.slice(1)) {
    const participant = /^ {4}participant (\w+) as [^:;]+$/.exec(line);
    if (participant) {
      declared.add(participant[1]);
      continue;
    }
    // a lasso's cycle: a loop box, its lines indented by four more
    if (/^ {4}loop [^:;#]+$/.test(line)) {
      expect(inLoop, `a loop inside a loop: ${line}`).toBe(false);
      inLoop = true;
      continue;
    }
    if (line === '    end') {
      expect(inLoop, `an end without a loop: ${line}`).toBe(true);
      inLoop = false;
      continue;
    }
    const indent = inLoop ? ' {8}' : ' {4}';
    const message = new RegExp(`^${indent}(\\w+)(->>|-->>|-x)(\\w+): (.+)$`).exec(line);
    const note = new RegExp(`^${indent}Note over (\\w+)(?:,(\\w+))?: (.+)$`).exec(line);
    expect(message ?? note, `not a message or a note: ${line}`).not.toBeNull();
    const [lanes, body] = message ? [[message[1], message[3]], message[4]] : [[note![1], note![2]], note![3]];
    for (const lane of lanes) if (lane !== undefined) expect(declared, `undeclared participant in: ${line}`).toContain(lane);
    // a # only as its entity code (#35;), no other ;
    expect(body, `text with # ; %% or HTML in: ${line}`).not.toMatch(/#(?!35;)|(?<!#35);|%%|<(?!br>)/);
    // wrapped at about wrapAt characters (MERMAID_WRAP by default): a longer line is one word
    for (const piece of body.split('<br>'))
      if (piece.replaceAll('#35;', '#').length > wrapAt)
        expect(piece, `a line of more than ${wrapAt} characters: ${line}`).not.toContain(' ');
  }
  expect(inLoop, 'a loop box is never closed').toBe(false);
}

describe('docs/traces (npm run docs)', () => {
  it('the saved runs are the designs the checker finds violated (each checked again: npm run prove, specs/prove/docs-results.test.ts)', () => {
    expect(reports.map((r) => r.design)).toEqual(SAVED_VIOLATED);
  });

  it('indexes each violated design with its preset, property and trace length; those that hold have no trace', () => {
    const index = files.find((f) => f.path === `${TRACES_DIR}/README.md`)!.content;
    // pinned: current at the thorough preset (users=2 tabs=2 lag=1, safety only: the saved run's): trace 14, 33,140 states; shipped: trace 11; computed by the checker
    expect(index).toContain(
      '| `current` | thorough | `no-orphaned-call` | 14 steps | 33,140 | [current.md](current.md) | [current.itf.json](current.itf.json) |',
    );
    expect(index).toContain('| `shipped` | thorough | `no-orphaned-call` | 11 steps |');
    // its page draws the cycle: ↻ rows, a loop box in the diagram, and ITF's loop
    const page = files.find((f) => f.path === `${TRACES_DIR}/refuse-latecomers.md`)!.content;
    expect(page).toContain('A lasso: steps 8-12 (marked ↻) lead back to the state after step 7');
    expect(page).toMatch(/\n {4}loop steps 8-12, forever\n(?: {8}.*\n)+ {4}end\n/);
    expect(JSON.parse(files.find((f) => f.path === `${TRACES_DIR}/refuse-latecomers.itf.json`)!.content).loop).toBe(7);
    // the negative control keeps every invariant: its lasso, at the quick preset, where it shows in fewer steps
    expect(index).toMatch(/\| `refuse-latecomers` \| quick \| `latecomer-joins\[u1\]` \| 12 steps \(cycle from 7\) \|/);
    expect(index).toMatch(
      /No trace: `fixed-ttl` \(holds at the thorough preset, [\d,]+ states\), `two-looks` \(holds at the thorough preset, [\d,]+ states\), `fixed` \(holds at the thorough preset, /,
    );
  });
});

describe('ITF', () => {
  it('the committed current.itf.json replays (no symmetry) to the same states and the violation at its last step', () => {
    const itf = fromItf(committed(`${TRACES_DIR}/current.itf.json`));
    // 14 steps: as the index above
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

  it('every committed ITF trace replays to its property at its last step (a lasso: back to its loop state, and fair)', () => {
    for (const r of reports.filter((x) => x.verdict === 'violated')) {
      const itf = fromItf(committed(`${TRACES_DIR}/${r.design}.itf.json`));
      const lasso = r.loop !== null;
      const model = presenceModel(r.design!, itf.meta.bounds as Bounds, { symmetry: false, liveness: lasso });
      const run = replay(model, itf.steps);
      expect(run.ok, r.design!).toBe(true);
      if (!run.ok) continue;
      const views = run.trace.map((s) => model.view!(s.state));
      if (!lasso) {
        expect(run.violation, r.design!).toEqual({ property: r.property, step: r.trace.length - 1 });
        expect(views, r.design!).toEqual(itf.states);
        continue;
      }
      // the states, then the closing step (#meta.loopBack) back to states[loop]
      expect(itf.loop).toBe(r.loop);
      expect(views.slice(0, -1), r.design!).toEqual(itf.states);
      expect(views.at(-1)).toEqual(itf.states[itf.loop!]);
      expect(judgeLasso(model, run.trace, r.loop!)).toMatchObject({ closes: true, unfair: [] });
      expect(judgeLasso(model, run.trace, r.loop!).violates).toContain(r.property);
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
    // (the view's field names are the model's: lag = ticks until presence shows the tab)
    expect(tabs[0][1]).toMatchObject({ phase: 'connected', meeting: 'M1', lag: { '#bigint': '1' } });
    const meetings = (third.meetings as { '#map': [string, Record<string, unknown>][] })['#map'];
    expect(meetings[0]).toEqual(['M1', expect.objectContaining({ active: true, polls: ['due'] })]);
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
    // a variable a state leaves out is not an error: it has no value there (a view with a field in some states only)
    bad = clone();
    delete bad.states[4].meetings;
    expect(fromItf(bad).states[4]).not.toHaveProperty('meetings');
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
          '#meta': { index: 1 },
          big: { '#bigint': '5' },
          small: { '#bigint': '0' },
          'mbt::actionTaken': 'fill',
          'mbt::nondetPicks': { jug: { tag: 'Some', value: 'big' }, other: { tag: 'None', value: { '#tup': [] } } },
        },
      ],
    };
    const itf = fromItf(quint);
    expect(itf.steps).toEqual([{ action: 'fill', params: { jug: 'big' } }]);
    expect(itf.states).toEqual([
      { big: 0, small: 0 },
      { big: 5, small: 0 },
    ]);
    expect(itf.vars).toEqual(['big', 'small']);
  });
});

describe('Mermaid', () => {
  it('every generated sequence diagram parses with the mermaid package, and each Markdown page embeds it', async () => {
    for (const r of reports) {
      const diagram = toMermaid(r);
      await expectValidSequenceDiagram(diagram);
      const page = files.find((f) => f.path === `${TRACES_DIR}/${r.design}.md`)!.content;
      // the page embeds the diagram without its record (the page has the record once, under its header)
      expect(mermaidBlock(page)).toBe(toMermaid(r, { record: false }));
      expect(diagram).toBe(`${toMermaid(r, { record: false })}    %% ${recordLine(r)}\n`);
    }
  });

  it('the parser is a real check: it rejects what the sanitiser removes', async () => {
    await expect(mermaid.parse('sequenceDiagram\n    participant B as Backend\n    B->>B: a; b')).rejects.toThrow(/Parse error/);
    await expect(mermaid.parse('sequenceDiagram\n    participant B as Backend\n    Note over B no colon')).rejects.toThrow(/Parse error/);
  });

  it('lays out lanes and arrows per part of the system, as the model says', () => {
    // the step numbers are the shortest trace's: pinned, docs/traces/grace-period.md, computed by the checker
    const diagram = toMermaid(reportOf('grace-period'), { wrap: 0 });
    expect(diagram.split('\n').slice(3, 10)).toEqual([
      'sequenceDiagram',
      '    participant U1 as Tab u1',
      '    participant U2 as Tab u2',
      '    participant B as Backend',
      '    participant W as Worker',
      '    participant D as Daily',
      '    participant R as Redis/DB',
    ]);
    // a tab is u1#1 here as in the tables: # written as Mermaid's entity code, which it draws as #
    expect(diagram).toContain('    U1->>B: 1. u1 opens a new tab u1#35;1: POST /rooms/R/meeting → M1');
    expect(diagram).toContain('    U1->>D: 3. u1#35;1 WebRTC handshake completes');
    expect(diagram).toContain('    D-->>W: 4. Daily presence now shows u1#35;1 in M1');
    expect(diagram).toContain('    W->>D: 6. poll(M1) reads presence: u1#35;1');
    expect(diagram).toContain('    W->>R: 8. poll(M1) reconciles sessions: opens u1#35;1');
    expect(diagram).toContain('    Note over U1,R: 10. t = 1\n    Note over U1,R: 11. t = 2\n');
    // 16 steps: as the t column below (docs/traces/grace-period.md)
    expect(diagram).toMatch(/ {4}Note over U1,R: ✗ no-orphaned-call violated after step 16: u2 \(tab u2#35;1\)/);
    // what the run rests on: comments above the diagram, no note across it
    expect(diagram).not.toContain('Note over U1,R: assuming');
    expect(diagram.split('\n')[1]).toBe('%% faults in force: none');
    expect(diagram.split('\n')[2]).toMatch(/^%% assuming: a join shows in presence within handshake \+ lag ticks; /);
    // by default wrapped at 24 characters
    expect(toMermaid(reportOf('grace-period'))).toContain(
      '    U1->>B: 1. u1 opens a new tab<br>u1#35;1: POST<br>/rooms/R/meeting → M1<br>',
    );
    expect(mermaidBlock(files.find((f) => f.path.endsWith('/shipped.md'))!.content)).toContain(
      '    W->>R: 10. process_meetings(M1)<br>deactivates M1',
    );
  });

  it('survives hostile descriptions, unknown actions and arrows to lanes it does not have', async () => {
    const base = reportOf('shipped');
    const nasty = 'a | pipe; semi # hash %% comment <b>html</b> `tick` *star* _under_ [link] & amp: colon\nnewline';
    const step = (index: number, action: string, params: Params, description: string, arrow?: Arrow): TraceStepReport => ({
      index,
      action,
      params,
      description,
      state: base.trace[Math.min(index, base.trace.length - 1)].state,
      ...(arrow ? { arrow } : {}),
    });
    const report: RunReport = {
      ...base,
      trace: [
        base.trace[0],
        step(1, 'getOrCreateMeeting', { user: 1 }, nasty, { from: 'U1', to: 'B', style: 'request' }),
        step(2, 'frobnicate', { x: 1 }, nasty),
        step(3, 'presenceCatchesUp', { user: 2, tab: 2 }, 'presence catches up', { from: 'D', to: 'W', style: 'reply' }),
        step(4, 'tick', {}, 'one tick passes'),
        step(5, 'duplicatePollDropped', { meeting: 1 }, '', { over: 'W' }),
        step(6, 'webhookLost', {}, 'participant.left is lost', { from: 'D', to: 'B', style: 'lost' }),
        step(7, 'elsewhere', {}, 'to a lane the model does not have', { from: 'W', to: 'Nowhere', style: 'request' }),
        step(8, 'everyone', {}, 'across every lane', { across: true }),
      ],
    };
    await expectValidSequenceDiagram(toMermaid(report));
    const diagram = toMermaid(report, { wrap: 0 });
    // lanes: those a step uses (U1, not U2) and those the model always draws
    expect(
      diagram
        .split('\n')
        .filter((l) => l.startsWith('    participant '))
        .map((l) => l.trim().split(' ')[1]),
    ).toEqual(['U1', 'B', 'W', 'D', 'R']);
    expect(diagram).toMatch(/\n {4}U1->>B: 1\. a \| pipe, semi #35; hash % comment ‹b›html‹\/b› 'tick'/);
    expect(diagram).toContain("    Note over U1,R: 2. a | pipe, semi #35; hash % comment ‹b›html‹/b› 'tick'");
    expect(diagram).toContain('    D-->>W: 3. presence catches up');
    expect(diagram).toContain('    Note over U1,R: 4. t = 1');
    expect(diagram).toContain('    Note over W: 5. duplicatePollDropped(meeting=1)');
    expect(diagram).toContain('    D-xB: 6. participant.left is lost');
    expect(diagram).toContain('    Note over U1,R: 7. to a lane the model does not have');
    expect(diagram).toContain('    Note over U1,R: 8. across every lane');
    expect(diagram).toMatch(/ {4}Note over U1,R: ✗ no-orphaned-call violated after step 8: /);
    const md = toMarkdown(report);
    const rows = md.split('\n').filter((l) => /^\| \d+ \|/.test(l));
    expect(rows).toHaveLength(9);
    for (const row of rows) expect(cells(row), row).toHaveLength(4);
    expect(rows[1]).toContain(
      'a \\| pipe; semi # hash %% comment &lt;b&gt;html&lt;/b&gt; \\`tick\\` \\*star\\* \\_under\\_ \\[link] &amp; amp: colon newline',
    );
    expect(cells(rows[5])[2]).toBe('duplicatePollDropped(meeting=1)');
  });

  it('a model without lanes: one lane named after it, every step a note', async () => {
    const { lanes: _lanes, ...rest } = reportOf('current');
    const diagram = toMermaid({ ...rest, lanes: null }, { wrap: 60 });
    await expectValidSequenceDiagram(diagram, 60);
    const lines = diagram.trimEnd().split('\n');
    // the premises as comments, then the steps
    expect(lines.slice(0, 2)).toEqual([MERMAID_INIT, '%% faults in force: none']);
    expect(lines[2]).toMatch(/^%% assuming: /);
    expect(lines.slice(3, 5)).toEqual(['sequenceDiagram', '    participant M as presence/current']);
    expect(lines[5]).toBe('    Note over M: 1. u1 opens a new tab u1#35;1: POST /rooms/R/meeting → M1<br>(created, new Daily room)');
    expect(lines.slice(5, -1).every((l) => l.startsWith('    Note over M: '))).toBe(true);
    expect(lines.at(-1)).toBe(`    %% ${recordLine(reportOf('current'))}`);
  });
});

describe('determinism', () => {
  it('the files do not depend on how long the check took: a different elapsedMs changes nothing but the text report', () => {
    for (const r of reports) {
      const slower = { ...r, elapsedMs: r.elapsedMs * 7 + 1 };
      for (const format of TRACE_FORMATS.filter((f) => f !== 'text'))
        expect(exportReport(slower, format), `${r.design} ${format}`).toBe(exportReport(r, format));
      // the terminal's text says how long it took (and so is no file for docs)
      expect(exportReport(slower, 'text')).not.toBe(exportReport(r, 'text'));
    }
  });

  it('the JSON file is the report without elapsedMs, marked with its format', () => {
    const json = JSON.parse(toJson(reportOf('current'))) as Record<string, unknown>;
    expect(json).not.toHaveProperty('elapsedMs');
    const { elapsedMs: _e, ...rest } = reportOf('current');
    expect(json).toEqual({ format: 'presence-check/run', ...JSON.parse(JSON.stringify(rest)) });
  });

  it('checking a design again gives the same files', async () => {
    const again = traceFiles([await checkAgain(reportOf('shipped'))]).filter((f) => f.path.includes('/shipped.'));
    expect(again).toHaveLength(2);
    for (const f of again) expect(f.content).toBe(files.find((g) => g.path === f.path)!.content);
  });
});

describe('Markdown for a reader', () => {
  it('current: numbered steps, ticks, what changed, the deactivation, the property and the orphaned user', () => {
    const md = toMarkdown(reportOf('current'));
    // 14 steps (15 rows with the initial state): pinned, the README's verdict matrix (current at users=2 lag=1), computed by the checker
    expect(md).toMatch(/^# `current`: no-orphaned-call violated in 14 steps\n/);
    expect(md).toContain('- **bounds**: `users=2` `tabs=2` `lag=1`');
    // the bounds named in full: the command repeats the check whatever the presets are by then
    expect(md).toContain('- **reproduce**: `presence-check check --design current --users 2 --tabs 2 --lag 1`');
    expect(md).toContain(
      '- **bounds**: `users=2` `tabs=2` `lag=1` `handshake=2` `ttl=6` `poll-delay=3` `left-poll-delay=5` `grace=3` (preset thorough)',
    );
    expect(md).toContain('| # | t | step | what changed |');
    const rows = md.split('\n').filter((l) => /^\| \d+ \|/.test(l));
    expect(rows.map((r) => Number(cells(r)[0]))).toEqual([...Array(15).keys()]);
    for (const row of rows) expect(cells(row)).toHaveLength(4);
    expect(cells(rows[3])).toEqual([
      '3',
      '0',
      "u1#1 WebRTC handshake completes: in M1's Daily call; participant.joined → poll(M1) queued",
      '`tabs.u1#1.phase: handshaking → connected`<br>`- tabs.u1#1.handshake`<br>' + '`+ tabs.u1#1.lag: 1`<br>`+ meetings.M1.polls: [due]`',
    ]);
    expect(cells(rows[13])[2]).toContain('deactivates M1');
    expect(md).toContain(
      "After step 14, `no-orphaned-call` is violated (nobody is in a deactivated meeting's Daily room while " +
        'another meeting is active): u2 (tab u2#1) is still in the Daily call of M1, which has been deactivated, ' +
        "while M2 is the room's active meeting",
    );
    expect(md).toContain('- users: `u2` (tab `u2#1`)\n- meetings: `M1`, `M2`');
    expect(md).not.toMatch(/elapsed ?ms|\d+\.\d+ s\b|states\/s/i);
  });

  it('grace-period counts ticks in the t column', () => {
    const rows = toMarkdown(reportOf('grace-period'))
      .split('\n')
      .filter((l) => /^\| \d+ \|/.test(l));
    // pinned: docs/traces/grace-period.md (16 steps, ticks at steps 10, 11 and 13: grace 3 must pass), computed by the checker
    expect(rows.map((r) => Number(cells(r)[1]))).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 2, 2, 3, 3, 3, 3]);
  });

  it("says who breaks the property in the model's words (the report's explanation), and falls back to the description", () => {
    const r = reportOf('current');
    // what the model's explanation says is the model's business (specs/model); the page shows it as given
    const split: RunReport = {
      ...r,
      property: 'same-daily-room',
      propertyDescription: 'no two users are in different Daily rooms',
      explanation: {
        text: 'u1 (tab u1#2) is in the Daily call of M2 and u2 (tab u2#1) in that of M1: two users of the same room are in different Daily rooms',
        involved: [
          { label: 'users', items: ['u1', 'u2'], detail: { one: 'tab', many: 'tabs', items: ['u1#2', 'u2#1'] } },
          { label: 'meetings', items: [] },
        ],
      },
    };
    const md = toMarkdown(split);
    expect(md).toContain(
      'After step 14, `same-daily-room` is violated (no two users are in different Daily rooms): u1 (tab u1#2) is in the Daily call of M2 ' +
        'and u2 (tab u2#1) in that of M1: two users of the same room are in different Daily rooms.',
    );
    // a list with nothing in it is left out
    expect(md).toContain('- users: `u1`, `u2` (tabs `u1#2`, `u2#1`)\n\n## Sequence diagram');
    const other = toMarkdown({ ...r, property: 'some-invariant', propertyDescription: 'something always holds', explanation: null });
    expect(other).toContain('After step 14, `some-invariant` is violated: something always holds.\n\n## Sequence diagram');
    const deadlock = toMarkdown({
      ...r,
      property: 'deadlock',
      propertyDescription: 'some action is enabled in every state',
      explanation: null,
    });
    expect(deadlock).toContain(
      'After step 14, `deadlock` is violated (some action is enabled in every state): no action is enabled in this state (deadlock is an error for this model).',
    );
  });
});

describe('a user model (examples/die-hard.ts)', () => {
  it('exports as one lane of notes, a table without t, and ITF that replays', async () => {
    const outcome = await runModel({ kind: 'module', liveness: true, path: join(ROOT, 'examples/die-hard.ts') }, dieHard, { exact: false });
    if (outcome.kind !== 'report') throw new Error(outcome.kind);
    const report = outcome.report;
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
    // derived by hand: the puzzle's shortest solution is 6 steps (examples/die-hard.ts)
    expect(run.ok && run.violation).toEqual({ property: 'big-jug-not-4', step: 6 });
    expect(run.trace.map((s) => s.state.toJS())).toEqual(itf.states);
  });
});

// ----------------------------------------------------------- ITF values

/** A user model's report, checked in this thread. */
async function reportOfModel<S>(model: Model<S>, path = `/models/${model.name}.ts`): Promise<RunReport> {
  const outcome = await runModel({ kind: 'module', path, liveness: true }, model as Model<unknown>, { exact: false });
  if (outcome.kind !== 'report') throw new Error(outcome.kind === 'model-error' ? outcome.report.message : outcome.message);
  return outcome.report;
}

// no view: the state itself, native and Immutable sets and maps in it; violated after 2 adds
interface Bag {
  readonly seen: Set<number>;
  readonly tally: Map<string, number>;
  readonly ids: ISet<number>;
  readonly index: IMap<string, number>;
}
const BAG: Model<Bag> = {
  name: 'bag',
  init: [{ seen: new Set(), tally: new Map(), ids: ISet(), index: IMap() }],
  actions: [
    action<Bag, { n: number }>({
      name: 'add',
      params: () => [{ n: 1 }, { n: 2 }],
      guard: (s, { n }) => !s.seen.has(n),
      effect: (s, { n }) => ({
        seen: new Set([...s.seen, n]),
        tally: new Map([...s.tally, [`k${n}`, n]]),
        ids: s.ids.add(n),
        index: s.index.set(`k${n}`, n * 10),
      }),
    }),
  ],
  properties: [always<Bag>('few', 'at most one item', (s) => s.seen.size < 2)],
  deadlockIsError: false,
};

// the same with native collections only, as a module file the CLI loads
const NATIVE_BAG_SOURCE = `
import { action, always, type Model } from ${JSON.stringify(join(ROOT, 'checker/index.ts'))};
type Bag = { readonly seen: Set<number>; readonly tally: Map<string, number> };
export const model: Model<Bag> = {
  name: 'native-bag',
  init: [{ seen: new Set(), tally: new Map() }],
  actions: [action<Bag, { n: number }>({
    name: 'add', params: () => [{ n: 1 }, { n: 2 }],
    guard: (s, { n }) => !s.seen.has(n),
    effect: (s, { n }) => ({ seen: new Set([...s.seen, n]), tally: new Map([...s.tally, ['k' + n, n]]) }),
  })],
  properties: [always<Bag>('few', 'at most one item', (s) => s.seen.size < 2)],
  deadlockIsError: false,
};
`;

describe('ITF values', () => {
  let dir = '';
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'presence-export-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('integers are #bigint with their exact digits, whatever their size; other numbers are #unserializable', () => {
    expect(encodeItfValue(0)).toEqual({ '#bigint': '0' });
    expect(encodeItfValue(-7)).toEqual({ '#bigint': '-7' });
    expect(encodeItfValue(1e21)).toEqual({ '#bigint': '1000000000000000000000' });
    expect(encodeItfValue(2 ** 53 + 2)).toEqual({ '#bigint': '9007199254740994' });
    expect(encodeItfValue(10n ** 30n)).toEqual({ '#bigint': '1000000000000000000000000000000' });
    expect(encodeItfValue({ '#bigint': '123456789012345678901234567890' })).toEqual({ '#bigint': '123456789012345678901234567890' });
    expect(encodeItfValue(0.5)).toEqual({ '#unserializable': '0.5' });
    expect(encodeItfValue(null)).toEqual({ '#unserializable': 'null' });
    // and back: a number where it is exact, a bigint beyond
    expect(decodeItfValue({ '#bigint': '-7' })).toBe(-7);
    expect(decodeItfValue({ '#bigint': '1000000000000000000000' })).toBe(10n ** 21n);
    expect(decodeItfValue({ '#unserializable': '0.5' })).toBe(0.5);
  });

  it('an object with keys starting with # is a #map (never read as a tag); a plain one is a record', () => {
    expect(encodeItfValue({ '#set': 1, n: 2 })).toEqual({
      '#map': [
        ['#set', { '#bigint': '1' }],
        ['n', { '#bigint': '2' }],
      ],
    });
    expect(encodeItfValue({ a: { '#b': true } })).toEqual({ a: { '#map': [['#b', true]] } });
    expect(encodeItfValue({ a: [1, 'x'] })).toEqual({ a: [{ '#bigint': '1' }, 'x'] });
    expect(decodeItfValue({ '#map': [['#set', { '#bigint': '1' }]] })).toEqual({ '#set': 1 });
  });

  it("a view whose top-level keys start with '#' is one variable, `state`, marked in #meta.wholeState, and reads back as the view", async () => {
    const model: Model<number> = {
      name: 'hashes',
      init: [0],
      actions: [action<number>({ name: 'inc', guard: (s) => s < 3, effect: (s) => s + 1 })],
      properties: [always<number>('below-2', 'n stays below 2', (s) => s < 2)],
      view: (s) => ({ '#n': s, big: 1e21 }),
      deadlockIsError: false,
    };
    const report = await reportOfModel(model);
    const itf = toItf(report);
    expect(itf.vars).toEqual(['state']);
    expect(itf['#meta']).toMatchObject({ wholeState: 'state', model: 'hashes', modelPath: '/models/hashes.ts', violatedAfterStep: 2 });
    expect(itf.states[2]).toEqual({
      '#meta': { index: 2, action: 'inc', params: {}, description: 'inc()' },
      state: {
        '#map': [
          ['#n', { '#bigint': '2' }],
          ['big', { '#bigint': '1000000000000000000000' }],
        ],
      },
    });
    const back = fromItf(toItfJson(report));
    // beyond 2^53 an integer reads back as a bigint, exactly
    expect(back.states).toEqual([0, 1, 2].map((n) => ({ '#n': n, big: 10n ** 21n })));
    expect(back.steps).toEqual([
      { action: 'inc', params: {} },
      { action: 'inc', params: {} },
    ]);
  });

  it('a model without a view: native and Immutable sets and maps in its state are #set and #map', async () => {
    const report = await reportOfModel(BAG);
    expect(report).toMatchObject({ verdict: 'violated', property: 'few' });
    const itf = toItf(report);
    expect(itf.vars).toEqual(['seen', 'tally', 'ids', 'index']);
    const n = (x: number) => ({ '#bigint': String(x) });
    expect(itf.states[0]).toEqual({
      '#meta': { index: 0 },
      seen: { '#set': [] },
      tally: { '#map': [] },
      ids: { '#set': [] },
      index: { '#map': [] },
    });
    const { '#meta': _meta, ...last } = itf.states[2];
    // derived by hand: add(n=1), then add(n=2), in the order params() lists them
    expect(last).toEqual({
      seen: { '#set': [n(1), n(2)] },
      tally: {
        '#map': [
          ['k1', n(1)],
          ['k2', n(2)],
        ],
      },
      ids: { '#set': [n(1), n(2)] },
      index: {
        '#map': [
          ['k1', n(10)],
          ['k2', n(20)],
        ],
      },
    });
    expect(fromItf(toItfJson(report)).states[2]).toEqual({
      seen: new Set([1, 2]),
      tally: { k1: 1, k2: 2 },
      ids: new Set([1, 2]),
      index: { k1: 10, k2: 20 },
    });
  });

  it('the CLI writes such a trace and replays it as it is (its first state compared in its ITF encoding)', async () => {
    const path = join(dir, 'native-bag.ts');
    writeFileSync(path, NATIVE_BAG_SOURCE);
    const file = join(dir, 'native-bag.itf.json');
    const checked = await runCli(['check', '--model', path, '--trace-out', file]);
    expect(checked.code).toBe(EXIT.failed);
    const itf = JSON.parse(readFileSync(file, 'utf8')) as { vars: string[]; states: Record<string, unknown>[] };
    expect(itf.vars).toEqual(['seen', 'tally']);
    expect(itf.states[0]).toMatchObject({ seen: { '#set': [] }, tally: { '#map': [] } });
    const replayed = await runCli(['replay', file, '--json']);
    expect(replayed.err).toBe('');
    expect(replayed.code).toBe(EXIT.failed);
    // derived by hand: two adds
    expect(JSON.parse(replayed.out)).toMatchObject({
      model: 'native-bag',
      violation: { property: 'few', step: 2 },
      expected: { agrees: true },
    });
  });

  it('#meta names the model file of a --model run and the initial state when it is not the first; a design run has neither', async () => {
    const model: Model<number> = {
      name: 'two-starts',
      init: [0, 10],
      actions: [action<number>({ name: 'inc', guard: (s) => s < 12, effect: (s) => s + 1 })],
      properties: [always<number>('below-11', 'stays below 11', (s) => s < 11)],
      deadlockIsError: false,
    };
    const report = await reportOfModel(model);
    expect(report.initial).toBe(1);
    expect(toItf(report)['#meta']).toMatchObject({ modelPath: '/models/two-starts.ts', initialState: 1, violatedAfterStep: 1 });
    // a state that is not a record: one variable
    expect(toItf(report).vars).toEqual(['state']);
    const fromStart = toItf({ ...report, initial: 0 })['#meta'];
    expect(fromStart).not.toHaveProperty('initialState');
    const design = toItf(reportOf('current'))['#meta'];
    expect(design).not.toHaveProperty('modelPath');
    expect(design).not.toHaveProperty('initialState');
    expect(design).toMatchObject({
      model: 'presence/current',
      design: 'current',
      bounds: DEFAULT_BOUNDS,
      symmetry: true,
      verdict: 'violated',
    });
  });
});
