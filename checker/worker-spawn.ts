// Starting worker threads that may run TypeScript. On Node 20 the main
// thread's loader hooks (tsx's, under `npx tsx`) do not carry over to
// workers, so a worker whose entry is a .ts module first registers tsx's ESM
// and CommonJS hooks (a user's model outside a "type": "module" package is
// CommonJS to Node), then imports its entry. A .js entry starts as is.
import { Worker, type WorkerOptions } from 'node:worker_threads';

function bootstrap(entry: URL): string {
  const esm = import.meta.resolve('tsx/esm/api');
  const cjs = import.meta.resolve('tsx/cjs/api');
  return (
    `Promise.all([import(${JSON.stringify(esm)}), import(${JSON.stringify(cjs)})])` +
    `.then(([esm, cjs]) => { esm.register(); cjs.register(); return import(${JSON.stringify(entry.href)}); })`
  );
}

/** Whether workers can load TypeScript here (tsx resolvable); false means .ts entries cannot start. */
export function canStartTsWorkers(): boolean {
  try {
    bootstrap(new URL(import.meta.url));
    return true;
  } catch {
    return false;
  }
}

/** A worker thread running the module `entry` (TypeScript or JavaScript). */
export function startWorker(entry: URL, options: Omit<WorkerOptions, 'eval'> = {}): Worker {
  if (!/\.[cm]?ts$/.test(entry.pathname)) return new Worker(entry, options);
  return new Worker(bootstrap(entry), { ...options, eval: true });
}
