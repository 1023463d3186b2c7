// The explored state graph, recorded compactly for liveness checking (only
// when a model has `leadsTo` properties; the safety-only search records
// nothing). States are expanded in id order, so the edges are stored CSR-like:
// node u's out-edges are edges offsets[u] .. offsets[u+1]-1, in the fixed
// transition order. Per edge: the target id (4 bytes), the fairness instance
// id (0 = not fair; 1, 2 or 4 bytes, widened as ids grow) and 2 bits per
// liveness property, p and q on that transition (bit 2k: p of property k, bit
// 2k+1: q; one word per 16 properties, 1, 2 or 4 bytes as needed). Initial
// states have their p/q bits too (evaluated with no step).
import { FairnessKeys, InstanceTable } from './fairness.ts';
import { Int32Buffer } from './int-buffer.ts';
import type { LeadsToProperty, Model, Params, Step } from './types.ts';
import { ModelFault } from './successors.ts';

/** A growable array of unsigned ints that starts at 1 byte an element and widens (to 2, then 4) when a value needs it. */
export class UintBuffer {
  data: Uint8Array | Uint16Array | Uint32Array;
  length = 0;
  /** the largest value the current width holds */
  private limit = 0xff;

  constructor(capacity = 1024) {
    this.data = new Uint8Array(capacity);
  }

  push(x: number): void {
    if (this.length === this.data.length || x > this.limit) this.regrow(x);
    this.data[this.length++] = x;
  }

  get bytes(): number {
    return this.data.byteLength;
  }

  /** the bytes the values pushed so far take, at the current width */
  get usedBytes(): number {
    return this.length * this.data.BYTES_PER_ELEMENT;
  }

  private regrow(x: number): void {
    const capacity = this.length === this.data.length ? this.data.length * 2 : this.data.length;
    this.limit = Math.max(x, this.limit) <= 0xff ? 0xff : Math.max(x, this.limit) <= 0xffff ? 0xffff : 0xffffffff;
    const next =
      this.limit === 0xff ? new Uint8Array(capacity) : this.limit === 0xffff ? new Uint16Array(capacity) : new Uint32Array(capacity);
    next.set(this.data.subarray(0, this.length));
    this.data = next;
  }
}

/** The p/q bits of properties 16g .. 16g+15 on a state entered by `step` (undefined: an initial state). */
export function labelWord<S>(props: readonly LeadsToProperty<S>[], g: number, state: S, step: Step<S> | undefined): number {
  let word = 0;
  const end = Math.min(props.length, 16 * g + 16);
  for (let k = 16 * g; k < end; k++) {
    const shift = (k & 15) * 2;
    try {
      if (props[k].p(state, step)) word |= 1 << shift;
      if (props[k].q(state, step)) word |= 2 << shift;
    } catch (e) {
      throw new ModelFault('property', e, step ?? null, state, props[k].name);
    }
  }
  return word >>> 0;
}

export const isLeadsTo = <S>(p: { readonly kind: string }): p is LeadsToProperty<S> => p.kind === 'leadsTo';

export class LivenessGraph<S> {
  readonly props: readonly LeadsToProperty<S>[];
  /** words of p/q bits per edge: one per 16 properties */
  readonly groups: number;
  readonly instances: InstanceTable;
  /** offsets[u]: the first edge of node u (pushed as u is expanded; the end is edges) */
  readonly offsets = new Int32Buffer();
  readonly targets = new Int32Buffer(4096);
  readonly inst = new UintBuffer(4096);
  readonly bits: UintBuffer[];
  /** p/q words of the initial nodes: initBits[id * groups + g] */
  readonly initBits: number[] = [];

  constructor(readonly model: Model<S>) {
    this.props = model.properties.filter(isLeadsTo<S>);
    this.groups = Math.ceil(this.props.length / 16);
    this.instances = new InstanceTable(new FairnessKeys(model));
    this.bits = Array.from({ length: this.groups }, () => new UintBuffer(4096));
  }

  get edges(): number {
    return this.targets.length;
  }

  /** Nodes whose out-edges are recorded (all of them, once a search is complete). */
  get nodes(): number {
    return this.offsets.length;
  }

  /** the bytes the recorded graph takes: offsets, targets, instances and p/q words (the buffers' spare capacity aside) */
  get bytes(): number {
    return this.offsets.usedBytes + this.targets.usedBytes + this.inst.usedBytes + this.bits.reduce((n, b) => n + b.usedBytes, 0);
  }

  /** A newly discovered initial state (ids 0, 1, ... in order). */
  initial(state: S, id: number): void {
    if (id * this.groups !== this.initBits.length) throw new Error('liveness graph: initial states out of order');
    for (let g = 0; g < this.groups; g++) this.initBits.push(labelWord(this.props, g, state, undefined));
  }

  /** Node `id` is being expanded: its out-edges follow. Nodes must come in id order. */
  node(id: number): void {
    if (id !== this.offsets.length) throw new Error(`liveness graph: node ${id} expanded out of order`);
    this.offsets.int(this.targets.length);
  }

  /** A transition of the node being expanded, labelled here (the one-thread search). */
  edge(target: number, a: number, params: Params, from: S, action: string, to: S): void {
    this.targets.int(target);
    this.inst.push(this.instances.of(a, params));
    const step: Step<S> = { from, action, params };
    for (let g = 0; g < this.groups; g++) this.bits[g].push(labelWord(this.props, g, to, step));
  }

  /** A transition labelled elsewhere (by a worker thread): its instance id, then its `groups` words via word(). */
  labelled(target: number, instance: number): void {
    this.targets.int(target);
    this.inst.push(instance);
  }

  word(g: number, w: number): void {
    this.bits[g].push(w >>> 0);
  }
}
