// The public face of store/: domain types, the Store interface, and the rollup arithmetic.
export type {
  CallSource, ApiCall, AttributeValue, Attributes, SpanEvent, SpanRecord, IngestCursor, IngestBatch, AppendResult, RollupKey, RollupDimension, Aggregate, CallFilter, TimeRange, AggregateQuery, AggregateRow, CallQuery, ConsumerBreakdownRow, TraceQuery, TraceSummary, TokenScope, TokenRecord, RetentionCutoffs,
  CheckOrigin, CheckRecord, CheckRunRecord, CheckRunQuery,
} from './types.ts';
export { CALL_SOURCES, TOKEN_SCOPES, CHECK_ORIGINS } from './types.ts';
export type { Store } from './store.ts';
export { LatencySketch, RELATIVE_ACCURACY, MIN_INDEXABLE_MS } from './sketch.ts';
export { emptyAggregate, addCall, mergeAggregate, percentile, rollupCalls, coarsen, floorTo, MINUTE_MS, HOUR_MS } from './aggregate.ts';
export type { RollupDelta } from './aggregate.ts';
export { openSqliteStore } from './sqlite/open.ts';
export type { SqliteStoreOptions } from './sqlite/open.ts';
export type {
  ControlStore, ControlDocument, ControlEvent, ControlChange, ControlEventQuery, OutboxMessage, OutboxStatus, OutboxQuery, OutboxAttempt,
} from './control.ts';
export { openSqliteControlStore } from './sqlite/control-store.ts';
export { openClickHouseStore } from './clickhouse/open.ts';
export type { ClickHouseStoreOptions } from './clickhouse/open.ts';
export { ClickHouseUnavailableError } from './clickhouse/errors.ts';
