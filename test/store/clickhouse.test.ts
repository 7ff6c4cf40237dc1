import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { HOUR_MS, openSqliteStore, percentile } from '../../store/index.ts';
import type { AggregateQuery, AggregateRow, ApiCall, SpanRecord, Store } from '../../store/index.ts';
import { openClickHouseStore } from '../../store/clickhouse/open.ts';
import { ClickHouseUnavailableError } from '../../store/clickhouse/errors.ts';
import { createClient } from '@clickhouse/client';
import { MIGRATIONS, migrate } from '../../store/clickhouse/schema.ts';
import { planQuery, planRollupRanges } from '../../store/clickhouse/aggregate-query.ts';
import { startClickHouse, type ClickHouseServer } from '../helpers/clickhouse.ts';
import { createRandom } from '../helpers/random.ts';
import { runStoreContract } from './contract.ts';

// One server for the whole file (starting one takes a second or two); a fresh database per test.
let server: ClickHouseServer;
const teardown: Array<() => Promise<void>> = [];
before(async () => {
  server = await startClickHouse({ after: (fn) => void teardown.push(fn) });
});
after(async () => {
  for (const fn of teardown.reverse()) await fn();
});

let databases = 0;
const freshName = () => `t${process.pid}_${++databases}`;

async function openFresh(): Promise<Store> {
  const database = freshName();
  const store = await openClickHouseStore({ url: server.url, database });
  const close = store.close.bind(store);
  store.close = async () => {
    await close();
    await server.sql(`DROP DATABASE IF EXISTS ${database}`);
  };
  return store;
}

runStoreContract('clickhouse', openFresh);

const T0 = Date.UTC(2026, 0, 5, 10, 0, 0);

function calls(n: number, fromMs: number, prefix = 'c'): ApiCall[] {
  return Array.from({ length: n }, (_, i) => ({
    id: `${prefix}${i}`, timeUnixMs: fromMs + i * 1000, service: 'api', method: 'GET', route: `/r${i % 3}`,
    statusCode: i % 10 === 0 ? 500 : 200, durationMs: 1 + (i % 50), source: 'gateway' as const,
    traceId: null, spanId: null, consumer: null, error: i % 10 === 0,
  }));
}

void test('clickhouse: the database is created when missing, and reopening is a no-op', async (t) => {
  const database = freshName();
  assert.equal((await server.sql(`SELECT count() FROM system.databases WHERE name = '${database}'`)).trim(), '0');
  const first = await openClickHouseStore({ url: server.url, database });
  await first.append({ calls: calls(10, T0), spans: [] });
  await first.close();
  t.after(() => server.sql(`DROP DATABASE IF EXISTS ${database}`));
  const second = await openClickHouseStore({ url: server.url, database });
  t.after(() => second.close());
  // Each migration recorded once: the second open found them applied.
  assert.equal((await server.sql(`SELECT groupArray(version) FROM (SELECT version FROM ${database}.schema_migrations ORDER BY version)`)).trim(),
    `[${MIGRATIONS.map((m) => m.version).join(',')}]`);
  const [row] = await second.aggregate({ fromMs: T0, toMs: T0 + HOUR_MS, filter: {}, groupBy: [] });
  assert.equal(row?.agg.calls, 10);
});

void test('clickhouse: a re-sent batch counts once, and a retry completes a half-written one', async (t) => {
  const store = await openFresh();
  t.after(() => store.close());
  const batch = calls(200, T0);
  // Concurrent appends of the same calls are serialized by the store, so the second sees the first.
  const results = await Promise.all([store.append({ calls: batch, spans: [] }), store.append({ calls: batch, spans: [] })]);
  assert.deepEqual(results.map((r) => r.callsInserted), [200, 0]);
  // As if a first attempt stored the calls and failed before its check runs: the retry adds only the runs.
  const run = { checkId: 'c', startedAtMs: T0, ok: true, degraded: false, durationMs: 5, statusCode: 200, error: null, traceId: null, result: {} };
  assert.deepEqual(await store.append({ calls: batch.slice(0, 5), spans: [], checkRuns: [run] }), { callsInserted: 0, spansInserted: 0 });
  assert.equal((await store.checkRuns({ checkId: 'c', fromMs: T0, toMs: T0 + 1, limit: 5 })).length, 1);
  const [row] = await store.aggregate({ fromMs: T0, toMs: T0 + HOUR_MS, filter: {}, groupBy: [] });
  assert.equal(row?.agg.calls, 200);
  assert.equal(row?.agg.errors, 20);
});

