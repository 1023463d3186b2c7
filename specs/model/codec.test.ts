// The presence model's codec (model/codec.ts) packs a state into integers for
// the checker's frontier and worker threads. Unpacking must give back the
// very same state: the same words, equal as a value (equals, hashCode), with
// the same encoding and the same successors, for every design, up to the
// largest bound values (a poll queued 15 ticks ahead sets the poll queue's
// top bits, which the packing keeps in a signed int).
import { describe, expect, it } from 'vitest';
import type { ActionDef, IntSink, Model, Params } from '../../checker/index.ts';
import { Int32Buffer } from '../../checker/int-buffer.ts';
import { DESIGN_NAMES, FAULT_NAMES, presenceModel, type State } from '../../model/index.ts';

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
  // without faults, and with every fault (their fields set too)
  const runs = DESIGN_NAMES.flatMap((d) => [[d, 'no faults', []] as const, [d, 'every fault', FAULT_NAMES] as const]);
  it.each(runs)('%s, %s: unpack(pack(s)) is s, for the states a search meets', (design, _label, faults) => {
    const bounds = { users: 2, tabs: 2, lag: 2, handshake: 3, ttl: 30, pollDelay: 15, leftPollDelay: 15, grace: 3 };
    const model = presenceModel(design, bounds, { faults, faultBounds: { flapTicks: 2, flaps: 2 } });
    const codec = model.codec!;
    const buffer = new Int32Buffer();
    let highPolls = 0;
    // what differs, per state (one expect at the end: thousands of expects would cost more than the states)
    const problems: string[] = [];
    const states = someStates(model, 400);
    for (const [k, s] of states.entries()) {
      buffer.clear();
      buffer.int(7); // an offset, as in the frontier
      codec.pack(s, buffer);
      const back = codec.unpack(buffer.data, 1);
      const there = successors(model, s),
        again = successors(model, back);
      const differs = [
        back === s && 'the same object',
        back.w.join() !== s.w.join() && 'words',
        !back.equals(s) && 'equals',
        back.hashCode() !== s.hashCode() && 'hashCode',
        JSON.stringify(back.toJS()) !== JSON.stringify(s.toJS()) && 'fields',
        encoding(model, back).join() !== encoding(model, s).join() && 'encoding',
        JSON.stringify(again.map((t) => [t.action, t.params])) !== JSON.stringify(there.map((t) => [t.action, t.params])) && 'steps',
        again.some((t, j) => !t.to.equals(there[j].to)) && 'successors',
      ].filter((x) => x !== false);
      if (differs.length > 0) problems.push(`state ${k} [${s.w.join()}]: ${differs.join(', ')}`);
      for (let id = 1; id <= s.layout.meetingIds; id++) if ((s.meeting(id)?.polls ?? 0) >= 2 ** 30) highPolls++;
    }
    expect(states.length).toBe(400);
    expect(problems.slice(0, 5)).toEqual([]);
    if (design === 'shipped' && faults.length === 0) expect(highPolls).toBeGreaterThan(0);
  });
});
