// The same breadth-first search as bfs.ts, with the expansion of each level
// spread over threads: `workers` of them expand states, this one and
// workers - 1 worker threads. This thread keeps the visited set and the
// frontier (packed, see frontier.ts); it cuts a level into chunks, worker
// threads expand them (expand.ts), and it reads the results back strictly in
// chunk order, feeding the ledger exactly the events bfs.ts would, in the same
// order. While the chunk it reads next is not back, it expands the next chunk
// not handed out yet itself: on two cores, two threads instead of three for
// the same speed or a little more (docs/checker.md#performance). So the
// result (verdict, counts, coverage, the trace, even where a --max-states cap
// stops the run) is the one-thread result, whatever the number of threads,
// which of them expands a chunk, or the timing of their replies.
//
// Liveness: when the model has leadsTo properties, workers also label each
// transition with its fairness instance key and p/q bits (expand.ts), and
// this thread records the graph (graph.ts) as it reads the records, interning
// the keys in reading order: the graph, hence the liveness verdicts and the
// lasso, are the one-thread search's.
//
// Workers cannot be handed a model (functions do not cross threads): each
// builds its own from a ModelSource, a module URL and an export.
//
// One case stays on one thread: states whose encoding writes Immutable
// Records, which the default encoding tells apart by type in the order a
// thread first meets the types (encode.ts). Threads could disagree on that
// order, so when any thread writes a Record the search starts again in this
// thread alone (bfs.ts), and its result says workers: 1.
import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Worker } from 'node:worker_threads';
import { startWorker } from './worker-spawn.ts';
import { discoverInitial, prepare, search as searchOneThread } from './bfs.ts';
import { packedFrontier, segmentAt, type PackedFrontier } from './frontier.ts';
import { Ledger } from './ledger.ts';
import { ChunkFault, expander, KNOWN, RecordsNeedOneThread, SELF, type Expander } from './expand.ts';
import { Int32Buffer } from './int-buffer.ts';
import { codeErrorOf, rebuildTrace } from './trace.ts';
import {
  DEADLOCK,
  type ActionDef,
  type CheckOptions,
  type CheckResult,
  type EncodingCheck,
  type Model,
  type Params,
  type StateCodec,
} from './types.ts';
import { createVisitedSet, defaultEncoder } from './visited.ts';
import { modelProblems } from './validate.ts';
import { ModelFault } from './successors.ts';
import { causeText, UnencodableValueError, type ModelPart } from './errors.ts';
import { recordsWritten } from './encode.ts';
import { WorkerPool, type LaunchedPool, type Routed } from './worker-pool.ts';

/** Where a worker thread finds the model: `module`'s export, a Model or a function returning one (or a promise of one). */
export interface ModelSource {
  /** an importable URL (file: or a package specifier) */
  readonly module: string;
  readonly export: string;
  /** arguments, when the export is a function building the model (they must survive postMessage) */
  readonly args?: readonly unknown[];
}

export async function loadModelSource(source: ModelSource): Promise<Model<unknown>> {
  const mod = (await import(source.module)) as Record<string, unknown>;
  const value = mod[source.export];
  const model = typeof value === 'function' ? await (value as (...a: unknown[]) => unknown)(...(source.args ?? [])) : value;
  const problems = modelProblems(model);
  if (problems.length > 0) throw new Error(`${source.module}: export '${source.export}' is not a model: ${problems.join('; ')}`);
  return model as Model<unknown>;
}

/** Starts a worker thread running `entry` (a TypeScript module: the caller knows how to load those). */
export type WorkerFactory = (entry: URL, workerData: unknown) => Worker;

export interface ParallelOptions extends CheckOptions {
  /** threads expanding states: this one and workers - 1 worker threads; 1 (or a model without codec, or exact mode) runs bfs.ts in this thread */
  readonly workers: number;
  /** how to start a worker thread (default: worker-spawn.ts, which loads TypeScript through tsx) */
  readonly spawn?: WorkerFactory;
  /**
   * levels smaller than this are expanded in this thread, the same way (default
   * 10,000: starting workers, each loading the model, costs about half a second,
   * which they spend loading from the first level of LAUNCH_FROM states on)
   */
  readonly parallelFrom?: number;
}

export interface ChunkRequest {
  readonly chunk: number;
  readonly ints: Int32Array;
  readonly starts: Int32Array;
  readonly count: number;
  readonly pending: readonly number[];
}

/** A ChunkFault, as it crosses from a worker thread (the cause as text). */
export interface FaultReport {
  readonly index: number;
  readonly part: ModelPart;
  readonly action: string | null;
  readonly params: Params | null;
  readonly property: string | null;
  readonly message: string;
  readonly stack: string;
}