void test('clickhouse: a full write queue refuses at once with a retryable error', async (t) => {
  const database = freshName();
  const store = await openClickHouseStore({ url: server.url, database, maxWaitingAppends: 2 });
  t.after(async () => {
    await store.close();
    await server.sql(`DROP DATABASE IF EXISTS ${database}`);
  });
  const attempts = [0, 1, 2].map((i) => store.append({ calls: calls(50, T0, `q${i}-`), spans: [] }));
  const settled = await Promise.allSettled(attempts);
  assert.deepEqual(settled.map((s) => s.status), ['fulfilled', 'fulfilled', 'rejected']);
  const refused = (settled[2] as PromiseRejectedResult).reason as unknown;
  assert.ok(refused instanceof ClickHouseUnavailableError);
  assert.equal(refused.retryAfterSeconds, 1);
  const [row] = await store.aggregate({ fromMs: T0, toMs: T0 + HOUR_MS, filter: {}, groupBy: [] });
  assert.equal(row?.agg.calls, 100, 'exactly the acknowledged batches');
});

void test('clickhouse: the same calls give the same route table and percentiles as SQLite', async (t) => {
  const ch = await openFresh();
  t.after(() => ch.close());
  const lite = await openSqliteStore({ file: ':memory:' });
  t.after(() => lite.close());
  const r = createRandom(42);
  const routes = ['/users/{id}', '/orders', '/orders/{id}/items', '/health'];
  // Raw log-normal durations (not on a grid): sketches and counts must match exactly, sums to rounding.
  const all: ApiCall[] = Array.from({ length: 20_000 }, (_, i) => {
    const statusCode = r.pick([200, 200, 200, 201, 404, 500, 503]);
    return {
      id: `x${i}`, timeUnixMs: T0 + Math.floor(r.next() * 26 * HOUR_MS), service: r.pick(['shop', 'auth']), method: r.pick(['GET', 'POST']),
      route: r.pick(routes), statusCode, durationMs: r.next() < 0.02 ? null : r.lognormal(Math.log(40), 1), source: 'trace' as const,
      traceId: null, spanId: null, consumer: null, error: statusCode >= 500,
    };
  });
  for (let i = 0; i < all.length; i += 5000) {
    await ch.append({ calls: all.slice(i, i + 5000), spans: [] });
    await lite.append({ calls: all.slice(i, i + 5000), spans: [] });
  }
  const comparable = (rows: AggregateRow[]) => rows.map((row) => {
    const { sketch, durationSumMs, ...rest } = row.agg;
    return { group: row.group, bucketStartMs: row.bucketStartMs, ...rest, sumMicros: Math.round(durationSumMs * 1000), buckets: sketch.toArrays(), zero: sketch.zeroCount,
      p: [0.5, 0.9, 0.99].map((q) => percentile(row.agg, q)) };
  });
  const queries: AggregateQuery[] = [
    { fromMs: T0, toMs: T0 + 24 * HOUR_MS, filter: {}, groupBy: ['service', 'route'] },
    { fromMs: T0 + 17 * 60_000, toMs: T0 + 25 * HOUR_MS + 5 * 60_000, filter: { service: 'shop' }, groupBy: ['route', 'method'] },
    { fromMs: T0, toMs: T0 + 26 * HOUR_MS, filter: {}, groupBy: [], stepMs: HOUR_MS },
    { fromMs: T0 + 3 * HOUR_MS, toMs: T0 + 4 * HOUR_MS, filter: { route: '/orders' }, groupBy: ['service'], stepMs: 5 * 60_000 },
    // Whole UTC days: ClickHouse reads day rows, SQLite hour rows.
    { fromMs: Date.UTC(2026, 0, 5), toMs: Date.UTC(2026, 0, 7), filter: {}, groupBy: ['route'] },
    { fromMs: Date.UTC(2026, 0, 4), toMs: Date.UTC(2026, 0, 8), filter: { service: 'auth' }, groupBy: [], stepMs: 24 * HOUR_MS },
  ];
  for (const query of queries) {
    const [fromClickHouse, fromSqlite] = [comparable(await ch.aggregate(query)), comparable(await lite.aggregate(query))];
    assert.ok(fromSqlite.length > 0);
    assert.deepEqual(fromClickHouse, fromSqlite, JSON.stringify(query));
  }
});

