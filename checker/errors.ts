// The errors the checker throws at its caller, each a kind a command line can
// map to its own exit code: a model that is not well formed (bad input), a
// state the default encoding cannot see into (bad input), an encoding that
// merges states the model itself tells apart (bad input), and an exception
// thrown by the model's own code (a model error, with where it happened).
import type { Params, TraceStep } from './types.ts';

/** The model value is not a well-formed model (duplicate names, no initial state, ...). */
export class ModelDefinitionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ModelDefinitionError';
  }
}

/** A value inside a state that the default encoding cannot encode by content. */
export class UnencodableValueError extends Error {
  constructor(
    /** where in the state, e.g. `state.votes[2]` */
    readonly path: string,
    /** what it is, e.g. `a Foo (class instance)` */
    readonly what: string,
  ) {
    super(
      `${path}: ${what}: the default state encoding cannot see its content; give the model an ` +
        'encode(state, out), or keep states to plain objects, arrays, Set, Map, Date, primitives and Immutable.js values',
    );
    this.name = 'UnencodableValueError';
  }
}

/** An integer handed to an IntSink that it cannot take exactly. */
export class EncodingRangeError extends RangeError {
  constructor(message: string) {
    super(message);
    this.name = 'EncodingRangeError';
  }
}

/**
 * Two states the model tells apart (its `equivalent`, by default Immutable.is
 * or deep equality) got the same encoding: the encoding loses information and
 * the search would merge them.
 */
export class EncodingClashError<S = unknown> extends Error {
  constructor(
    readonly first: S,
    readonly second: S,
  ) {
    super(
      "two states that the model tells apart have the same encoding: the model's encode() drops something " +
        "the model's equality (or `equivalent`) reads",
    );
    this.name = 'EncodingClashError';
  }
}

/**
 * The model's codec is lossy: unpack(pack(s)) is not s under the model's
 * equality, so the search, which expands the unpacked states, would check
 * another system than the model's. `path` is where the two differ (null when
 * only the model's own `equivalent` tells them apart).
 */
export class CodecLossError<S = unknown> extends Error {
  constructor(
    readonly state: S,
    readonly unpacked: S,
    readonly path: string | null,
    /** the differing values at `path`, shortly */
    readonly was: string,
    readonly became: string,
    /** the state's BFS depth in the self-check (0: an initial state) */
    readonly depth: number,
  ) {
    super(
      `the model's codec loses information: unpack(pack(s)) differs from s ` +
        (path === null ? "under the model's equivalent()" : `at ${path} (${was} in s, ${became} after the round trip)`) +
        `, for a state at depth ${depth}`,
    );
    this.name = 'CodecLossError';
  }
}

/** Which piece of the model's code threw. */
export type ModelPart = 'init' | 'params' | 'guard' | 'effect' | 'property' | 'encode' | 'equivalent' | 'codec' | 'view' | 'describe';

/**
 * The model's own code threw. `trace` is the shortest run to the state in
 * which it happened (its last state), and `action`/`params` the step being
 * tried there (for params, guard, effect), or `property` the property being
 * evaluated (on the trace's last state, or on the step's target).
 */
export class ModelCodeError<S = unknown> extends Error {
  constructor(
    readonly part: ModelPart,
    override readonly cause: unknown,
    readonly trace: readonly TraceStep<S>[],
    readonly action: string | null,
    readonly params: Params | null,
    readonly property: string | null,
  ) {
    super(`${modelPartText(part, action, params, property)} threw: ${causeText(cause)}${hintOf(part, cause)}`);
    this.name = 'ModelCodeError';
  }
}

/** Why a TypeError in params() is likely the model changing a binding it handed out: the checker froze it. */
function hintOf(part: ModelPart, cause: unknown): string {
  if (part !== 'params' || !(cause instanceof TypeError) || !/read[- ]only|not extensible|frozen/i.test(cause.message)) return '';
  return ' (the checker freezes each binding params() hands out: bindings are values, so hand out a new object for each one)';
}

export function causeText(cause: unknown): string {
  if (cause instanceof Error) return `${cause.name === 'Error' ? '' : `${cause.name}: `}${cause.message}`.split('\n')[0];
  return String(cause);
}

function modelPartText(part: ModelPart, action: string | null, params: Params | null, property: string | null): string {
  const call =
    action === null
      ? ''
      : `${action}(${
          params === null
            ? ''
            : Object.entries(params)
                .map(([k, v]) => `${k}=${v}`)
                .join(', ')
        })`;
  switch (part) {
    case 'init':
      return 'building the initial states';
    case 'params':
      return `the params() of action ${action}`;
    case 'guard':
      return `the guard of ${call}`;
    case 'effect':
      return `the effect of ${call}`;
    case 'property':
      return `property ${property}${call !== '' ? ` (on the step ${call})` : ''}`;
    case 'encode':
      return `the model's encode()${call !== '' ? ` (on the target of ${call})` : ''}`;
    case 'equivalent':
      return "the model's equivalent()";
    case 'codec':
      return "the model's codec";
    case 'view':
      return "the model's view()";
    case 'describe':
      return `the model's describe()${call !== '' ? ` of ${call}` : ''}`;
  }
}
