// Reads rollups for a window: the coarsest rows that fit (weeks, days, 6 hours, hours), ragged
// edges from minute rows; service rows when the query names no route or method (schema.ts lists
// the tables). Every table holds the same calls merged exactly, so the answer equals
// SQLite's (hours and minutes) to the bit, with the same merge arithmetic (store/aggregate.ts).
// ClickHouse merges the partial states of each group (sum, min, max, sumMap of sketch buckets),
// JS merges the widths.
import { AggregateRows } from '../aggregate-rows.ts';
import type { ClickHouseClient } from '@clickhouse/client';
import { MINUTE_MS, floorTo } from '../aggregate.ts';
import { LatencySketch } from '../sketch.ts';
import type { Aggregate, AggregateQuery, AggregateRow, RollupDimension } from '../types.ts';
import { selectRows } from './query.ts';
import { ROLLUP_TABLES, type RollupTable } from './schema.ts';
import { Conditions, num } from './sql.ts';

const DIMENSIONS: readonly RollupDimension[] = ['service', 'method', 'route', 'source'];

export type RollupLevel = RollupTable['level'];

export interface RollupRange {
  table: string;
  /** Inclusive bucket start. */
  fromMs: number;
  /** Exclusive bucket start. */
  toMs: number;
}

/** From when each rollup table holds every call; absent means from the start. */
export type CompleteFrom = ReadonlyMap<string, number>;

const ceilTo = (ms: number, widthMs: number): number => Math.ceil(ms / widthMs) * widthMs;

// Coarsest first: the split below takes each width where it fits and hands the edges down.
const CHAINS: Record<RollupLevel, readonly RollupTable[]> = {
  route: ROLLUP_TABLES.filter((t) => t.level === 'route').sort((a, b) => b.widthMs - a.widthMs),
  service: ROLLUP_TABLES.filter((t) => t.level === 'service').sort((a, b) => b.widthMs - a.widthMs),
};

/**
 * Which rollup rows cover [fromMs, toMs): as SQLite, a row belongs to the window when its bucket
 * starts inside it (windows resolve to whole minutes); a coarser width is used only where a step
 * bucket can never split one of its rows and where the table is complete. What the service
 * level cannot cover (before its tables were complete) comes from route rows.
 */
export function planRollupRanges(fromMs: number, toMs: number, stepMs?: number, level: RollupLevel = 'route', completeFrom: CompleteFrom = new Map()): RollupRange[] {
  const chain = CHAINS[level].filter((t) => stepMs === undefined || stepMs % t.widthMs === 0);
  const split = (from: number, to: number, i: number): RollupRange[] => {
    if (to <= from) return [];
    const t = chain[i];
    if (!t) return level === 'route' ? [{ table: 'rollup_minute', fromMs: from, toMs: to }] : planRollupRanges(from, to, stepMs, 'route', completeFrom);
    const start = ceilTo(Math.max(from, completeFrom.get(t.table) ?? 0), t.widthMs);
    const end = floorTo(to, t.widthMs);
    if (start >= end) return split(from, to, i + 1);
    return [...split(from, start, i + 1), { table: t.table, fromMs: start, toMs: end }, ...split(end, to, i + 1)];
  };
  return split(ceilTo(fromMs, MINUTE_MS), ceilTo(toMs, MINUTE_MS), 0);
}

interface MergedRow {
  b?: string | number;
  service?: string;
  method?: string;
  route?: string;
  source?: string;
  m_calls: string;
  m_errors: string;
  m_status_4xx: string;
  m_status_5xx: string;
  m_duration_sum_ms: number;
  m_duration_min_ms: number | null;
  m_duration_max_ms: number | null;
  m_zero_count: string;
  m_status_counts: [number[], string[]];
  m_sketch: [number[], string[]];
}

// Aliases differ from the column names: an alias equal to the column inside its own expression
// is a cycle for some analyzer versions.
const MERGED = ['calls', 'errors', 'status_4xx', 'status_5xx', 'duration_sum_ms', 'zero_count']
  .map((c) => `sumMerge(${c}) AS m_${c}`)
  .concat('minMerge(duration_min_ms) AS m_duration_min_ms', 'maxMerge(duration_max_ms) AS m_duration_max_ms',
    'sumMapMerge(status_counts) AS m_status_counts', 'sumMapMerge(sketch) AS m_sketch')
  .join(', ');