void test('clickhouse: dedupe keys cannot be forged by separators inside ids', async (t) => {
  const store = await openFresh();
  t.after(() => store.close());
  const at = `${BigInt(T0) * 1_000_000n}`;
  const span = (traceId: string, spanId: string): SpanRecord => ({
    traceId, spanId, parentSpanId: null, service: 'api', name: 'GET /x', kind: 2, startTimeUnixNano: at, endTimeUnixNano: at,
    durationMs: 0, statusCode: 0, statusMessage: '', attributes: {}, resource: {}, events: [],
  });
  // Joined with a NUL separator these two keys would be equal; they are different spans.
  assert.deepEqual(await store.append({ calls: [], spans: [span('a\0b', 'c')] }), { callsInserted: 0, spansInserted: 1 });
  assert.deepEqual(await store.append({ calls: [], spans: [span('a', 'b\0c')] }), { callsInserted: 0, spansInserted: 1 });
  assert.deepEqual(await store.append({ calls: [], spans: [span('a', 'b\0c'), span('a\0b', 'c')] }), { callsInserted: 0, spansInserted: 0 });
});

void test('clickhouse: whole days come from day rows, whole hours from hour rows, edges from minutes', () => {
  const DAY = 24 * HOUR_MS;
  const midnight = Date.UTC(2026, 0, 6);
  assert.deepEqual(planRollupRanges(T0 + 17 * 60_000, midnight + 2 * DAY + 3 * HOUR_MS + 30_001), [
    { table: 'rollup_minute', fromMs: T0 + 17 * 60_000, toMs: T0 + HOUR_MS },
    { table: 'rollup_hour', fromMs: T0 + HOUR_MS, toMs: midnight },
    { table: 'rollup_day', fromMs: midnight, toMs: midnight + 2 * DAY },
    { table: 'rollup_hour', fromMs: midnight + 2 * DAY, toMs: midnight + 2 * DAY + 3 * HOUR_MS },
    { table: 'rollup_minute', fromMs: midnight + 2 * DAY + 3 * HOUR_MS, toMs: midnight + 2 * DAY + 3 * HOUR_MS + 60_000 },
  ]);
  // A step that could split a day (or an hour) never reads rows of that width.
  assert.deepEqual(planRollupRanges(midnight, midnight + 2 * DAY, 6 * HOUR_MS), [{ table: 'rollup_hour', fromMs: midnight, toMs: midnight + 2 * DAY }]);
  assert.deepEqual(planRollupRanges(midnight, midnight + 2 * DAY, DAY), [{ table: 'rollup_day', fromMs: midnight, toMs: midnight + 2 * DAY }]);
  assert.deepEqual(planRollupRanges(midnight, midnight + HOUR_MS, 5 * 60_000), [{ table: 'rollup_minute', fromMs: midnight, toMs: midnight + HOUR_MS }]);
  assert.deepEqual(planRollupRanges(T0 + 1, T0 + 60_000), []);
});

