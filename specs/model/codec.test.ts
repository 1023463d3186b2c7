// The presence model's codec (model/codec.ts) packs a state into integers for
// the checker's frontier and worker threads. Unpacking must give back the
// very same state: equal as a value, with the same encoding and the same
// successors, for every design, up to the largest bound values (a poll queued
// 15 ticks ahead sets the poll queue's top bits).
import { describe, expect, it } from 'vitest';
import { is } from 'immutable';
import type { ActionDef, IntSink, Model, Params } from '../../checker/index.ts';
import { Int32Buffer } from '../../checker/int-buffer.ts';
import { DESIGN_NAMES, presenceModel, type State } from '../../model/index.ts';

function encoding(model: Model<State>, s: State): number[] {
  const ints: number[] = [];
  const sink: IntSink = { int: (x) => void ints.push(x) };
  model.encode!(s, sink);
  return ints;
}

function successors(model: Model<State>, s: State): { action: string; params: Params; to: State }[] {
  const out: { action: string; params: Params; to: State }[] = [];
  for (const a of model.actions as readonly ActionDef<State, Params>[]) {
    for (const p of a.params ? a.params(s) : [{}]) if (a.guard(s, p)) out.push({ action: a.name, params: p, to: a.effect(s, p) });
  }
  return out;
}

/** The first `limit` states a breadth-first walk meets. */
function someStates(model: Model<State>, limit: number): State[] {
  const seen = new Set<string>();
  const states: State[] = [];
  const queue = [...model.init];
  for (let head = 0; head < queue.length && states.length < limit; head++) {
    const s = queue[head];
    const key = encoding(model, s).join(',');
    if (seen.has(key)) continue;
    seen.add(key);
    states.push(s);
    for (const t of successors(model, s)) queue.push(t.to);
  }
  return states;
}

describe('the presence codec', () => {
  it.each(DESIGN_NAMES)('%s: unpack(pack(s)) is s, for the states a search meets', (design) => {
    const bounds = { users: 2, tabs: 2, lag: 2, handshake: 3, ttl: 30, pollDelay: 15, leftPollDelay: 15, grace: 3 };
    const model = presenceModel(design, bounds);
    const codec = model.codec!;
    const buffer = new Int32Buffer();
    let highPolls = 0;
    for (const s of someStates(model, 3000)) {
      buffer.clear();
      buffer.int(7); // an offset, as in the frontier
      codec.pack(s, buffer);
      const back = codec.unpack(buffer.data, 1);
      expect(is(back, s)).toBe(true);
      expect(encoding(model, back)).toEqual(encoding(model, s));
      const there = successors(model, s),
        again = successors(model, back);
      expect(again.map((t) => [t.action, t.params])).toEqual(there.map((t) => [t.action, t.params]));
      for (const [k, t] of again.entries()) expect(is(t.to, there[k].to)).toBe(true);
      if (s.meetings.some((m) => m !== null && m.polls >= 2 ** 30)) highPolls++;
    }
    if (design === 'shipped') expect(highPolls).toBeGreaterThan(0);
  });
});
