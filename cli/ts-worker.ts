// Worker threads that run TypeScript. On Node 20 the main thread's loader
// hooks (tsx's, under `npx tsx`) do not carry over to workers, so a worker
// first registers tsx's ESM and CommonJS hooks (a user's model outside a
// "type": "module" package is CommonJS to Node), then imports its entry.
import { Worker, type WorkerOptions } from 'node:worker_threads';

function bootstrap(entry: URL): string {
  const esm = import.meta.resolve('tsx/esm/api');
  const cjs = import.meta.resolve('tsx/cjs/api');
  return `Promise.all([import(${JSON.stringify(esm)}), import(${JSON.stringify(cjs)})])`
    + `.then(([esm, cjs]) => { esm.register(); cjs.register(); return import(${JSON.stringify(entry.href)}); })`;
}

/** Throws when tsx cannot be resolved from here (then workers cannot load TypeScript). */
export function assertTsWorkers(): void {
  bootstrap(new URL(import.meta.url));
}

/** A worker thread running the TypeScript module `entry`. */
export function tsWorker(entry: URL, options: Omit<WorkerOptions, 'eval'> = {}): Worker {
  return new Worker(bootstrap(entry), { ...options, eval: true });
}