void test('clickhouse: reads take the coarsest complete rows: route weeks, service rows when no route or method is named', () => {
  const DAY = 24 * HOUR_MS;
  const midnight = Date.UTC(2026, 0, 6);
  const window = { fromMs: midnight - 2 * DAY, toMs: midnight + 2 * DAY };
  const coarse = ['rollup_week', 'rollup_service_minute', 'rollup_service_hour', 'rollup_service_6h', 'rollup_service_day'];
  const completeFrom = (ms: number) => new Map(coarse.map((table) => [table, ms]));
  const tables = (query: AggregateQuery, fromMs = 0) =>
    planQuery(query, completeFrom(fromMs)).map((r) => `${r.table} ${(r.fromMs - midnight) / DAY}..${(r.toMs - midnight) / DAY}`);
  assert.deepEqual(tables({ ...window, filter: { service: 'api' }, groupBy: ['source'], stepMs: DAY }), ['rollup_service_day -2..2']);
  assert.deepEqual(tables({ ...window, filter: { service: 'api' }, groupBy: [], stepMs: 6 * HOUR_MS }), ['rollup_service_6h -2..2']);
  assert.deepEqual(tables({ ...window, filter: { route: '/x' }, groupBy: [], stepMs: DAY }), ['rollup_day -2..2']);
  assert.deepEqual(tables({ ...window, filter: {}, groupBy: ['method'], stepMs: DAY }), ['rollup_day -2..2']);
  // Weeks start on Thursdays (the epoch's weekday): 2026-01-08 and 2026-01-15 here.
  const thursday = Date.UTC(2026, 0, 8);
  assert.deepEqual(tables({ fromMs: thursday - 2 * DAY, toMs: thursday + 16 * DAY, filter: {}, groupBy: ['route'] }),
    ['rollup_day 0..2', 'rollup_week 2..16', 'rollup_day 16..18']);
  // An upgraded database: finer rows before the new tables are complete, the new ones after.
  assert.deepEqual(tables({ ...window, filter: {}, groupBy: [], stepMs: DAY }, midnight), ['rollup_day -2..0', 'rollup_service_day 0..2']);
  assert.deepEqual(tables({ ...window, filter: {}, groupBy: [], stepMs: DAY }, midnight + 5 * DAY), ['rollup_day -2..2']);
  assert.deepEqual(tables({ fromMs: thursday - 2 * DAY, toMs: thursday + 16 * DAY, filter: {}, groupBy: ['route'] }, thursday + 7 * DAY),
    ['rollup_day 0..9', 'rollup_week 9..16', 'rollup_day 16..18']);
});

void test('clickhouse: upgrading a database with calls keeps every total exact (new rollup tables are read only once complete)', async (t) => {
  const database = freshName();
  const client = createClient({ url: server.url });
  t.after(() => client.close());
  // A database as an earlier Telltale left it: no service-level rollups, calls already stored.
  await migrate(client, database, MIGRATIONS.filter((m) => m.version < 3));
  await server.sql(`INSERT INTO ${database}.calls (time_ms, id, service, method, route, status_code, duration_ms, source, trace_id, span_id, consumer, error, sketch_kind, sketch_index)
    SELECT ${Date.now() - 2 * HOUR_MS} + number * 1000, concat('old', toString(number)), 'api', 'GET', '/r', 200, 10, 'gateway', NULL, NULL, NULL, 0, 2, 1 FROM numbers(300)`);
  const store = await openClickHouseStore({ url: server.url, database });
  t.after(async () => {
    await store.close();
    await server.sql(`DROP DATABASE IF EXISTS ${database}`);
  });
  const from = Number((await server.sql(`SELECT max(complete_from_ms) FROM ${database}.rollup_levels`)).trim());
  assert.ok(from > Date.now() + 23 * HOUR_MS && from % (24 * HOUR_MS) === 0, `new rollups complete from ${new Date(from).toISOString()}`);
  await store.append({ calls: calls(100, Date.now() - HOUR_MS, 'new'), spans: [] });
  const [total] = await store.aggregate({ fromMs: Date.now() - 3 * HOUR_MS, toMs: Date.now() + 60_000, filter: {}, groupBy: [] });
  assert.equal(total?.agg.calls, 400, 'the calls stored before the upgrade count too');
});

