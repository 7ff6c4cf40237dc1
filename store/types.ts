// The domain records every part of Telltale speaks. Nothing here knows SQL, HTTP or OTLP.
import type { LatencySketch } from './sketch.ts';

/** Where an ApiCall came from. Downstream code may group by it but never branches on it. */
export type CallSource = 'trace' | 'gateway' | 'synthetic';
export const CALL_SOURCES: readonly CallSource[] = ['trace', 'gateway', 'synthetic'];

/** One API request, whichever receiver told us about it. */
export interface ApiCall {
  /** Idempotency key: the same request reported twice has the same id (traces: traceId + spanId). */
  id: string;
  /** Request start, Unix epoch milliseconds. */
  timeUnixMs: number;
  service: string;
  /** Upper-case HTTP method; `_OTHER` for unknown ones. */
  method: string;
  /** Route template, e.g. `/users/{id}`; never a raw high-cardinality path. */
  route: string;
  /** HTTP status; 0 when no response was sent. */
  statusCode: number;
  /** Null when the source did not time the request (nginx `combined` has no `$request_time`). */
  durationMs: number | null;
  source: CallSource;
  traceId: string | null;
  spanId: string | null;
  /** Who called: an end-user id, API key name or client address, as configured. */
  consumer: string | null;
  /** A server error: 5xx; when there is no status code, the source said so (span status ERROR or `error.type`). */
  error: boolean;
}

export type AttributeValue = string | number | boolean | null | AttributeValue[] | { [key: string]: AttributeValue };
export type Attributes = Record<string, AttributeValue>;

export interface SpanEvent {
  name: string;
  timeUnixNano: string;
  attributes: Attributes;
}

/** A span as stored for the trace waterfall. Nanosecond times are exact decimal strings (int64). */
export interface SpanRecord {
  traceId: string;
  spanId: string;
  parentSpanId: string | null;
  service: string;
  name: string;
  /** OTLP SpanKind: 0 unspecified, 1 internal, 2 server, 3 client, 4 producer, 5 consumer. */
  kind: number;
  startTimeUnixNano: string;
  endTimeUnixNano: string;
  durationMs: number;
  /** OTLP StatusCode: 0 unset, 1 ok, 2 error. */
  statusCode: number;
  statusMessage: string;
  attributes: Attributes;
  resource: Attributes;
  events: SpanEvent[];
}

/** How far a reader (a tailed file, an import) has got; saved in the same transaction as its rows. */
export interface IngestCursor {
  source: string;
  /** Opaque to the store: the reader's own encoding of its position. */
  position: string;
}

/** What one ingest request hands to the store. Calls, spans, cursors and check runs are written in one transaction. */
export interface IngestBatch {
  calls: ApiCall[];
  spans: SpanRecord[];
  /** Positions of readers whose lines these rows are: a restart resumes exactly after them. */
  cursors?: IngestCursor[];
  /** Synthetic check runs; each comes with its ApiCall in `calls`, so the run and its rollup share one commit. */
  checkRuns?: CheckRunRecord[];
}

export interface AppendResult {
  /** New calls written (duplicates by id are ignored and not counted twice in rollups). */
  callsInserted: number;
  spansInserted: number;
}

/** The dimensions of a rollup row. */
export interface RollupKey {
  service: string;
  method: string;
  route: string;
  source: CallSource;
}
export type RollupDimension = keyof RollupKey;

/** Everything a rollup knows about a set of calls; merging two is exact. */
export interface Aggregate {
  calls: number;
  /** Server errors (ApiCall.error). */
  errors: number;
  status4xx: number;
  status5xx: number;
  /** Sum, min and max over the timed calls (sketch.count of them); min is Infinity when none were. */
  durationSumMs: number;
  durationMinMs: number;
  durationMaxMs: number;
  /** Calls per HTTP status code, keyed by the code as a string ("0" = no response). */
  statusCounts: Record<string, number>;
  sketch: LatencySketch;
}

export interface CallFilter {
  service?: string;
  route?: string;
  method?: string;
  source?: CallSource;
}

export interface TimeRange {
  /** Inclusive, epoch ms. */
  fromMs: number;
  /** Exclusive, epoch ms. */
  toMs: number;
}

export interface AggregateQuery extends TimeRange {
  filter: CallFilter;
  /** Dimensions to group by; empty means one row for everything. */
  groupBy: RollupDimension[];
  /** When set, rows are also split into time buckets of this width (a multiple of 60,000 ms). */
  stepMs?: number;
}

export interface AggregateRow {
  group: Partial<RollupKey>;
  /** Start of the time bucket, when the query had a step. */
  bucketStartMs?: number;
  agg: Aggregate;
}

export interface CallQuery extends TimeRange {
  filter: CallFilter & { consumer?: string };
  /** Exact status code, or a class such as `5xx`. */
  status?: number | `${1 | 2 | 3 | 4 | 5}xx`;
  errorsOnly?: boolean;
  minDurationMs?: number;
  /** `recent` (newest first) or `slowest` (longest first). */
  order: 'recent' | 'slowest';
  limit: number;
}

export interface ConsumerBreakdownRow {
  consumer: string | null;
  calls: number;
  errors: number;
  status4xx: number;
  status5xx: number;
}

export interface TraceQuery extends TimeRange {
  service?: string;
  /** Matches a span name or an ApiCall route in the trace. */
  route?: string;
  minDurationMs?: number;
  /** Only traces with (or without) an error span. */
  hasError?: boolean;
  limit: number;
}

export interface TraceSummary {
  traceId: string;
  rootService: string;
  rootName: string;
  startTimeUnixNano: string;
  durationMs: number;
  spanCount: number;
  errorCount: number;
  services: string[];
}

export type TokenScope = 'ingest' | 'read' | 'write' | 'admin';
export const TOKEN_SCOPES: readonly TokenScope[] = ['ingest', 'read', 'write', 'admin'];

/** An API token as stored: only the SHA-256 of the secret, never the secret. */
export interface TokenRecord {
  id: string;
  name: string;
  scope: TokenScope;
  /** Hex SHA-256 of the token string. */
  hash: string;
  createdAtMs: number;
}

export interface RetentionCutoffs {
  /** Raw calls and spans older than this are deleted. */
  rawBeforeMs: number;
  minuteRollupsBeforeMs: number;
  hourRollupsBeforeMs: number;
}

/** Who owns a check definition: a YAML file the server loads (`code`), or the API (`api`). */
export type CheckOrigin = 'code' | 'api';
export const CHECK_ORIGINS: readonly CheckOrigin[] = ['code', 'api'];

/** A synthetic check as stored. The store keeps the definition as opaque JSON; synthetic/ owns its shape. */
export interface CheckRecord {
  id: string;
  /** The validated check definition (secret header values already sealed by the server). */
  definition: unknown;
  origin: CheckOrigin;
  createdAtMs: number;
  updatedAtMs: number;
}

/** One run of a check. Keyed by (checkId, startedAtMs): storing the same run twice keeps one. */
export interface CheckRunRecord {
  checkId: string;
  startedAtMs: number;
  ok: boolean;
  degraded: boolean;
  /** Latency of the reported attempt (phases.totalMs): the value the run's ApiCall puts in the rollups. */
  durationMs: number;
  statusCode: number | null;
  /** Why it failed, one line; null when it passed. */
  error: string | null;
  traceId: string | null;
  /** The full run result (phases, assertions, steps) as JSON. */
  result: unknown;
}

export interface CheckRunQuery extends TimeRange {
  checkId: string;
  limit: number;
}
