// Telltale on ClickHouse as deployed: real `telltale serve` processes (one control instance, two
// ingest instances) on one private clickhouse-server. The OpenTelemetry SDK sends to both ingest
// instances with a token created on the control instance; the control instance's route table
// holds every span once with percentiles within 1% of exact. Then ClickHouse stops: ingest
// answers 503 with Retry-After, and once it is back the re-sent batch is stored exactly once.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runTelltale } from '../helpers/process.ts';
import { startClickHouse } from '../helpers/clickhouse.ts';
import { recordServerCall, sdkClient } from '../helpers/otel-sdk.ts';
import { jsonRequest, jsonSpan } from '../helpers/otlp-json.ts';

const ADMIN = 'e2e-bootstrap-token-0123456789';

void test('clickhouse e2e: two ingest instances and a control instance share one ClickHouse', async (t) => {
  const server = await startClickHouse(t);
  const base = {
    TELLTALE_STORE: 'clickhouse', TELLTALE_CLICKHOUSE_URL: server.url, TELLTALE_CLICKHOUSE_DATABASE: 'e2e',
    TELLTALE_PORT: '0', TELLTALE_OTLP_PORT: '0', TELLTALE_HOST: '127.0.0.1', TELLTALE_BOOTSTRAP_TOKEN: ADMIN,
  };
  const start = async (roles: string) => {
    const dir = await mkdtemp(join(tmpdir(), 'telltale-ch-e2e-'));
    t.after(() => rm(dir, { recursive: true, force: true }));
    const run = runTelltale(['serve'], { ...base, TELLTALE_DATA_DIR: dir, TELLTALE_ROLES: roles });
    t.after(async () => {
      run.child.kill('SIGTERM');
      await run.exited;
    });
    const [, url] = await run.waitFor(/Server listening at (http:\/\/127\.0\.0\.1:\d+)/);
    return url!;
  };
  const control = await start('all');
  const [ingest1, ingest2] = await Promise.all([start('ingest'), start('ingest')]);

  const created = await fetch(`${control}/api/v1/tokens`, {
    method: 'POST', headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'e2e sdk', scope: 'ingest' }),
  });
  assert.equal(created.status, 201);
  const { token } = (await created.json()) as { token: string };

  const now = Date.now();
  const durations: number[] = [];
  for (const [i, baseUrl] of [ingest1, ingest2].entries()) {
    const sdk = sdkClient({ baseUrl, token, service: 'checkout', encoding: i === 0 ? 'protobuf' : 'json' });
    for (let n = 0; n < 600; n++) {
      const durationMs = 5 + ((n * 37 + i * 11) % 400);
      durations.push(durationMs);
      recordServerCall(sdk.tracer, { method: 'GET', route: '/carts/{id}', path: `/carts/${n}`, status: n % 25 === 0 ? 503 : 200, startMs: now - 120_000 + n * 100, durationMs });
    }
    await sdk.flush();
    await sdk.shutdown();
  }

  const routes = async () => {
    const res = await fetch(`${control}/api/v1/routes?from=now-15m&service=checkout`, { headers: { authorization: `Bearer ${ADMIN}` } });
    assert.equal(res.status, 200);
    return ((await res.json()) as { routes: Array<{ route: string; calls: number; status5xx: number; p50: number; p99: number }> }).routes;
  };
  const [row] = await routes();
  assert.equal(row?.route, '/carts/{id}');
  assert.equal(row.calls, 1200, 'every span from both instances, once');
  assert.equal(row.status5xx, 48);
  durations.sort((a, b) => a - b);
  for (const [q, got] of [[0.5, row.p50], [0.99, row.p99]] as const) {
    const exact = durations[Math.floor(q * (durations.length - 1))]!;
    assert.ok(Math.abs(got - exact) <= 0.01 * exact, `p${q * 100}: ${got} vs exact ${exact}`);
  }

  // ClickHouse down: refused with the retryable answer, so the client keeps the batch.
  const body = jsonRequest('checkout', Array.from({ length: 10 }, (_, n) => jsonSpan({ startMs: now - 60_000 + n, durationMs: 7 })));
  const post = () => fetch(`${ingest1}/v1/traces`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body });
  await server.stop();
  const refused = await post();
  assert.equal(refused.status, 503);
  assert.match(refused.headers.get('retry-after') ?? '', /^\d+$/);
  const ready = await fetch(`${ingest1}/readyz`);
  assert.equal(ready.status, 503, 'not ready while its store cannot take writes');
  await server.restart();
  assert.equal((await post()).status, 200);
  assert.equal((await post()).status, 200, 'a duplicate re-send is accepted and not counted again');
  const total = (await routes()).reduce((n, r) => n + r.calls, 0);
  assert.equal(total, 1210);
});
