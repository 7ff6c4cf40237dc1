// Queries over raw calls: the drill-down lists and the per-consumer breakdown.
import type { ApiCall, CallFilter, CallQuery, CallSource, ConsumerBreakdownRow, TimeRange } from '../types.ts';
import { Where } from './statement-cache.ts';
import type { StatementCache } from './statement-cache.ts';

interface CallRow {
  id: string;
  time_ms: number;
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
}

const CALL_COLUMNS = 'id, time_ms, service, method, route, status_code, duration_ms, source, trace_id, span_id, consumer, error';

const ORDER_BY: Record<CallQuery['order'], string> = {
  // Ties break on id so pages are stable across identical queries.
  recent: 'time_ms DESC, id DESC',
  slowest: 'duration_ms DESC, time_ms DESC, id DESC',
};

function rowToCall(row: CallRow): ApiCall {
  return {
    id: row.id,
    timeUnixMs: row.time_ms,
    service: row.service,
    method: row.method,
    route: row.route,
    statusCode: row.status_code,
    durationMs: row.duration_ms,
    source: row.source,
    traceId: row.trace_id,
    spanId: row.span_id,
    consumer: row.consumer,
    error: row.error === 1,
  };
}

function baseWhere(range: TimeRange, filter: CallFilter & { consumer?: string }): Where {
  return new Where()
    .add('time_ms >= ? AND time_ms < ?', range.fromMs, range.toMs)
    .equals('service', filter.service)
    .equals('route', filter.route)
    .equals('method', filter.method)
    .equals('source', filter.source)
    .equals('consumer', filter.consumer);
}

function addStatus(where: Where, status: CallQuery['status']): void {
  if (status === undefined) return;
  if (typeof status === 'number') {
    where.add('status_code = ?', status);
    return;
  }
  const match = /^([1-5])xx$/.exec(status);
  if (!match) throw new RangeError(`status must be a code or a class like 5xx, got ${String(status)}`);
  const low = Number(match[1]) * 100;
  where.add('status_code >= ? AND status_code < ?', low, low + 100);
}

function checkLimit(limit: number): void {
  if (!Number.isInteger(limit) || limit < 0) throw new RangeError(`limit must be a non-negative integer, got ${limit}`);
}

export function queryCalls(cache: StatementCache, query: CallQuery): ApiCall[] {
  checkLimit(query.limit);
  const where = baseWhere(query, query.filter);
  addStatus(where, query.status);
  if (query.errorsOnly) where.add('error = 1');
  if (query.minDurationMs !== undefined) where.add('duration_ms >= ?', query.minDurationMs);
  // hasOwn, not a plain lookup: "constructor" must not reach the SQL text either.
  const order = Object.hasOwn(ORDER_BY, query.order) ? ORDER_BY[query.order] : undefined;
  if (order === undefined) throw new RangeError(`order must be recent or slowest, got ${String(query.order)}`);
  const sql = `SELECT ${CALL_COLUMNS} FROM calls WHERE ${where.toString()} ORDER BY ${order} LIMIT ?`;
  return cache.get<CallRow>(sql).all(...where.params, query.limit).map(rowToCall);
}

export function queryConsumerBreakdown(
  cache: StatementCache, range: TimeRange, filter: CallFilter, limit: number,
): ConsumerBreakdownRow[] {
  checkLimit(limit);
  // Only the CallFilter fields: a consumer filter would defeat a per-consumer breakdown.
  const where = baseWhere(range, { service: filter.service, route: filter.route, method: filter.method, source: filter.source });
  // GROUP BY puts every NULL consumer in one group, which is the "unknown caller" row.
  const sql = `
    SELECT consumer, COUNT(*) AS calls, SUM(error) AS errors,
      SUM(status_code >= 400 AND status_code < 500) AS status_4xx,
      SUM(status_code >= 500 AND status_code < 600) AS status_5xx
    FROM calls WHERE ${where.toString()}
    GROUP BY consumer
    ORDER BY errors DESC, calls DESC, consumer
    LIMIT ?`;
  const rows = cache.get<{ consumer: string | null; calls: number; errors: number; status_4xx: number; status_5xx: number }>(sql)
    .all(...where.params, limit);
  return rows.map((r) => ({ consumer: r.consumer, calls: r.calls, errors: r.errors, status4xx: r.status_4xx, status5xx: r.status_5xx }));
}
