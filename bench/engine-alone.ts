// The engine alone: presence-check's one-thread safety search with the
// model's code taken out, to say how fast the search could be if the model's
// successors cost nothing. A first pass (not timed) runs the real search's
// enumeration (forEachSuccessor) and records each expanded state's targets,
// packed by the model's codec; the timed pass then runs the search's own
// work over those records: unpack each expanded state from the frontier (as
// the search does), unpack each recorded target (a new state object, as an
// effect makes one), encode it, fingerprint it, probe the visited set, and
// push the new ones on the next level's frontier. What it leaves out is the
// model's part: params, guards, effects (with tidy), and the properties
// checked on each new state. So its rate is a ceiling for any speed-up of
// the model's code on this engine (issue 26: how far a compiler of the
// actions could take the ratio to SPIN).
import { forEachSuccessor, createVisitedSet, type Model, type VisitedSet } from '../checker/index.ts';
import { newFrontier, type Frontier } from '../checker/frontier.ts';
import { Int32Buffer } from '../checker/int-buffer.ts';

export interface EngineAloneFigures {
  readonly states: number;
  /** the targets the timed pass encoded and looked up (self-loops are not: the search skips them too) */
  readonly targets: number;
  readonly seconds: number;
  /** the visited set's bytes at the end */
  readonly visitedBytes: number;
}

/** Each expanded state's targets (not self-loops), packed back to back, by the state's id in discovery order. */
interface Recorded {
  readonly ints: Int32Buffer;
  /** targets of state id k: packed from starts[k] to starts[k + 1] */
  readonly starts: Int32Array;
  /** where each target's packing starts in `ints`, target after target */
  readonly at: Int32Array;
  readonly states: number;
}

/** BFS level by level, expand(state, id, discover) for every state on the frontier; returns the visited set at the end. */
function levels<S>(model: Model<S>, expand: (state: S, id: number, discover: (target: S, parent: number) => void) => void): VisitedSet<S> {
  const visited = createVisitedSet('fingerprint', model.encode!);
  let frontier: Frontier<S> = newFrontier(model.codec);
  let next: Frontier<S> = newFrontier(model.codec);
  const discover = (target: S, parent: number) => {
    const id = visited.visit(target, parent);
    if (id >= 0) next.push(target, id);
  };
  for (const s of model.init) {
    const id = visited.visit(s, -1);
    if (id >= 0) frontier.push(s, id);
  }
  while (frontier.size > 0) {
    for (let i = 0; i < frontier.size; i++) expand(frontier.state(i), frontier.id(i), discover);
    const expanded = frontier;
    frontier = next;
    expanded.clear();
    next = expanded;
  }
  return visited;
}

function record<S>(model: Model<S>): Recorded {
  const ints = new Int32Buffer(1 << 20);
  const at = new Int32Buffer(1 << 16);
  const firstOf = new Int32Buffer(1 << 16);
  const codec = model.codec!;
  const states = levels(model, (state, id, discover) => {
    if (id !== firstOf.length) throw new Error(`bench: the search expanded state ${id} out of order (expected ${firstOf.length})`);
    firstOf.int(at.length);
    forEachSuccessor(model.actions, state, (_a, _p, target) => {
      if (Object.is(target, state)) return;
      at.int(ints.length);
      codec.pack(target, ints);
      discover(target, id);
    });
  }).size;
  firstOf.int(at.length);
  return { ints, starts: firstOf.data.slice(0, firstOf.length), at: at.data.slice(0, at.length), states };
}

/**
 * The engine alone on `model` (which needs a codec and an encoder, as the
 * presence model has): records its successors, then times `runs` passes of
 * the search's own work over them; the figures of each pass.
 */
export function engineAlone<S>(model: Model<S>, runs: number): EngineAloneFigures[] {
  if (!model.codec || !model.encode) throw new Error('bench: the engine alone needs a model with a codec and an encoder');
  const rec = record(model);
  const codec = model.codec;
  const out: EngineAloneFigures[] = [];
  for (let r = 0; r < runs; r++) {
    const start = process.hrtime.bigint();
    const visited = levels(model, (_state, id, discover) => {
      for (let k = rec.starts[id]; k < rec.starts[id + 1]; k++) discover(codec.unpack(rec.ints.data, rec.at[k]), id);
    });
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    if (visited.size !== rec.states)
      throw new Error(`bench: the engine alone found ${visited.size} states, the recording pass ${rec.states}`);
    out.push({ states: visited.size, targets: rec.at.length, seconds, visitedBytes: visited.bytes });
  }
  return out;
}
