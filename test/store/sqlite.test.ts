import { test } from 'node:test';
import type { TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { HOUR_MS, MINUTE_MS, openSqliteStore } from '../../store/index.ts';
import type { ApiCall, SpanRecord, Store } from '../../store/index.ts';
import { planRollupRanges } from '../../store/sqlite/aggregate-query.ts';
import { createAppender } from '../../store/sqlite/append.ts';
import { MIGRATIONS, migrate } from '../../store/sqlite/migrations.ts';
import { createRetention } from '../../store/sqlite/retention.ts';
import { openConnection } from '../../store/sqlite/open.ts';
import { runStoreContract } from './contract.ts';

/** A store in its own temp folder; closing the store removes the folder. */
async function openTempStore(): Promise<Store> {
  const dir = await mkdtemp(join(tmpdir(), 'telltale-sqlite-'));
  const store = await openSqliteStore({ file: join(dir, 'telltale.db') });
  const close = store.close.bind(store);
  store.close = async () => {
    await close();
    await rm(dir, { recursive: true, force: true });
  };
  return store;
}

runStoreContract('sqlite', openTempStore);

async function tempDir(t: TestContext): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'telltale-sqlite-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

const T0 = Date.UTC(2026, 0, 5, 10, 0, 0);

function calls(n: number, fromMs: number, prefix = 'c'): ApiCall[] {
  return Array.from({ length: n }, (_, i) => ({
    id: `${prefix}${i}`, timeUnixMs: fromMs + i * 1000, service: 'api', method: 'GET', route: `/r${i % 3}`,
    statusCode: i % 10 === 0 ? 500 : 200, durationMs: 1 + (i % 50), source: 'gateway' as const,
    traceId: null, spanId: null, consumer: null, error: i % 10 === 0,
  }));
}

void test('sqlite: the file is in WAL mode and parent folders are created', async (t) => {
  const file = join(await tempDir(t), 'nested', 'deeper', 'telltale.db');
  const store = await openSqliteStore({ file });
  t.after(() => store.close());
  const other = new Database(file, { readonly: true });
  t.after(() => other.close());
  assert.equal(other.pragma('journal_mode', { simple: true }), 'wal');
});

void test('sqlite: migrations run once and reopening is a no-op', async (t) => {
  const file = join(await tempDir(t), 'telltale.db');
  const db = new Database(file);
  t.after(() => db.close());
  assert.deepEqual(migrate(db), MIGRATIONS.map((m) => m.version));
  assert.deepEqual(migrate(db), []);
  await (await openSqliteStore({ file })).close();
  await (await openSqliteStore({ file })).close();
  const versions = db.prepare('SELECT version FROM schema_migrations ORDER BY version').pluck().all();
  assert.deepEqual(versions, MIGRATIONS.map((m) => m.version));
});

void test('sqlite: a file from a newer schema is refused, not written', async (t) => {
  const file = join(await tempDir(t), 'telltale.db');
  await (await openSqliteStore({ file })).close();
  const db = new Database(file);
  db.prepare('INSERT INTO schema_migrations (version, name, applied_at_ms) VALUES (999, ?, 0)').run('from the future');
  db.close();
  await assert.rejects(openSqliteStore({ file }), /newer than this Telltale supports/);
});

void test('sqlite: data survives close and reopen', async (t) => {
  const file = join(await tempDir(t), 'telltale.db');
  const first = await openSqliteStore({ file, synchronous: 'FULL' });
  await first.append({ calls: calls(120, T0), spans: [] });
  await first.createToken({ id: 't1', name: 'ci', scope: 'read', hash: 'f'.repeat(64), createdAtMs: T0 });
  await first.close();
  await first.close(); // closing twice is harmless

  const second = await openSqliteStore({ file });
  t.after(() => second.close());
  const rows = await second.aggregate({ fromMs: T0, toMs: T0 + 2 * HOUR_MS, filter: {}, groupBy: [] });
  assert.equal(rows[0]?.agg.calls, 120);
  assert.equal(rows[0]?.agg.errors, 12);
  assert.equal((await second.calls({ fromMs: T0, toMs: T0 + HOUR_MS, filter: {}, order: 'recent', limit: 500 })).length, 120);
  assert.equal((await second.findTokenByHash('f'.repeat(64)))?.name, 'ci');
  // Re-sending after a restart is still deduplicated: the ids live in the file, not in memory.
  assert.deepEqual(await second.append({ calls: calls(120, T0), spans: [] }), { callsInserted: 0, spansInserted: 0 });
});

void test('sqlite: a batch is all or nothing', async (t) => {
  const store = await openSqliteStore({ file: ':memory:' });
  t.after(() => store.close());
  const bad: SpanRecord = {
    traceId: 'a'.repeat(32), spanId: 'b'.repeat(16), parentSpanId: null, service: 'api', name: 'GET /x', kind: 2,
    startTimeUnixNano: 'not a number', endTimeUnixNano: '1', durationMs: 0, statusCode: 0, statusMessage: '',
    attributes: {}, resource: {}, events: [],
  };
  await assert.rejects(store.append({ calls: calls(10, T0), spans: [bad] }), SyntaxError);
  assert.deepEqual(await store.aggregate({ fromMs: T0, toMs: T0 + HOUR_MS, filter: {}, groupBy: [] }), []);
  assert.deepEqual(await store.append({ calls: calls(10, T0), spans: [] }), { callsInserted: 10, spansInserted: 0 });
});

void test('sqlite: checkWritable rejects while another connection holds the write lock', async (t) => {
  const file = join(await tempDir(t), 'telltale.db');
  const store = await openSqliteStore({ file, busyTimeoutMs: 20 });
  t.after(() => store.close());
  const other = new Database(file);
  t.after(() => other.close());
  other.exec('BEGIN EXCLUSIVE');
  await assert.rejects(store.checkWritable(), { code: 'SQLITE_BUSY' });
  await assert.rejects(store.append({ calls: calls(1, T0), spans: [] }), { code: 'SQLITE_BUSY' });
  other.exec('COMMIT');
  await store.checkWritable();
});

void test('sqlite: checkWritable rejects once the store is closed', async () => {
  const store = await openSqliteStore({ file: ':memory:' });
  await store.checkWritable();
  await store.close();
  await assert.rejects(store.checkWritable(), /not open/);
});

void test('sqlite: retention deletes in chunks and counts every row', async (t) => {
  const db = new Database(':memory:');
  t.after(() => db.close());
  migrate(db);
  // 130 calls, one a second, over three minutes of one hour, on three routes; one trace of two spans.
  const spans = ['r', 'c'].map((spanId): SpanRecord => ({
    traceId: 'f'.repeat(32), spanId, parentSpanId: spanId === 'r' ? null : 'r', service: 'api', name: 'GET /x', kind: 2,
    startTimeUnixNano: `${T0}000000`, endTimeUnixNano: `${T0}000001`, durationMs: 0, statusCode: 0, statusMessage: '',
    attributes: {}, resource: {}, events: [],
  }));
  createAppender(db).append({ calls: calls(130, T0), spans });
  const count = (table: string) => db.prepare(`SELECT COUNT(*) FROM ${table}`).pluck().get() as number;
  const minuteRows = count('rollup_minute');
  assert.equal(minuteRows, 9);
  assert.equal(count('rollup_hour'), 3);
  const removed = await createRetention(db, 7)(
    { rawBeforeMs: T0 + HOUR_MS, minuteRollupsBeforeMs: T0 + HOUR_MS, hourRollupsBeforeMs: T0 + HOUR_MS },
    () => true,
  );
  assert.equal(removed, 130 + 2 + 1 + minuteRows + 3);
  for (const table of ['calls', 'spans', 'traces', 'rollup_minute', 'rollup_hour']) assert.equal(count(table), 0, table);
});

void test('sqlite: whole hours are read from hour rows', () => {
  assert.deepEqual(planRollupRanges(T0 + 17 * MINUTE_MS, T0 + 3 * HOUR_MS + 30_001), [
    { table: 'rollup_minute', fromMs: T0 + 17 * MINUTE_MS, toMs: T0 + HOUR_MS },
    { table: 'rollup_hour', fromMs: T0 + HOUR_MS, toMs: T0 + 3 * HOUR_MS },
    { table: 'rollup_minute', fromMs: T0 + 3 * HOUR_MS, toMs: T0 + 3 * HOUR_MS + MINUTE_MS },
  ]);
  assert.deepEqual(planRollupRanges(T0, T0 + 2 * HOUR_MS, 2 * HOUR_MS), [{ table: 'rollup_hour', fromMs: T0, toMs: T0 + 2 * HOUR_MS }]);
  assert.deepEqual(planRollupRanges(T0, T0 + 2 * HOUR_MS, 5 * MINUTE_MS), [{ table: 'rollup_minute', fromMs: T0, toMs: T0 + 2 * HOUR_MS }]);
  assert.deepEqual(planRollupRanges(T0 + 1, T0 + MINUTE_MS), []);
});

void test('sqlite: malformed query shapes are refused, not turned into SQL', async (t) => {
  const store = await openSqliteStore({ file: ':memory:' });
  t.after(() => store.close());
  const range = { fromMs: T0, toMs: T0 + HOUR_MS };
  await assert.rejects(store.aggregate({ ...range, filter: {}, groupBy: ['service; DROP TABLE calls' as 'service'] }), RangeError);
  await assert.rejects(store.aggregate({ ...range, filter: {}, groupBy: [], stepMs: 90_000 }), RangeError);
  await assert.rejects(store.aggregate({ ...range, filter: {}, groupBy: [], stepMs: 0 }), RangeError);
  await assert.rejects(store.calls({ ...range, filter: {}, status: '9xx' as '5xx', order: 'recent', limit: 5 }), RangeError);
  await assert.rejects(store.calls({ ...range, filter: {}, order: 'id; DROP TABLE calls' as 'recent', limit: 5 }), RangeError);
  await assert.rejects(store.calls({ ...range, filter: {}, order: 'constructor' as 'recent', limit: 5 }), RangeError);
  await assert.rejects(store.calls({ ...range, filter: {}, order: 'recent', limit: -1 }), RangeError);
  await assert.rejects(store.searchTraces({ ...range, limit: 1.5 }), RangeError);
});

void test('sqlite: the page cache per connection is a setting (256 MiB by default), for small machines', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'telltale-cache-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const size = (cacheMiB?: number) => {
    const db = openConnection(join(dir, 'x.db'), { cacheMiB });
    try {
      return db.pragma('cache_size', { simple: true });
    } finally {
      db.close();
    }
  };
  assert.equal(size(), -256 * 1024);
  assert.equal(size(32), -32 * 1024);
});
