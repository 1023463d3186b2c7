// Scenario files for `replay`: YAML (or JSON, which the YAML parser reads
// too) with an optional design and bounds and a list of steps. This module
// only reads the file's shape and keeps each step's line number; what an
// action name or a parameter means is the model's business (cli/replay.ts).
//
//   design: current                  # optional; --design overrides it
//   bounds: { users: 2, lag: 1 }     # optional; bound flags override each one
//   faults: [key-lost]               # optional: the faults in force (or `all`); --faults overrides it
//   initial: 0                       # optional: which of the model's initial states (index, or its view)
//   description: free text           # optional
//   loop: 3                          # optional: a lasso; after the last step the run is back in
//                                    # the state after step 3, and goes round steps 4.. forever
//                                    # (loop = the number of steps: it stays in the last state)
//   steps:
//     - getOrCreateMeeting: { user: u1 }   # action: params
//     - tick                               # an action without params
//     - { action: connect, user: 1 }       # or one mapping with an `action` key
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node, type Pair } from 'yaml';
import { BOUND_SPECS, FAULT_NAMES, faultByName, type Bounds, type FaultName } from '../model/index.ts';

/** A parameter value as written (normalised later, against the model). */
export type RawValue = string | number | boolean;

export interface RawStep {
  /** 1-based position in `steps` */
  readonly index: number;
  /** 1-based line of the step in the file */
  readonly line: number;
  readonly action: string;
  readonly params: Readonly<Record<string, RawValue>>;
}

export interface Scenario {
  readonly design: { readonly name: string; readonly line: number } | null;
  /** which initial state: its index in the model's init, or its view as written; null = the first */
  readonly initial: { readonly value: unknown; readonly line: number } | null;
  /** the bounds the file sets */
  readonly bounds: Partial<Bounds>;
  /** the faults in force the file names (null: it does not say) */
  readonly faults: { readonly value: readonly FaultName[]; readonly line: number } | null;
  readonly description: string | null;
  /** a lasso: the step after which the cycle starts (its state is where the last step leads back to), or null */
  readonly loop: { readonly value: number; readonly line: number } | null;
  readonly steps: readonly RawStep[];
}

export type ScenarioParse =
  | { readonly ok: true; readonly scenario: Scenario }
  | { readonly ok: false; readonly line: number | null; readonly message: string };

export const TOP_KEYS = ['design', 'bounds', 'faults', 'initial', 'description', 'loop', 'steps'] as const;

const STEP_FORMS = '`- action`, `- action: {param: value, ...}` or `- {action: name, param: value, ...}`';

class ScenarioError extends Error {
  constructor(
    readonly line: number | null,
    message: string,
  ) {
    super(message);
  }
}

function scalarText(v: unknown): string {
  return typeof v === 'string' ? `'${v}'` : JSON.stringify(v);
}