void test('clickhouse: retention drops partitions that are wholly old and rewrites only the one holding the cutoff', async (t) => {
  const database = freshName();
  const store = await openClickHouseStore({ url: server.url, database });
  t.after(async () => {
    await store.close();
    await server.sql(`DROP DATABASE IF EXISTS ${database}`);
  });
  const DAY = 24 * HOUR_MS;
  const mutations = async () => Number((await server.sql(`SELECT count() FROM system.mutations WHERE database = '${database}' AND table = 'calls'`)).trim());
  await store.append({ calls: [...calls(50, T0 - 20 * DAY, 'old'), ...calls(50, T0 - 3 * DAY, 'edge'), ...calls(50, T0, 'new')], spans: [] });
  // The cutoff at a midnight (server time is UTC here): whole days go without a mutation.
  const midnight = Date.UTC(2026, 0, 3);
  assert.equal(await store.applyRetention({ rawBeforeMs: midnight, minuteRollupsBeforeMs: 0, hourRollupsBeforeMs: 0 }), 100);
  assert.equal(await mutations(), 0, 'no rewrite for whole old days');
  assert.equal((await server.sql(`SELECT count(), countIf(startsWith(id, 'new')) FROM ${database}.calls`)).trim(), '50\t50');
  // A cutoff inside a day: that day is rewritten, by one mutation, keeping its newer calls.
  assert.equal(await store.applyRetention({ rawBeforeMs: T0 + 10_500, minuteRollupsBeforeMs: 0, hourRollupsBeforeMs: 0 }), 11);
  assert.equal(await mutations(), 1);
  assert.equal(Number((await server.sql(`SELECT count() FROM ${database}.calls`)).trim()), 39);
});

void test('clickhouse: trace search walks the window backwards in slices and still returns the newest first', async (t) => {
  const store = await openFresh();
  t.after(() => store.close());
  const at = (i: number) => BigInt(T0 + i * 7 * 60_000 + 1234) * 1_000_000n;
  const id = (i: number) => i.toString(16).padStart(32, '0');
  // 30 traces 7 minutes apart; each has a late child in the next slice, which must not move it.
  const spans: SpanRecord[] = Array.from({ length: 30 }, (_, i) => [
    { traceId: id(i), spanId: 'root', parentSpanId: null, service: 'api', name: 'GET /x', kind: 2, startTimeUnixNano: `${at(i)}`,
      endTimeUnixNano: `${at(i) + 2_000_000n}`, durationMs: 2, statusCode: 0, statusMessage: '', attributes: {}, resource: {}, events: [] },
    { traceId: id(i), spanId: 'late', parentSpanId: 'root', service: 'worker', name: 'job', kind: 1, startTimeUnixNano: `${at(i) + 600_000_000_000n}`,
      endTimeUnixNano: `${at(i) + 600_001_000_000n}`, durationMs: 1, statusCode: 0, statusMessage: '', attributes: {}, resource: {}, events: [] },
  ]).flat();
  await store.append({ calls: [], spans });
  const window = { fromMs: T0, toMs: T0 + 4 * HOUR_MS };
  const newest = Array.from({ length: 30 }, (_, i) => id(29 - i));
  assert.deepEqual((await store.searchTraces({ ...window, limit: 10 })).map((s) => s.traceId), newest.slice(0, 10));
  assert.deepEqual((await store.searchTraces({ ...window, limit: 100 })).map((s) => s.traceId), newest);
  assert.deepEqual((await store.searchTraces({ ...window, service: 'worker', limit: 3 })).map((s) => s.traceId), newest.slice(0, 3));
});
