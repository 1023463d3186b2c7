// A search worker thread that answers late (late-worker.ts): it runs the real
// worker entry, but holds each chunk's result back for `delayMs`, and adds
// the number of states it was sent to expand to a shared counter.
import { parentPort, workerData } from 'node:worker_threads';
import type { LateWorkerData } from './late-worker.ts';

const { entry, delayMs, expanded } = (workerData as { late: LateWorkerData }).late;
const counter = new Int32Array(expanded);
const port = parentPort!;
const post = port.postMessage.bind(port);
port.postMessage = (message: { type?: string }, transfer?: readonly ArrayBuffer[]) => {
  if (message?.type === 'chunk') setTimeout(() => post(message, transfer as ArrayBuffer[]), delayMs);
  else post(message, transfer as ArrayBuffer[]);
};
port.on('message', (request: { count: number }) => Atomics.add(counter, 0, request.count));
await import(entry);