/** Parses a scenario file's text. Errors name the line (1-based) when there is one. */
export function parseScenario(text: string, options: { readonly json?: boolean } = {}): ScenarioParse {
  const counter = new LineCounter();
  const doc = parseDocument(text, { lineCounter: counter, prettyErrors: true, uniqueKeys: true });
  const lineOf = (node: { range?: [number, number, number] | null } | null | undefined): number | null =>
    node?.range ? counter.linePos(node.range[0]).line : null;

  if (doc.errors.length > 0) {
    const e = doc.errors[0];
    // the parser's message ends with its own position and an excerpt; we give the line ourselves
    const message = e.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
    return { ok: false, line: e.linePos?.[0].line ?? null, message: `not valid ${options.json ? 'JSON' : 'YAML'}: ${message}` };
  }

  try {
    const root = doc.contents;
    if (root === null || (isScalar(root) && (root.value === null || root.value === ''))) {
      throw new ScenarioError(null, 'the file is empty: a scenario is a mapping with a `steps:` list');
    }
    if (!isMap(root)) {
      throw new ScenarioError(
        lineOf(root as Node),
        'a scenario is a mapping with a `steps:` list (and optional design:, bounds:, description:)',
      );
    }
    let design: Scenario['design'] = null;
    let initial: Scenario['initial'] = null;
    let bounds: Partial<Bounds> = {};
    let faults: Scenario['faults'] = null;
    let description: string | null = null;
    let loop: Scenario['loop'] = null;
    let steps: RawStep[] | null = null;
    for (const pair of root.items as Pair<Node, Node | null>[]) {
      const key = isScalar(pair.key) ? String(pair.key.value) : null;
      const keyLine = lineOf(pair.key);
      const value = pair.value;
      const line = lineOf(value) ?? keyLine;
      switch (key) {
        case 'design':
          if (!isScalar(value) || typeof value.value !== 'string' || value.value.trim() === '') {
            throw new ScenarioError(line, '`design:` must be a design name');
          }
          design = { name: value.value.trim(), line: line ?? 1 };
          break;
        case 'bounds':
          bounds = readBounds(value, line, lineOf);
          break;
        case 'faults':
          faults = { value: readFaults(value, line), line: line ?? 1 };
          break;
        case 'initial':
          if (value === null || (isScalar(value) && value.value === null))
            throw new ScenarioError(line, "`initial:` must be an index (0, 1, ...) or the initial state's view");
          initial = { value: value.toJSON(), line: line ?? 1 };
          break;
        case 'description':
          if (!isScalar(value)) throw new ScenarioError(line, '`description:` must be text');
          description = value.value === null ? null : String(value.value);
          break;
        case 'loop':
          if (!isScalar(value) || typeof value.value !== 'number' || !Number.isInteger(value.value) || value.value < 0) {
            throw new ScenarioError(line, '`loop:` must be a step number (0 for the initial state): where the cycle starts');
          }
          loop = { value: value.value, line: line ?? 1 };
          break;
        case 'steps':
          steps = readSteps(value, line, lineOf);
          break;
        default:
          throw new ScenarioError(
            keyLine,
            `unknown key ${key === null ? '(not a plain name)' : `'${key}'`} ` + `(a scenario's keys: ${TOP_KEYS.join(', ')})`,
          );
      }
    }
    if (steps === null) throw new ScenarioError(null, 'no `steps:` list');
    if (loop !== null && loop.value > steps.length) {
      throw new ScenarioError(loop.line, `\`loop:\` ${loop.value} is past the last step (${steps.length})`);
    }
    return { ok: true, scenario: { design, initial, bounds, faults, description, loop, steps } };
  } catch (e) {
    if (e instanceof ScenarioError) return { ok: false, line: e.line, message: e.message };
    throw e;
  }
}

type LineOf = (node: Node | null | undefined) => number | null;

function readBounds(value: Node | null, line: number | null, lineOf: LineOf): Partial<Bounds> {
  if (value === null || (isScalar(value) && value.value === null)) return {};
  if (!isMap(value)) throw new ScenarioError(line, '`bounds:` must be a mapping, e.g. `bounds: { users: 2, lag: 1 }`');
  const out: Record<string, number> = {};
  const names = BOUND_SPECS.map((b) => b.flag);
  for (const pair of value.items as Pair<Node, Node | null>[]) {
    const key = isScalar(pair.key) ? String(pair.key.value) : '';
    const at = lineOf(pair.key) ?? line;
    const spec = BOUND_SPECS.find((b) => b.flag === key || b.name === key);
    if (!spec) throw new ScenarioError(at, `unknown bound '${key}' (bounds: ${names.join(', ')})`);
    const raw = isScalar(pair.value) ? pair.value.value : undefined;
    if (typeof raw !== 'number' || !Number.isInteger(raw) || raw < spec.min || raw > spec.max) {
      const shown = raw === undefined ? 'not a number' : scalarText(raw);
      throw new ScenarioError(at, `bounds: ${spec.flag} must be an integer from ${spec.min} to ${spec.max} (got ${shown})`);
    }
    if (spec.name in out) throw new ScenarioError(at, `bounds: ${spec.flag} is given twice`);
    out[spec.name] = raw;
  }
  return out as Partial<Bounds>;
}

