// `telltale migrate --to clickhouse` against a real clickhouse-server: an installation with
// rollup history older than its raw calls, spans, checks and runs, tokens and a cursor is
// copied, both stores then answer the same queries identically, and a re-run changes nothing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HOUR_MS, MINUTE_MS, openClickHouseStore, openSqliteStore, percentile } from '../../store/index.ts';
import type { AggregateQuery, AggregateRow, ApiCall, SpanRecord, Store } from '../../store/index.ts';
import { loadConfig } from '../../server/config.ts';
import { migrateCommand } from '../../server/cli/migrate.ts';
import { startClickHouse } from '../helpers/clickhouse.ts';
import { createRandom } from '../helpers/random.ts';

const DAY_MS = 24 * HOUR_MS;
const T0 = Date.UTC(2026, 0, 20, 0, 0, 0);

function generate(seed: number, n: number, fromMs: number, toMs: number): ApiCall[] {
  const r = createRandom(seed);
  return Array.from({ length: n }, (_, i) => {
    const statusCode = r.pick([200, 200, 200, 204, 404, 500]);
    return {
      id: `m${seed}-${i}`, timeUnixMs: fromMs + Math.floor(r.next() * (toMs - fromMs)), service: r.pick(['shop', 'auth']),
      method: r.pick(['GET', 'POST']), route: r.pick(['/a', '/b/{id}', '/c']), statusCode,
      // On a 1/1024 ms grid, so sums are exact in any order and both stores agree to the last bit.
      durationMs: r.next() < 0.02 ? null : Math.round(r.lognormal(Math.log(30), 1) * 1024) / 1024,
      source: r.pick(['trace', 'gateway'] as const), traceId: null, spanId: null, consumer: r.pick(['alice', null]), error: statusCode >= 500,
    };
  });
}

function span(traceId: string, spanId: string, parent: string | null, startMs: number): SpanRecord {
  return {
    traceId, spanId, parentSpanId: parent, service: 'shop', name: 'GET /a', kind: 2,
    startTimeUnixNano: `${BigInt(startMs) * 1_000_000n + 123n}`, endTimeUnixNano: `${BigInt(startMs + 5) * 1_000_000n}`,
    durationMs: 5, statusCode: 0, statusMessage: '', attributes: { 'http.route': '/a' }, resource: {}, events: [],
  };
}

const comparable = (rows: AggregateRow[]) => rows.map((row) => {
  const { sketch, ...rest } = row.agg;
  return { group: row.group, bucketStartMs: row.bucketStartMs, ...rest, buckets: sketch.toArrays(), zero: sketch.zeroCount,
    p99: percentile(row.agg, 0.99) };
});

async function sameAnswers(a: Store, b: Store, queries: readonly AggregateQuery[]): Promise<void> {
  for (const query of queries) {
    const [x, y] = [comparable(await a.aggregate(query)), comparable(await b.aggregate(query))];
    assert.ok(x.length > 0, `data for ${JSON.stringify(query)}`);
    assert.deepEqual(y, x, JSON.stringify(query));
  }
}

