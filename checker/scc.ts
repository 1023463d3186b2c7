// An iterative Tarjan (no recursion: millions of nodes) for the liveness
// analyses (liveness.ts, symmetric-liveness.ts): the strongly connected
// components of a region of nodes, over the edges a callback accepts. A node
// X's edges are the graph's edges first(X) .. first(X+1)-1 of a CSR layout
// whose node is X / m (m nodes share a row: the symmetric analysis's virtual
// nodes; m = 1 otherwise).
export class Tarjan {
  private readonly index: Int32Array;
  private readonly low: Int32Array;
  private readonly onStack: Uint8Array;
  private readonly callNode: Int32Array;
  private readonly callEdge: Int32Array;
  readonly stack: Int32Array;

  constructor(nodes: number) {
    this.index = new Int32Array(nodes);
    this.low = new Int32Array(nodes);
    this.onStack = new Uint8Array(nodes);
    this.callNode = new Int32Array(nodes);
    this.callEdge = new Int32Array(nodes);
    this.stack = new Int32Array(nodes);
  }

  /** bytes of its arrays */
  get bytes(): number {
    return this.index.length * 21;
  }

  /**
   * The SCCs of region `tag` (`roots`: all of its nodes) over the edges
   * `inside(e, X)` accepts (it gives the target, or -1 to skip the edge);
   * onScc gets each as stack[start, end), in the order Tarjan closes them,
   * and may retag its nodes (they are done with).
   */
  run(
    roots: Int32Array,
    region: Int32Array,
    tag: number,
    off: Int32Array,
    m: number,
    inside: (e: number, X: number) => number,
    onScc: (stack: Int32Array, start: number, end: number) => void,
  ): void {
    const { index, low, onStack, callNode, callEdge, stack } = this;
    for (let ri = 0; ri < roots.length; ri++) index[roots[ri]] = -1; // the roots are the whole region
    let counter = 0;
    let sp = 0;
    for (let ri = 0; ri < roots.length; ri++) {
      const root = roots[ri];
      if (region[root] !== tag || index[root] >= 0) continue;
      let top = 0;
      callNode[0] = root;
      callEdge[0] = off[(root / m) | 0];
      index[root] = low[root] = counter++;
      stack[sp++] = root;
      onStack[root] = 1;
      while (top >= 0) {
        const X = callNode[top];
        const e = callEdge[top];
        if (e < off[((X / m) | 0) + 1]) {
          callEdge[top] = e + 1;
          const Y = inside(e, X);
          if (Y < 0 || region[Y] !== tag) continue;
          if (index[Y] < 0) {
            top++;
            callNode[top] = Y;
            callEdge[top] = off[(Y / m) | 0];
            index[Y] = low[Y] = counter++;
            stack[sp++] = Y;
            onStack[Y] = 1;
          } else if (onStack[Y] === 1 && index[Y] < low[X]) low[X] = index[Y];
        } else {
          if (low[X] === index[X]) {
            let s = sp;
            do {
              s--;
              onStack[stack[s]] = 0;
            } while (stack[s] !== X);
            onScc(stack, s, sp);
            sp = s;
          }
          top--;
          if (top >= 0) {
            const P = callNode[top];
            if (low[X] < low[P]) low[P] = low[X];
          }
        }
      }
    }
  }
}

/**
 * A set of nodes that carry `tag` in the region array: one still to split
 * into SCCs, or a strongly connected one found fair.
 */
export interface Region {
  readonly nodes: Int32Array;
  readonly tag: number;
}

/** A component's verdict: fair (a lasso lives in it), unfair, or to refine (strong fairness drops some nodes). */
export const FAIR = 0,
  UNFAIR = 1,
  REFINE = 2;

/**
 * Strong-fairness refinement of the component stack[start, end): drops the
 * nodes `removes` names (their region tag goes to 0) and retags the rest
 * `tag`, to be split into SCCs again; null when nothing is left.
 */
export function refineComponent(
  stack: Int32Array,
  start: number,
  end: number,
  region: Int32Array,
  removes: (node: number) => boolean,
  tag: number,
): Region | null {
  const rest: number[] = [];
  for (let i = start; i < end; i++) {
    const v = stack[i];
    if (removes(v)) region[v] = 0;
    else rest.push(v);
  }
  if (rest.length === 0) return null;
  rest.sort((a, b) => a - b);
  for (const v of rest) region[v] = tag;
  return { nodes: Int32Array.from(rest), tag };
}

/** The `count` nodes marked 1 in `reach`, in order, each tagged `tag` in the region array: the first region to split. */
export function tagReached(reach: Uint8Array, count: number, region: Int32Array, tag: number): Int32Array {
  const roots = new Int32Array(count);
  let r = 0;
  for (let v = 0; v < reach.length; v++) {
    if (reach[v] === 1) {
      roots[r++] = v;
      region[v] = tag;
    }
  }
  return roots;
}
