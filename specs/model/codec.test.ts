// The presence model's codec (model/codec.ts) packs a state into integers for
// the checker's frontier and worker threads. Unpacking must give back the
// very same state: the same words, equal as a value (equals, hashCode), with
// the same encoding and the same successors, for every design, up to the
// largest bound values (a poll queued 15 ticks ahead sets the poll queue's
// top bits, which the packing keeps in a signed int).
import { describe, expect, it } from 'vitest';
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
      expect(back).not.toBe(s);
      expect([...back.w]).toEqual([...s.w]);
      expect(back.equals(s)).toBe(true);
      expect(back.hashCode()).toBe(s.hashCode());
      expect(back.toJS()).toEqual(s.toJS());
      expect(encoding(model, back)).toEqual(encoding(model, s));
      const there = successors(model, s),
        again = successors(model, back);
      expect(again.map((t) => [t.action, t.params])).toEqual(there.map((t) => [t.action, t.params]));
      for (const [k, t] of again.entries()) expect(t.to.equals(there[k].to)).toBe(true);
      for (let id = 1; id <= s.layout.meetingIds; id++) if ((s.meeting(id)?.polls ?? 0) >= 2 ** 30) highPolls++;
    }
    if (design === 'shipped') expect(highPolls).toBeGreaterThan(0);
  });
});
