// The ClickHouse schema, as numbered migrations like SQLite's. Every statement is idempotent
// (IF NOT EXISTS), so two instances starting at once on a new database both succeed.
//
// Written for Debian's clickhouse-server 18.16 and current releases alike: times are Int64
// epoch milliseconds (spans: nanoseconds), no DateTime64, LowCardinality, Map, TTL clauses or
// SimpleAggregateFunction, none of which 18.16 has. Retention is explicit (see retention.ts).
import type { ClickHouseClient } from '@clickhouse/client';
import { ident, num } from './sql.ts';

export interface Migration {
  version: number;
  name: string;
  statements: (db: string) => string[];
  /** Runs after the statements; fresh when the database had no schema before this start. */
  after?: (client: ClickHouseClient, db: string, fresh: boolean) => Promise<void>;
}

/** Partition keys, also used by retention to find partitions it can drop whole. */
export const day = (msExpr: string) => `toYYYYMMDD(toDateTime(intDiv(${msExpr}, 1000)))`;
export const month = (msExpr: string) => `toYYYYMM(toDateTime(intDiv(${msExpr}, 1000)))`;
export const dayOfNs = (nsExpr: string) => `toYYYYMMDD(toDateTime(intDiv(${nsExpr}, 1000000000)))`;

// Rollup tables: per route (the route table, route pages) and per service (every series and
// total that names no route or method), each in several widths. Merging sketch states is the
// costly part of a read (measured: ~300 ns per row and bucket on 18.16), so a read should
// merge as few rows as possible: a service row merges what 40 routes x 2 methods would
// otherwise merge at read time, a week row seven day rows, a 6-hour row six hour rows.
// Every table is filled from the same INSERT by its own view (18.16 does not chain views).
export const ROUTE_DIMENSIONS = ['service', 'route', 'method', 'source'] as const;
export const SERVICE_DIMENSIONS = ['service', 'source'] as const;
type Dimensions = readonly string[];

const MINUTE = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;

export interface RollupTable {
  table: string;
  level: 'route' | 'service';
  widthMs: number;
  /** Rows copied by `telltale migrate` (rollup_import) of this width feed this table. */
  importWidthMs: number;
  dims: Dimensions;
}

const table = (table: string, level: RollupTable['level'], widthMs: number, importWidthMs: number): RollupTable =>
  ({ table, level, widthMs, importWidthMs, dims: level === 'route' ? ROUTE_DIMENSIONS : SERVICE_DIMENSIONS });

/** The rollup tables of schema version 1 (route level: minute, hour, UTC day). */
export const ROUTE_ROLLUPS = [
  table('rollup_minute', 'route', MINUTE, MINUTE), table('rollup_hour', 'route', HOUR, HOUR), table('rollup_day', 'route', DAY, DAY),
];
/** Added by migration 3: weeks (from the epoch, Thursdays) per route; the service level. */
export const COARSE_ROLLUPS = [
  table('rollup_week', 'route', 7 * DAY, DAY),
  table('rollup_service_minute', 'service', MINUTE, MINUTE), table('rollup_service_hour', 'service', HOUR, HOUR),
  table('rollup_service_6h', 'service', 6 * HOUR, HOUR), table('rollup_service_day', 'service', DAY, DAY),
];
export const ROLLUP_TABLES: readonly RollupTable[] = [...ROUTE_ROLLUPS, ...COARSE_ROLLUPS];

