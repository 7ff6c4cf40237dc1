// Appends run one at a time per store instance (the single-writer model append.ts relies on),
// behind a bounded queue: when ClickHouse is slow, waiting batches pile up here, and past the
// bound new ones are refused at once instead of growing memory. A refusal or a failed write
// rejects with ClickHouseUnavailableError, which ingest turns into 503 + Retry-After; nothing
// is acknowledged before its INSERTs returned.
import { ClickHouseUnavailableError } from './errors.ts';

export class WriteQueue {
  #tail: Promise<unknown> = Promise.resolve();
  #waiting = 0;

  constructor(private readonly maxWaiting: number) {}

  get depth(): number {
    return this.#waiting;
  }

  run<T>(work: () => Promise<T>): Promise<T> {
    if (this.#waiting >= this.maxWaiting) {
      return Promise.reject(new ClickHouseUnavailableError(`ClickHouse store busy: ${this.#waiting} batches waiting`, 1));
    }
    this.#waiting += 1;
    const result = this.#tail.then(work).finally(() => {
      this.#waiting -= 1;
    });
    // The chain continues whatever this batch's outcome.
    this.#tail = result.catch(() => undefined);
    return result.catch((err: unknown) => {
      if (err instanceof ClickHouseUnavailableError || err instanceof SyntaxError || err instanceof RangeError) throw err;
      throw new ClickHouseUnavailableError(`ClickHouse write failed: ${(err as Error).message}`, 5, { cause: err });
    });
  }

  /** Resolves once every accepted batch has finished. */
  drain(): Promise<void> {
    return this.#tail.then(() => undefined);
  }
}
