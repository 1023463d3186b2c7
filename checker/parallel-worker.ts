// A worker thread of the parallel search: it builds the model from its
// source, then expands the chunks of packed states it is sent (expand.ts).
import { parentPort, workerData } from 'node:worker_threads';
import { expander } from './expand.ts';
import { Int32Buffer } from './int-buffer.ts';
import { loadModelSource, type ChunkRequest, type ModelSource, type WorkerReply } from './parallel.ts';

const port = parentPort!;
const post = (reply: WorkerReply, transfer: ArrayBuffer[] = []) => port.postMessage(reply, transfer);
try {
  const model = await loadModelSource((workerData as { source: ModelSource }).source);
  const expand = expander(model);
  const out = new Int32Buffer(1 << 16);
  port.on('message', (request: ChunkRequest) => {
    try {
      out.clear();
      expand.expand(request.ints, request.starts, request.count, request.pending, out);
      const result = out.copy();
      post({ type: 'chunk', chunk: request.chunk, result }, [result.buffer as ArrayBuffer]);
    } catch (e) {
      post({ type: 'error', message: e instanceof Error ? (e.stack ?? e.message) : String(e) });
    }
  });
  post({ type: 'ready' });
} catch (e) {
  post({ type: 'error', message: e instanceof Error ? (e.stack ?? e.message) : String(e) });
}
