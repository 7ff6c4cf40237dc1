import type {
  AggregateQuery, AggregateRow, ApiCall, AppendResult, CallQuery, ConsumerBreakdownRow, IngestBatch,
  RetentionCutoffs, SpanRecord, TimeRange, CallFilter, TokenRecord, TraceQuery, TraceSummary,
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

  /** Deletes data older than the cutoffs; returns rows removed. */
  applyRetention(cutoffs: RetentionCutoffs): Promise<number>;
  /** Resolves when the store can take writes; rejects with the reason otherwise. */
  checkWritable(): Promise<void>;
  close(): Promise<void>;
}
