// Queries over raw calls: the drill-down lists and the per-consumer breakdown, with the same
// orderings as SQLite (NULL durations last when slowest, NULL consumers first on ties).
import type { ClickHouseClient } from '@clickhouse/client';
import type { ApiCall, CallFilter, CallQuery, ConsumerBreakdownRow, TimeRange } from '../types.ts';
import { selectRows } from './query.ts';
import { CALL_COLUMNS, rowToCall } from './rows.ts';
import type { CallRow } from './rows.ts';
import { Conditions, num } from './sql.ts';

const ORDER_BY: Record<CallQuery['order'], string> = {
  recent: 'time_ms DESC, id DESC',
  // Durations are never negative, so -1 puts untimed calls after every timed one.
  slowest: 'ifNull(duration_ms, -1) DESC, time_ms DESC, id DESC',
};

function baseWhere(range: TimeRange, filter: CallFilter & { consumer?: string }): Conditions {
  return new Conditions()
    .add(`time_ms >= ${num(range.fromMs)} AND time_ms < ${num(range.toMs)}`)
    .equals('service', filter.service)
    .equals('route', filter.route)
    .equals('method', filter.method)
    .equals('source', filter.source)
    .equals('consumer', filter.consumer);
}

function addStatus(where: Conditions, status: CallQuery['status']): void {
  if (status === undefined) return;
  if (typeof status === 'number') {
    where.add(`status_code = ${num(status)}`);
    return;
  }
  const match = /^([1-5])xx$/.exec(status);
  if (!match) throw new RangeError(`status must be a code or a class like 5xx, got ${String(status)}`);
  const low = Number(match[1]) * 100;
  where.add(`status_code >= ${low} AND status_code < ${low + 100}`);
}

function checkLimit(limit: number): void {
  if (!Number.isInteger(limit) || limit < 0) throw new RangeError(`limit must be a non-negative integer, got ${limit}`);
}

export async function queryCalls(client: ClickHouseClient, db: string, query: CallQuery): Promise<ApiCall[]> {
  checkLimit(query.limit);
  const where = baseWhere(query, query.filter);
  addStatus(where, query.status);
  if (query.errorsOnly) where.add('error = 1');
  if (query.minDurationMs !== undefined) where.add(`duration_ms >= ${num(query.minDurationMs)}`);
  const order = Object.hasOwn(ORDER_BY, query.order) ? ORDER_BY[query.order] : undefined;
  if (order === undefined) throw new RangeError(`order must be recent or slowest, got ${String(query.order)}`);
  if (query.limit === 0) return [];
  // LIMIT 1 BY hides a copy that two racing writers may have left until the table merges it away.
  const rows = await selectRows<CallRow>(client,
    `SELECT ${CALL_COLUMNS} FROM ${db}.calls WHERE ${where.toString()} ORDER BY ${order} LIMIT 1 BY time_ms, id LIMIT ${query.limit}`);
  return rows.map(rowToCall);
}

export async function queryConsumerBreakdown(
  client: ClickHouseClient, db: string, range: TimeRange, filter: CallFilter, limit: number,
): Promise<ConsumerBreakdownRow[]> {
  checkLimit(limit);
  if (limit === 0) return [];
  const where = baseWhere(range, { service: filter.service, route: filter.route, method: filter.method, source: filter.source });
  const rows = await selectRows<{ consumer: string | null; calls: string; errors: string; status_4xx: string; status_5xx: string }>(client, `
    SELECT consumer, count() AS calls, sum(error) AS errors,
      sum(status_code >= 400 AND status_code < 500) AS status_4xx,
      sum(status_code >= 500 AND status_code < 600) AS status_5xx
    FROM ${db}.calls WHERE ${where.toString()}
    GROUP BY consumer
    ORDER BY errors DESC, calls DESC, isNotNull(consumer), consumer
    LIMIT ${limit}`);
  return rows.map((r) => ({
    consumer: r.consumer, calls: Number(r.calls), errors: Number(r.errors), status4xx: Number(r.status_4xx), status5xx: Number(r.status_5xx),
  }));
}