// Time leads the key: every read is a time window, and reading a granule means decoding its
// sketch states, the costly part (measured: a 30-day route table took 1.7x longer with service
// leading). Rows with the same key are merged by ClickHouse in the background; readers merge
// whatever is left with the -Merge combinators, so a read never depends on when background
// merges happened.
// Small granules: a read decodes the sketch states of every granule it touches, whole, so with
// the default 8,192 rows a 6-day edge of a month of day rows cost as much as the month
// (measured on 18.16: 580 ms; with 256-row granules 250 ms).
function rollupTable(db: string, { table, dims, widthMs }: RollupTable): string {
  return `CREATE TABLE IF NOT EXISTS ${db}.${table} (
    bucket_start_ms Int64, ${dims.map((d) => `${d} String`).join(', ')},
    calls AggregateFunction(sum, UInt64),
    errors AggregateFunction(sum, UInt64),
    status_4xx AggregateFunction(sum, UInt64),
    status_5xx AggregateFunction(sum, UInt64),
    duration_sum_ms AggregateFunction(sum, Float64),
    duration_min_ms AggregateFunction(min, Float64),
    duration_max_ms AggregateFunction(max, Float64),
    zero_count AggregateFunction(sum, UInt64),
    status_counts AggregateFunction(sumMap, Array(Int32), Array(UInt64)),
    sketch AggregateFunction(sumMap, Array(Int32), Array(UInt64))
  ) ENGINE = AggregatingMergeTree
  PARTITION BY ${month('bucket_start_ms')}
  ORDER BY (bucket_start_ms, ${dims.join(', ')})
  SETTINGS index_granularity = ${widthMs === MINUTE ? 1024 : 256}`;
}

// The sketch bucket of each call is computed in JS (store/sketch.ts) and stored with the call,
// so ClickHouse only adds counts: the buckets are bit-for-bit those SQLite stores.
// sketch_kind: 0 untimed, 1 zero bucket (below MIN_INDEXABLE_MS), 2 counted at sketch_index.
function rollupView(db: string, { table, widthMs, dims }: RollupTable): string {
  return `CREATE MATERIALIZED VIEW IF NOT EXISTS ${db}.${table}_mv TO ${db}.${table} AS
    SELECT intDiv(time_ms, ${num(widthMs)}) * ${num(widthMs)} AS bucket_start_ms, ${dims.join(', ')},
      sumState(toUInt64(1)) AS calls,
      sumState(toUInt64(error)) AS errors,
      sumState(toUInt64(status_code >= 400 AND status_code < 500)) AS status_4xx,
      sumState(toUInt64(status_code >= 500 AND status_code < 600)) AS status_5xx,
      sumState(ifNull(duration_ms, toFloat64(0))) AS duration_sum_ms,
      minState(ifNull(duration_ms, inf)) AS duration_min_ms,
      maxState(ifNull(duration_ms, -inf)) AS duration_max_ms,
      sumState(toUInt64(sketch_kind = 1)) AS zero_count,
      sumMapState([toInt32(status_code)], [toUInt64(1)]) AS status_counts,
      sumMapState([toInt32(sketch_index)], [toUInt64(sketch_kind = 2)]) AS sketch
    FROM ${db}.calls
    GROUP BY bucket_start_ms, ${dims.join(', ')}`;
}

