// Who runs the write transactions. better-sqlite3 is synchronous, so a batch written on the
// main thread stalls every request for its duration (tens of ms for thousands of rows).
// The worker writer owns a second connection in a worker thread; the main thread keeps its
// connection for reads and answers queries while batches commit. WAL lets both coexist.
import { Worker } from 'node:worker_threads';
import type Database from 'better-sqlite3';
import type { ApiCall, AppendResult, IngestBatch } from '../types.ts';
import { createAppender } from './append.ts';

export interface Writer {
  append(batch: IngestBatch): Promise<AppendResult>;
  /** Rejects when the writer can no longer write (its worker died). */
  checkAlive(): void;
  close(): Promise<void>;
}

export interface CheckpointPolicy {
  /** Checkpoint after this many appends. */
  everyAppends: number;
  /** And at most this long after the first append since the last checkpoint. */
  intervalMs: number;
}

/** Writes on the calling thread's connection, checkpointing after bursts. */
export function inlineWriter(db: Database.Database, policy: CheckpointPolicy): Writer & { appendSync(batch: IngestBatch): AppendResult } {
  const appender = createAppender(db);
  let appendsSinceCheckpoint = 0;
  let timer: NodeJS.Timeout | undefined;

  const checkpoint = () => {
    clearTimeout(timer);
    timer = undefined;
    appendsSinceCheckpoint = 0;
    if (!db.open) return;
    try {
      // SQLite's auto-checkpoint gives up while readers hold old snapshots; an explicit
      // PASSIVE one after bursts keeps the WAL from growing without bound.
      db.pragma('wal_checkpoint(PASSIVE)');
    } catch {
      // Best effort: retried after the next appends; a broken database shows in checkWritable.
    }
  };

  const appendSync = (batch: IngestBatch): AppendResult => {
    const result = appender.append(batch);
    appendsSinceCheckpoint += 1;
    if (appendsSinceCheckpoint >= policy.everyAppends) checkpoint();
    else if (!timer) {
      timer = setTimeout(checkpoint, policy.intervalMs);
      timer.unref();
    }
    return result;
  };

  return {
    appendSync,
    append: (batch) => new Promise((resolve) => resolve(appendSync(batch))),
    checkAlive() {},
    async close() {
      clearTimeout(timer);
      timer = undefined;
    },
  };
}

export interface WorkerWriterOptions {
  file: string;
  synchronous: 'NORMAL' | 'FULL';
  busyTimeoutMs: number;
  cacheMiB?: number;
  checkpoint: CheckpointPolicy;
}

const CALL_FIELDS = ['id', 'timeUnixMs', 'service', 'method', 'route', 'statusCode', 'durationMs', 'source', 'traceId', 'spanId', 'consumer', 'error'] as const;

/**
 * Calls cross to the writer thread as one flat array: structured clone then copies values
 * only, not twelve property names per call, which halves the cost of the crossing.
 */
export function packCalls(calls: readonly ApiCall[]): unknown[] {
  const flat: unknown[] = [];
  for (const call of calls) for (const field of CALL_FIELDS) flat.push(call[field]);
  return flat;
}

export function unpackCalls(flat: readonly unknown[]): ApiCall[] {
  const calls: ApiCall[] = [];
  // One object literal in CALL_FIELDS' order: every call gets the same hidden class, so the
  // insert and rollup code that reads them stays monomorphic (keys added in a loop do not).
  for (let i = 0; i < flat.length; i += CALL_FIELDS.length) {
    calls.push({
      id: flat[i], timeUnixMs: flat[i + 1], service: flat[i + 2], method: flat[i + 3], route: flat[i + 4], statusCode: flat[i + 5],
      durationMs: flat[i + 6], source: flat[i + 7], traceId: flat[i + 8], spanId: flat[i + 9], consumer: flat[i + 10], error: flat[i + 11],
    } as ApiCall);
  }
  return calls;
}

type Reply = { id: number; result: AppendResult } | { id: number; error: { message: string; code?: string } };

/** Runs appends in a worker thread that owns its own connection to the same file. */
export function workerWriter(options: WorkerWriterOptions): Writer {
  const worker = new Worker(new URL('./write-worker-entry.mjs', import.meta.url), { workerData: options });
  const pending = new Map<number, { resolve: (r: AppendResult) => void; reject: (e: Error) => void }>();
  let nextId = 0;
  let dead: Error | null = null;

  worker.on('message', (reply: Reply) => {
    const waiter = pending.get(reply.id);
    pending.delete(reply.id);
    if (!waiter) return;
    if ('result' in reply) waiter.resolve(reply.result);
    else waiter.reject(Object.assign(new Error(reply.error.message), { code: reply.error.code }));
  });
  const fail = (err: Error) => {
    dead = err;
    for (const waiter of pending.values()) waiter.reject(err);
    pending.clear();
  };
  worker.on('error', fail);
  worker.on('exit', (code) => {
    if (!dead) fail(new Error(`SQLite writer thread exited (code ${code})`));
  });

  return {
    append(batch) {
      if (dead) return Promise.reject(dead);
      const id = nextId++;
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve, reject });
        worker.postMessage({ id, batch: { ...batch, calls: [] }, calls: packCalls(batch.calls) });
      });
    },
    checkAlive() {
      if (dead) throw dead;
    },
    async close() {
      if (dead) return;
      const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
      worker.postMessage({ close: true });
      await exited;
    },
  };
}
