// ClickHouse stopped during ingest: writes are refused with a retryable error (503 + Retry-After
// on the ingest path), readiness fails, and after the server returns every acknowledged batch
// is there exactly once. Its own file and server, since it stops the server.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { HOUR_MS } from '../../store/index.ts';
import type { ApiCall } from '../../store/index.ts';
import { IngestQueue, StoreUnavailableError } from '../../collector/ingest-queue.ts';
import { openClickHouseStore } from '../../store/clickhouse/open.ts';
import { ClickHouseUnavailableError } from '../../store/clickhouse/errors.ts';
import { startClickHouse } from '../helpers/clickhouse.ts';

const T0 = Date.UTC(2026, 0, 5, 10, 0, 0);

function calls(n: number, prefix: string): ApiCall[] {
  return Array.from({ length: n }, (_, i) => ({
    id: `${prefix}${i}`, timeUnixMs: T0 + i * 100, service: 'api', method: 'GET', route: '/r',
    statusCode: 200, durationMs: 1 + (i % 50), source: 'gateway' as const, traceId: null, spanId: null, consumer: null, error: false,
  }));
}

void test('clickhouse: server down → append rejects retryably; nothing acknowledged is lost', async (t) => {
  const server = await startClickHouse(t);
  const store = await openClickHouseStore({ url: server.url, database: 'outage', requestTimeoutMs: 5_000 });
  t.after(() => store.close());
  const queue = new IngestQueue({ store, maxQueuedItems: 100_000 });
  t.after(() => queue.close());

  const acknowledged: ApiCall[] = [];
  const first = calls(500, 'a');
  await queue.submit({ calls: first, spans: [] });
  acknowledged.push(...first);

  await server.stop();
  const during = calls(300, 'b');
  await assert.rejects(store.append({ calls: during, spans: [] }), (err: unknown) => err instanceof ClickHouseUnavailableError && err.retryAfterSeconds > 0);
  // What the receivers see: StoreUnavailableError, which they answer with 503 + Retry-After.
  await assert.rejects(queue.submit({ calls: during, spans: [] }), StoreUnavailableError);
  await assert.rejects(store.checkWritable());

  await server.restart();
  await store.checkWritable();
  // The client re-sends the refused batch, and one that overlaps what was acknowledged.
  await queue.submit({ calls: during, spans: [] });
  acknowledged.push(...during);
  await queue.submit({ calls: [...first.slice(0, 100), ...during.slice(0, 100)], spans: [] });

  const stored = await store.calls({ fromMs: T0, toMs: T0 + HOUR_MS, filter: {}, order: 'recent', limit: 10_000 });
  assert.deepEqual(stored.map((c) => c.id).sort(), acknowledged.map((c) => c.id).sort());
  const [row] = await store.aggregate({ fromMs: T0, toMs: T0 + HOUR_MS, filter: {}, groupBy: [] });
  assert.equal(row?.agg.calls, acknowledged.length, 'rollups count each acknowledged call once');
});