void test('migrate --to clickhouse copies an installation, aggregates agree, and a re-run is a no-op', async (t) => {
  const server = await startClickHouse(t);
  const dir = await mkdtemp(join(tmpdir(), 'telltale-migrate-'));
  t.after(() => rm(dir, { recursive: true, force: true }));

  // The SQLite installation: 20-day-old traffic whose raw rows retention already removed
  // (rollups only), and three days of recent traffic starting mid-hour.
  const sqlite = await openSqliteStore({ file: join(dir, 'telltale.db') });
  t.after(() => sqlite.close());
  const old = generate(1, 3000, T0 - 20 * DAY_MS, T0 - 20 * DAY_MS + 5 * HOUR_MS);
  const recentFrom = T0 - 3 * DAY_MS + 17 * MINUTE_MS;
  const recent = generate(2, 12_000, recentFrom, T0);
  await sqlite.append({ calls: old, spans: [] });
  await sqlite.append({ calls: recent.slice(0, 6000), spans: [span('a'.repeat(32), 'r', null, T0 - HOUR_MS), span('a'.repeat(32), 'c', 'r', T0 - HOUR_MS + 1)] });
  await sqlite.append({ calls: recent.slice(6000), spans: [], cursors: [{ source: 'tail:/var/log/nginx/access.log', position: '7:123456' }] });
  await sqlite.applyRetention({ rawBeforeMs: T0 - 10 * DAY_MS, minuteRollupsBeforeMs: T0 - 30 * DAY_MS, hourRollupsBeforeMs: T0 - 100 * DAY_MS });
  const check = { id: 'home', definition: { id: 'home', request: { url: 'https://example.com/' } }, origin: 'api' as const, createdAtMs: T0, updatedAtMs: T0 };
  await sqlite.putCheck(check);
  const run = { checkId: 'home', startedAtMs: T0 - MINUTE_MS, ok: true, degraded: false, durationMs: 12.5, statusCode: 200, error: null, traceId: null, result: { attempts: 1 } };
  await sqlite.append({ calls: [], spans: [], checkRuns: [run] });
  const token = { id: 'tok', name: 'collector', scope: 'ingest' as const, hash: 'c'.repeat(64), createdAtMs: T0 };
  await sqlite.createToken(token);

  const config = loadConfig({
    TELLTALE_DATA_DIR: dir, TELLTALE_STORE: 'clickhouse', TELLTALE_CLICKHOUSE_URL: server.url, TELLTALE_CLICKHOUSE_DATABASE: 'migrated',
  }, dir);
  const printed: string[] = [];
  t.mock.method(console, 'log', (line: string) => void printed.push(line));
  await migrateCommand(['--to', 'clickhouse', '--batch-rows', '2500'], config);
  assert.ok(printed.some((l) => /calls: 12,000\/12,000 \(100%\)|calls: [\d,]+\/[\d,]+ \(100%\)/.test(l)), printed.join('\n'));
  assert.ok(printed.some((l) => l.startsWith('Done in')), printed.join('\n'));

  const ch = await openClickHouseStore({ url: server.url, database: 'migrated' });
  t.after(() => ch.close());
  const queries: AggregateQuery[] = [
    { fromMs: T0 - 30 * DAY_MS, toMs: T0 + HOUR_MS, filter: {}, groupBy: ['service', 'route'] },
    { fromMs: T0 - 21 * DAY_MS, toMs: T0 - 19 * DAY_MS, filter: {}, groupBy: ['route'], stepMs: HOUR_MS },
    { fromMs: T0 - 3 * DAY_MS, toMs: T0 - 3 * DAY_MS + 3 * HOUR_MS, filter: { service: 'shop' }, groupBy: ['method'], stepMs: 5 * MINUTE_MS },
    { fromMs: T0 - 2 * DAY_MS + 7 * MINUTE_MS, toMs: T0 - 11 * MINUTE_MS, filter: {}, groupBy: ['source'] },
  ];
  await sameAnswers(sqlite, ch, queries);

  // Raw calls from the first whole hour on; the partial hour before it only as rollups.
  const boundary = Math.ceil(recentFrom / HOUR_MS) * HOUR_MS;
  const ever = { fromMs: 0, toMs: T0 + DAY_MS, filter: {}, order: 'recent' as const, limit: 100_000 };
  assert.deepEqual((await ch.calls(ever)).map((c) => c.id).sort(), recent.filter((c) => c.timeUnixMs >= boundary).map((c) => c.id).sort());
  assert.deepEqual(await ch.trace('a'.repeat(32)), await sqlite.trace('a'.repeat(32)));
  assert.deepEqual(await ch.getCheck('home'), check);
  assert.deepEqual(await ch.checkRuns({ checkId: 'home', fromMs: 0, toMs: T0, limit: 5 }), [run]);
  assert.deepEqual(await ch.findTokenByHash(token.hash), token);
  assert.equal(await ch.getCursor('tail:/var/log/nginx/access.log'), '7:123456');

  printed.length = 0;
  await migrateCommand(['--to', 'clickhouse'], config);
  assert.ok(printed.some((l) => /^Done in .*: 0 new calls, 0 new spans, 1 check runs, 0 days of older rollups, 0 new tokens/.test(l)), printed.join('\n'));
  await sameAnswers(sqlite, ch, queries);
});
