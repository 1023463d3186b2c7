// A worker thread of the parallel simulation: it builds the model from its
// source, then walks the batches of runs it is sent (walk.ts). A throw from
// the model's code goes back as the run it happened in; the coordinating
// thread walks that run again to report it with its walk.
import { parentPort, workerData } from 'node:worker_threads';
import { UnencodableValueError } from './errors.ts';
import { loadModelSource } from './parallel.ts';
import type { BatchRequest, SimulationReply, SimulationWorkerData } from './simulate-parallel.ts';
import { ModelFault } from './successors.ts';
import { Walker } from './walk.ts';

const port = parentPort!;
const post = (reply: SimulationReply, transfer: ArrayBuffer[] = []) => port.postMessage(reply, transfer);
const failure = (e: unknown): SimulationReply => ({ type: 'error', message: e instanceof Error ? (e.stack ?? e.message) : String(e) });
try {
  const data = workerData as SimulationWorkerData;
  const model = await loadModelSource(data.source);
  const walker = new Walker(model, data.config);
  port.on('message', (request: BatchRequest) => {
    try {
      const result = walker.batch(request.first, request.count)!;
      post({ type: 'batch', batch: request.batch, result }, [
        result.fired.buffer as ArrayBuffer,
        result.reached.buffer as ArrayBuffer,
        result.fingerprints.buffer as ArrayBuffer,
      ]);
    } catch (e) {
      if (e instanceof ModelFault) post({ type: 'fault', batch: request.batch, run: walker.faultRun, message: String(e.cause) });
      else if (e instanceof UnencodableValueError) post({ type: 'unencodable', path: e.path, what: e.what });
      else post(failure(e));
    }
  });
  post({ type: 'ready' });
} catch (e) {
  post(failure(e));
}
