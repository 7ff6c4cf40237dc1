// How domain records become ClickHouse rows and back. Insert rows go as JSONEachRow, so
// values are JSON data and never SQL text; 64-bit integers come back as decimal strings.
import { MIN_INDEXABLE_MS, bucketIndex } from '../sketch.ts';
import type { ApiCall, Attributes, CallSource, CheckRunRecord, SpanEvent, SpanRecord } from '../types.ts';

export interface CallRow {
  time_ms: number | string;
  id: string;
  service: string;
  method: string;
  route: string;
  status_code: number;
  duration_ms: number | null;
  source: CallSource;
  trace_id: string | null;
  span_id: string | null;
  consumer: string | null;
  error: number;
  sketch_kind: number;
  sketch_index: number;
}

export const CALL_COLUMNS = 'time_ms, id, service, method, route, status_code, duration_ms, source, trace_id, span_id, consumer, error';

export function callToRow(call: ApiCall): CallRow {
  const d = call.durationMs;
  // The same test as LatencySketch.add: the bucket is decided here, in JS, for both stores.
  const kind = d === null ? 0 : d >= MIN_INDEXABLE_MS ? 2 : 1;
  return {
    time_ms: call.timeUnixMs, id: call.id, service: call.service, method: call.method, route: call.route,
    status_code: call.statusCode, duration_ms: d, source: call.source, trace_id: call.traceId, span_id: call.spanId,
    consumer: call.consumer, error: call.error ? 1 : 0, sketch_kind: kind, sketch_index: kind === 2 ? bucketIndex(d!) : 0,
  };
}

export function rowToCall(row: Omit<CallRow, 'sketch_kind' | 'sketch_index'>): ApiCall {
  return {
    id: row.id, timeUnixMs: Number(row.time_ms), service: row.service, method: row.method, route: row.route,
    statusCode: Number(row.status_code), durationMs: row.duration_ms === null ? null : Number(row.duration_ms),
    source: row.source, traceId: row.trace_id, spanId: row.span_id, consumer: row.consumer, error: Number(row.error) === 1,
  };
}

export interface SpanRow {
  trace_id: string;
  span_id: string;
  parent_span_id: string | null;
  service: string;
  name: string;
  kind: number;
  start_ns: string;
  end_ns: string;
  duration_ms: number;
  status_code: number;
  status_message: string;
  attributes: string;
  resource: string;
  events: string;
  http_route: string;
  root_key: string;
}

export const SPAN_COLUMNS = 'trace_id, span_id, parent_span_id, service, name, kind, start_ns, end_ns, duration_ms, status_code, status_message, attributes, resource, events';

const hasParent = (span: SpanRecord): boolean => span.parentSpanId !== null && span.parentSpanId !== '';

/** Exact int64 nanoseconds as a decimal string; throws SyntaxError on anything else, like SQLite's BigInt(). */
function nanos(text: string): string {
  return BigInt(text).toString();
}

export function spanToRow(span: SpanRecord): SpanRow {
  const start = nanos(span.startTimeUnixNano);
  const route = span.attributes['http.route'];
  return {
    trace_id: span.traceId, span_id: span.spanId, parent_span_id: span.parentSpanId, service: span.service, name: span.name,
    kind: span.kind, start_ns: start, end_ns: nanos(span.endTimeUnixNano), duration_ms: span.durationMs,
    status_code: span.statusCode, status_message: span.statusMessage,
    attributes: JSON.stringify(span.attributes), resource: JSON.stringify(span.resource), events: JSON.stringify(span.events),
    http_route: typeof route === 'string' ? route : '',
    // Rank (0 = no parent), then start, then span id: byte order of this string is the root order.
    root_key: `${hasParent(span) ? 1 : 0}${start.padStart(20, '0')}${span.spanId}`,
  };
}

export function rowToSpan(row: Omit<SpanRow, 'http_route' | 'root_key'>): SpanRecord {
  return {
    traceId: row.trace_id, spanId: row.span_id, parentSpanId: row.parent_span_id, service: row.service, name: row.name,
    kind: Number(row.kind), startTimeUnixNano: String(row.start_ns), endTimeUnixNano: String(row.end_ns),
    durationMs: Number(row.duration_ms), statusCode: Number(row.status_code), statusMessage: row.status_message,
    attributes: JSON.parse(row.attributes) as Attributes, resource: JSON.parse(row.resource) as Attributes,
    events: JSON.parse(row.events) as SpanEvent[],
  };
}

export interface RunRow {
  check_id: string;
  started_at_ms: number | string;
  ok: number;
  degraded: number;
  duration_ms: number;
  status_code: number | null;
  error: string | null;
  trace_id: string | null;
  result: string;
}

export const RUN_COLUMNS = 'check_id, started_at_ms, ok, degraded, duration_ms, status_code, error, trace_id, result';

export function runToRow(r: CheckRunRecord): RunRow {
  return {
    check_id: r.checkId, started_at_ms: r.startedAtMs, ok: r.ok ? 1 : 0, degraded: r.degraded ? 1 : 0, duration_ms: r.durationMs,
    status_code: r.statusCode, error: r.error, trace_id: r.traceId, result: JSON.stringify(r.result),
  };
}

export function rowToRun(row: RunRow): CheckRunRecord {
  return {
    checkId: row.check_id, startedAtMs: Number(row.started_at_ms), ok: Number(row.ok) === 1, degraded: Number(row.degraded) === 1,
    durationMs: Number(row.duration_ms), statusCode: row.status_code === null ? null : Number(row.status_code),
    error: row.error, traceId: row.trace_id, result: JSON.parse(row.result),
  };
}
