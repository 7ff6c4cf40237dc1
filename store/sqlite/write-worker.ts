// The SQLite writer thread: one connection, one batch at a time, in arrival order.
import { parentPort, workerData } from 'node:worker_threads';
import type { IngestBatch } from '../types.ts';
import { openConnection } from './open.ts';
import { inlineWriter, unpackCalls, type WorkerWriterOptions } from './writer.ts';

const options = workerData as WorkerWriterOptions;
const db = openConnection(options.file, options);
const writer = inlineWriter(db, options.checkpoint);

type Message = { id: number; batch: IngestBatch; calls: unknown[] } | { close: true };

parentPort!.on('message', (message: Message) => {
  if ('close' in message) {
    void writer.close().then(() => {
      db.close();
      process.exit(0);
    });
    return;
  }
  try {
    parentPort!.postMessage({ id: message.id, result: writer.appendSync({ ...message.batch, calls: unpackCalls(message.calls) }) });
  } catch (err) {
    const { message: text, code } = err as Error & { code?: string };
    parentPort!.postMessage({ id: message.id, error: { message: text, code } });
  }
});
