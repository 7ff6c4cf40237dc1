// Batches writes from concurrent ingest requests into few large store transactions.
// A request is answered only after its batch is committed, so "200" means "stored".
import type { AppendResult, IngestBatch, Store } from '../store/index.ts';

/** Refused because too much is waiting or memory is past its watermark: the receiver answers 503 with Retry-After. */
export class IngestOverloadedError extends Error {
  constructor(readonly retryAfterSeconds: number, readonly reason: 'overloaded' | 'memory_pressure' = 'overloaded', message?: string) {
    super(message ?? (reason === 'overloaded' ? 'ingest queue is full' : 'memory use is above the ingest watermark'));
  }
}

/** The store refused the write (disk full, database gone): retryable for the client. */
export class StoreUnavailableError extends Error {}

export interface IngestQueueOptions {
  store: Store;
  /** Items (calls + spans) waiting, above which submit() refuses. */
  maxQueuedItems: number;
  /** Items per store transaction: bounds how long one write blocks the event loop. */
  maxBatchItems?: number;
  /** Resident memory in bytes above which submit() refuses (0 or absent: no watermark). */
  memoryMaxBytes?: number;
  /** How memory is measured; default the process's resident set size. Injected by tests. */
  memoryUsage?: () => number;
  /** Memory is measured at most this often (default 100 ms; reading RSS is a syscall). */
  memorySampleMs?: number;
  /**
   * submitRequest() answers within this many ms (default: no bound). Clients give up after
   * their own timeout (OpenTelemetry SDKs: 10 s) and may not retry a timeout, so a batch stuck
   * behind slow commits (a starved CPU, a slow ClickHouse) is answered 503 first, which they do retry.
   */
  answerWithinMs?: number;
  /** Called after each commit with its size and duration, for metrics. */
  onFlush?: (items: number, durationMs: number, result: AppendResult) => void;
}

interface Pending {
  batch: IngestBatch;
  resolve: () => void;
  reject: (err: Error) => void;
}

// Long enough for a backlog behind a slow commit to clear before the retry arrives.
const LATE_RETRY_AFTER_SECONDS = 10;

const itemsOf = (b: IngestBatch) => b.calls.length + b.spans.length;
const isEmpty = (b: IngestBatch) => itemsOf(b) === 0 && !b.cursors?.length && !b.checkRuns?.length;

export class IngestQueue {
  private readonly pending: Pending[] = [];
  private queuedItems = 0;
  private flushing: Promise<void> | null = null;
  private closed = false;
  private memorySampledAt = -Infinity;
  private memoryHigh = false;

  constructor(private readonly options: IngestQueueOptions) {}

  /** Whether memory is past the watermark, sampled at most every `memorySampleMs`. */
  private overMemoryWatermark(): boolean {
    const max = this.options.memoryMaxBytes ?? 0;
    if (max <= 0) return false;
    const at = performance.now();
    if (at - this.memorySampledAt >= (this.options.memorySampleMs ?? 100)) {
      this.memorySampledAt = at;
      this.memoryHigh = (this.options.memoryUsage ?? process.memoryUsage.rss)() > max;
    }
    return this.memoryHigh;
  }

  /** Whether ingest is refused for memory right now: /readyz says so, so a load balancer looks elsewhere. */
  get underMemoryPressure(): boolean {
    return this.overMemoryWatermark();
  }

  /** Items waiting to be written. */
  get depth(): number {
    return this.queuedItems;
  }

  /**
   * submit() for a client's request, answered within `answerWithinMs`. A batch still waiting
   * then is taken out of the queue (nothing of it is written); one being written may still
   * commit, which is safe because every ingest path is idempotent: the retry stores nothing twice.
   */
  submitRequest(batch: IngestBatch): Promise<void> {
    const limitMs = this.options.answerWithinMs;
    const written = this.submit(batch);
    if (limitMs === undefined || !Number.isFinite(limitMs)) return written;
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        const late = new IngestOverloadedError(LATE_RETRY_AFTER_SECONDS, 'overloaded', `not written within ${limitMs} ms: the store is slow, retry later`);
        // The write's own outcome no longer has anyone to tell.
        written.catch(() => undefined);
        const waiting = this.pending.findIndex((p) => p.batch === batch);
        if (waiting >= 0) {
          const [entry] = this.pending.splice(waiting, 1);
          this.queuedItems -= itemsOf(batch);
          entry!.reject(late);
        }
        reject(late);
      }, limitMs);
      written.then(resolve, reject).finally(() => clearTimeout(timer));
    });
  }

  /** Resolves once the batch is committed; rejects with IngestOverloadedError or StoreUnavailableError. */
  submit(batch: IngestBatch): Promise<void> {
    const items = itemsOf(batch);
    if (isEmpty(batch)) return Promise.resolve();
    if (this.closed) return Promise.reject(new StoreUnavailableError('shutting down'));
    if (this.queuedItems + items > this.options.maxQueuedItems) return Promise.reject(new IngestOverloadedError(1));
    // Refusing before decoding more keeps the process alive; the client retries once memory is back.
    if (this.overMemoryWatermark()) return Promise.reject(new IngestOverloadedError(5, 'memory_pressure'));
    return new Promise<void>((resolve, reject) => {
      this.pending.push({ batch, resolve, reject });
      this.queuedItems += items;
      this.schedule();
    });
  }

  private schedule(): void {
    // setImmediate lets requests that arrived in the same tick join one transaction.
    this.flushing ??= new Promise<void>((done) => setImmediate(() => void this.drain().finally(done))).then(() => {
      this.flushing = null;
      if (this.pending.length > 0) this.schedule();
    });
  }

  private async drain(): Promise<void> {
    const max = this.options.maxBatchItems ?? 8192;
    while (this.pending.length > 0) {
      const group: Pending[] = [];
      let items = 0;
      while (this.pending.length > 0 && (group.length === 0 || items + itemsOf(this.pending[0]!.batch) <= max)) {
        const next = this.pending.shift()!;
        group.push(next);
        items += itemsOf(next.batch);
      }
      const merged: IngestBatch = {
        calls: group.flatMap((p) => p.batch.calls),
        spans: group.flatMap((p) => p.batch.spans),
        cursors: group.flatMap((p) => p.batch.cursors ?? []),
        checkRuns: group.flatMap((p) => p.batch.checkRuns ?? []),
      };
      const started = performance.now();
      try {
        const result = await this.options.store.append(merged);
        this.options.onFlush?.(items, performance.now() - started, result);
        for (const p of group) p.resolve();
      } catch (err) {
        const reason = new StoreUnavailableError(`store write failed: ${(err as Error).message}`);
        for (const p of group) p.reject(reason);
      } finally {
        this.queuedItems -= items;
      }
      // Yield between transactions so queries and new requests are served during a backlog.
      await new Promise((r) => setImmediate(r));
    }
  }

  /** Writes everything already accepted, then refuses new batches. */
  async close(): Promise<void> {
    this.closed = true;
    while (this.flushing) await this.flushing;
  }
}
