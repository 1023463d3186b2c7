// A pool of worker threads that do numbered pieces of work (the parallel
// search's chunks, the parallel simulation's batches) and send each back as
// a message: the pool keeps what arrived until it is read, in any order,
// and turns the first failure (a worker's error message, an error, an exit)
// into the one error every later read throws. What a message means is the
// caller's: `route` says which piece it delivers, or what failure it is.
import type { Worker } from 'node:worker_threads';
/** How to start a worker thread (parallel.ts's WorkerFactory, written here: parallel.ts imports this module). */
type WorkerFactory = (entry: URL, workerData: unknown) => Worker;

/** What a worker's message is: piece `key` done (its outcome), a failure, or nothing to act on. */
export type Routed<R> = { readonly key: number; readonly outcome: R } | { readonly failure: Error } | null;

/** The first message of a worker: ready, or why it could not start. */
export type StartReply = { readonly type: 'ready' } | { readonly type: 'error'; readonly message: string } | { readonly type: string };

/** Workers loading (WorkerPool.launch): the pool once they are all ready, and a way to stop them before that. */
export interface LaunchedPool<R, M extends StartReply> {
  readonly ready: Promise<WorkerPool<R, M>>;
  cancel(): Promise<void>;
}

export class WorkerPool<R, M extends StartReply = StartReply> {
  private readonly waiting = new Map<number, (r: R) => void>();
  private readonly arrived = new Map<number, R>();
  private failure: Error | null = null;
  private failed: (e: Error) => void = () => {};

  /** Called with the worker that sent a piece back, to give it more work. */
  onIdle: (w: Worker) => void = () => {};

  private constructor(
    readonly workers: readonly Worker[],
    route: (m: M) => Routed<R>,
    what: string,
  ) {
    for (const w of workers) {
      w.on('message', (m: M) => {
        const r = route(m);
        if (r === null) return;
        if ('failure' in r) this.fail(r.failure);
        else this.deliver(r.key, r.outcome, w);
      });
      w.on('error', (e) => this.fail(e));
      w.on('exit', (code) => this.fail(new Error(`a ${what} worker exited (code ${code})`)));
    }
  }

  /**
   * Starts `count` workers from `entry` with `data`; they load while the
   * caller goes on. `ready` is the pool once each says it is ready; if one
   * cannot start, all are stopped and `ready` fails with why (it has a handler
   * attached, so a pool that fails to start and is never awaited is no
   * unhandled rejection). `cancel()` stops the workers, ready or not, without
   * waiting for them to be. `what` names them in messages ("search",
   * "simulation").
   */
  static launch<R, M extends StartReply>(
    count: number,
    spawn: WorkerFactory,
    entry: URL,
    data: unknown,
    what: string,
    route: (m: M) => Routed<R>,
  ): LaunchedPool<R, M> {
    const workers = Array.from({ length: count }, () => spawn(entry, data));
    const terminate = () => Promise.all(workers.map((w) => w.terminate())).then(() => undefined);
    const onExit: ((code: number) => void)[] = [];
    const ready = (async () => {
      try {
        await Promise.all(
          workers.map(
            (w) =>
              new Promise<void>((resolve, reject) => {
                const onMessage = (m: StartReply) => {
                  w.off('message', onMessage);
                  if (m.type === 'ready') resolve();
                  else reject(new Error(`a ${what} worker failed to start: ${'message' in m ? m.message : m.type}`));
                };
                w.on('message', onMessage);
                w.once('error', reject);
                // a worker that exits while it loads (process.exit in the model's module, or cancel()) never says ready
                const exited = (code: number) => reject(new Error(`a ${what} worker exited (code ${code}) before it was ready`));
                onExit.push(exited);
                w.once('exit', exited);
              }),
          ),
        );
      } catch (e) {
        await terminate();
        throw e;
      }
      for (let i = 0; i < workers.length; i++) workers[i].off('exit', onExit[i]);
      return new WorkerPool<R, M>(workers, route, what);
    })();
    ready.catch(() => {});
    return { ready, cancel: terminate };
  }

  private deliver(key: number, outcome: R, from: Worker): void {
    const resolve = this.waiting.get(key);
    if (resolve) {
      this.waiting.delete(key);
      resolve(outcome);
    } else this.arrived.set(key, outcome);
    this.onIdle(from);
  }

  private fail(e: Error): void {
    if (this.failure) return;
    this.failure = e;
    this.failed(e);
  }

  /** Piece `key`'s outcome if it is back (taken), else undefined; the pool's failure, once there is one. */
  take(key: number): R | undefined {
    if (this.failure) throw this.failure;
    const ready = this.arrived.get(key);
    if (ready !== undefined) this.arrived.delete(key);
    return ready;
  }

  /** Piece `key`'s outcome, when it is back. */
  result(key: number): Promise<R> {
    if (this.failure) return Promise.reject(this.failure);
    const ready = this.take(key);
    if (ready !== undefined) return Promise.resolve(ready);
    return new Promise((resolve, reject) => {
      this.waiting.set(key, resolve);
      this.failed = reject;
    });
  }

  /** Drops the outcomes of abandoned pieces. */
  reset(): void {
    this.arrived.clear();
    this.waiting.clear();
  }

  async stop(): Promise<void> {
    this.onIdle = () => {};
    this.reset();
    this.failure ??= new Error('stopped');
    for (const w of this.workers) w.removeAllListeners('exit');
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}