// Input columns are named apart from the states they feed: an alias equal to a column inside
// its own expression is a cycle for some analyzer versions.
function importView(db: string, { table, widthMs, importWidthMs, dims }: RollupTable): string {
  return `CREATE MATERIALIZED VIEW IF NOT EXISTS ${db}.${table}_import_mv TO ${db}.${table} AS
    SELECT intDiv(bucket_start_ms, ${num(widthMs)}) * ${num(widthMs)} AS bucket_start_ms, ${dims.join(', ')},
      sumState(in_calls) AS calls, sumState(in_errors) AS errors, sumState(in_status_4xx) AS status_4xx, sumState(in_status_5xx) AS status_5xx,
      sumState(in_duration_sum_ms) AS duration_sum_ms,
      minState(ifNull(in_duration_min_ms, inf)) AS duration_min_ms,
      maxState(ifNull(in_duration_max_ms, -inf)) AS duration_max_ms,
      sumState(in_zero_count) AS zero_count,
      sumMapState(status_codes, status_code_counts) AS status_counts,
      sumMapState(sketch_indexes, sketch_counts) AS sketch
    FROM ${db}.rollup_import
    WHERE width_ms = ${num(importWidthMs)}
    GROUP BY bucket_start_ms, ${dims.join(', ')}`;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'calls, spans, traces, rollups, check runs, tokens, checks, cursors, health',
    statements: (db) => [
      // ReplacingMergeTree on the idempotency key: append checks keys before inserting, and
      // this collapses the rare duplicate that two writers racing on one call could still leave.
      `CREATE TABLE IF NOT EXISTS ${db}.calls (
        time_ms Int64, id String, service String, method String, route String, status_code UInt16,
        duration_ms Nullable(Float64), source String, trace_id Nullable(String), span_id Nullable(String),
        consumer Nullable(String), error UInt8, sketch_kind UInt8, sketch_index Int16
      ) ENGINE = ReplacingMergeTree
      PARTITION BY ${day('time_ms')}
      ORDER BY (time_ms, id)`,
      // Day rows (UTC days) make week and month windows cheap: merging sketch states costs per
      // row and bucket, and a busy route's day row has barely more buckets than its hour rows.
      ...ROUTE_ROLLUPS.map((t) => rollupTable(db, t)),
      // The views fire inside the INSERT into calls, so raw rows and rollups come from one statement.
      ...ROUTE_ROLLUPS.map((t) => rollupView(db, t)),
      `CREATE TABLE IF NOT EXISTS ${db}.spans (
        trace_id String, span_id String, parent_span_id Nullable(String), service String, name String, kind UInt8,
        start_ns Int64, end_ns Int64, duration_ms Float64, status_code UInt8, status_message String,
        attributes String, resource String, events String, http_route String, root_key String
      ) ENGINE = ReplacingMergeTree
      PARTITION BY ${dayOfNs('start_ns')}
      ORDER BY (start_ns, trace_id, span_id)`,
      // One summary per trace, merged from partial rows; root_key orders root candidates
      // exactly as SQLite's (root_rank, root_start_ns, root_span_id) comparison does.
      `CREATE TABLE IF NOT EXISTS ${db}.traces (
        trace_id String,
        start_min AggregateFunction(min, Int64),
        end_max AggregateFunction(max, Int64),
        span_count AggregateFunction(sum, UInt64),
        error_count AggregateFunction(sum, UInt64),
        root_service AggregateFunction(argMin, String, String),
        root_name AggregateFunction(argMin, String, String),
        services AggregateFunction(groupUniqArray, String)
      ) ENGINE = AggregatingMergeTree
      ORDER BY trace_id`,
      `CREATE MATERIALIZED VIEW IF NOT EXISTS ${db}.traces_mv TO ${db}.traces AS
        SELECT trace_id,
          minState(start_ns) AS start_min,
          maxState(end_ns) AS end_max,
          sumState(toUInt64(1)) AS span_count,
          sumState(toUInt64(status_code = 2)) AS error_count,
          argMinState(service, root_key) AS root_service,
          argMinState(name, root_key) AS root_name,
          groupUniqArrayState(service) AS services
        FROM ${db}.spans
        GROUP BY trace_id`,
      `CREATE TABLE IF NOT EXISTS ${db}.check_runs (
        check_id String, started_at_ms Int64, ok UInt8, degraded UInt8, duration_ms Float64,
        status_code Nullable(UInt16), error Nullable(String), trace_id Nullable(String), result String
      ) ENGINE = ReplacingMergeTree
      PARTITION BY ${month('started_at_ms')}
      ORDER BY (check_id, started_at_ms)`,
      // Small mutable tables: every change is a new row with a higher version; readers take the
      // latest row per key with LIMIT 1 BY (not FINAL, which older servers combine wrongly with
      // PREWHERE), and deletions are rows with deleted = 1.
      `CREATE TABLE IF NOT EXISTS ${db}.tokens (
        id String, name String, scope String, hash String, created_at_ms Int64, version UInt64, deleted UInt8
      ) ENGINE = ReplacingMergeTree(version) ORDER BY id`,
      `CREATE TABLE IF NOT EXISTS ${db}.checks (
        id String, definition String, origin String, created_at_ms Int64, updated_at_ms Int64, version UInt64, deleted UInt8
      ) ENGINE = ReplacingMergeTree(version) ORDER BY id`,
      `CREATE TABLE IF NOT EXISTS ${db}.cursors (
        source String, position String, updated_at_ms Int64, version UInt64
      ) ENGINE = ReplacingMergeTree(version) ORDER BY source`,
      `CREATE TABLE IF NOT EXISTS ${db}.health (
        instance String, checked_at_ms Int64
      ) ENGINE = ReplacingMergeTree(checked_at_ms) ORDER BY instance`,
    ],
  },
  {
    version: 2,
    name: 'rollup import (telltale migrate --to clickhouse)',
    statements: (db) => [
      // Rollup rows copied from SQLite for the time before its oldest raw call. A Null table
      // keeps nothing; its views turn plain numbers into the rollups' aggregate states, which
      // 18.16 cannot take from an INSERT directly (it has no input() function).
      `CREATE TABLE IF NOT EXISTS ${db}.rollup_import (
        width_ms Int64, bucket_start_ms Int64, service String, method String, route String, source String,
        in_calls UInt64, in_errors UInt64, in_status_4xx UInt64, in_status_5xx UInt64,
        in_duration_sum_ms Float64, in_duration_min_ms Nullable(Float64), in_duration_max_ms Nullable(Float64), in_zero_count UInt64,
        status_codes Array(Int32), status_code_counts Array(UInt64), sketch_indexes Array(Int32), sketch_counts Array(UInt64)
      ) ENGINE = Null`,
      ...ROUTE_ROLLUPS.map((t) => importView(db, t)),
    ],
  },
  {
    version: 3,
    name: 'coarse rollups: route weeks, the service level',
    statements: (db) => [
      ...COARSE_ROLLUPS.map((t) => rollupTable(db, t)),
      ...COARSE_ROLLUPS.map((t) => rollupView(db, t)),
      ...COARSE_ROLLUPS.map((t) => importView(db, t)),
      // From when each table holds every call: from the start on a new database. On an existing
      // one, calls stored before its view existed are only in the finer tables, and copying them
      // over could count twice what an ingest instance writes meanwhile; so a new table is read
      // only from the second UTC midnight after the upgrade (calls arrive at most
      // TELLTALE_INGEST_MAX_FUTURE early), the finer tables before it.
      `CREATE TABLE IF NOT EXISTS ${db}.rollup_levels (level String, complete_from_ms Int64) ENGINE = ReplacingMergeTree ORDER BY level`,
    ],
    after: async (client, db, fresh) => {
      const completeFromMs = fresh ? 0 : Math.ceil((Date.now() + DAY) / DAY) * DAY;
      await client.insert({
        table: `${db}.rollup_levels`, format: 'JSONEachRow',
        values: COARSE_ROLLUPS.map((t) => ({ level: t.table, complete_from_ms: completeFromMs })),
      });
    },
  },
];

