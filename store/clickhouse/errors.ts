// The one error a caller of the ClickHouse store needs to tell apart: the write was not done
// and may be retried later (server down, slow, or too many writes waiting). The ingest path
// answers 503 with Retry-After for any store failure; this says how long to suggest.

export class ClickHouseUnavailableError extends Error {
  readonly code = 'TELLTALE_ERR_STORE_UNAVAILABLE';

  constructor(message: string, readonly retryAfterSeconds: number, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ClickHouseUnavailableError';
  }
}