export type WorkerReply =
  | { readonly type: 'ready' }
  | { readonly type: 'chunk'; readonly chunk: number; readonly result: Int32Array }
  | { readonly type: 'fault'; readonly chunk: number; readonly fault: FaultReport }
  | { readonly type: 'unencodable'; readonly path: string; readonly what: string }
  | { readonly type: 'records' }
  | { readonly type: 'error'; readonly message: string };

export function faultReport(f: ChunkFault): FaultReport {
  const { fault } = f;
  const cause = fault.cause instanceof Error ? fault.cause : new Error(String(fault.cause));
  return {
    index: f.index,
    part: fault.part,
    action: fault.step?.action ?? null,
    params: fault.step?.params ?? null,
    property: fault.property,
    message: causeText(fault.cause),
    stack: cause.stack ?? cause.message,
  };
}

/** A worker's fault, on its way to the search loop (which knows the chunk's states). */
class RemoteFault extends Error {
  constructor(
    readonly chunk: number,
    readonly report: FaultReport,
  ) {
    super(report.message);
  }
}

const WORKER_ENTRY = new URL(`./parallel-worker${extname(fileURLToPath(import.meta.url))}`, import.meta.url);
const defaultSpawn: WorkerFactory = (entry, workerData) => startWorker(entry, { workerData });
/** chunks each worker has queued, so that none waits while this thread reads results */
const IN_FLIGHT = 3;

/**
 * The level size at which the workers start loading (or parallelFrom, when
 * smaller): they take about half a second, in which this thread expands the
 * levels before parallelFrom itself instead of waiting for them there. A run
 * that never reaches parallelFrom stops them unused: a second core busy for
 * a moment.
 */
const LAUNCH_FROM = 250;

/** how many chunks the coordinating thread may expand ahead of the one it reads */
const OWN_AHEAD = 2 * IN_FLIGHT;

/**
 * Chunks of a level the coordinating thread expands itself, when the chunk it
 * reads next is not back yet: kept until it reads them, in order. A throw
 * from the model is kept too and thrown when that chunk is read, as if a
 * worker had sent it. This thread's expander sends its chunks in increasing
 * order and they are read in that order, which is all its cache of targets
 * sent in full (KNOWN, expand.ts) relies on.
 */
class OwnChunks {
  private readonly results = new Map<number, { readonly result: Int32Array } | { readonly error: unknown }>();
  private readonly buffer = new Int32Buffer(1 << 16);

  constructor(private readonly expander: Expander) {}

  get size(): number {
    return this.results.size;
  }

  clear(): void {
    this.results.clear();
  }

  expand(chunk: number, level: PackedFrontier<unknown>, chunkSize: number, pending: readonly number[]): void {
    const first = chunk * chunkSize;
    const end = Math.min(first + chunkSize, level.size);
    this.buffer.clear();
    try {
      this.expander.expand(level.ints.data, level.starts.data.subarray(first, end), end - first, pending, this.buffer);
      this.results.set(chunk, { result: this.buffer.copy() });
    } catch (error) {
      this.results.set(chunk, { error });
    }
  }

  /** Chunk c's result if this thread expanded it (taken), else undefined. */
  take(chunk: number): Int32Array | undefined {
    const r = this.results.get(chunk);
    if (r === undefined) return undefined;
    this.results.delete(chunk);
    if ('error' in r) throw r.error;
    return r.result;
  }
}

/** A worker's message, as the pool reads it: a chunk back, or the search's failure. */
function routeChunk(m: WorkerReply): Routed<Int32Array> {
  if (m.type === 'chunk') return { key: m.chunk, outcome: m.result };
  if (m.type === 'fault') return { failure: new RemoteFault(m.chunk, m.fault) };
  if (m.type === 'unencodable') return { failure: new UnencodableValueError(m.path, m.what) };
  if (m.type === 'records') return { failure: new RecordsNeedOneThread() };
  if (m.type === 'error') return { failure: new Error(`a search worker failed: ${m.message}`) };
  return null;
}

export async function checkParallel<S>(source: ModelSource, options: ParallelOptions, given?: Model<S>): Promise<CheckResult<S>> {
  const model = given ?? ((await loadModelSource(source)) as Model<S>);
  const codec = model.codec;
  const records = recordsWritten();
  const covered = prepare(model, options);
  // the self-check met Records: one thread from the start
  if (options.workers <= 1 || codec === undefined || options.exact || recordsWritten() > records)
    return searchOneThread(model, options, covered);
  try {
    return await searchParallel(source, options, model, codec, covered, records);
  } catch (e) {
    if (e instanceof RecordsNeedOneThread) return searchOneThread(model, options, covered);
    throw e;
  }
}