function validate(query: AggregateQuery): void {
  if (query.stepMs !== undefined && !(Number.isInteger(query.stepMs) && query.stepMs > 0 && query.stepMs % MINUTE_MS === 0)) {
    throw new RangeError(`stepMs must be a positive multiple of ${MINUTE_MS}, got ${query.stepMs}`);
  }
  for (const dim of query.groupBy) {
    if (!DIMENSIONS.includes(dim)) throw new RangeError(`unknown groupBy dimension: ${String(dim)}`);
  }
}

function toAggregate(row: MergedRow): Aggregate {
  const sketch = LatencySketch.fromArrays(row.m_sketch[0], row.m_sketch[1].map(Number), Number(row.m_zero_count));
  const statusCounts: Record<string, number> = {};
  row.m_status_counts[0].forEach((code, i) => {
    const n = Number(row.m_status_counts[1][i] ?? 0);
    if (n > 0) statusCounts[String(code)] = n;
  });
  // With no timed call the states hold ±inf, which JSON carries as null: Infinity as in emptyAggregate.
  const timed = sketch.count > 0;
  return {
    calls: Number(row.m_calls), errors: Number(row.m_errors), status4xx: Number(row.m_status_4xx), status5xx: Number(row.m_status_5xx),
    durationSumMs: Number(row.m_duration_sum_ms),
    durationMinMs: timed ? Number(row.m_duration_min_ms) : Infinity,
    durationMaxMs: timed ? Number(row.m_duration_max_ms) : -Infinity,
    statusCounts, sketch,
  };
}

/**
 * The ranges a query reads: service rows when it names no route or method, route rows otherwise.
 * Both levels merge the same calls, so the answer is the same.
 */
export function planQuery(query: AggregateQuery, completeFrom: CompleteFrom): RollupRange[] {
  const { fromMs, toMs, stepMs, filter, groupBy } = query;
  const serviceLevel = filter.route === undefined && filter.method === undefined && groupBy.every((d) => d === 'service' || d === 'source');
  return planRollupRanges(fromMs, toMs, stepMs, serviceLevel ? 'service' : 'route', completeFrom);
}

export async function queryAggregate(client: ClickHouseClient, db: string, query: AggregateQuery, completeFrom: CompleteFrom): Promise<AggregateRow[]> {
  validate(query);
  const { filter, groupBy, stepMs } = query;
  // Grouping keys: the step bucket (when asked for) and the dimensions. Never a constant: newer
  // servers may read a constant GROUP BY key as a column position.
  const keys = [
    ...(stepMs === undefined ? [] : [`intDiv(bucket_start_ms, ${num(stepMs)}) * ${num(stepMs)} AS b`]),
    ...groupBy,
  ];
  const keyNames = [...(stepMs === undefined ? [] : ['b']), ...groupBy];
  // The ranges are read at once (each read is mostly one thread decoding sketch states, so two
  // cores serve two ranges) and merged in plan order, so float sums add up the same every time.
  const results = await Promise.all(planQuery(query, completeFrom).map((range) => {
    const where = new Conditions()
      .add(`bucket_start_ms >= ${num(range.fromMs)} AND bucket_start_ms < ${num(range.toMs)}`)
      .equals('service', filter.service)
      .equals('method', filter.method)
      .equals('route', filter.route)
      .equals('source', filter.source);
    return selectRows<MergedRow>(client, `
      SELECT ${keys.map((k) => `${k}, `).join('')}
        ${MERGED}
      FROM ${db}.${range.table}
      WHERE ${where.toString()}
      ${keyNames.length === 0 ? '' : `GROUP BY ${keyNames.join(', ')}`}`);
  }));
  const out = new AggregateRows(groupBy);
  for (const row of results.flat()) {
    // A group with no rows still yields one row of zeros when nothing is grouped: skip it.
    if (Number(row.m_calls) === 0) continue;
    out.add(row, stepMs === undefined ? undefined : Number(row.b), toAggregate(row));
  }
  return out.sorted();
}
