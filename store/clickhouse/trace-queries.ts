// Trace search and the waterfall. Candidates are the traces with a span starting in the
// window (a range of the spans' primary key); their summaries are then read by trace id (the
// summaries' primary key) and filtered per trace, as SQLite does.
import type { ClickHouseClient } from '@clickhouse/client';
import type { SpanRecord, TraceQuery, TraceSummary } from '../types.ts';
import { selectRows } from './query.ts';
import { SPAN_COLUMNS, rowToSpan } from './rows.ts';
import type { SpanRow } from './rows.ts';
import { Conditions, num, str } from './sql.ts';

const NS_PER_MS = 1_000_000n;

interface SummaryRow {
  trace_id: string;
  s: string;
  e: string;
  n: string;
  errs: string;
  rs: string;
  rn: string;
  svcs: string[];
}

function msToNs(ms: number): bigint {
  // Windows are whole milliseconds; rounding up keeps [from, to) half-open for any input.
  return BigInt(Math.ceil(ms)) * NS_PER_MS;
}

const SUMMARY_COLUMNS = `trace_id, minMerge(start_min) AS s, maxMerge(end_max) AS e, sumMerge(span_count) AS n,
  sumMerge(error_count) AS errs, argMinMerge(root_service) AS rs, argMinMerge(root_name) AS rn,
  arraySort(groupUniqArrayMerge(services)) AS svcs`;

async function searchWindow(client: ClickHouseClient, db: string, query: TraceQuery, fromMs: number, toMs: number, limit: number): Promise<TraceSummary[]> {
  const from = msToNs(fromMs);
  const to = msToNs(toMs);
  const where = new Conditions()
    .add(`trace_id IN (SELECT trace_id FROM ${db}.spans WHERE start_ns >= ${num(from)} AND start_ns < ${num(to)})`);
  if (query.route !== undefined) {
    // Span names follow "{method} {route}", so a name ending in " {route}" matches too. Every
    // span and call of a trace starting at `from` or later starts at `from` or later.
    const route = str(query.route);
    const suffix = str(` ${query.route}`);
    where.add(`(trace_id IN (SELECT trace_id FROM ${db}.spans WHERE start_ns >= ${num(from)}
        AND (name = ${route} OR endsWith(name, ${suffix}) OR http_route = ${route}))
      OR trace_id IN (SELECT ifNull(trace_id, '') FROM ${db}.calls WHERE time_ms >= ${num(Math.floor(fromMs))} AND route = ${route}))`);
  }
  const having = new Conditions().add(`s >= ${num(from)} AND s < ${num(to)}`);
  if (query.service !== undefined) having.add(`has(svcs, ${str(query.service)})`);
  if (query.hasError === true) having.add('errs > 0');
  if (query.hasError === false) having.add('errs = 0');
  if (query.minDurationMs !== undefined) having.add(`e - s >= ${num(BigInt(Math.ceil(query.minDurationMs * 1e6)))}`);
  const rows = await selectRows<SummaryRow>(client, `
    SELECT ${SUMMARY_COLUMNS} FROM ${db}.traces
    WHERE ${where.toString()}
    GROUP BY trace_id
    HAVING ${having.toString()}
    ORDER BY s DESC, trace_id DESC
    LIMIT ${limit}`);
  return rows.map((row) => ({
    traceId: row.trace_id,
    rootService: row.rs,
    rootName: row.rn,
    startTimeUnixNano: String(row.s),
    durationMs: Number(BigInt(row.e) - BigInt(row.s)) / 1e6,
    spanCount: Number(row.n),
    errorCount: Number(row.errs),
    services: row.svcs,
  }));
}

/**
 * Newest traces first, walking the window backwards in growing slices (1 minute, then 4, 16 …):
 * a busy day holds millions of traces, and like SQLite's index walk this stops once `limit`
 * are found. A trace belongs to the slice its first span starts in, so concatenating the
 * slices' answers newest-first is exactly the answer over the whole window.
 */
export async function searchTraces(client: ClickHouseClient, db: string, query: TraceQuery): Promise<TraceSummary[]> {
  if (!Number.isInteger(query.limit) || query.limit < 0) throw new RangeError(`limit must be a non-negative integer, got ${query.limit}`);
  const found: TraceSummary[] = [];
  let toMs = query.toMs;
  for (let sliceMs = 60_000; toMs > query.fromMs && found.length < query.limit; sliceMs *= 4) {
    const fromMs = Math.max(query.fromMs, toMs - sliceMs);
    found.push(...await searchWindow(client, db, query, fromMs, toMs, query.limit - found.length));
    toMs = fromMs;
  }
  return found;
}

/** All spans of one trace in start order: its summary's [start, end] bounds the primary-key range read. */
export async function readTrace(client: ClickHouseClient, db: string, traceId: string): Promise<SpanRecord[]> {
  const [bounds] = await selectRows<{ s: string; e: string }>(client,
    `SELECT minMerge(start_min) AS s, maxMerge(end_max) AS e FROM ${db}.traces WHERE trace_id = ${str(traceId)} GROUP BY trace_id`);
  if (!bounds) return [];
  const rows = await selectRows<SpanRow>(client, `
    SELECT ${SPAN_COLUMNS} FROM ${db}.spans
    WHERE start_ns >= ${num(BigInt(bounds.s))} AND start_ns <= ${num(BigInt(bounds.e))} AND trace_id = ${str(traceId)}
    ORDER BY start_ns, span_id
    LIMIT 1 BY start_ns, span_id`);
  return rows.map(rowToSpan);
}
