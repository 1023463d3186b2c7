// A worker thread of the parallel search: it builds the model from its
// source, then expands the chunks of packed states it is sent (expand.ts).
// The model's own faults go back with the chunk they happened in, so the
// coordinating thread can name the state and the trace to it.
import { parentPort, workerData } from 'node:worker_threads';
import { RecordsNeedOneThread, ChunkFault, expander } from './expand.ts';
import { Int32Buffer } from './int-buffer.ts';
import { faultReport, loadModelSource, type ChunkRequest, type ModelSource, type WorkerReply } from './parallel.ts';
import { UnencodableValueError } from './errors.ts';
import { recordsWritten } from './encode.ts';

const port = parentPort!;
const post = (reply: WorkerReply, transfer: ArrayBuffer[] = []) => port.postMessage(reply, transfer);
const failure = (e: unknown): WorkerReply => ({ type: 'error', message: e instanceof Error ? (e.stack ?? e.message) : String(e) });
try {
  const model = await loadModelSource((workerData as { source: ModelSource }).source);
  // Records the model's loading may have encoded do not count
  const expand = expander(model, recordsWritten());
  const out = new Int32Buffer(1 << 16);
  port.on('message', (request: ChunkRequest) => {
    try {
      out.clear();
      expand.expand(request.ints, request.starts, request.count, request.pending, out);
      const result = out.copy();
      post({ type: 'chunk', chunk: request.chunk, result }, [result.buffer as ArrayBuffer]);
    } catch (e) {
      if (e instanceof ChunkFault) post({ type: 'fault', chunk: request.chunk, fault: faultReport(e) });
      else if (e instanceof UnencodableValueError) post({ type: 'unencodable', path: e.path, what: e.what });
      else if (e instanceof RecordsNeedOneThread) post({ type: 'records' });
      else post(failure(e));
    }
  });
  post({ type: 'ready' });
} catch (e) {
  post(failure(e));
}