/** `faults: [a, b]`, `faults: a, b`, `faults: all` or `faults: none`, each a fault the model knows. */
function readFaults(value: Node | null, line: number | null): FaultName[] {
  const items = isSeq(value)
    ? (value.items as (Node | null)[]).map((n) => (isScalar(n) ? n.value : undefined))
    : isScalar(value) && typeof value.value === 'string'
      ? value.value.split(',').map((x) => x.trim())
      : null;
  const valid = `faults: ${FAULT_NAMES.join(', ')}, all, or none`;
  if (items === null || !items.every((x): x is string => typeof x === 'string' && x !== ''))
    throw new ScenarioError(line, `\`faults:\` must be a list of fault names (${valid})`);
  if (items.includes('all')) return [...FAULT_NAMES];
  const bad = items.find((x) => x !== 'none' && faultByName(x) === undefined);
  if (bad !== undefined) throw new ScenarioError(line, `unknown fault '${bad}' (${valid})`);
  return FAULT_NAMES.filter((f) => items.includes(f));
}

function readSteps(value: Node | null, line: number | null, lineOf: LineOf): RawStep[] {
  if (!isSeq(value)) throw new ScenarioError(line, '`steps:` must be a list of steps (one `- action` a line)');
  if (value.items.length === 0) throw new ScenarioError(line, '`steps:` is empty: a scenario needs at least one step');
  return (value.items as (Node | null)[]).map((item, k) => readStep(item, k + 1, lineOf(item) ?? line ?? 1, lineOf));
}

function paramValue(node: Node | null, index: number, line: number, action: string, key: string): RawValue {
  const v = isScalar(node) ? node.value : undefined;
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return v;
  throw new ScenarioError(line, `step ${index} (${action}): parameter ${key} must be a number, a word or true/false`);
}

function readParams(map: Node | null, index: number, line: number, action: string, skip: string | null, lineOf: LineOf) {
  const params: Record<string, RawValue> = {};
  if (map === null || (isScalar(map) && map.value === null)) return params;
  if (!isMap(map)) {
    throw new ScenarioError(line, `step ${index} (${action}): the parameters must be a mapping, e.g. \`- ${action}: { user: u1 }\``);
  }
  for (const pair of map.items as Pair<Node, Node | null>[]) {
    const key = isScalar(pair.key) ? String(pair.key.value) : '';
    if (key === skip) continue;
    params[key] = paramValue(pair.value, index, lineOf(pair.key) ?? line, action, key);
  }
  return params;
}

function readStep(item: Node | null, index: number, line: number, lineOf: LineOf): RawStep {
  if (isScalar(item)) {
    if (typeof item.value !== 'string' || item.value.trim() === '') {
      throw new ScenarioError(
        line,
        `step ${index}: ${item.value === null ? 'empty' : scalarText(item.value)} is not a step (${STEP_FORMS})`,
      );
    }
    return { index, line, action: item.value.trim(), params: {} };
  }
  if (!isMap(item)) throw new ScenarioError(line, `step ${index}: not a step (${STEP_FORMS})`);
  const pairs = item.items as Pair<Node, Node | null>[];
  const keys = pairs.map((p) => (isScalar(p.key) ? String(p.key.value) : ''));
  const actionAt = keys.indexOf('action');
  if (actionAt >= 0) {
    const name = pairs[actionAt].value;
    if (!isScalar(name) || typeof name.value !== 'string' || name.value.trim() === '') {
      throw new ScenarioError(line, `step ${index}: \`action:\` must be an action name`);
    }
    const action = name.value.trim();
    return { index, line, action, params: readParams(item, index, line, action, 'action', lineOf) };
  }
  if (pairs.length !== 1) {
    // typically `- connect:` with its parameters on the next lines at the same indentation
    throw new ScenarioError(line, `step ${index} has ${pairs.length} keys (${keys.join(', ')}): write ${STEP_FORMS}`);
  }
  const action = keys[0];
  if (action === '') throw new ScenarioError(line, `step ${index}: the action name must be a plain word`);
  return { index, line, action, params: readParams(pairs[0].value, index, line, action, null, lineOf) };
}
