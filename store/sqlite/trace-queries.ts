// Trace search and the waterfall. Span times are read with safeIntegers so nanoseconds
// beyond 2^53 come back as exact BigInts and leave as exact decimal strings.
import type Database from 'better-sqlite3';
import type { Attributes, SpanEvent, SpanRecord, TraceQuery, TraceSummary } from '../types.ts';
import { Where } from './statement-cache.ts';
import type { StatementCache } from './statement-cache.ts';

const NS_PER_MS = 1_000_000n;

interface SpanRow {
  trace_id: string;
  span_id: string;
  parent_span_id: string | null;
  service: string;
  name: string;
  kind: bigint;
  start_ns: bigint;
  end_ns: bigint;
  duration_ms: number;
  status_code: bigint;
  status_message: string;
  attributes: string;
  resource: string;
  events: string;
}

interface SummaryRow {
  trace_id: string;
  start_ns: bigint;
  end_ns: bigint;
  span_count: bigint;
  error_count: bigint;
  root_service: string;
  root_name: string;
}

function msToNs(ms: number): bigint {
  // Windows are whole milliseconds; rounding up keeps [from, to) half-open for any input.
  return BigInt(Math.ceil(ms)) * NS_PER_MS;
}

function nsDiffToMs(ns: bigint): number {
  return Number(ns) / 1e6;
}

function rowToSpan(row: SpanRow): SpanRecord {
  return {
    traceId: row.trace_id,
    spanId: row.span_id,
    parentSpanId: row.parent_span_id,
    service: row.service,
    name: row.name,
    kind: Number(row.kind),
    startTimeUnixNano: row.start_ns.toString(),
    endTimeUnixNano: row.end_ns.toString(),
    durationMs: row.duration_ms,
    statusCode: Number(row.status_code),
    statusMessage: row.status_message,
    attributes: JSON.parse(row.attributes) as Attributes,
    resource: JSON.parse(row.resource) as Attributes,
    events: JSON.parse(row.events) as SpanEvent[],
  };
}

export interface TraceReader {
  search(query: TraceQuery): TraceSummary[];
  trace(traceId: string): SpanRecord[];
}

export function createTraceReader(db: Database.Database, cache: StatementCache): TraceReader {
  // Spans are indexed by (start_ns, trace_id, span_id): a trace's spans all start inside its
  // summary's [start_ns, end_ns], so that range of the index holds them.
  const IN_TRACE = 's.start_ns BETWEEN t.start_ns AND t.end_ns AND s.trace_id = t.trace_id';
  const spansOfTrace = db.prepare<[string], SpanRow>(
    `SELECT s.trace_id, span_id, parent_span_id, service, name, kind, s.start_ns, s.end_ns, duration_ms,
       status_code, status_message, attributes, resource, events
     FROM traces t JOIN spans s ON ${IN_TRACE} WHERE t.trace_id = ? ORDER BY s.start_ns, span_id`,
  ).safeIntegers(true);
  const servicesOfTrace = db.prepare<[string], string>(
    `SELECT DISTINCT s.service FROM traces t JOIN spans s ON ${IN_TRACE} WHERE t.trace_id = ? ORDER BY s.service`,
  ).pluck();

  function search(query: TraceQuery): TraceSummary[] {
    if (!Number.isInteger(query.limit) || query.limit < 0) throw new RangeError(`limit must be a non-negative integer, got ${query.limit}`);
    // A trace belongs to the window its first span starts in. The filters are checked per
    // trace while walking traces_start newest-first, so an unfiltered search reads only
    // `limit` rows however busy the window was.
    const where = new Where().add('t.start_ns >= ? AND t.start_ns < ?', msToNs(query.fromMs), msToNs(query.toMs));
    if (query.service !== undefined) {
      where.add(`EXISTS (SELECT 1 FROM spans s WHERE ${IN_TRACE} AND s.service = ?)`, query.service);
    }
    if (query.route !== undefined) {
      // Span names follow "{method} {route}", so a name ending in " {route}" matches too.
      where.add(
        `(EXISTS (SELECT 1 FROM spans s WHERE ${IN_TRACE}
            AND (s.name = ? OR substr(s.name, -length(?)) = ? OR json_extract(s.attributes, '$."http.route"') = ?))
          OR EXISTS (SELECT 1 FROM calls c WHERE c.time_ms BETWEEN t.start_ns / 1000000 AND t.end_ns / 1000000 + 1
            AND c.trace_id = t.trace_id AND c.route = ?))`,
        query.route, ` ${query.route}`, ` ${query.route}`, query.route, query.route,
      );
    }
    if (query.hasError === true) where.add('t.error_count > 0');
    if (query.hasError === false) where.add('t.error_count = 0');
    if (query.minDurationMs !== undefined) where.add('t.end_ns - t.start_ns >= ?', BigInt(Math.ceil(query.minDurationMs * 1e6)));
    const sql = `
      SELECT trace_id, start_ns, end_ns, span_count, error_count, root_service, root_name
      FROM traces t WHERE ${where.toString()}
      ORDER BY t.start_ns DESC, t.trace_id DESC
      LIMIT ?`;
    const rows = cache.get<SummaryRow>(sql, { safeIntegers: true }).all(...where.params, query.limit);
    return rows.map((row) => ({
      traceId: row.trace_id,
      rootService: row.root_service,
      rootName: row.root_name,
      startTimeUnixNano: row.start_ns.toString(),
      durationMs: nsDiffToMs(row.end_ns - row.start_ns),
      spanCount: Number(row.span_count),
      errorCount: Number(row.error_count),
      services: servicesOfTrace.all(row.trace_id),
    }));
  }

  return {
    search,
    trace: (traceId) => spansOfTrace.all(traceId).map(rowToSpan),
  };
}
