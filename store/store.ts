import type {
  AggregateQuery, AggregateRow, ApiCall, AppendResult, CallQuery, CheckRecord, CheckRunQuery, CheckRunRecord,
  ConsumerBreakdownRow, IngestBatch, RetentionCutoffs, SpanRecord, TimeRange, CallFilter, TokenRecord, TraceQuery, TraceSummary,
} from './types.ts';

/**
 * Everything Telltale persists. The only place that knows SQL is an implementation of this
 * interface; both implementations pass test/store/contract.
 */
export interface Store {
  /** Writes calls and spans atomically; calls already stored (same id) are ignored, rollups included. */
  append(batch: IngestBatch): Promise<AppendResult>;
  /** The position last saved for a reader with its rows; null when it never saved one. */
  getCursor(source: string): Promise<string | null>;
  /** Merged rollups for a window, grouped by dimensions and optionally by time step. */
  aggregate(query: AggregateQuery): Promise<AggregateRow[]>;
  /** Raw calls matching a query, newest or slowest first. */
  calls(query: CallQuery): Promise<ApiCall[]>;
  /** Calls and errors per consumer, from raw calls, largest error count first. */
  consumerBreakdown(range: TimeRange, filter: CallFilter, limit: number): Promise<ConsumerBreakdownRow[]>;
  searchTraces(query: TraceQuery): Promise<TraceSummary[]>;
  /** All spans of one trace, in start order; empty when unknown. */
  trace(traceId: string): Promise<SpanRecord[]>;

  createToken(token: TokenRecord): Promise<void>;
  findTokenByHash(hash: string): Promise<TokenRecord | null>;
  listTokens(): Promise<TokenRecord[]>;
  deleteToken(id: string): Promise<boolean>;

  /** Creates or replaces a check definition, all fields as given. */
  putCheck(check: CheckRecord): Promise<void>;
  getCheck(id: string): Promise<CheckRecord | null>;
  /** Every check, by id. */
  listChecks(): Promise<CheckRecord[]>;
  /** Deletes a check and its run history; false when there was no such check. */
  deleteCheck(id: string): Promise<boolean>;
  /** Runs of one check started in [fromMs, toMs), newest first. */
  checkRuns(query: CheckRunQuery): Promise<CheckRunRecord[]>;

  /** Deletes data older than the cutoffs (check runs with the raw rows); returns rows removed. */
  applyRetention(cutoffs: RetentionCutoffs): Promise<number>;
  /** Resolves when the store can take writes; rejects with the reason otherwise. */
  checkWritable(): Promise<void>;
  close(): Promise<void>;
}