/**
 * Creates the database if missing and applies every migration newer than the database's.
 * Returns the versions applied.
 */
export async function migrate(client: ClickHouseClient, database: string, migrations: readonly Migration[] = MIGRATIONS): Promise<number[]> {
  const db = ident(database);
  await client.command({ query: `CREATE DATABASE IF NOT EXISTS ${db}` });
  await client.command({
    query: `CREATE TABLE IF NOT EXISTS ${db}.schema_migrations (version UInt32, name String, applied_at_ms Int64)
      ENGINE = ReplacingMergeTree ORDER BY version`,
  });
  const result = await client.query({ query: `SELECT max(version) AS v FROM ${db}.schema_migrations`, format: 'JSONEachRow' });
  const current = Number((await result.json<{ v: number | string }>())[0]?.v ?? 0);
  const latest = migrations.reduce((max, m) => Math.max(max, m.version), 0);
  if (current > latest) {
    // An older build must not write into a schema it does not understand.
    throw new Error(`ClickHouse schema version ${current} is newer than this Telltale supports (${latest})`);
  }
  const applied: number[] = [];
  for (const m of [...migrations].sort((a, b) => a.version - b.version)) {
    if (m.version <= current) continue;
    for (const statement of m.statements(db)) await client.command({ query: statement });
    await m.after?.(client, db, current === 0);
    await client.insert({
      table: `${db}.schema_migrations`, format: 'JSONEachRow',
      values: [{ version: m.version, name: m.name, applied_at_ms: Date.now() }],
    });
    applied.push(m.version);
  }
  return applied;
}