async function searchParallel<S>(
  source: ModelSource,
  options: ParallelOptions,
  model: Model<S>,
  codec: StateCodec<S>,
  covered: EncodingCheck,
  records: number,
): Promise<CheckResult<S>> {
  // under a memory budget the fingerprints spill to disk (disk-visited.ts)
  const visited = createVisitedSet(options.memory !== undefined ? 'disk' : 'fingerprint', model.encode ?? defaultEncoder<S>());
  const ledger = new Ledger(model, options, visited, covered);
  const { invariants, witnesses, stepProperties, fired, graph } = ledger;
  const checkSteps = stepProperties.length > 0;
  const groups = graph?.groups ?? 0;
  const renamings = graph?.renamings ?? null;
  // under a memory budget (ledger.spill) the frontiers spill to disk in blocks
  let frontier = packedFrontier(codec, ledger.spill);
  let next = packedFrontier(codec, ledger.spill);

  /** Feeds the ledger the expansion `r` of frontier states [first, end); true when the search must stop. */
  const absorb = (r: Int32Array, first: number, end: number): boolean => {
    const at = ledger.depth + 1;
    // liveness: the chunk's table of instance keys, interned as records refer to them
    let keys: string[] = [];
    let global = new Int32Array(0);
    let frameIds = new Int32Array(0);
    if (graph !== null) {
      let t = r[r.length - 1];
      keys = Array.from({ length: r[t++] }, () => {
        const len = r[t++];
        let key = '';
        for (let c = 0; c < len; c++) key += String.fromCharCode(r[t++]);
        return key;
      });
      global = new Int32Array(keys.length + 1);
      if (renamings !== null) {
        const atoms = renamings.atoms;
        frameIds = new Int32Array(r[t++] + 1);
        for (let f = 1; f < frameIds.length; f++, t += atoms) frameIds[f] = renamings.intern(r.subarray(t, t + atoms));
      }
    }
    let p = 0;
    for (let i = first; i < end; i++) {
      const parent = frontier.id(i);
      if (graph !== null) graph.node(parent);
      const n = r[p++];
      for (let k = 0; k < n; k++) {
        const a = r[p++];
        const lo = r[p++] >>> 0;
        const hi = r[p++] >>> 0;
        const violated = r[p++];
        const stepViolated = checkSteps ? r[p++] : -1;
        const hits = r[p++];
        ledger.transitions++;
        fired[a]++;
        for (let h = 0; h < hits; h++) ledger.reach(witnesses[r[p + h]], at);
        p += hits;
        // as in bfs.ts: the witnesses, then the step properties, then the target
        if (stepViolated >= 0) {
          ledger.violate(stepProperties[stepViolated].name, parent, at, k);
          return true;
        }
        const id = violated === SELF ? -parent - 1 : visited.insert(lo, hi, parent);
        if (graph !== null) {
          const local = r[p++];
          if (local !== 0 && global[local] === 0)
            global[local] = graph.instances.intern(keys[local - 1], graph.instances.fairness.kindOf(a));
          const target = id < 0 ? -id - 1 : id;
          const words = p;
          p += groups;
          graph.labelled(target, global[local], renamings === null ? 0 : frameIds[r[p++]]);
          for (let g = 0; g < groups; g++) graph.word(g, r[words + g]);
        }
        if (violated === SELF) continue;
        if (violated === KNOWN) {
          if (id >= 0) throw new Error('parallel search: a state a worker had sent was not known');
          continue;
        }
        const len = r[p++];
        if (id >= 0) {
          if (violated >= 0) {
            ledger.violate(invariants[violated].name, id, at);
            return true;
          }
          next.pushPacked(r, p, p + len, id);
        }
        p += len;
      }
      if (n === 0 && ledger.deadlockIsError) {
        ledger.violate(DEADLOCK.name, parent, ledger.depth);
        return true;
      }
      if (ledger.overLimit(i + 1, frontier.size, next.size)) return true;
    }
    return false;
  };

  /** The model's fault while expanding state i of the frontier, as the caller sees it: with the trace. */
  const faultAt = (i: number, f: FaultReport) => {
    const state = frontier.state(i);
    const cause = Object.assign(new Error(f.message), { stack: f.stack });
    const step = f.action === null ? null : { from: state, action: f.action, params: f.params ?? {} };
    // a fault on a target (a property, the encoding, the codec): the effect ran; run it again for the target
    const action = (model.actions as readonly ActionDef<S, Params>[]).find((a) => a.name === f.action);
    const onTarget = f.part === 'property' || f.part === 'encode' || f.part === 'codec';
    const target = onTarget && step !== null && action ? action.effect(state, step.params) : null;
    return codeErrorOf(new ModelFault<S>(f.part, cause, step, target, f.property), model, visited, frontier.id(i));
  };

  const parallelFrom = options.parallelFrom ?? 10_000;
  // the workers start loading at the first level this big, so that they are ready (or nearly) by the first level of parallelFrom
  const launchFrom = Math.min(parallelFrom, LAUNCH_FROM);
  const chunkSizeOf = (levelSize: number) => Math.max(1, Math.min(1024, Math.ceil(levelSize / (options.workers * IN_FLIGHT * 4))));
  const local = expander(model, records);
  const own = new OwnChunks(local);
  const buffer = new Int32Buffer(1 << 16);
  let launched: LaunchedPool<Int32Array, WorkerReply> | null = null;
  // the pool, from the first level of parallelFrom states on (whatever the workers' speed, so that the result's `workers` is the same every run)
  let pool: WorkerPool<Int32Array, WorkerReply> | null = null;
  let chunkFirst = 0;
  // the part of the level expanded now, in memory: the whole level, or one block of a level that spilled
  let segment = { packed: frontier as PackedFrontier<S>, first: 0 };
  try {
    if (discoverInitial(ledger, frontier)) {
      search: while (frontier.size > 0) {
        if (ledger.atMaxDepth()) break;
        const pending = ledger.pending.map((w) => witnesses.indexOf(w));
        segment = segmentAt(frontier, segment.first);
        // states of the level before this segment
        const { packed: level, first: before } = segment;
        if (launched === null && frontier.size >= launchFrom)
          launched = WorkerPool.launch(options.workers - 1, options.spawn ?? defaultSpawn, WORKER_ENTRY, { source }, 'search', routeChunk);
        if (pool === null && frontier.size < parallelFrom) {
          buffer.clear();
          chunkFirst = before;
          local.expand(level.ints.data, level.starts.data, level.size, pending, buffer);
          if (absorb(buffer.data.subarray(0, buffer.length), before, before + level.size)) break;
        } else {
          pool ??= await launched!.ready;
          const chunkSize = chunkSizeOf(level.size);
          const chunks = Math.ceil(level.size / chunkSize);
          let sent = 0;
          pool.onIdle = (w: Worker): void => {
            if (sent >= chunks) return;
            const first = sent * chunkSize;
            const last = Math.min(first + chunkSize, level.size) - 1;
            const base = level.starts.get(first);
            const ints = level.ints.data.slice(base, level.end(last));
            const starts = level.starts.data.slice(first, last + 1);
            for (let k = 0; k < starts.length; k++) starts[k] -= base;
            const request: ChunkRequest = { chunk: sent++, ints, starts, count: last - first + 1, pending };
            w.postMessage(request, [ints.buffer, starts.buffer]);
          };
          for (let k = 0; k < IN_FLIGHT; k++) for (const w of pool.workers) pool.onIdle(w);
          // chunks this thread expanded itself while the one it reads next was not back
          own.clear();
          for (let c = 0; c < chunks; c++) {
            const first = c * chunkSize;
            chunkFirst = before + first;
            let r = own.take(c) ?? pool.take(c);
            while (r === undefined && sent < chunks && own.size < OWN_AHEAD) {
              own.expand(sent++, level, chunkSize, pending);
              // let the workers' replies in (they are how workers get their next chunk)
              await new Promise<void>((resolve) => setImmediate(resolve));
              r = own.take(c) ?? pool.take(c);
            }
            if (absorb(r ?? (await pool.result(c)), before + first, before + Math.min(first + chunkSize, level.size))) break search;
          }
          // this thread's own encoding (the initial states, its own chunks) wrote no Record either
          if (recordsWritten() > records) throw new RecordsNeedOneThread();
          pool.reset();
        }
        // a level that spilled: its next block
        if (before + level.size < frontier.size) {
          segment = { packed: level, first: before + level.size };
          continue;
        }
        ledger.levelDone(next.size, next.bytes);
        // the expanded level's buffers hold the level after next (nothing reads them once it is absorbed)
        const expanded = frontier;
        frontier = next;
        expanded.clear();
        next = expanded;
        segment = { packed: level, first: 0 };
      }
    }
  } catch (e) {
    if (e instanceof ChunkFault) throw faultAt(chunkFirst + e.index, faultReport(e));
    if (e instanceof RemoteFault) throw faultAt(segment.first + e.chunk * chunkSizeOf(segment.packed.size) + e.report.index, e.report);
    throw e;
  } finally {
    // workers launched but never used (the search ended before a level of parallelFrom) stop, loaded or not
    await (pool !== null ? pool.stop() : launched?.cancel());
  }
  return ledger.result((id, k) => rebuildTrace(model, visited, id, k), pool === null ? 1 : options.workers);
}
